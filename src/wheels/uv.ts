// uv, the resolver of ranged requirement sets, on the runner: a pinned release taken from its PyPI wheel
// (which carries a static binary), checked against the SHA-256 written here, kept in the runner's tool
// cache. Nothing else is trusted: a mirror or a proxy that serves other bytes is refused.
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DownloadError, downloadVerified } from './download.js';

export const UV_VERSION = '0.13.9';

interface UvWheel {
  readonly url: string;
  readonly sha256: string;
}

const FILES = 'https://files.pythonhosted.org/packages';

/** The uv wheel for the runner's architecture (Node's `process.arch`); undefined where there is none. */
export function uvWheel(arch: string): UvWheel | undefined {
  const wheels: Record<string, UvWheel> = {
    x64: {
      url: `${FILES}/3d/aa/26d64642d808de4a652579ef950d7cd2d37f080a8babf9c67c6b75fc4c3f/uv-${UV_VERSION}-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl`,
      sha256: 'd7f459fe4fd247d830351c75686d3996ace3c6f3f728eb0e85a30b7ada0cef19'
    },
    arm64: {
      url: `${FILES}/57/15/94b6cd62ac3ff6550288328e8035288875197cbc183f51554b266a69877b/uv-${UV_VERSION}-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl`,
      sha256: '5435c5ce14a56431208ca0996416d310f1598e8c2c8ba707688985a16bb82dbe'
    }
  };
  return Object.hasOwn(wheels, arch) ? wheels[arch] : undefined;
}

/** Where the binary sits inside the wheel. */
export const UV_IN_WHEEL = `uv-${UV_VERSION}.data/scripts/uv`;

export class UvUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UvUnavailable';
  }
}

/**
 * The path of the pinned uv: from the tool cache when a run on this runner already fetched it, else
 * downloaded (within `timeoutSeconds`), verified and cached. Throws UvUnavailable with the reason.
 */
export async function obtainUv(workDir: string, timeoutSeconds: number, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (process.platform !== 'linux') throw new UvUnavailable(`no uv for ${process.platform} runners here`);
  const wheel = uvWheel(process.arch);
  if (!wheel) throw new UvUnavailable(`no uv wheel for ${process.arch} runners`);
  // @actions/tool-cache is loaded only when uv is needed (a wheel build), not on an exact hit
  const tc = await import('@actions/tool-cache');
  const cached = env.RUNNER_TOOL_CACHE ? tc.find('uv', UV_VERSION, process.arch) : '';
  if (cached) return path.join(cached, 'uv');

  const dir = path.join(workDir, 'uv');
  await fs.mkdir(dir, { recursive: true });
  const file = await downloadVerified(wheel.url, path.join(dir, 'uv.whl'), wheel.sha256, timeoutSeconds).catch((error: unknown) => {
    throw error instanceof DownloadError ? new UvUnavailable(`uv ${UV_VERSION}: ${error.message}`) : error;
  });
  const extracted = await tc.extractZip(file, path.join(dir, 'wheel'));
  const binary = path.join(extracted, UV_IN_WHEEL);
  await fs.chmod(binary, 0o755);
  if (!env.RUNNER_TOOL_CACHE) return binary;
  const kept = await tc.cacheFile(binary, 'uv', 'uv', UV_VERSION, process.arch).catch((error: unknown) => {
    core.debug(`uv: not kept in the tool cache: ${error instanceof Error ? error.message : String(error)}`);
    return '';
  });
  return kept ? path.join(kept, 'uv') : binary;
}
