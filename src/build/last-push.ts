// A cache source that survives a new tag per run: the digest of the last image this repository pushed
// from the run's cache scope (its branch, then the base branch for a pull request) is remembered in a
// tiny cache entry, and the next build imports the inline cache from `<repository>@<digest>`. Only a
// digest in the same repository as the first tag is taken: the same people can write it as the tag.
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { cachedDir } from '../cache/backend.js';
import type { GuardedCache } from '../cache/guard.js';
import { repositoryOf } from '../inputs/image-ref.js';
import { lastPushKeys } from '../keys/key.js';
import type { PendingSave } from '../state.js';

const FILE = 'image.json';
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function lastPushRecord(repository: string, digest: string): string {
  if (!DIGEST.test(digest)) throw new Error(`not an image digest: ${digest}`);
  return `${JSON.stringify({ image: `${repository}@${digest}` })}\n`;
}

/** The remembered image, when it is a digest in `repository`; undefined for anything else. */
export function parseLastPush(json: string, repository: string): string | undefined {
  try {
    const image = (JSON.parse(json) as { image?: unknown }).image;
    if (typeof image !== 'string') return undefined;
    const at = image.lastIndexOf('@');
    return at > 0 && image.slice(0, at) === repository && DIGEST.test(image.slice(at + 1)) ? image : undefined;
  } catch {
    return undefined;
  }
}

export function runId(env: NodeJS.ProcessEnv): string {
  return [env.GITHUB_RUN_ID ?? 'local', env.GITHUB_RUN_ATTEMPT ?? '1', String(Date.now())].join('-');
}

/** The image the last push of `tag`'s repository made, from the cache; undefined when there is none. */
export async function recallLastPush(cache: GuardedCache, platform: string, tag: string): Promise<string | undefined> {
  const repository = repositoryOf(tag);
  const entry = cachedDir('last-push');
  const keys = lastPushKeys(platform, repository, '');
  await fs.rm(entry.dir, { recursive: true, force: true });
  const { key } = await cache.restore(entry, keys.primary, keys.restore);
  if (!key) return undefined;
  const image = parseLastPush(await fs.readFile(path.join(entry.dir, FILE), 'utf8').catch(() => ''), repository);
  if (!image) core.warning(`cache: the last-push entry ${key} does not name an image of ${repository} by digest; not used`);
  return image;
}

/** The entry that remembers this push, for post to save. */
export async function rememberPush(
  platform: string,
  tag: string,
  digest: string,
  env: NodeJS.ProcessEnv = process.env
): Promise<PendingSave> {
  const repository = repositoryOf(tag);
  const entry = cachedDir('last-push');
  await fs.rm(entry.dir, { recursive: true, force: true });
  await fs.mkdir(entry.dir, { recursive: true });
  await fs.writeFile(path.join(entry.dir, FILE), lastPushRecord(repository, digest));
  return { entry, key: lastPushKeys(platform, repository, runId(env)).primary, changed: true };
}
