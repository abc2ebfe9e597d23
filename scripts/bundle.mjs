// Bundles one TypeScript entry with @vercel/ncc into OUTDIR/index.js (ESM, dependencies inlined).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ncc = require.resolve('@vercel/ncc/dist/ncc/cli.js');

export function bundle(entry, outDir) {
  const result = spawnSync(
    process.execPath,
    [ncc, 'build', entry, '-o', outDir, '--quiet', '--license', 'licenses.txt', '--target', 'es2022'],
    {
      stdio: ['ignore', 'inherit', 'inherit']
    }
  );
  if (result.status !== 0) throw new Error(`ncc build ${entry} failed with exit code ${result.status}`);
}
