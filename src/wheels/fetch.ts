// Binary wheels downloaded on the runner from the URLs uv's resolution gave, each checked against the
// index's SHA-256. A wheel that cannot be had is left to the wheel build in the image.
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DownloadError, downloadVerified } from './download.js';
import type { LockedPackage } from './lock.js';

const PARALLEL = 4;

export async function fetchWheels(
  packages: readonly LockedPackage[],
  dir: string,
  timeoutSeconds: number
): Promise<{ files: string[]; failed: LockedPackage[] }> {
  const files: string[] = [];
  const failed: LockedPackage[] = [];
  if (packages.length === 0) return { files, failed };
  await fs.mkdir(dir, { recursive: true });
  const queue = [...packages];
  const worker = async (): Promise<void> => {
    for (let pkg = queue.shift(); pkg; pkg = queue.shift()) {
      const wheel = pkg.wheel;
      if (!wheel) {
        failed.push(pkg);
        continue;
      }
      try {
        files.push(await downloadVerified(wheel.url, path.join(dir, wheel.file), wheel.sha256, timeoutSeconds));
      } catch (error) {
        if (!(error instanceof DownloadError)) throw error;
        core.warning(`wheels: ${error.message}; the wheel build in the image fetches it`);
        failed.push(pkg);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, packages.length) }, worker));
  return { files: files.sort(), failed };
}
