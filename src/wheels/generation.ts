// The wheelhouse's base generation: a set of wheels that stays the same across dependency changes, so
// the image's first dependency layer (installed from the base context) is reused from the cache and
// only the wheels that changed are installed on top of it. The base is made again ("rebased") when a
// project in it is no longer required (the image would keep it) or too much sits on top of it.
// Wheels of the base that the dependency set no longer uses are kept apart in `base/` so the base
// context stays byte for byte the same.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { normalizeName } from '../keys/model.js';
import { listWheels } from './inventory.js';

/** Where the cached wheelhouse keeps the base's wheels that are not among the current ones. */
export const BASE_DIR = 'base';
/** The pins of the base, in the base context. */
export const BASE_PINS = 'requirements.txt';

/** A wheel file name's project (normalized as PEP 503 says) and version. */
export function wheelName(file: string): { project: string; version: string } {
  const [dist = '', version = ''] = file.split('-');
  return { project: normalizeName(dist), version };
}

/** A wheel's `project==version` (the version lower-cased), as a pin of the set is compared with it. */
export function wheelPin(file: string): string {
  const { project, version } = wheelName(file);
  return `${project}==${version.toLowerCase()}`;
}

export interface BasePlan {
  readonly base: readonly string[];
  /** Why the base was made again from the current wheels; undefined when it was kept. */
  readonly rebased: string | undefined;
}

/** The base for a wheelhouse of `wheels`, given the one it was built on (undefined: none yet). */
export function nextBase(previous: readonly string[] | undefined, wheels: readonly string[]): BasePlan {
  const all = [...wheels].sort();
  if (!previous || previous.length === 0) return { base: all, rebased: 'no base yet' };
  const projects = new Set(all.map((w) => wheelName(w).project));
  const gone = previous.find((w) => !projects.has(wheelName(w).project));
  if (gone) return { base: all, rebased: `${wheelName(gone).project} is no longer required` };
  const inBase = new Set(previous);
  const above = all.filter((w) => !inBase.has(w)).length;
  if (above * 4 > all.length) return { base: all, rebased: `${above} of ${all.length} wheels are not in the base` };
  return { base: [...previous].sort(), rebased: undefined };
}

/** The base context's pins file: one `project==version` a line, sorted. */
export function basePins(base: readonly string[]): string {
  return base.map((w) => `${wheelName(w).project}==${wheelName(w).version}\n`).join('');
}

/** Where a base wheel lives in a cached wheelhouse: with the current wheels, or kept apart. */
async function located(wheelhouseDir: string, wheel: string): Promise<string> {
  const current = path.join(wheelhouseDir, wheel);
  return fs.access(current).then(
    () => current,
    () => path.join(wheelhouseDir, BASE_DIR, wheel)
  );
}

/**
 * Keeps the base's wheels that `next` (a new wheelhouse) does not hold in `next/base/`, taken from
 * `previous` (the wheelhouse they were in).
 */
export async function keepBase(previous: string, next: string, base: readonly string[]): Promise<void> {
  const current = new Set(await listWheels(next));
  const apart = base.filter((w) => !current.has(w));
  if (apart.length === 0) return;
  await fs.mkdir(path.join(next, BASE_DIR), { recursive: true });
  for (const wheel of apart) await fs.copyFile(await located(previous, wheel), path.join(next, BASE_DIR, wheel));
}

/**
 * The base context: the base's wheels and their pins, with fixed modes, so that the same base gives
 * the same content checksum (and the image's first dependency layer a cache hit) on any runner.
 */
export async function baseContext(wheelhouseDir: string, base: readonly string[], dir: string): Promise<string> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  await fs.chmod(dir, 0o755);
  for (const wheel of base) {
    const to = path.join(dir, wheel);
    const from = await located(wheelhouseDir, wheel);
    await fs.link(from, to).catch(() => fs.copyFile(from, to));
    await fs.chmod(to, 0o644);
  }
  await fs.writeFile(path.join(dir, BASE_PINS), basePins(base));
  await fs.chmod(path.join(dir, BASE_PINS), 0o644); // whatever the umask
  return dir;
}
