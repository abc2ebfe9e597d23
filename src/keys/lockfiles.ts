// Lock files: every locked package becomes a pinned requirement `name==version ; marker`, leaving out
// the project itself, local and editable packages, and packages of non-default groups. Where a package
// comes from is taken at its word: a git or URL package becomes a direct reference to that very
// revision or archive (`name @ git+https://…@<commit>`), and a package of another index than the
// default one is left out of the wheelhouse with a note, never looked up by its name on PyPI (where
// anyone can publish that name). A Pipfile.lock whose first source is another index reads every
// package from that index alone (`--index-url`).
import { parse } from 'smol-toml';
import { DependencyError, type DependencySet, normalizeName } from './model.js';
import { redact } from './requirements.js';

export const LOCK_FILES = ['poetry.lock', 'uv.lock', 'pdm.lock', 'pylock.toml', 'Pipfile.lock'] as const;

interface Locked {
  name: string;
  version: string;
  marker?: string | undefined;
  /** A direct reference: pip takes the package from there, never from an index. */
  url?: string | undefined;
  /** Why the package is left out of the wheelhouse. */
  skip?: string | undefined;
}

/** PyPI's own index, as lock files name it. */
const DEFAULT_INDEX = /^https?:\/\/(pypi\.org|pypi\.python\.org)\/(simple|pypi)\/?$/;
const isDefaultIndex = (url: string): boolean => DEFAULT_INDEX.test(url.trim());
const otherIndex = (url: string): string => `taken from the index ${redact(url)}, not from the default one: install it from there`;

/** `git+<url>@<commit>`, with the subdirectory when there is one. */
function gitReference(url: string, commit: string | undefined, subdirectory?: unknown): string | undefined {
  if (!commit || !/^[A-Za-z0-9._/-]+$/.test(commit) || !/^(https?|ssh|git):\/\/|^git@/.test(url)) return undefined;
  const sub = str(subdirectory);
  return `git+${url}@${commit}${sub ? `#subdirectory=${sub}` : ''}`;
}

/** An archive URL pip can fetch (not a local file). */
const archiveUrl = (url: unknown): string | undefined => (typeof url === 'string' && /^https?:\/\/\S+$/.test(url) ? url : undefined);

/** A direct reference, or the reason the package is left out when it has none pip can use. */
function direct(kind: string, url: string | undefined): Pick<Locked, 'url' | 'skip'> {
  return url ? { url } : { skip: `a ${kind} source without a revision or URL pip can fetch` };
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
    // Poetry 2 lists each package's groups; Poetry up to 1.4 gave it a category (`main` or `dev`)
    .filter((p) => (Array.isArray(p.groups) ? p.groups.includes('main') : p.category !== 'dev'))
    .filter((p) => !['directory', 'file'].includes(String((p.source as Table | undefined)?.type ?? '')))
    .map((p): Locked => {
      const locked = { name: String(p.name), version: String(p.version), marker: markerOf(p.markers) };
      const source = (p.source ?? {}) as Table;
      const url = str(source.url) ?? '';
      if (source.type === 'git') return { ...locked, ...direct('git', gitReference(url, str(source.resolved_reference) ?? str(source.reference), source.subdirectory)) };
      if (source.type === 'url') return { ...locked, ...direct('URL', archiveUrl(url)) };
      if (source.type !== undefined && !isDefaultIndex(url)) return { ...locked, skip: otherIndex(url || String(source.reference ?? source.type)) };
      return locked;
    });
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
    .map((p): Locked => {
      const locked = { name: String(p.name), version: String(p.version), marker: str(p.marker) };
      if (str(p.git)) return { ...locked, ...direct('git', gitReference(String(p.git), str(p.revision), p.subdirectory)) };
      if (str(p.url)) return { ...locked, ...direct('URL', archiveUrl(p.url)) };
      return locked;
    });
}

function pylock(doc: Table): Locked[] {
  return tables(doc.packages)
    .filter((p) => !p.directory && !(p.archive && !archiveUrl((p.archive as Table).url)))
    .map((p): Locked => {
      const locked = { name: String(p.name), version: String(p.version ?? ''), marker: str(p.marker) };
      if (p.vcs) {
        const vcs = p.vcs as Table;
        return { ...locked, ...direct('git', vcs.type === 'git' ? gitReference(String(vcs.url ?? ''), str(vcs['commit-id']), vcs.subdirectory) : undefined) };
      }
      if (p.archive) return { ...locked, ...direct('URL', archiveUrl((p.archive as Table).url)) };
      if (str(p.index) && !isDefaultIndex(String(p.index))) return { ...locked, skip: otherIndex(String(p.index)) };
      return locked;
    })
    .filter((p) => p.version || p.url || p.skip);
}

