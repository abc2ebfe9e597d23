// buildx as setup-buildx-action installs it, when `buildx-version` asks for a release: the release binary
// from the download URL (GitHub's releases, or a mirror in the same layout), checked against the release's
// checksums file, kept in the runner's tool cache, and used as the docker CLI plugin for this job only:
// every docker command of the action runs with a DOCKER_CONFIG folder of its own whose `cli-plugins`
// holds it, and whose `config.json` and `buildx` are the runner's own (logins and builders as usual).
import * as core from '@actions/core';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withDeadline } from '../cache/guard.js';
import { sha256Of } from '../exec/sha256.js';
import { SetupError } from './errors.js';

export const DEFAULT_BUILDX_DOWNLOAD_URL = 'https://github.com/docker/buildx/releases';
const TOOL = 'docker-buildx';

/** buildx's release name of the runner's architecture (`buildx-v0.38.2.linux-<arch>`). */
export function buildxArch(nodeArch: string): string | undefined {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm-v7', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<string, string>)[
    nodeArch
  ];
}

/** Where a release's binary and checksums sit under the download URL (GitHub's layout). */
export function releaseFiles(baseUrl: string, version: string, arch: string): { asset: string; binary: string; checksums: string } {
  const base = baseUrl.replace(/\/+$/, '');
  const asset = `buildx-v${version}.linux-${arch}`;
  return { asset, binary: `${base}/download/v${version}/${asset}`, checksums: `${base}/download/v${version}/checksums.txt` };
}

/** The SHA-256 a checksums file (`<hex>  <name>` or `<hex> *<name>` lines) gives `asset`. */
export function checksumOf(checksums: string, asset: string): string | undefined {
  for (const line of checksums.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)$/.exec(line.trim());
    if (m && m[2] === asset) return m[1]!.toLowerCase();
  }
  return undefined;
}

/** The version of the latest release, read from its checksums file's names (`buildx-v0.38.2.linux-amd64`). */
export function versionInChecksums(checksums: string): string | undefined {
  return /\sbuildx-v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)\.[a-z]/.exec(` ${checksums}`)?.[1];
}

export interface BuildxRequest {
  /** `latest` or a version (`0.38.2`, a leading v allowed). */
  readonly version: string;
  readonly downloadUrl: string;
  readonly timeoutSeconds: number;
  /** The run's scratch folder: the job's DOCKER_CONFIG is made there. */
  readonly workDir: string;
}

export interface InstalledBuildx {
  readonly version: string;
  /** The environment every docker command of the action runs with. */
  readonly env: Readonly<Record<string, string>>;
}

async function fetchText(url: string, timeoutSeconds: number, dir: string): Promise<string> {
  const tc = await import('@actions/tool-cache');
  const file = await withDeadline(tc.downloadTool(url, path.join(dir, `download-${Date.now()}`)), timeoutSeconds, `downloading ${url}`);
  const text = await fs.readFile(file, 'utf8');
  await fs.rm(file, { force: true });
  return text;
}

/** The release asked for, from the tool cache or downloaded and checked; a problem is one SetupError. */
export async function installBuildx(request: BuildxRequest): Promise<InstalledBuildx> {
  const arch = buildxArch(process.arch);
  if (!arch || process.platform !== 'linux')
    throw new SetupError(`buildx-version: no buildx release for ${process.platform}/${process.arch}`);
  const tc = await import('@actions/tool-cache');
  const downloads = path.join(request.workDir, 'buildx-download');
  await fs.mkdir(downloads, { recursive: true });
  const fail = (what: string, error: unknown): SetupError =>
    new SetupError(`buildx-version: ${what} from ${request.downloadUrl} failed: ${error instanceof Error ? error.message : String(error)}`);

  let version = request.version.replace(/^v/, '');
  if (version === 'latest') {
    const latest = `${request.downloadUrl.replace(/\/+$/, '')}/latest/download/checksums.txt`;
    const text = await fetchText(latest, request.timeoutSeconds, downloads).catch((error: unknown) => {
      throw fail('finding the latest release', error);
    });
    const found = versionInChecksums(text);
    if (!found) throw new SetupError(`buildx-version: ${latest} names no buildx release`);
    version = found;
  }
  let dir = tc.find(TOOL, version, arch);
  if (dir) core.info(`buildx: v${version} from the tool cache`);
  else {
    const files = releaseFiles(request.downloadUrl, version, arch);
    const checksums = await fetchText(files.checksums, request.timeoutSeconds, downloads).catch((error: unknown) => {
      throw fail(`downloading the checksums of v${version}`, error);
    });
    const expected = checksumOf(checksums, files.asset);
    if (!expected) throw new SetupError(`buildx-version: the checksums of v${version} do not list ${files.asset}`);
    const binary = await withDeadline(
      tc.downloadTool(files.binary, path.join(downloads, files.asset)),
      request.timeoutSeconds,
      `downloading ${files.asset}`
    ).catch((error: unknown) => {
      throw fail(`downloading ${files.asset}`, error);
    });
    const actual = await sha256Of(binary);
    if (actual !== expected) {
      await fs.rm(binary, { force: true });
      throw new SetupError(
        `buildx-version: ${files.asset} from ${request.downloadUrl} does not match the release's checksums (SHA-256 ${actual}, not ${expected}): refused`
      );
    }
    dir = await tc.cacheFile(binary, TOOL, TOOL, version, arch);
    core.info(`buildx: v${version} downloaded from ${files.binary} and checked (SHA-256 ${actual})`);
  }
  await fs.chmod(path.join(dir, TOOL), 0o755);
  return { version, env: { DOCKER_CONFIG: await jobDockerConfig(path.join(dir, TOOL), request.workDir) } };
}

/** A DOCKER_CONFIG for this job: the runner's config.json and buildx state, and the plugin asked for. */
async function jobDockerConfig(plugin: string, workDir: string): Promise<string> {
  const own = process.env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  const dir = path.join(workDir, 'docker-config');
  await fs.mkdir(path.join(dir, 'cli-plugins'), { recursive: true });
  await fs.mkdir(path.join(own, 'buildx'), { recursive: true });
  await fs.symlink(plugin, path.join(dir, 'cli-plugins', TOOL));
  await fs.symlink(path.join(own, 'buildx'), path.join(dir, 'buildx'));
  if (existsSync(path.join(own, 'config.json'))) await fs.symlink(path.join(own, 'config.json'), path.join(dir, 'config.json'));
  return dir;
}
