// A wheelhouse carries a manifest of its wheels' SHA-256 sums, written after the wheel build and
// checked after a restore: a restored wheelhouse whose files do not match it, or whose wheels are not
// whole zip archives, is discarded. It also names the wheelhouse's base generation (see generation.ts);
// the base's wheels kept apart in `base/` are listed as `base/<name>`.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { BASE_DIR } from './generation.js';
import { listWheels } from './inventory.js';
import { type RuntimeLibraries, parseRuntime } from './runtime.js';

export const MANIFEST = 'wheelhouse-manifest.json';

interface Manifest {
  version: 1;
  wheels: Record<string, string>;
  /** The base generation's wheel names; absent in wheelhouses saved before bases existed. */
  base?: string[];
  /** The system packages each wheel built for this machine loads at run time (see runtime.ts). */
  runtime?: Record<string, RuntimeLibraries>;
  /** The hash of the index options the wheels were taken from (keys/key.ts `indexHash`); absent in older wheelhouses. */
  index?: string;
}

/** The wheelhouse's wheels, those kept apart for the base as `base/<name>`. */
async function allWheels(dir: string): Promise<string[]> {
  const apart = await listWheels(path.join(dir, BASE_DIR));
  return [...(await listWheels(dir)), ...apart.map((w) => `${BASE_DIR}/${w}`)];
}

export async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A zip archive ends with its end-of-central-directory record (signature PK\x05\x06) in the last 64 KiB + 22 bytes. */
async function looksLikeZip(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 65_536 + 22);
    if (length < 22) return false;
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    return tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) >= 0;
  } finally {
    await handle.close();
  }
}

export async function writeManifest(
  dir: string,
  base: readonly string[],
  runtime: Readonly<Record<string, RuntimeLibraries>> = {},
  index?: string
): Promise<void> {
  const wheels: Record<string, string> = {};
  for (const name of await allWheels(dir)) wheels[name] = await sha256(path.join(dir, name));
  const manifest: Manifest = { version: 1, wheels, base: [...base], runtime: { ...runtime }, ...(index ? { index } : {}) };
  await fs.writeFile(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
}

/**
 * The first entry that has no place in a wheelhouse: anything but regular `*.whl` files, the manifest,
 * and `base/` holding wheels. pip's `--find-links` would take an sdist or a folder as a package.
 */
async function strayEntry(dir: string): Promise<string | undefined> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.isFile() && (entry.name === MANIFEST || entry.name.endsWith('.whl'))) continue;
    if (entry.isDirectory() && entry.name === BASE_DIR) {
      const inBase = await fs.readdir(path.join(dir, BASE_DIR), { withFileTypes: true });
      const stray = inBase.find((e) => !(e.isFile() && e.name.endsWith('.whl')));
      if (stray) return `${BASE_DIR}/${stray.name}`;
      continue;
    }
    return entry.name;
  }
  return undefined;
}

/** Undefined when the wheelhouse matches its manifest; otherwise what is wrong. */
export async function verifyManifest(dir: string): Promise<string | undefined> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return `it has no readable ${MANIFEST}`;
  }
  if (manifest.version !== 1 || typeof manifest.wheels !== 'object' || manifest.wheels === null) return `${MANIFEST} is not of version 1`;
  const stray = await strayEntry(dir);
  if (stray) return `${stray} is not a wheel of the manifest`;
  const present = await allWheels(dir);
  const listed = Object.keys(manifest.wheels).sort();
  const extra = present.filter((w) => !(w in manifest.wheels));
  if (extra.length > 0) return `${extra[0]} is not in its manifest`;
  for (const name of listed) {
    const file = path.join(dir, name);
    if (!present.includes(name)) return `${name} is missing`;
    if ((await sha256(file)) !== manifest.wheels[name]) return `${name} does not match its SHA-256`;
    if (!(await looksLikeZip(file))) return `${name} is not a zip archive`;
  }
  const lost = (manifest.base ?? []).find((w) => !present.includes(w) && !present.includes(`${BASE_DIR}/${w}`));
  if (lost) return `the base's ${lost} is missing`;
  return undefined;
}

/**
 * Undefined when a wheelhouse's wheels came from the indexes of `index` (see keys/key.ts `indexHash`);
 * otherwise why not. One that records no index is taken only for the default index (`noOptions`).
 */
export async function indexProblem(dir: string, index: string, noOptions: boolean): Promise<string | undefined> {
  let recorded: unknown;
  try {
    recorded = (JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest).index;
  } catch {
    return `it has no readable ${MANIFEST}`;
  }
  if (recorded === index || (recorded === undefined && noOptions)) return undefined;
  return recorded === undefined ? 'it records no index, and the index options are set' : 'its wheels came from other index options';
}

/** The base generation a (verified) wheelhouse names; undefined when it names none. */
export async function readBase(dir: string): Promise<string[] | undefined> {
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    // plain wheel file names only: the names become paths
    return Array.isArray(manifest.base)
      ? manifest.base.filter((w): w is string => typeof w === 'string' && /^[^/\\]+\.whl$/.test(w))
      : undefined;
  } catch {
    return undefined;
  }
}

/** The runtime libraries a wheelhouse's manifest records; empty when it records none. */
export async function readRuntime(dir: string): Promise<Record<string, RuntimeLibraries>> {
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    return parseRuntime(JSON.stringify(manifest.runtime ?? {}));
  } catch {
    return {};
  }
}
