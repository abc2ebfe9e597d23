// What `docker buildx inspect` says of a builder that the action needs: its first platform.
import { SetupError } from './errors.js';

export function firstPlatform(inspectOutput: string): string | undefined {
  return parseInspect(inspectOutput)?.nodes[0]?.platforms.split(',')[0] || undefined;
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

/**
 * The platforms the builder's nodes can run, as buildx lists them: BuildKit's own (native and emulated),
 * and with a `*` those declared at `buildx create --platform`, which the action declares only for the
 * kubernetes driver, where they place the node's pods on nodes of those architectures.
 */
export function runnablePlatforms(inspectOutput: string): string[] {
  const out: string[] = [];
  for (const line of inspectOutput.split(/\r?\n/)) {
    const m = /^Platforms:\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    for (const p of m[1]!.split(',').map((x) => x.trim().replace(/\*$/, ''))) if (p) out.push(p);
  }
  return out;
}

/** A node of the builder as setup-buildx-action's `nodes` output gives it. */
export interface BuilderNode {
  readonly name: string;
  readonly endpoint: string;
  readonly status: string;
  readonly 'buildkitd-flags': string;
  readonly buildkit: string;
  readonly platforms: string;
}

export interface InspectedBuilder {
  readonly name: string;
  readonly driver: string;
  readonly nodes: readonly BuilderNode[];
}

/** `docker buildx inspect`'s builder and nodes (the fields setup-buildx-action outputs); undefined when it names no builder. */
export function parseInspect(output: string): InspectedBuilder | undefined {
  const field = (line: string): [string, string] | undefined => {
    const m = /^([A-Za-z][A-Za-z ]*?):\s*(.*)$/.exec(line);
    return m ? [m[1]!, m[2]!.trim()] : undefined;
  };
  const head: Record<string, string> = {};
  const nodes: Record<string, string>[] = [];
  let inNodes = false;
  for (const line of output.split(/\r?\n/)) {
    if (/^\s/.test(line)) continue; // labels and GC rules, indented
    const f = field(line);
    if (!f) continue;
    const [key, value] = f;
    if (key === 'Nodes') inNodes = true;
    else if (!inNodes) head[key] = value;
    else if (key === 'Name') nodes.push({ Name: value });
    else if (nodes.length > 0) nodes[nodes.length - 1]![key] = value;
  }
  if (!head.Name) return undefined;
  return {
    name: head.Name,
    driver: head.Driver ?? '',
    nodes: nodes.map((n) => ({
      name: n.Name ?? '',
      endpoint: n.Endpoint ?? '',
      status: n.Status ?? '',
      'buildkitd-flags': n['BuildKit daemon flags'] ?? '',
      buildkit: n['BuildKit version'] ?? '',
      platforms: (n.Platforms ?? '')
        .split(',')
        .map((p) => p.trim().replace(/\*$/, ''))
        .filter(Boolean)
        .join(',')
    }))
  };
}

/** Each node's BuildKit version as `buildx inspect` reports it (`v0.34.2`); empty when it cannot be read. */
export function buildkitVersions(inspectOutput: string): string[] {
  return (parseInspect(inspectOutput)?.nodes ?? []).map((n) => n.buildkit).filter(Boolean);
}
