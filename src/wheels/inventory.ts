// What a wheelhouse holds, and what a wheel build changed in it.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function listWheels(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.whl')).sort();
}

/** A wheel file and its size. */
export interface SizedWheel {
  readonly file: string;
  readonly bytes: number;
}

export async function sizedWheels(dir: string): Promise<SizedWheel[]> {
  return Promise.all((await listWheels(dir)).map(async (file) => ({ file, bytes: (await fs.stat(path.join(dir, file))).size })));
}

export interface WheelDiff {
  /** In the new wheelhouse and not in the restored one: downloaded or compiled by this build. */
  built: string[];
  /** Taken from the restored wheelhouse. */
  reused: string[];
  /** In the restored wheelhouse but no longer needed. */
  pruned: string[];
}

export function diffWheels(before: readonly string[], after: readonly string[]): WheelDiff {
  const old = new Set(before);
  const now = new Set(after);
  return {
    built: after.filter((w) => !old.has(w)),
    reused: after.filter((w) => old.has(w)),
    pruned: before.filter((w) => !now.has(w))
  };
}
