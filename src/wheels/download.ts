// Downloads on the runner (uv, binary wheels), each checked against the SHA-256 it must have: the one
// written in the action for uv, the one the index gave uv's resolution for a wheel.
import { promises as fs } from 'node:fs';
import { withDeadline } from '../cache/guard.js';
import { sha256Of } from '../exec/sha256.js';

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** Downloads `url` to `dest` within `timeoutSeconds` (proxies as the runner's), refusing other bytes than `sha256`. */
export async function downloadVerified(url: string, dest: string, sha256: string, timeoutSeconds: number): Promise<string> {
  const what = `downloading ${new URL(url).pathname.split('/').pop() ?? url}`;
  const tc = await import('@actions/tool-cache');
  const file = await withDeadline(tc.downloadTool(url, dest), timeoutSeconds, what).catch((error: unknown) => {
    throw new DownloadError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  const actual = await sha256Of(file);
  if (actual !== sha256) {
    await fs.rm(file, { force: true });
    throw new DownloadError(`${what} from ${new URL(url).host}: SHA-256 ${actual}, not ${sha256}`);
  }
  return file;
}
