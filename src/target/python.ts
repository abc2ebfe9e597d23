// The target's Python for the cache key, read inside the target image, with the answer cached by the
// image's digest.
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BuilderRef } from '../builder/record.js';
import { cachedDir } from '../cache/backend.js';
import type { GuardedCache } from '../cache/guard.js';
import { type Keys, probeKeys } from '../keys/key.js';
import type { PendingSave } from '../state.js';
import { InputError } from '../inputs/errors.js';
import { unserved } from '../inputs/platform.js';
import { inspectImage } from './digest.js';
import { type PythonInfo, parsePythonInfo } from './probe.js';
import { probePython } from './run-probe.js';
import { type Exec, run } from '../exec/exec.js';

/**
 * The target's Python, read inside the target image; the answer is cached by the image's digest, so a
 * run whose base image did not change skips the probe (a pull into the fresh builder and a container).
 * The newest answer for the image reference is restored while the registry is asked for the digest, and
 * used when it is the answer for that digest; an answer for another digest (the tag moved) is followed
 * by a lookup of the digest's own. `ready` waits for the builder to have booted (the digest and the
 * cache do not need it).
 */
export async function targetPython(
  builder: BuilderRef,
  targetImage: string,
  platform: string,
  workDir: string,
  cache: GuardedCache | undefined,
  ready: () => Promise<void>,
  exec: Exec = run
): Promise<{ info: PythonInfo; save: PendingSave | undefined }> {
  const entry = cachedDir('probe');
  const file = path.join(entry.dir, 'target.json');
  let keys: Keys | undefined;
  // the registry says which platforms the image is published for (while the newest answer is restored)
  const inspecting = inspectImage(builder, targetImage, exec).then((found) => {
    if (found && found.platforms.length > 0 && unserved(found.platforms, [platform]).length > 0) {
      throw new InputError(
        'platforms',
        `the target image ${targetImage} has no ${platform} variant (it is published for ${found.platforms.join(', ')}): build for one of those, or base the image on one published for ${platform}`
      );
    }
    return found;
  });
  // awaited below, after the cache folder is cleared: marked handled so that an early refusal is not an
  // unhandled rejection meanwhile
  inspecting.catch(() => undefined);
  if (!cache) await inspecting;
  else {
    await fs.rm(entry.dir, { recursive: true, force: true });
    const prefix = probeKeys(platform, targetImage, '').restore[0]!;
    const [found, newest] = await Promise.all([inspecting, cache.restore(entry, prefix, [prefix])]);
    const digest = found?.digest;
    keys = digest ? probeKeys(platform, targetImage, digest) : undefined;
    let hit = keys !== undefined && newest.key === keys.primary;
    if (keys && !hit && newest.key) {
      await fs.rm(entry.dir, { recursive: true, force: true });
      hit = (await cache.restore(entry, keys.primary, [])).key === keys.primary;
    }
    if (hit) {
      try {
        const info = parsePythonInfo(await fs.readFile(file, 'utf8'));
        core.info(`target: Python from the cached probe of ${digest}`);
        return { info, save: undefined };
      } catch {
        core.warning(`cache: the cached probe ${keys!.primary} is unreadable; probing again`);
      }
    }
  }
  // the probe runs on BuildKit: the cached answer above did not need it booted
  await ready();
  const info = await probePython(builder, targetImage, platform, workDir, exec);
  if (!keys) return { info, save: undefined };
  await fs.rm(entry.dir, { recursive: true, force: true });
  await fs.mkdir(entry.dir, { recursive: true });
  await fs.writeFile(file, JSON.stringify(info));
  return { info, save: { entry, key: keys.primary, changed: true } };
}
