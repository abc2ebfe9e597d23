// Shared by the keys tests: fixture projects on disk, and requirement files held in memory.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DependencySet, emptySet } from '../../../src/keys/model.js';
import { type ReadFile, readRequirementsFile } from '../../../src/keys/requirements.js';

export const PROJECTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../__fixtures__/projects');

/** The absolute folder of a fixture project under __fixtures__/projects. */
export function project(name: string): string {
  return path.join(PROJECTS, name);
}

/** The folder the in-memory requirement files live in. */
export const ROOT = '/project';

export interface MemoryFiles {
  readonly readFile: ReadFile;
  /** How often each file (relative to ROOT) was read. */
  readonly reads: Map<string, number>;
}

/** A ReadFile over `files` (paths relative to ROOT); a missing file rejects like fs does. */
export function memoryFiles(files: Readonly<Record<string, string>>): MemoryFiles {
  const reads = new Map<string, number>();
  const readFile: ReadFile = async (file) => {
    const name = path.relative(ROOT, file);
    reads.set(name, (reads.get(name) ?? 0) + 1);
    const content = files[name];
    if (content === undefined) throw new Error(`ENOENT: no such file or directory, open '${file}'`);
    return content;
  };
  return { readFile, reads };
}

export const display = (file: string): string => path.relative(ROOT, file);

/** Reads `entry` (default requirements.txt) and what it includes from in-memory `files`. */
export async function readMemory(
  files: Readonly<Record<string, string>>,
  entry = 'requirements.txt',
  kind: 'requirements' | 'constraints' = 'requirements'
): Promise<DependencySet> {
  return readRequirementsFile(path.join(ROOT, entry), kind, memoryFiles(files).readFile, display, emptySet());
}

export const normalized = (lines: readonly { normalized: string }[]): string[] => lines.map((l) => l.normalized);
export const texts = (lines: readonly { text: string }[]): string[] => lines.map((l) => l.text);

/** Runs `action` and returns what it threw (failing the test if it did not throw). */
export async function caught(action: () => unknown): Promise<Error> {
  try {
    await action();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error('expected an error, but nothing was thrown');
}
