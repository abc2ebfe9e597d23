// The tar the action puts first on PATH: extractions are listed and checked first (tar-guard.ts);
// everything else goes to the real tar unchanged.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { listingArgs, outsideMembers, parseListing } from './tar-guard.js';
import { REAL_TAR, TAR_REPORT, TAR_ROOT, mayExtract } from './tar-shim.js';

export function guardTar(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const tar = env[REAL_TAR];
  const root = env[TAR_ROOT];
  if (!tar || !root) {
    process.stderr.write('wheelhouse-buildx: the tar guard has no real tar or root\n');
    return 2;
  }
  const extraction = listingArgs(args);
  if (!extraction && args.some(mayExtract)) {
    // an extraction in a form the guard does not list (`-x -f`, `--extract`): refused, never run unchecked
    process.stderr.write(`wheelhouse-buildx: refusing an extraction the guard cannot check: tar ${args.join(' ')}\n`);
    return 2;
  }
  if (extraction) {
    // one listing, in the C locale so that its columns read the same everywhere
    const listing = spawnSync(tar, extraction.list, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...env, LC_ALL: 'C' } });
    if (listing.status !== 0) {
      process.stderr.write(`wheelhouse-buildx: the archive cannot be listed: ${listing.stderr.trim()}\n`);
      return 2;
    }
    const problem = outsideMembers(parseListing(listing.stdout), extraction.workingDir, root);
    if (problem) {
      process.stderr.write(`wheelhouse-buildx: refusing to extract the cache archive: ${problem}\n`);
      const report = env[TAR_REPORT];
      if (report) writeFileSync(report, problem);
      return 2;
    }
  }
  return spawnSync(tar, args, { stdio: 'inherit' }).status ?? 2;
}
