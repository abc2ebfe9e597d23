// What dependency discovery produces: the requirement and constraint lines that go into the wheel
// build, the index options, the files they came from and what was left out.

/** One line for pip: `text` as pip gets it, `normalized` as it enters the cache key (no credentials). */
export interface Line {
  readonly text: string;
  readonly normalized: string;
  readonly name?: string;
}

export interface DependencySet {
  /** Files read, relative to the build context. */
  files: string[];
  requirements: Line[];
  constraints: Line[];
  options: Line[];
  /** Entries left out of the wheelhouse (editable installs, local paths), with where they stand. */
  skipped: string[];
}

export class DependencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DependencyError';
  }
}

export function emptySet(): DependencySet {
  return { files: [], requirements: [], constraints: [], options: [], skipped: [] };
}

/** PEP 503 name normalisation. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}
