// The digest of an image in its registry, and the platforms it is published for, without pulling it:
// what the target probe's answer is cached by, and what the platform asked for is checked against.
import type { BuilderRef } from '../builder/record.js';
import { type Exec, run } from '../exec/exec.js';

export interface ImageInRegistry {
  readonly digest: string;
  /** `os/arch[/variant]` of each image of an index (attestations left out), or of the one image. */
  readonly platforms: readonly string[];
}

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

function platformOf(p: Json): string | undefined {
  const os = typeof p.os === 'string' ? p.os : '';
  const arch = typeof p.architecture === 'string' ? p.architecture : '';
  if (!os || !arch || os === 'unknown') return undefined;
  return [os, arch, typeof p.variant === 'string' && p.variant ? p.variant : undefined].filter(Boolean).join('/');
}

/** `docker buildx imagetools inspect --format '{{json .}}'`: the manifest's digest and the image's platforms. */
export function parseImageInspect(json: string): ImageInRegistry | undefined {
  let doc: Json;
  try {
    doc = record(JSON.parse(json));
  } catch {
    return undefined;
  }
  const manifest = record(doc.manifest);
  const digest = manifest.digest;
  if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) return undefined;
  const entries = Array.isArray(manifest.manifests) ? manifest.manifests.map((m) => record(record(m).platform)) : [record(doc.image)];
  const platforms = entries.map(platformOf).filter((p): p is string => p !== undefined);
  return { digest, platforms: [...new Set(platforms)] };
}

/** Undefined when the registry cannot be asked (the probe then runs as usual). */
export async function inspectImage(builder: BuilderRef, image: string, exec: Exec = run): Promise<ImageInRegistry | undefined> {
  const result = await exec('docker', ['buildx', 'imagetools', 'inspect', '--builder', builder.name, '--format', '{{json .}}', image], {
    env: builder.env,
    silent: true,
    allowFailure: true
  }).catch(() => undefined);
  return result && result.exitCode === 0 ? parseImageInspect(result.stdout) : undefined;
}
