// The digest of an image in its registry, without pulling it: what the target probe's answer is cached by.
import type { BuilderRef } from '../builder/record.js';
import { run } from '../exec/exec.js';

export function parseManifestDigest(json: string): string | undefined {
  try {
    const digest = (JSON.parse(json) as { digest?: unknown }).digest;
    return typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined;
  } catch {
    return undefined;
  }
}

/** Undefined when the registry cannot be asked (the probe then runs as usual). */
export async function imageDigest(builder: BuilderRef, image: string): Promise<string | undefined> {
  const result = await run(
    'docker',
    ['buildx', 'imagetools', 'inspect', '--builder', builder.name, '--format', '{{json .Manifest}}', image],
    {
      env: builder.env,
      silent: true,
      allowFailure: true
    }
  ).catch(() => undefined);
  return result && result.exitCode === 0 ? parseManifestDigest(result.stdout) : undefined;
}
