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
  return fs.stat(file).then(
    (s) => s.isFile(),
    () => false
  );
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

/** A found file the wheelhouse leaves out, and why. */
export interface LeftOut {
  readonly file: string;
  readonly why: string;
}

const REQUIREMENTS_FILE = /^(?:requirements[^/]*|requirements\/[^/]+)\.txt$/;
/** A name that says the file is for development, tests, docs or linting, not for the image. */
const NOT_FOR_THE_IMAGE = /(?:^|[-_./])(?:dev|devel|develop|development|test|tests|testing|docs?|lint|linting|typing|ci)(?=[-_.]|$)/i;

/**
 * Which of the found dependency files go into the wheelhouse. The requirements files the Dockerfile's
 * installs name (`-r`, matched by path, else by file name), when it names any of them; else all but the
 * ones whose names say they are for development, tests, docs or linting (all of them, if that leaves
 * none). Lock files, pyproject.toml and constraints files are kept as found. `installed` is what the
 * Dockerfile installs with `-r` (undefined: there is no Dockerfile to read).
 */
export function chooseDependencyFiles(
  context: string,
  found: readonly string[],
  installed: readonly string[] | undefined
): { files: string[]; leftOut: LeftOut[] } {
  const rel = (file: string): string => path.relative(context, file).split(path.sep).join('/');
  const candidates = found.filter((f) => REQUIREMENTS_FILE.test(rel(f)));
  if (candidates.length < 2) return { files: [...found], leftOut: [] };
  const others = found.filter((f) => !candidates.includes(f));
  const named = (installed ?? []).map((p) => p.replace(/^(?:\.\/)+/, ''));
  const byPath = candidates.filter((f) => named.some((p) => p === rel(f) || p.endsWith(`/${rel(f)}`)));
  const byName = candidates.filter((f) => named.some((p) => path.posix.basename(p) === path.posix.basename(rel(f))));
  const installedHere = byPath.length > 0 ? byPath : byName;
  if (installedHere.length > 0) {
    return {
      files: [...installedHere, ...others],
      leftOut: candidates
        .filter((f) => !installedHere.includes(f))
        .map((file) => ({ file, why: "the Dockerfile's installs do not name it" }))
    };
  }
  const forImage = candidates.filter((f) => !NOT_FOR_THE_IMAGE.test(rel(f).replace(/\.txt$/, '')));
  if (forImage.length === 0 || forImage.length === candidates.length) return { files: [...found], leftOut: [] };
  return {
    files: [...forImage, ...others],
    leftOut: candidates
      .filter((f) => !forImage.includes(f))
      .map((file) => ({ file, why: 'its name says development, tests, docs or linting' }))
  };
}

export async function readDependencies(context: string, files: readonly string[]): Promise<DependencySet> {
  const set = emptySet();
  const display = (file: string): string => path.relative(context, file) || path.basename(file);
  const visiting = new Set<string>();
  for (const file of files) {
    const name = path.basename(file);
    const lock = lockKind(name);
    if (lock) {
      // a poetry.lock is read with the pyproject.toml beside it (its groups are there)
      const project =
        lock === 'poetry.lock' ? await readText(path.join(path.dirname(file), 'pyproject.toml')).catch(() => undefined) : undefined;
      readLockFile(lock, await readFileOrFail(file, display(file)), display(file), set, project);
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
