// The versioned cache key schema. A key names the target (os, arch, Python tag, libc), the installer
// and a hash of exactly what goes into the wheel build; restore keys drop the hash, then the
// installer, so a changed dependency set starts from the previous wheelhouse.
import { createHash } from 'node:crypto';
import type { DependencySet } from './model.js';

export const KEY_SCHEMA = 'v1';

export interface Target {
  /** e.g. linux/amd64, linux/arm/v7 */
  readonly platform: string;
  /** e.g. cp311 */
  readonly pythonTag: string;
  /** e.g. glibc2.36, musl1.2 */
  readonly libc: string;
}

export interface KeyInputs {
  readonly target: Target;
  readonly installer: 'pip';
  readonly dependencies: DependencySet;
  readonly wheelImage: string;
  readonly wheelPackages: readonly string[];
  /** The `cache-suffix` input: appended to the primary keys, so a new one starts a new entry. */
  readonly suffix?: string | undefined;
}

export interface Keys {
  readonly primary: string;
  readonly restore: readonly string[];
}

/** The hash of what the wheel build is made of, independent of file order and formatting. */
export function dependencyHash(inputs: Omit<KeyInputs, 'target'>): string {
  const sorted = (lines: readonly { normalized: string }[]): string[] => lines.map((l) => l.normalized).sort();
  const canonical = JSON.stringify({
    schema: KEY_SCHEMA,
    installer: inputs.installer,
    requirements: sorted(inputs.dependencies.requirements),
    constraints: sorted(inputs.dependencies.constraints),
    options: inputs.dependencies.options.map((l) => l.normalized),
    wheelImage: inputs.wheelImage,
    wheelPackages: [...inputs.wheelPackages].sort()
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/**
 * The hash of the index options alone (`--index-url`, `--extra-index-url`, `--find-links`…, credentials
 * redacted): a wheelhouse records it, so that one made from other indexes is not reused by a restore
 * key (which drops the dependency hash that covers them).
 */
export function indexHash(options: DependencySet['options']): string {
  return createHash('sha256')
    .update(JSON.stringify(options.map((l) => l.normalized)))
    .digest('hex')
    .slice(0, 16);
}

function targetSegments(target: Target): string {
  return [...target.platform.split('/'), target.pythonTag, target.libc].map((s) => s.replace(/[^A-Za-z0-9.]/g, '_')).join('-');
}

export function wheelhouseKeys(inputs: KeyInputs): Keys {
  const base = `wheelhouse-${KEY_SCHEMA}-${targetSegments(inputs.target)}-`;
  return {
    primary: `${base}${inputs.installer}-${dependencyHash(inputs)}${inputs.suffix ? `-${inputs.suffix}` : ''}`,
    restore: [`${base}${inputs.installer}-`, base]
  };
}

/**
 * Where a wheelhouse goes when the entry under its primary key was found spoiled (entries cannot be
 * replaced): `<primary>-repaired-<run>`, looked up by the prefix `<primary>-repaired-` (newest first).
 */
export function repairedKeys(keys: Keys, run: string): Keys {
  const prefix = `${keys.primary}-repaired-`;
  return { primary: `${prefix}${run.replace(/[^A-Za-z0-9.-]/g, '_')}`, restore: [prefix] };
}

export function pipCacheKeys(inputs: KeyInputs): Keys {
  const base = `pip-cache-${KEY_SCHEMA}-${targetSegments(inputs.target)}-`;
  return { primary: `${base}${dependencyHash(inputs)}${inputs.suffix ? `-${inputs.suffix}` : ''}`, restore: [base] };
}

/**
 * The probe's answer has its own schema: v2 added the image's installed distributions; v3 keys it by the
 * image reference too, so that it is looked up while the reference's digest is.
 */
export const PROBE_SCHEMA = 'v3';

/**
 * The target probe's answer is cached by the target image's digest (a different image, a new probe),
 * under a prefix of the platform and the image reference: the newest answer for the reference is
 * restored while the registry is asked for its digest, and used when the digests agree.
 */
export function probeKeys(platform: string, image: string, imageDigest: string): Keys {
  const segments = platform
    .split('/')
    .map((s) => s.replace(/[^A-Za-z0-9.]/g, '_'))
    .join('-');
  const reference = createHash('sha256').update(image).digest('hex').slice(0, 16);
  const prefix = `wheelhouse-probe-${PROBE_SCHEMA}-${segments}-${reference}-`;
  return { primary: `${prefix}${imageDigest.replace(/^sha256:/, '').slice(0, 32)}`, restore: [prefix] };
}

/**
 * The image the last successful push of this repository made (a tiny entry, one per push): looked up
 * by the prefix, newest first, in the run's own cache scope and then its base branch's, as the cache
 * service scopes every entry.
 */
export function lastPushKeys(platform: string, repository: string, run: string): Keys {
  const segments = platform
    .split('/')
    .map((s) => s.replace(/[^A-Za-z0-9.]/g, '_'))
    .join('-');
  const repo = createHash('sha256').update(repository).digest('hex').slice(0, 16);
  const prefix = `wheelhouse-lastpush-${KEY_SCHEMA}-${segments}-${repo}-`;
  return { primary: `${prefix}${run.replace(/[^A-Za-z0-9.-]/g, '_')}`, restore: [prefix] };
}

/**
 * Where the wheelhouse of `wheelhousePrimary` was pushed as an image in `repository` (a tiny entry, one
 * per push): looked up by the prefix, newest first, so a push made again after the registry lost the
 * image is found, in the run's own cache scope and then its base branch's.
 */
export function wheelhouseImageKeys(repository: string, wheelhousePrimary: string, run: string): Keys {
  const repo = createHash('sha256').update(repository).digest('hex').slice(0, 16);
  const prefix = `wheelhouse-image-${KEY_SCHEMA}-${repo}-${wheelhousePrimary}-run-`;
  return { primary: `${prefix}${run.replace(/[^A-Za-z0-9.-]/g, '_')}`, restore: [prefix] };
}
