// Offline first: when every requirement is an exact pin (a lock-style set, as pip-compile, uv and
// poetry write), the wheel build fetches only the pins the restored wheelhouse has no wheel for, then
// resolves the whole set with `--no-index` from the wheelhouse and those: no round trip to the index
// for the dozens of wheels already at hand. Anything else (ranges, URLs, credentials) is resolved
// against the index as a whole, as before.
//
// Hashes (`--hash=sha256:…`, from a requirements file or a lock file) are checked where the bytes come
// from the index: the lines with hashes that the wheelhouse lacks are fetched on their own, in pip's
// hash-checking mode and `--no-deps` (that mode needs every requirement of the run hashed; the set's own
// pins stand for the dependencies). The whole set is then resolved without its hashes, from the
// wheelhouse and what was just checked: a wheel compiled from a checked sdist can never match the
// sdist's hash, and the wheelhouse's wheels are vouched for by its manifest and its cache scope.
import type { Line } from '../keys/model.js';
import { wheelPin } from './generation.js';

const PIN = /^([a-z0-9-]+)(?:\[[^\]]*\])?==([0-9a-z][^,;\s*]*)(?:;.*)?$/;
const HASH_OPTION = / --hash=\S+/g;

/** The line has hashes (a normalized line keeps them, sorted, at its end). */
export const hasHashes = (line: Pick<Line, 'normalized'>): boolean => line.normalized.includes(' --hash=');

/** The line as pip takes it without its hashes (the options may sit after the marker, as pip allows). */
export function withoutHashes(line: Line): Line {
  if (!hasHashes(line)) return line;
  return {
    ...line,
    text: line.text.replace(/\s+--hash[= ]\S+/g, ''),
    normalized: line.normalized.replace(HASH_OPTION, '')
  };
}

/** `name==version` (with extras or a marker) as the line's normalized form says; undefined for anything else. */
export function exactPin(line: Pick<Line, 'normalized'>): { project: string; version: string } | undefined {
  const m = PIN.exec(line.normalized.replace(HASH_OPTION, ''));
  return m ? { project: m[1]!, version: m[2]!.toLowerCase() } : undefined;
}

/** What the wheel build fetches before resolving the whole set (see the top of this file). */
export interface FetchPlan {
  /** Lines with hashes the wheelhouse lacks: fetched in hash-checking mode, without dependencies. */
  readonly checked: Line[];
  /** Exact pins without hashes the wheelhouse lacks: fetched with their dependencies. */
  readonly missing: Line[];
  /** The whole set is resolved offline first; false: against the index straight away (a line that is no pin). */
  readonly offline: boolean;
  /** The set has hashes: the whole-set resolution takes its lines without them. */
  readonly hashed: boolean;
}

/**
 * The fetch before the whole-set resolution; undefined when the set is resolved against the index as a
 * whole, as pip would: a set with credentials in a requirement or an index option (those lines travel
 * as a secret, never in the fetch files), or a set without hashes that is empty of wheels to reuse or
 * holds a line that is not an exact pin. A pin written another way than the wheel's version (`==1.0`
 * for 1.0.0) counts as missing: fetching it again is harmless.
 */
export function fetchPlan(
  requirements: readonly Line[],
  options: readonly Line[],
  wheels: readonly string[],
  hasCredentials: (text: string) => boolean
): FetchPlan | undefined {
  if ([...options, ...requirements].some((l) => hasCredentials(l.text))) return undefined;
  const hashed = requirements.some(hasHashes);
  const have = new Set(wheels.map(wheelPin));
  const lacks = (line: Line): boolean => {
    const pin = exactPin(line);
    return !pin || !have.has(`${pin.project}==${pin.version}`);
  };
  const checked: Line[] = [];
  const missing: Line[] = [];
  let offline = true;
  for (const line of requirements) {
    if (hasHashes(line)) {
      if (lacks(line)) checked.push(line);
    } else if (!exactPin(line)) {
      if (!hashed) return undefined;
      offline = false;
    } else if (lacks(line)) missing.push(line);
  }
  if (!hashed && wheels.length === 0) return undefined;
  return { checked, missing, offline, hashed };
}
