// `npm run release -- 1.2.3`: the CHANGELOG's Unreleased entries become 1.2.3's dated section, the
// package's version is set, dist/ is rebuilt, and all of it is committed and tagged v1.2.3, with the
// major tag (v1) moved to it. Nothing is pushed: the two push commands are printed.
// `npm run release -- notes 1.2.3` prints that version's CHANGELOG section (the release workflow's notes).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEMVER, majorTag, releaseChangelog, releaseNotes } from './changelog.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const changelog = path.join(root, 'CHANGELOG.md');
const run = (command: string, ...args: string[]): string =>
  execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

function release(version: string): void {
  if (!SEMVER.test(version)) throw new Error(`usage: npm run release -- <x.y.z>; got '${version}'`);
  if (run('git', 'status', '--porcelain').trim()) throw new Error('the working tree has changes: commit or stash them first');
  const date = new Date().toISOString().slice(0, 10);
  writeFileSync(changelog, releaseChangelog(readFileSync(changelog, 'utf8'), version, date));
  console.log(`CHANGELOG.md: ${version} - ${date}`);
  run('npm', 'version', version, '--no-git-tag-version');
  console.log('dist/: rebuilding');
  run('npm', 'run', '-s', 'package');
  run('git', 'add', '-A');
  run('git', 'commit', '-qm', `Release v${version}`);
  run('git', 'tag', '-a', `v${version}`, '-m', `v${version}`);
  run('git', 'tag', '-fa', majorTag(version), '-m', `v${version}`);
  console.log(`tagged v${version} and moved ${majorTag(version)}; push them with:`);
  console.log(`  git push origin HEAD v${version}`);
  console.log(`  git push -f origin ${majorTag(version)}`);
}

const [first, second] = process.argv.slice(2);
try {
  if (first === 'notes') console.log(releaseNotes(readFileSync(changelog, 'utf8'), second ?? ''));
  else release(first ?? '');
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
