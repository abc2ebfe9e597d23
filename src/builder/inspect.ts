// What `docker buildx inspect` says of a builder that the action needs: its first platform.
import { SetupError } from './errors.js';

export function firstPlatform(inspectOutput: string): string | undefined {
  const line = inspectOutput.split('\n').find((l) => /^\s*Platforms:/.test(l));
  const first = line
    ?.replace(/^\s*Platforms:\s*/, '')
    .split(',')[0]
    ?.trim()
    .replace(/\*$/, '');
  return first || undefined;
}

/** The platform a booted builder builds for (its first); a SetupError when inspect names none. */
export function bootedPlatform(builder: string, inspectOutput: string): string {
  const platform = firstPlatform(inspectOutput);
  if (!platform) throw new SetupError(`cannot tell the platform of builder ${builder}: set 'platforms'`);
  return platform;
}

const NATIVE: Readonly<Record<string, string>> = { x64: 'linux/amd64', arm64: 'linux/arm64' };

/**
 * The platform a builder on a machine of Node's `arch` most likely reports first (BuildKit's native one),
 * to compute the keys with while it boots; undefined: wait for the builder to say.
 */
export function likelyPlatform(arch: string): string | undefined {
  return NATIVE[arch];
}
