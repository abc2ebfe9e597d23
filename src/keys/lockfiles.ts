// Lock files: every locked package becomes a pinned requirement `name==version ; marker`, leaving out
// the project itself, local and editable packages, and packages of non-default groups.
import { parse } from 'smol-toml';
import { DependencyError, type DependencySet, normalizeName } from './model.js';

export const LOCK_FILES = ['poetry.lock', 'uv.lock', 'pdm.lock', 'pylock.toml', 'Pipfile.lock'] as const;

interface Locked {
  name: string;
  version: string;
  marker?: string;
}

type Table = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const tables = (v: unknown): Table[] => (Array.isArray(v) ? v.filter((t): t is Table => typeof t === 'object' && t !== null) : []);

function toml(content: string, display: string): Table {
  try {
    return parse(content) as Table;
  } catch (error) {
    throw new DependencyError(`${display}: not valid TOML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
}

function poetry(doc: Table): Locked[] {
  return tables(doc.package)
    .filter((p) => {
      const groups = p.groups;
      return !Array.isArray(groups) || groups.includes('main');
    })
    .filter((p) => !['directory', 'file'].includes(String((p.source as Table | undefined)?.type ?? '')))
    .map((p) => ({ name: String(p.name), version: String(p.version), marker: markerOf(p.markers) }));
}

function markerOf(value: unknown): string | undefined {
  if (typeof value === 'string') return str(value);
  if (value && typeof value === 'object') return str((value as Table).main);
  return undefined;
}

function pdm(doc: Table): Locked[] {
  return tables(doc.package)
    .filter((p) => !Array.isArray(p.groups) || p.groups.includes('default'))
    .filter((p) => !p.path && !p.editable)
    .map((p) => ({ name: String(p.name), version: String(p.version), marker: str(p.marker) }));
}

function pylock(doc: Table): Locked[] {
  return tables(doc.packages)
    .filter((p) => !p.directory && !p.archive && !p.vcs && str(p.version))
    .map((p) => ({ name: String(p.name), version: String(p.version), marker: str(p.marker) }));
}

/** uv.lock keeps markers on dependency edges: walk from the project's own dependencies. */
function uv(doc: Table): Locked[] {
  const packages = tables(doc.package);
  const isLocal = (p: Table): boolean => {
    const source = (p.source ?? {}) as Table;
    return ['editable', 'virtual', 'directory', 'path'].some((k) => k in source);
  };
  const roots = packages.filter((p) => {
    const source = (p.source ?? {}) as Table;
    return source.editable === '.' || source.virtual === '.';
  });
  const byName = new Map(packages.map((p) => [normalizeName(String(p.name)), p]));
  if (roots.length === 0) {
    return packages.filter((p) => !isLocal(p)).map((p) => ({ name: String(p.name), version: String(p.version) }));
  }
  const markers = new Map<string, Set<string>>(); // '' = unconditional
  const visit = (name: string, marker: string): void => {
    const seen = markers.get(name) ?? new Set<string>();
    if (seen.has(marker) || seen.has('') || seen.size >= 8) return;
    seen.add(marker);
    markers.set(name, seen);
    for (const dep of tables(byName.get(name)?.dependencies)) {
      const edge = str(dep.marker);
      const combined = [marker, edge].filter(Boolean).map((m) => `(${m})`).join(' and ');
      visit(normalizeName(String(dep.name)), combined);
    }
  };
  for (const root of roots) {
    for (const dep of tables(root.dependencies)) visit(normalizeName(String(dep.name)), str(dep.marker) ?? '');
  }
  const out: Locked[] = [];
  for (const [name, set] of markers) {
    const p = byName.get(name);
    if (!p || isLocal(p) || !str(p.version)) continue;
    const marker = set.has('') || set.size >= 8 ? undefined : [...set].sort().map((m) => `(${m})`).join(' or ');
    out.push({ name: String(p.name), version: String(p.version), marker });
  }
  return out;
}

function pipfile(content: string, display: string): Locked[] {
  let doc: Table;
  try {
    doc = JSON.parse(content) as Table;
  } catch {
    throw new DependencyError(`${display}: not valid JSON`);
  }
  return Object.entries((doc.default ?? {}) as Record<string, Table>)
    .filter(([, p]) => str(p.version) && !p.path && !p.editable && !p.git && !p.file)
    .map(([name, p]) => ({ name, version: String(p.version).replace(/^==/, ''), marker: str(p.markers) }));
}

export function readLockFile(kind: (typeof LOCK_FILES)[number], content: string, display: string, set: DependencySet): DependencySet {
  const locked =
    kind === 'Pipfile.lock'
      ? pipfile(content, display)
      : { 'poetry.lock': poetry, 'uv.lock': uv, 'pdm.lock': pdm, 'pylock.toml': pylock }[kind](toml(content, display));
  set.files.push(display);
  for (const p of locked.sort((a, b) => normalizeName(a.name).localeCompare(normalizeName(b.name)))) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(p.name) || !/^[A-Za-z0-9.+!_-]+$/.test(p.version)) {
      throw new DependencyError(`${display}: package '${p.name}' has an unusable name or version '${p.version}'`);
    }
    const name = normalizeName(p.name);
    const marker = p.marker ? ` ; ${p.marker.replace(/\s+/g, ' ').trim()}` : '';
    set.requirements.push({ text: `${p.name}==${p.version}${marker}`, normalized: `${name}==${p.version}${marker.replace(/ ; /, ';')}`, name });
  }
  return set;
}

export function lockKind(fileName: string): (typeof LOCK_FILES)[number] | undefined {
  if (/^pylock\.[^.]+\.toml$/.test(fileName)) return 'pylock.toml';
  return (LOCK_FILES as readonly string[]).includes(fileName) ? (fileName as (typeof LOCK_FILES)[number]) : undefined;
}
