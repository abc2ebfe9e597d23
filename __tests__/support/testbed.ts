// What the tests know of the test bed: testbed/testbed.env (the one source of versions and names)
// and where testbed/up.sh installed things.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

const env = readEnvFile(path.join(repoRoot, 'testbed/testbed.env'));
/** A value of testbed/testbed.env; throws when it is missing. */
export const need = (name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`testbed/testbed.env has no ${name}`);
  return value;
};

export const testbed = {
  home: process.env.WHEELHOUSE_TESTBED_HOME ?? '/var/lib/wheelhouse-testbed',
  registry: need('REGISTRY'),
  pythonSlimImage: need('PYTHON_SLIM_IMAGE'),
  pythonBuildImage: need('PYTHON_BUILD_IMAGE'),
  buildkitImage: need('BUILDKIT_IMAGE'),
  /** The Python images as multi-platform indexes, linux/amd64 and linux/arm64 (testbed/lib/emulation.sh). */
  pythonSlimMulti: `${need('PYTHON_SLIM_IMAGE')}-multi`,
  pythonBuildMulti: `${need('PYTHON_BUILD_IMAGE')}-multi`,
  /** BuildKit as an index, linux/amd64 and linux/arm64 (its arm64 binaries cross-compiled). */
  buildkitMulti: `${need('BUILDKIT_IMAGE')}-multi`,
  buildkitdConfig: path.join(repoRoot, 'testbed/buildkitd.toml'),
  buildxVersion: need('BUILDX_VERSION'),
  buildkitVersion: need('BUILDKIT_VERSION'),
  get act(): string {
    return path.join(this.home, 'bin/act');
  }
};

/** Throws a clear error when the test bed's daemons do not answer (`npm test` brings them up). */
export function requireTestbed(): void {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    execFileSync('curl', ['-fs', `http://${testbed.registry}/v2/`], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    throw new Error('the test bed is not up: run `npm run testbed:up` (as root) first');
  }
}
