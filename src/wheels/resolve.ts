// Ranged requirement sets are resolved to exact pins on the runner, for the target's platform, Python
// and C library, by `uv pip compile`: no image is pulled and no wheel downloaded to learn the set. The
// pins then take the offline-first path (only the wheels the wheelhouse lacks are fetched).
import type { Target } from '../keys/key.js';
import type { DependencySet, Line } from '../keys/model.js';
import { normalizeRequirement } from '../keys/requirements.js';
import type { LockedPackage } from './lock.js';
import { exactPin, hasHashes } from './offline.js';

/** The manylinux levels uv knows (`--python-platform <arch>-manylinux_2_<minor>`). */
const MANYLINUX_MINORS = [17, 28, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40];
const ARCHES: Record<string, string> = { 'linux/amd64': 'x86_64', 'linux/arm64': 'aarch64', 'linux/arm64/v8': 'aarch64' };

/**
 * uv's `--python-platform` for the target: the highest manylinux level at or below the target's glibc
 * (a wheel for a newer glibc would not load there), or musl. Undefined for targets uv cannot name.
 */
export function uvPythonPlatform(target: Pick<Target, 'platform' | 'libc'>): string | undefined {
  const arch = ARCHES[target.platform];
  if (!arch) return undefined;
  if (target.libc.startsWith('musl')) return `${arch}-unknown-linux-musl`;
  const glibc = /^glibc2\.(\d+)$/.exec(target.libc);
  if (!glibc) return undefined;
  const minor = Number(glibc[1]);
  const level = MANYLINUX_MINORS.filter((m) => m <= minor).pop();
  return level === undefined ? undefined : `${arch}-manylinux_2_${level}`;
}

/** `cp311` → `3.11`; undefined for interpreters other than CPython (uv resolves for CPython here). */
export function uvPythonVersion(pythonTag: string): string | undefined {
  const m = /^cp3(\d+)$/.exec(pythonTag);
  return m ? `3.${m[1]}` : undefined;
}

/**
 * Why a set is not handed to uv (undefined: it is): credentials stay out of any process but pip's secret
 * mount; a direct reference (a git or archive URL) is fetched from where it points, never pinned by name.
 */
export function notForUv(deps: DependencySet, hasCredentials: (text: string) => boolean): string | undefined {
  if (deps.requirements.length === 0) return 'no requirements';
  if (deps.requirements.some((l) => / @ /.test(l.normalized.split(';')[0]!)))
    return 'the set has direct references (git or archive URLs), which pip takes from where they point';
  if ([...deps.requirements, ...deps.constraints, ...deps.options].some((l) => hasCredentials(l.text))) return 'the set has credentials';
  return undefined;
}

export interface CompileFiles {
  readonly requirements: string;
  readonly constraints: string | undefined;
  readonly output: string;
}

export function uvCompileArgs(files: CompileFiles, platform: string, pythonVersion: string): string[] {
  // a pylock.toml: the pins, and for each the one wheel the index has for the target (URL and SHA-256)
  const args = [
    'pip',
    'compile',
    '--no-config',
    '--system-certs',
    '--quiet',
    '--format',
    'pylock.toml',
    '--python-platform',
    platform,
    '--python-version',
    pythonVersion
  ];
  if (files.constraints) args.push('--constraint', files.constraints);
  args.push('--output-file', files.output, files.requirements);
  return args;
}

/** The resolution's pins, one `name==version` requirement line per locked package. */
export function pinsOf(locked: readonly LockedPackage[]): Line[] {
  return locked.map((p) => normalizeRequirement(`${p.name}==${p.version}`, 'uv pip compile'));
}

const pinId = (pin: { project: string; version: string }): string => `${pin.project}==${pin.version}`;

/** The set's lines with hashes, by the pin they make. */
function hashedPins(deps: DependencySet): Map<string, Line> {
  const out = new Map<string, Line>();
  for (const line of deps.requirements.filter(hasHashes)) {
    const pin = exactPin(line);
    if (pin) out.set(pinId(pin), line);
  }
  return out;
}

/**
 * The set as the wheel build takes it: the pins, the original index options, no constraints (uv applied
 * them). A pin the set gave with hashes keeps its own line, hashes and all: the wheel build checks them.
 */
export function pinnedSet(deps: DependencySet, pins: Line[]): DependencySet {
  const unpinned = pins.filter((l) => !exactPin(l));
  if (unpinned.length > 0) throw new Error(`uv's output has lines that are not pins: ${unpinned.map((l) => l.text).join(', ')}`);
  const hashed = hashedPins(deps);
  return { ...deps, requirements: pins.map((l) => hashed.get(pinId(exactPin(l)!)) ?? l), constraints: [] };
}

/**
 * uv's resolution with each wheel the set gives hashes for kept only when its SHA-256 is one of them: a
 * wheel the hashes do not name is left to the wheel build, where pip checks what it fetches.
 */
export function withinHashes(deps: DependencySet, locked: readonly LockedPackage[]): LockedPackage[] {
  const hashed = hashedPins(deps);
  return locked.map((pkg) => {
    const line = hashed.get(pinId({ project: pkg.name, version: pkg.version.toLowerCase() }));
    if (!line || !pkg.wheel) return pkg;
    const allowed = new Set([...line.normalized.matchAll(/ --hash=sha256:([0-9a-fA-F]{64})/g)].map((m) => m[1]!.toLowerCase()));
    return allowed.has(pkg.wheel.sha256) ? pkg : { ...pkg, wheel: undefined };
  });
}

/** uv's answer that no version satisfies the set: its explanation, without the log prefix. */
export function unsatisfiable(stderr: string): string | undefined {
  if (!/No solution found when resolving dependencies/.test(stderr)) return undefined;
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^\s*(?:error:|cause:|╰─▶|×)\s*/, '').trim())
    .filter((l) => l && !/^No solution found/.test(l) && !/^hint:/.test(l));
  return lines.join(' ');
}

/**
 * For a set whose every requirement is an exact pin: the packages uv's resolution adds that the set does
 * not pin (transitive dependencies left open). Those keep the wheelhouse's versions only when pip
 * resolves the set offline from it, so such a set is not taken from uv. Empty for any other set.
 */
export function beyondPins(deps: DependencySet, locked: readonly LockedPackage[]): string[] {
  const pins = deps.requirements.map((l) => exactPin(l));
  if (pins.some((p) => !p)) return [];
  const pinned = new Set(pins.map((p) => p!.project));
  return locked.filter((p) => !pinned.has(p.name)).map((p) => p.name);
}
