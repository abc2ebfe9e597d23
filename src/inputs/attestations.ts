// build-push-action's attestations: the `provenance` input (true, false or attributes), `sbom`, the
// `attests` list, and its default provenance when none is asked for: `mode=max` on a public repository,
// buildx's own `mode=min,inline-only=true` on a private one, with the run's URL as the builder id.
import { parse } from 'csv-parse/sync';

export interface Attestations {
  /** The `--attest` values asked for, in build-push-action's order, the default provenance apart. */
  readonly given: readonly string[];
  /**
   * The provenance added when none is asked for and the builder's BuildKit takes attestations (0.11 and
   * later); undefined when none is added (BUILDX_NO_DEFAULT_ATTESTATIONS, an export to Docker).
   */
  readonly defaultProvenance: string | undefined;
}

/** What the run's variables and event say that the attestations depend on. */
export interface RunFacts {
  /** The run's URL (with its attempt), the provenance's builder id; undefined outside Actions. */
  readonly runUrl: string | undefined;
  /** The event's repository is private (`repository.private`); a run without a payload counts as public, as for build-push-action. */
  readonly privateRepository: boolean;
  /** BUILDX_NO_DEFAULT_ATTESTATIONS, read as buildx reads it. */
  readonly noDefaultAttestations: boolean;
}

export interface AttestationInputs {
  readonly provenance: string | undefined;
  readonly sbom: string | undefined;
  readonly attests: readonly string[];
  /** The image goes to Docker (`load`, or an output of type docker): no default provenance then. */
  readonly dockerExport: boolean;
}

/** Go's strconv.ParseBool, which buildx applies to a bare attestation value; undefined: not a boolean. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return undefined;
}

const records = (value: string): string[][] =>
  parse(value, { delimiter: ',', trim: true, columns: false, relaxColumnCount: true, skipEmptyLines: true }) as string[][];

/** `key=value` fields, split at the first `=`. */
const fields = (value: string): [string, string | undefined][] =>
  records(value)
    .flat()
    .map((field) => {
      const at = field.indexOf('=');
      return at < 0 ? [field.trim(), undefined] : [field.slice(0, at).trim(), field.slice(at + 1).trim()];
    });

/** Whether an `--attest` value is of this type (`type=provenance,…`). */
export function hasAttestationType(type: string, attest: string): boolean {
  return fields(attest).some(([key, value]) => key === 'type' && value === type);
}

/** Whether an `--output` list exports to this type; a bare path is a local export, as buildx reads it. */
export function hasExporterType(type: string, outputs: readonly string[]): boolean {
  for (const record of records(outputs.join('\n'))) {
    if (record.length === 1 && !record[0]!.startsWith('type=')) return type === 'local';
    if (fields(record.join(',')).some(([key, value]) => key === 'type' && value === type)) return true;
  }
  return false;
}

/** A bare boolean attribute written as buildx reads it (`false` → `disabled=true`). */
function resolveAttrs(attest: string): string {
  return records(attest)
    .flat()
    .map((field) => {
      const bool = parseGoBool(field);
      return bool === undefined ? field : `disabled=${!bool}`;
    })
    .join(',');
}

/** Attributes with the run's URL as the builder id, unless they name one. */
function withBuilderId(attrs: string, facts: RunFacts): string {
  if (!facts.runUrl) return attrs;
  if (attrs && fields(attrs).some(([key]) => key === 'builder-id')) return attrs;
  return attrs ? `${attrs},builder-id=${facts.runUrl}` : `builder-id=${facts.runUrl}`;
}

/** The provenance input as build-push-action reads it: true → the builder id, false → disabled, else attributes. */
function provenanceAttrs(input: string, facts: RunFacts): string {
  if (['true', 'True', 'TRUE'].includes(input)) return withBuilderId('', facts);
  if (['false', 'False', 'FALSE'].includes(input)) return 'false';
  return withBuilderId(input, facts);
}

export function readAttestations(inputs: AttestationInputs, facts: RunFacts): Attestations {
  const given: string[] = [];
  const provenanceInAttests = inputs.attests.some((a) => hasAttestationType('provenance', a));
  let defaultProvenance: string | undefined;
  if (inputs.provenance) {
    given.push(resolveAttrs(`type=provenance,${provenanceAttrs(inputs.provenance, facts)}`));
  } else if (!provenanceInAttests && !facts.noDefaultAttestations && !inputs.dockerExport) {
    const mode = facts.privateRepository ? 'mode=min,inline-only=true' : 'mode=max';
    defaultProvenance = `type=provenance,${withBuilderId(mode, facts)}`;
  }
  if (inputs.sbom) given.push(resolveAttrs(`type=sbom,${inputs.sbom}`));
  // the provenance and sbom inputs take precedence over the same types in attests
  for (const attest of inputs.attests) {
    const provenance = hasAttestationType('provenance', attest);
    const sbom = hasAttestationType('sbom', attest);
    if (!provenance && !sbom) given.push(resolveAttrs(attest));
    else if (provenance && !inputs.provenance) given.push(withBuilderId(attest, facts));
    else if (sbom && !inputs.sbom) given.push(attest);
  }
  return { given, defaultProvenance };
}

/** The run's facts from its variables and its event's payload (read by the caller). */
export function runFacts(env: NodeJS.ProcessEnv, payload: { repository?: { private?: unknown } } | undefined): RunFacts {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const { GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  const attempt = env.GITHUB_RUN_ATTEMPT || '1';
  const noDefault = env.BUILDX_NO_DEFAULT_ATTESTATIONS;
  return {
    runUrl: repository && runId ? `${server}/${repository}/actions/runs/${runId}/attempts/${attempt}` : undefined,
    privateRepository: payload?.repository?.private === true,
    noDefaultAttestations: noDefault ? parseGoBool(noDefault) === true : false
  };
}

/** Whether every node's BuildKit (as `buildx inspect` reports it, `v0.34.2`) takes attestations: 0.11 or later. */
export function buildkitTakesAttestations(versions: readonly string[]): boolean {
  if (versions.length === 0) return false;
  return versions.every((version) => {
    const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
    return m !== null && (Number(m[1]) > 0 || Number(m[2]) >= 11);
  });
}
