// Offline first: when every requirement is an exact pin (a lock-style set, as pip-compile, uv and
// poetry write), the wheel build fetches only the pins the restored wheelhouse has no wheel for, then
// resolves the whole set with `--no-index` from the wheelhouse and those: no round trip to the index
// for the dozens of wheels already at hand. Anything else (ranges, URLs, hashes, credentials) is
// resolved against the index as a whole, as before.
import type { Line } from '../keys/model.js';
import { wheelName } from './generation.js';

const PIN = /^([a-z0-9-]+)(?:\[[^\]]*\])?==([0-9a-z][^,;\s*]*)(?:;.*)?$/;

/** `name==version` (with extras or a marker) as the line's normalized form says; undefined for anything else. */
export function exactPin(line: Pick<Line, 'normalized'>): { project: string; version: string } | undefined {
  const m = PIN.exec(line.normalized);
  return m ? { project: m[1]!, version: m[2]!.toLowerCase() } : undefined;
}

/**
 * The requirement lines the wheelhouse has no wheel for; undefined when the set cannot be resolved
 * offline first (a line that is not an exact pin, has hashes or credentials). A pin written another way
 * than the wheel's version (`==1.0` for 1.0.0) counts as missing: fetching it again is harmless.
 */
export function missingPins(
  requirements: readonly Line[],
  wheels: readonly string[],
  hasCredentials: (text: string) => boolean
): Line[] | undefined {
  const have = new Set(wheels.map((w) => `${wheelName(w).project}==${wheelName(w).version.toLowerCase()}`));
  const missing: Line[] = [];
  for (const line of requirements) {
    const pin = exactPin(line);
    if (!pin || line.normalized.includes(' --hash=') || hasCredentials(line.text)) return undefined;
    if (!have.has(`${pin.project}==${pin.version}`)) missing.push(line);
  }
  return missing;
}