/** uv.lock keeps markers on dependency edges: walk from the project's own dependencies. */
function uv(doc: Table): Locked[] {
  const packages = tables(doc.package);
  const isLocal = (p: Table): boolean => {
    const source = (p.source ?? {}) as Table;
    return ['editable', 'virtual', 'directory', 'path'].some((k) => k in source);
  };
  const origin = (p: Table): Pick<Locked, 'url' | 'skip'> => {
    const source = (p.source ?? {}) as Table;
    if (str(source.git)) {
      // `https://github.com/o/r?rev=main&subdirectory=x#<commit>`
      const [address = '', commit] = String(source.git).split('#');
      const query = new URLSearchParams(address.includes('?') ? address.slice(address.indexOf('?') + 1) : '');
      return direct('git', gitReference(address.split('?')[0]!, commit, query.get('subdirectory') ?? undefined));
    }
    if (str(source.url)) return direct('URL', archiveUrl(source.url));
    if (str(source.registry) && !isDefaultIndex(String(source.registry))) return { skip: otherIndex(String(source.registry)) };
    return {};
  };
  const roots = packages.filter((p) => {
    const source = (p.source ?? {}) as Table;
    return source.editable === '.' || source.virtual === '.';
  });
  const byName = new Map(packages.map((p) => [normalizeName(String(p.name)), p]));
  if (roots.length === 0) {
    return packages.filter((p) => !isLocal(p)).map((p) => ({ name: String(p.name), version: String(p.version), ...origin(p) }));
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
    out.push({ name: String(p.name), version: String(p.version), marker, ...origin(p) });
  }
  return out;
}

function pipfile(content: string, display: string, set: DependencySet): Locked[] {
  let doc: Table;
  try {
    doc = JSON.parse(content) as Table;
  } catch {
    throw new DependencyError(`${display}: not valid JSON`);
  }
  // packages come from the first source unless they name another (`"index": "<source name>"`)
  const sources = tables(((doc._meta ?? {}) as Table).sources);
  const urlOf = (name: unknown): string | undefined => str(sources.find((s) => s.name === name)?.url);
  const first = str(sources[0]?.url);
  const firstUsable = first !== undefined && !first.includes('${');
  if (first && !isDefaultIndex(first) && firstUsable) {
    set.options.push({ text: `--index-url ${first}`, normalized: `--index-url ${redact(first)}` });
  }
  return Object.entries((doc.default ?? {}) as Record<string, Table>)
    .filter(([, p]) => !p.path && !p.editable && !(p.file && !archiveUrl(p.file)))
    .map(([name, p]): Locked => {
      const locked = { name, version: String(p.version ?? '').replace(/^==/, ''), marker: str(p.markers) };
      if (str(p.git)) return { ...locked, ...direct('git', gitReference(String(p.git), str(p.ref), p.subdirectory)) };
      if (p.file) return { ...locked, ...direct('URL', archiveUrl(p.file)) };
      const index = p.index === undefined ? first : urlOf(p.index);
      if (index && p.index !== undefined && index !== first && !isDefaultIndex(index)) return { ...locked, skip: otherIndex(index) };
      if (index && index === first && !isDefaultIndex(index) && !firstUsable) return { ...locked, skip: otherIndex(index) };
      return locked;
    })
    .filter((p) => p.version || p.url || p.skip);
}

export function readLockFile(kind: (typeof LOCK_FILES)[number], content: string, display: string, set: DependencySet): DependencySet {
  const locked =
    kind === 'Pipfile.lock'
      ? pipfile(content, display, set)
      : { 'poetry.lock': poetry, 'uv.lock': uv, 'pdm.lock': pdm, 'pylock.toml': pylock }[kind](toml(content, display));
  set.files.push(display);
  for (const p of locked.sort((a, b) => normalizeName(a.name).localeCompare(normalizeName(b.name)))) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(p.name) || (!p.url && !p.skip && !/^[A-Za-z0-9.+!_-]+$/.test(p.version))) {
      throw new DependencyError(`${display}: package '${p.name}' has an unusable name or version '${p.version}'`);
    }
    if (p.skip) {
      set.skipped.push(`${display}: ${p.name} (${p.skip})`);
      continue;
    }
    if (p.url && /\s/.test(p.url)) throw new DependencyError(`${display}: package '${p.name}' has an unusable URL`);
    const name = normalizeName(p.name);
    const marker = p.marker ? ` ; ${p.marker.replace(/\s+/g, ' ').trim()}` : '';
    const pin = p.url ? ` @ ${p.url}` : `==${p.version}`;
    const normalizedPin = p.url ? ` @ ${redact(p.url)}` : pin;
    set.requirements.push({ text: `${p.name}${pin}${marker}`, normalized: `${name}${normalizedPin}${marker.replace(/ ; /, ';')}`, name });
  }
  return set;
}

export function lockKind(fileName: string): (typeof LOCK_FILES)[number] | undefined {
  if (/^pylock\.[^.]+\.toml$/.test(fileName)) return 'pylock.toml';
  return (LOCK_FILES as readonly string[]).includes(fileName) ? (fileName as (typeof LOCK_FILES)[number]) : undefined;
}
