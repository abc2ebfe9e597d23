// `npm run package`: rebuilds dist/, one bundle per entry (dist/main, dist/post, and dist/cli for runs
// outside Actions).
import { rmSync } from 'node:fs';
import { bundle } from './bundle.mjs';

const entries = { main: 'src/entry/main.ts', post: 'src/entry/post.ts', cli: 'src/entry/cli.ts', 'tar-guard': 'src/entry/tar-guard.ts' };
for (const [name, entry] of Object.entries(entries)) {
  rmSync(`dist/${name}`, { recursive: true, force: true });
  bundle(entry, `dist/${name}`);
}
