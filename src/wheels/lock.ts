// What uv's resolution for the target says (a pylock.toml, PEP 751): each package's pin and, when the
// index has one for the target's platform and Python, the one wheel uv chose, with its URL and SHA-256.
// From that the runner tells which wheels the wheelhouse has, which it can download itself, and which
// must be compiled in the wheel image.
import { parse } from 'smol-toml';
import { normalizeName } from '../keys/model.js';
import { wheelName, wheelPin } from './generation.js';

export interface LockedWheel {
  readonly file: string;
  readonly url: string;
  readonly sha256: string;
}

export interface LockedPackage {
  /** PEP 503 normalized. */
  readonly name: string;
  readonly version: string;
  /** The wheel for the target; undefined when the index has only an sdist for it. */
  readonly wheel: LockedWheel | undefined;
}

const WHEEL_FILE = /^[A-Za-z0-9_.+!-]+\.whl$/;
const SHA256 = /^[0-9a-f]{64}$/;

function fileOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
}

/**
 * Among the wheels uv found compatible with the target, the most specific: built for the target's own
 * ABI (`cp311`), then the stable ABI (`abi3`), then pure Python; uv's order breaks ties.
 */
export function preferredWheel<T extends { readonly file: string }>(wheels: readonly T[], pythonTag: string): T | undefined {
  const rank = (file: string): number => {
    const abis = (
      file
        .replace(/\.whl$/, '')
        .split('-')
        .at(-2) ?? ''
    ).split('.');
    return abis.includes(pythonTag) ? 0 : abis.includes('abi3') ? 1 : 2;
  };
  return [...wheels].sort((a, b) => rank(a.file) - rank(b.file))[0];
}

/**
 * The packages of a pylock.toml as uv writes it for one platform (`pythonTag`: the target's, e.g.
 * cp311); throws on a document it cannot read. A wheel entry that is not a plain HTTP(S) wheel of the
 * package with a SHA-256 is not taken (the image build fetches the package then).
 */
export function parsePylock(text: string, pythonTag: string): LockedPackage[] {
  const doc = parse(text) as { packages?: unknown };
  if (!Array.isArray(doc.packages)) throw new Error('the lock has no [[packages]]');
  return doc.packages.map((raw: unknown) => {
    const pkg = raw as { name?: unknown; version?: unknown; wheels?: unknown };
    if (typeof pkg.name !== 'string' || typeof pkg.version !== 'string') throw new Error('a locked package without a name or version');
    const wheels = Array.isArray(pkg.wheels) ? (pkg.wheels as { name?: unknown; url?: unknown; hashes?: { sha256?: unknown } }[]) : [];
    const candidates: LockedWheel[] = [];
    for (const entry of wheels) {
      if (typeof entry.url !== 'string' || !/^https?:\/\//.test(entry.url) || typeof entry.hashes?.sha256 !== 'string') continue;
      const file = typeof entry.name === 'string' ? entry.name : fileOf(entry.url);
      const sha256 = entry.hashes.sha256.toLowerCase();
      if (WHEEL_FILE.test(file) && SHA256.test(sha256) && wheelName(file).project === normalizeName(pkg.name))
        candidates.push({ file, url: entry.url, sha256 });
    }
    // every wheel uv lists for one platform fits the target; any entry it cannot vouch for leaves the choice to the image build
    const wheel = candidates.length === wheels.length ? preferredWheel(candidates, pythonTag) : undefined;
    return { name: normalizeName(pkg.name), version: pkg.version, wheel };
  });
}

export interface WheelSources {
  /** Wheels of the restored wheelhouse that the resolution keeps. */
  readonly reuse: readonly string[];
  /** Binary wheels the runner downloads. */
  readonly download: readonly LockedPackage[];
  /** Packages with no wheel at hand or on the index: compiled in the wheel image. */
  readonly compile: readonly LockedPackage[];
}

/** Where each locked package's wheel comes from, given the restored wheelhouse's files. */
export function wheelSources(locked: readonly LockedPackage[], have: readonly string[]): WheelSources {
  const byPin = new Map(have.map((w) => [wheelPin(w), w]));
  const reuse: string[] = [];
  const download: LockedPackage[] = [];
  const compile: LockedPackage[] = [];
  for (const pkg of locked) {
    const at = byPin.get(`${pkg.name}==${pkg.version.toLowerCase()}`);
    if (at) reuse.push(at);
    else if (pkg.wheel) download.push(pkg);
    else compile.push(pkg);
  }
  return { reuse, download, compile };
}
