// The wheelhouse as an image. After a wheel build, the wheelhouse and its base generation are pushed as
// small reproducible images (FROM scratch, the files and nothing else) next to the app's image, and a
// tiny cache entry maps the wheelhouse key to their digests. On an exact hit the build names them as
// `docker-image://<repository>@<digest>` contexts: nothing is restored from the cache or sent to
// BuildKit, which keys the install steps by the digest and pulls a layer only when a step must run.
// The Actions cache entry stays the store of record: whatever goes wrong here, the local contexts are
// used as before.
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BuilderRef } from '../builder/record.js';
import { cachedDir } from '../cache/backend.js';
import { type GuardedCache, withDeadline } from '../cache/guard.js';
import { type Exec, run } from '../exec/exec.js';
import { NO_ATTESTATIONS, ownBuildArgs } from '../wheels/args.js';
import { type Keys, wheelhouseImageKeys } from '../keys/key.js';
import type { PendingSave } from '../state.js';
import type { SizedWheel } from '../wheels/inventory.js';
import { MANIFEST, sha256 } from '../wheels/manifest.js';
import type { WheelhouseContexts } from './args.js';
import { runId } from './last-push.js';

const RECORD = 'wheelhouse-image.json';
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const WHEEL = /^[^/\\]+\.whl$/;

/** The two images, each `<repository>@<digest>`. */
export interface WheelhouseImages {
  readonly wheelhouse: string;
  readonly base: string;
}

export interface ImageRecord {
  readonly images: WheelhouseImages;
  /** The wheelhouse's current wheels (its top folder) and their sizes. */
  readonly wheels: readonly SizedWheel[];
}

/** A remembered wheelhouse image: the record, and a folder holding the wheelhouse's manifest. */
export interface RecalledImage extends ImageRecord {
  readonly key: string;
  readonly dir: string;
}

const hash16 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** A file of a folder pushed as an image: its path in the folder and its SHA-256. */
export interface FileSum {
  readonly path: string;
  readonly sha256: string;
}

/**
 * The tag an image of these files for `platform` is pushed under (the registry keeps a tagged image):
 * named by their content and platform, so that a folder the registry has already (the base generation,
 * kept across dependency changes) is found by its tag and not pushed again, and the same pure wheels of
 * another platform get an image of their own platform.
 */
export function contentTag(repository: string, kind: keyof WheelhouseImages, files: readonly FileSum[], platform: string): string {
  const lines = [...files.map((f) => `${f.sha256}  ${f.path}`).sort(), `platform ${platform}`];
  return `${repository}:${kind === 'base' ? 'wheelhouse-base' : 'wheelhouse'}-${hash16(lines.join('\n'))}`;
}

/** Every file under `dir`, with its SHA-256. */
async function fileSums(dir: string): Promise<FileSum[]> {
  const sums: FileSum[] = [];
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    sums.push({ path: path.relative(dir, file), sha256: await sha256(file) });
  }
  return sums;
}

/** The Dockerfile of a wheelhouse image: its folder's files and nothing else. */
export const IMAGE_DOCKERFILE = 'FROM scratch\nCOPY . /\n';

/**
 * Pushes `dir` as a one-layer image. Timestamps are fixed (SOURCE_DATE_EPOCH=0, rewritten in the layer)
 * and attestations left out, so the same files give the same digest, and so a base generation kept
 * across wheel builds keeps its digest and its install step's cache key. Wheels are zip files already:
 * the layer is not compressed again.
 */
export function pushArgs(builder: string, dockerfile: string, tag: string, metadataFile: string, dir: string, platform: string): string[] {
  return [
    ...ownBuildArgs(builder, dockerfile),
    // the image is the target platform's: an index of several resolves each platform to its own wheels
    '--platform',
    platform,
    ...NO_ATTESTATIONS,
    '--build-arg',
    'SOURCE_DATE_EPOCH=0',
    '--output',
    `type=image,name=${tag},push=true,compression=uncompressed,oci-mediatypes=true,rewrite-timestamp=true`,
    '--metadata-file',
    metadataFile,
    dir
  ];
}

/** The record of the entry that maps a wheelhouse key to its images. */
export function imageRecord(record: ImageRecord): string {
  for (const ref of Object.values(record.images))
    if (!DIGEST.test(ref.slice(ref.lastIndexOf('@') + 1))) throw new Error(`not an image by digest: ${ref}`);
  const wheels = Object.fromEntries(record.wheels.map((w) => [w.file, w.bytes]));
  return `${JSON.stringify({ version: 1, ...record.images, wheels })}\n`;
}

