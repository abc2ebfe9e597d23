// The target's Python for the cache key, read inside the target image, with the answer cached by the
// image's digest.
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BuilderRef } from '../builder/builder.js';
import { cachedDir } from '../cache/backend.js';
import type { GuardedCache } from '../cache/guard.js';
import { probeKey } from '../keys/key.js';
import type { PendingSave } from '../state.js';
import { imageDigest } from './digest.js';
import { type PythonInfo, parsePythonInfo } from './probe.js';
import { probePython } from './run-probe.js';

/**
 * The target's Python, read inside the target image; the answer is cached by the image's digest, so a
 * run whose base image did not change skips the probe (a pull into the fresh builder and a container).
 * `ready` waits for the builder to have booted (the digest and the cache do not need it).
 */
export async function targetPython(
  builder: BuilderRef,
  targetImage: string,
  platform: string,
  workDir: string,
  cache: GuardedCache | undefined,
  ready: () => Promise<void>
): Promise<{ info: PythonInfo; save: PendingSave | undefined }> {
  const digest = cache ? await imageDigest(builder, targetImage) : undefined;
  const entry = cachedDir('probe');
  const key = digest ? probeKey(platform, digest) : undefined;
  const file = path.join(entry.dir, 'target.json');
  if (cache && key) {
    await fs.rm(entry.dir, { recursive: true, force: true });
    if ((await cache.restore(entry, key, [])).key) {
      try {
        const info = parsePythonInfo(await fs.readFile(file, 'utf8'));
        core.info(`target: Python from the cached probe of ${digest}`);
        return { info, save: undefined };
      } catch {
        core.warning(`cache: the cached probe ${key} is unreadable; probing again`);
      }
    }
  }
  // the probe runs on BuildKit: the cached answer above did not need it booted
  await ready();
  const info = await probePython(builder, targetImage, platform, workDir);
  if (!key) return { info, save: undefined };
  await fs.mkdir(entry.dir, { recursive: true });
  await fs.writeFile(file, JSON.stringify(info));
  return { info, save: { entry, key, changed: true } };
}

