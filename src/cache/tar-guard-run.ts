// The tar the action puts first on PATH: an extraction's archive is read header by header and checked
// first (tar-guard.ts); everything else goes to the real tar unchanged.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { type Extraction, type Member, extractionOf, memberOf, outsideMembers } from './tar-guard.js';
import { REAL_TAR, TAR_REPORT, TAR_ROOT, mayExtract } from './tar-shim.js';

/** The archive's members from their headers (pax and GNU long names read as tar reads them); throws on a malformed archive. */
export async function readMembers(extraction: Extraction, env: NodeJS.ProcessEnv): Promise<Member[]> {
  const members: Member[] = [];
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    members.push(memberOf(header));
    stream.on('end', next);
    stream.resume();
  });
  let source: Readable = createReadStream(extraction.archive);
  const steps: Promise<unknown>[] = [];
  if (extraction.compression === 'gzip') source = source.pipe(createGunzip());
  else if (extraction.compression) {
    // the program tar itself would run, as tar runs it: `PROG -d`, the archive on its input
    const [program, ...args] = extraction.compression;
    const child = spawn(program!, [...args, '-d'], { stdio: ['pipe', 'pipe', 'inherit'], env });
    steps.push(
      pipeline(source, child.stdin),
      new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${program} -d exited with ${code}`))));
      })
    );
    source = child.stdout;
  }
  await Promise.all([pipeline(source, reader), ...steps]);
  return members;
}

/**
 * Why an extraction must not run, or undefined when it may: its archive's members are read first. `cwd`
 * is the folder tar runs in (where a relative archive or `-C` is read from). A refusal is also written
 * where TAR_REPORT says (the backend reads it after a restore).
 */
export async function refusalOf(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const root = env[TAR_ROOT];
  if (!root) return 'the tar guard has no root, and nothing is run unchecked';
  const extraction = extractionOf(args, cwd);
  if (!extraction) {
    // an extraction in a form the guard does not read (`-x -f`, `--extract`): refused, never run unchecked
    return args.some(mayExtract) ? `refusing an extraction the guard cannot check: tar ${args.join(' ')}` : undefined;
  }
  const members = await readMembers(extraction, env).catch((error: unknown) => {
    process.stderr.write(`wheelhouse-buildx: the archive cannot be read: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  });
  const problem = outsideMembers(members, extraction.workingDir, root);
  if (!problem) return undefined;
  const report = env[TAR_REPORT];
  if (report) writeFileSync(report, problem);
  return `refusing to extract the cache archive: ${problem}`;
}

export async function guardTar(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const tar = env[REAL_TAR];
  if (!tar) {
    process.stderr.write('wheelhouse-buildx: the tar guard has no real tar\n');
    return 2;
  }
  // without a root, refusalOf refuses whatever the arguments
  const refused = await refusalOf(args, process.cwd(), env);
  if (refused) {
    process.stderr.write(`wheelhouse-buildx: ${refused}\n`);
    return 2;
  }
  return spawnSync(tar, args, { stdio: 'inherit' }).status ?? 2;
}
