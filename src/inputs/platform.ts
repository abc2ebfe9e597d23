// Platforms as buildx and registries write them (`linux/arm64`, `linux/arm/v7`, `linux/amd64/v3`): when
// one offered (by a builder, by an image) serves one asked for (pure).

interface Parts {
  readonly os: string;
  readonly arch: string;
  readonly variant: string | undefined;
}

function parts(platform: string): Parts {
  const [os = '', arch = '', variant] = platform.trim().toLowerCase().split('/');
  // arm64's only variant is v8: `linux/arm64/v8` is `linux/arm64`
  return { os, arch, variant: arch === 'arm64' && variant === 'v8' ? undefined : variant };
}

/** `offered` can run what `wanted` asks: the same OS and architecture, and the variant when `wanted` names one. */
export function servesPlatform(offered: string, wanted: string): boolean {
  const o = parts(offered);
  const w = parts(wanted);
  return o.os === w.os && o.arch === w.arch && (w.variant === undefined || o.variant === w.variant);
}

/** The platforms of `wanted` that none of `offered` serves. */
export function unserved(offered: readonly string[], wanted: readonly string[]): string[] {
  return wanted.filter((w) => !offered.some((o) => servesPlatform(o, w)));
}
