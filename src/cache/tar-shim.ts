// Installs the tar guard for this process: a `tar` (and a `gtar`, which @actions/cache prefers on
// macOS, when there is one) first on PATH that runs the guard entry (dist/tar-guard) with the real
// program's path and the folder archives may write to.
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REAL_TAR = 'WHEELHOUSE_BUILDX_REAL_TAR';
export const TAR_ROOT = 'WHEELHOUSE_BUILDX_TAR_ROOT';
/**
 * The arguments that may ask tar to extract, as `case` patterns: `-x…`, a cluster of short options with
 * an `x` (`-zxf`), `--extract`, `--get`. An argument matching none never reaches the guard.
 */
export const EXTRACTION_PATTERNS = `-x*|-[!-]*x*|--extract|--extract=*|--get`;

/** Whether an argument matches EXTRACTION_PATTERNS (the guard refuses an extraction it cannot list). */
export function mayExtract(arg: string): boolean {
  return /^-x|^-[^-][^\s]*x|^--extract(=|$)|^--get$/.test(arg);
}

/** Where the guard writes why it refused an archive (the backend reads it after a restore). */
export const TAR_REPORT = 'WHEELHOUSE_BUILDX_TAR_REPORT';

function findOnPath(program: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Returns false (and changes nothing) when there is no tar to guard or no guard to run. */
export function installTarGuard(guardScript: string, root: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[TAR_ROOT]) return true;
  const programs = ['tar', 'gtar'].flatMap((name) => {
    const real = findOnPath(name, env);
    return real ? [{ name, real }] : [];
  });
  if (!programs.some((p) => p.name === 'tar')) return false;
  try {
    accessSync(guardScript, constants.R_OK);
  } catch {
    return false;
  }
  const dir = path.join(env.RUNNER_TEMP || os.tmpdir(), `wheelhouse-buildx-tar-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  for (const { name, real } of programs) {
    // only an extraction goes through the guard; anything else (`--version`, creating an archive) runs
    // the real program at once, without starting node
    const script = [
      '#!/bin/sh',
      `${REAL_TAR}=${quote(real)}`,
      `export ${REAL_TAR}`,
      'for arg in "$@"; do',
      '  case "$arg" in',
      `    ${EXTRACTION_PATTERNS}) exec ${quote(process.execPath)} ${quote(guardScript)} "$@" ;;`,
      '  esac',
      'done',
      `exec "$${REAL_TAR}" "$@"`,
      ''
    ];
    writeFileSync(path.join(dir, name), script.join('\n'), { mode: 0o755 });
  }
  env[TAR_ROOT] = root;
  env[TAR_REPORT] = path.join(dir, 'refused');
  env.PATH = `${dir}${path.delimiter}${env.PATH ?? ''}`;
  return true;
}