/** The record, when both images are digests in `repository` and its wheels plain names; undefined otherwise. */
export function parseImageRecord(json: string, repository: string): ImageRecord | undefined {
  let data: { version?: unknown; wheelhouse?: unknown; base?: unknown; wheels?: unknown };
  try {
    data = JSON.parse(json) as typeof data;
  } catch {
    return undefined;
  }
  const inRepository = (ref: unknown): ref is string =>
    typeof ref === 'string' &&
    ref.lastIndexOf('@') > 0 &&
    ref.slice(0, ref.lastIndexOf('@')) === repository &&
    DIGEST.test(ref.slice(ref.lastIndexOf('@') + 1));
  if (data.version !== 1 || !inRepository(data.wheelhouse) || !inRepository(data.base)) return undefined;
  if (typeof data.wheels !== 'object' || data.wheels === null) return undefined;
  const wheels: SizedWheel[] = [];
  for (const [file, bytes] of Object.entries(data.wheels)) {
    if (!WHEEL.test(file) || typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) return undefined;
    wheels.push({ file, bytes });
  }
  return { images: { wheelhouse: data.wheelhouse, base: data.base }, wheels: wheels.sort((a, b) => a.file.localeCompare(b.file)) };
}

/** The named contexts of the two images. */
export function imageContexts(images: WheelhouseImages): WheelhouseContexts {
  return { wheelhouse: `docker-image://${images.wheelhouse}`, base: `docker-image://${images.base}` };
}

/** True when `raw` (a manifest as the registry serves it) is the content `ref`'s digest names. */
export function manifestMatches(ref: string, raw: string): boolean {
  return `sha256:${createHash('sha256').update(raw).digest('hex')}` === ref.slice(ref.lastIndexOf('@') + 1);
}

export function imageKeys(repository: string, wheelhousePrimary: string, env: NodeJS.ProcessEnv = process.env): Keys {
  return wheelhouseImageKeys(repository, wheelhousePrimary, runId(env));
}

/** The manifest the registry serves for `ref` (a tag or a digest), as raw bytes; or why there is none. */
async function rawManifest(
  builder: BuilderRef,
  ref: string,
  timeoutSeconds: number,
  exec: Exec
): Promise<{ raw: string } | { problem: string }> {
  const inspect = exec('docker', ['buildx', 'imagetools', 'inspect', '--builder', builder.name, '--raw', ref], {
    silent: true,
    allowFailure: true,
    env: { ...builder.env }
  });
  const result = await withDeadline(inspect, timeoutSeconds, `looking up ${ref}`).catch((error: unknown) => ({
    exitCode: -1,
    stdout: '',
    stderr: error instanceof Error ? error.message : String(error)
  }));
  if (result.exitCode !== 0) return { problem: result.stderr.trim().split('\n').pop() || `exit code ${result.exitCode}` };
  return { raw: result.stdout };
}

/** Why the registry cannot serve `ref` as recorded; undefined when it can. */
async function problemWith(builder: BuilderRef, ref: string, timeoutSeconds: number, exec: Exec): Promise<string | undefined> {
  const found = await rawManifest(builder, ref, timeoutSeconds, exec);
  if ('problem' in found) return found.problem;
  return manifestMatches(ref, found.raw) ? undefined : 'the registry serves a manifest of another digest';
}

/**
 * The images the wheelhouse of `wheelhousePrimary` was pushed as, when the cache remembers them and
 * the registry still serves both, manifests matching their digests; undefined otherwise (with a note).
 */
export async function recallWheelhouseImage(
  cache: GuardedCache,
  builder: BuilderRef,
  repository: string,
  wheelhousePrimary: string,
  timeoutSeconds: number,
  exec: Exec = run
): Promise<RecalledImage | undefined> {
  const entry = cachedDir('wheelhouse-image');
  const keys = imageKeys(repository, wheelhousePrimary);
  await fs.rm(entry.dir, { recursive: true, force: true });
  const { key } = await cache.restore(entry, keys.primary, keys.restore);
  if (!key) return undefined;
  const record = parseImageRecord(await fs.readFile(path.join(entry.dir, RECORD), 'utf8').catch(() => ''), repository);
  if (!record) {
    core.warning(`cache: the wheelhouse-image entry ${key} does not name images of ${repository} by digest; not used`);
    return undefined;
  }
  const refs = [record.images.wheelhouse, record.images.base];
  const problems = await Promise.all(refs.map((ref) => problemWith(builder, ref, timeoutSeconds, exec)));
  const unusable = problems.findIndex(Boolean);
  if (unusable >= 0) {
    core.info(`wheelhouse image: ${refs[unusable]} cannot be used (${problems[unusable]}); the wheelhouse is restored from the cache`);
    return undefined;
  }
  return { ...record, key, dir: entry.dir };
}

/**
 * Pushes the wheelhouse and its base context as images, each unless the registry has its content's
 * tag already; undefined (with a warning) when the registry refuses or does not answer in time: the
 * build then sends the folders as before.
 */
