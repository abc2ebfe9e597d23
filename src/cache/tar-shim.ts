// Installs the tar guard for this process: a `tar` (and a `gtar`, which @actions/cache prefers on
// macOS, when there is one) first on PATH that has an extraction checked before the real program runs
// it: by this process (tar-guard-server, through bash's /dev/tcp) or by the guard entry (dist/tar-guard)
// in a node process of its own, with the real program's path and the folder archives may write to.
import { spawnSync } from 'node:child_process';
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

/** Who checks an extraction: a node process running the guard entry, or this process (tar-guard-server). */
export type GuardBy =
  | { readonly kind: 'node'; readonly node: string; readonly script: string }
  | { readonly kind: 'server'; readonly bash: string; readonly port: number; readonly token: string };

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The shim a real tar (or gtar) is run through: only an extraction goes to the guard; anything else
 * (`--version`, creating an archive) runs the real program at once.
 */
export function shimScript(real: string, by: GuardBy): string {
  const check =
    by.kind === 'node'
      ? [`    ${EXTRACTION_PATTERNS}) exec ${quote(by.node)} ${quote(by.script)} "$@" ;;`]
      : [
          `    ${EXTRACTION_PATTERNS})`,
          '      verdict=',
          `      if { exec 3<>/dev/tcp/127.0.0.1/${by.port}; } 2>/dev/null; then`,
          `        printf '%s\\0' '${by.token}' "$#" "$PWD" "$@" >&3`,
          '        IFS= read -r verdict <&3',
          '        exec 3<&-',
          '      fi',
          `      if [ "$verdict" = 'ok ${by.token}' ]; then exec "$${REAL_TAR}" "$@"; fi`,
          `      printf 'wheelhouse-buildx: %s\\n' "\${verdict:-the tar guard did not answer}" >&2`,
          '      exit 2 ;;'
        ];
  return [
    `#!${by.kind === 'node' ? '/bin/sh' : by.bash}`,
    `${REAL_TAR}=${quote(real)}`,
    `export ${REAL_TAR}`,
    'for arg in "$@"; do',
    '  case "$arg" in',
    ...check,
    '  esac',
    'done',
    `exec "$${REAL_TAR}" "$@"`,
    ''
  ].join('\n');
}

/** bash, when it is there and reaches the server through /dev/tcp (a connection that sends nothing). */
export function bashReaching(port: number, env: NodeJS.ProcessEnv): string | undefined {
  const bash = findOnPath('bash', env);
  if (!bash) return undefined;
  const probe = spawnSync(bash, ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore', timeout: 5000 });
  return probe.status === 0 ? bash : undefined;
}

/**
 * Returns false (and changes nothing) when there is no tar to guard or no guard to run. With a server,
 * the shims ask it when bash reaches it; else each extraction starts the guard entry in node.
 */
export function installTarGuard(
  guardScript: string,
  root: string,
  env: NodeJS.ProcessEnv = process.env,
  server?: { readonly port: number; readonly token: string }
): boolean {
  if (env[TAR_ROOT]) return true;
  const programs = ['tar', 'gtar'].flatMap((name) => {
    const real = findOnPath(name, env);
    return real ? [{ name, real }] : [];
  });
  if (!programs.some((p) => p.name === 'tar')) return false;
  const bash = server && bashReaching(server.port, env);
  const by: GuardBy =
    server && bash
      ? { kind: 'server', bash, port: server.port, token: server.token }
      : { kind: 'node', node: process.execPath, script: guardScript };
  if (by.kind === 'node') {
    try {
      accessSync(guardScript, constants.R_OK);
    } catch {
      return false;
    }
  }
  const dir = path.join(env.RUNNER_TEMP || os.tmpdir(), `wheelhouse-buildx-tar-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const { name, real } of programs) writeFileSync(path.join(dir, name), shimScript(real, by), { mode: 0o700 });
  env[TAR_ROOT] = root;
  env[TAR_REPORT] = path.join(dir, 'refused');
  env.PATH = `${dir}${path.delimiter}${env.PATH ?? ''}`;
  return true;
}
