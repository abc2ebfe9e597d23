// Finds the project's dependency files in the build context (or takes the ones named in the
// `requirements` input) and reads them into one DependencySet.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LOCK_FILES, lockKind, readLockFile } from './lockfiles.js';
import { DependencyError, type DependencySet, emptySet } from './model.js';
import { readPyproject } from './pyproject.js';
import { readRequirementsFile } from './requirements.js';

const readText = (file: string): Promise<string> => fs.readFile(file, 'utf8');

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then((s) => s.isFile(), () => false);
}

/** The dependency files to read: requirements*.txt (and constraints*.txt), else a lock file, else pyproject.toml. */
export async function findDependencyFiles(context: string): Promise<string[]> {
  const names = (await fs.readdir(context).catch(() => [] as string[])).sort();
  const requirements = names.filter((n) => /^requirements.*\.txt$/.test(n));
  const nested = (await fs.readdir(path.join(context, 'requirements')).catch(() => [] as string[]))
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => path.join('requirements', n));
  if (requirements.length + nested.length > 0) {
    const constraints = names.filter((n) => /^constraints.*\.txt$/.test(n));
    return [...requirements, ...nested, ...constraints].map((n) => path.join(context, n));
  }
  for (const lock of [...LOCK_FILES, ...names.filter((n) => /^pylock\.[^.]+\.toml$/.test(n))]) {
    if (await exists(path.join(context, lock))) return [path.join(context, lock)];
  }
  if (await exists(path.join(context, 'pyproject.toml'))) return [path.join(context, 'pyproject.toml')];
  throw new DependencyError(
    `no dependency files in ${context}: expected requirements*.txt, a lock file (${LOCK_FILES.join(', ')}) or pyproject.toml; or name them in the 'requirements' input`
  );
}

export async function readDependencies(context: string, files: readonly string[]): Promise<DependencySet> {
  const set = emptySet();
  const display = (file: string): string => path.relative(context, file) || path.basename(file);
  const visiting = new Set<string>();
  for (const file of files) {
    const name = path.basename(file);
    const lock = lockKind(name);
    if (lock) {
      readLockFile(lock, await readFileOrFail(file, display(file)), display(file), set);
    } else if (name === 'pyproject.toml') {
      readPyproject(await readFileOrFail(file, display(file)), display(file), set);
    } else {
      const kind = /^constraints.*\.txt$/.test(name) ? 'constraints' : 'requirements';
      await readRequirementsFile(file, kind, readText, display, set, visiting);
    }
  }
  return dedupe(set);
}

async function readFileOrFail(file: string, display: string): Promise<string> {
  try {
    return await readText(file);
  } catch {
    throw new DependencyError(`${display}: cannot be read`);
  }
}

function dedupe(set: DependencySet): DependencySet {
  const unique = <T extends { normalized: string }>(lines: T[]): T[] => {
    const seen = new Set<string>();
    return lines.filter((l) => !seen.has(l.normalized) && seen.add(l.normalized));
  };
  return {
    files: [...new Set(set.files)],
    requirements: unique(set.requirements),
    constraints: unique(set.constraints),
    options: unique(set.options),
    skipped: set.skipped
  };
}