export async function pushWheelhouseImages(
  builder: BuilderRef,
  repository: string,
  dirs: WheelhouseContexts,
  platform: string,
  workDir: string,
  timeoutSeconds: number,
  exec: Exec = run
): Promise<WheelhouseImages | undefined> {
  const dockerfile = path.join(workDir, 'wheelhouse-image.Dockerfile');
  await fs.writeFile(dockerfile, IMAGE_DOCKERFILE);
  const push = async (which: keyof WheelhouseImages): Promise<string> => {
    const tag = contentTag(repository, which, await fileSums(dirs[which]), platform);
    const existing = await rawManifest(builder, tag, timeoutSeconds, exec);
    if ('raw' in existing) return `${repository}@sha256:${createHash('sha256').update(existing.raw).digest('hex')}`;
    const metadataFile = path.join(workDir, `wheelhouse-image-${which}.json`);
    await exec('docker', pushArgs(builder.name, dockerfile, tag, metadataFile, dirs[which], platform), {
      silent: true,
      env: { ...builder.env }
    });
    const digest = (JSON.parse(await fs.readFile(metadataFile, 'utf8')) as Record<string, unknown>)['containerimage.digest'];
    if (typeof digest !== 'string' || !DIGEST.test(digest)) throw new Error(`buildx gave no digest for ${tag}`);
    return `${repository}@${digest}`;
  };
  try {
    const [wheelhouse, base] = await withDeadline(
      Promise.all([push('wheelhouse'), push('base')]),
      timeoutSeconds,
      'pushing the wheelhouse image'
    );
    core.info(`wheelhouse image: pushed ${wheelhouse} (base ${base})`);
    return { wheelhouse, base };
  } catch (error) {
    core.warning(
      `wheelhouse image: not pushed, the build sends the wheelhouse instead: ${error instanceof Error ? error.message : String(error)}`
    );
    return undefined;
  }
}

/** The entry that remembers the pushed images of `wheelhouseDir`, for post to save. */
export async function rememberWheelhouseImage(
  repository: string,
  wheelhousePrimary: string,
  images: WheelhouseImages,
  wheels: readonly SizedWheel[],
  wheelhouseDir: string
): Promise<PendingSave> {
  const entry = cachedDir('wheelhouse-image');
  await fs.rm(entry.dir, { recursive: true, force: true });
  await fs.mkdir(entry.dir, { recursive: true });
  await fs.writeFile(path.join(entry.dir, RECORD), imageRecord({ images, wheels }));
  await fs.copyFile(path.join(wheelhouseDir, MANIFEST), path.join(entry.dir, MANIFEST));
  return { entry, key: imageKeys(repository, wheelhousePrimary).primary, changed: true };
}

/** The tag of the index of these platforms' images of one kind: named by its members. */
export function indexTag(repository: string, kind: keyof WheelhouseImages, members: readonly string[]): string {
  return `${repository}:${kind === 'base' ? 'wheelhouse-base' : 'wheelhouse'}-index-${hash16(members.join('\n'))}`;
}

/** `buildx imagetools create`: an index of the members (each an image of one platform), under `tag`. */
export function indexArgs(builder: string, tag: string, members: readonly string[]): string[] {
  return ['buildx', 'imagetools', 'create', '--builder', builder, '--tag', tag, ...members];
}

/**
 * One index a kind of the platforms' wheelhouse images, by digest: a named context of an index resolves,
 * for each platform built, to that platform's own wheels. Nothing is pushed but the indexes (small
 * manifests naming images the registry has); one the registry has already is taken as it is.
 */
export async function indexWheelhouseImages(
  builder: BuilderRef,
  repository: string,
  platforms: readonly WheelhouseImages[],
  timeoutSeconds: number,
  exec: Exec = run
): Promise<WheelhouseImages> {
  const index = async (kind: keyof WheelhouseImages): Promise<string> => {
    const members = platforms.map((images) => images[kind]);
    const tag = indexTag(repository, kind, members);
    let found = await rawManifest(builder, tag, timeoutSeconds, exec);
    if (!('raw' in found)) {
      await withDeadline(
        exec('docker', indexArgs(builder.name, tag, members), { silent: true, env: { ...builder.env } }),
        timeoutSeconds,
        `pushing the index ${tag}`
      );
      found = await rawManifest(builder, tag, timeoutSeconds, exec);
      if (!('raw' in found)) throw new Error(`the registry does not serve the index ${tag} just pushed: ${found.problem}`);
    }
    return `${repository}@sha256:${createHash('sha256').update(found.raw).digest('hex')}`;
  };
  const [wheelhouse, base] = await Promise.all([index('wheelhouse'), index('base')]);
  core.info(`wheelhouse image: ${wheelhouse} (base ${base}), an index of ${platforms.length} platforms`);
  return { wheelhouse, base };
}
