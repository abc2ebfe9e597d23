// Lock files: every locked package becomes a pinned requirement `name==version ; marker`, leaving out
// the project itself, local and editable packages, and packages of non-default groups. Where a package
// comes from is taken at its word: a git or URL package becomes a direct reference to that very
// revision or archive (`name @ git+https://…@<commit>`), and a package of another index than the
// default one is left out of the wheelhouse with a note, never looked up by its name on PyPI (where
// anyone can publish that name). A Pipfile.lock whose first source is another index reads every
// package from that index alone (`--index-url`).
import { type Requirement, parsePipRequirementsLine } from 'pip-requirements-js';
import { parse } from 'smol-toml';
import { DependencyError, type DependencySet, normalizeName } from './model.js';
import { pythonMarker, satisfiesPoetry } from './poetry-constraint.js';
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
  /** The hashes the lock gives the package's files (`sha256:<hex>`): pip checks what it fetches against them. */
  hashes?: readonly string[] | undefined;
}

/** A hash as pip takes it (`--hash=<algorithm>:<hex>`); anything else is not passed on. */
const HASH = /^(sha256|sha384|sha512):[0-9a-f]{64,128}$/;

/** The valid hashes among `values` (`sha256:<hex>` strings), lower-cased. */
function hashList(values: readonly unknown[]): string[] {
  return values.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : '')).filter((v) => HASH.test(v));
}

/** The `hash` of each table (Poetry's and pdm's `files`, uv's sdist and wheels). */
const hashFields = (entries: readonly unknown[]): string[] =>
  hashList(entries.map((e) => (e && typeof e === 'object' ? (e as Table).hash : undefined)));

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

/** Where a Poetry package comes from, taken at its word. */
function poetryOrigin(p: Table): Pick<Locked, 'url' | 'skip'> {
  const source = (p.source ?? {}) as Table;
  const url = str(source.url) ?? '';
  if (source.type === 'git')
    return direct('git', gitReference(url, str(source.resolved_reference) ?? str(source.reference), source.subdirectory));
  if (source.type === 'url') return direct('URL', archiveUrl(url));
  if (source.type !== undefined && !isDefaultIndex(url)) return { skip: otherIndex(url || String(source.reference ?? source.type)) };
  return {};
}

const isLocalPoetry = (p: Table): boolean => ['directory', 'file'].includes(String((p.source as Table | undefined)?.type ?? ''));

/** A Poetry package's file hashes: in the package (lock-version 2) or, before that, under `[metadata.files]`. */
function poetryHashes(doc: Table): (p: Table) => string[] {
  const old = (((doc.metadata ?? {}) as Table).files ?? {}) as Table;
  return (p) => hashFields(Array.isArray(p.files) && p.files.length > 0 ? p.files : tables(old[String(p.name)]));
}

function poetry(doc: Table, project: Table | undefined): Locked[] {
  const packages = tables(doc.package);
  const hashes = poetryHashes(doc);
  const grouped = packages.some((p) => Array.isArray(p.groups) || typeof p.category === 'string');
  const roots = project ? poetryRoots(project) : undefined;
  if (!grouped && roots) return poetryWalk(packages, roots, hashes);
  return (
    packages
      // Poetry 2 lists each package's groups; Poetry up to 1.4 gave it a category (`main` or `dev`); a
      // lock of Poetry 1.5–1.8 has neither, and without its pyproject.toml every package is taken
      .filter((p) => (Array.isArray(p.groups) ? p.groups.includes('main') : p.category !== 'dev'))
      .filter((p) => !isLocalPoetry(p) && !onlyForExtras(str(p.markers)))
      .map(
        (p): Locked => ({
          name: String(p.name),
          version: String(p.version),
          marker: markerOf(p.markers),
          hashes: hashes(p),
          ...poetryOrigin(p)
        })
      )
  );
}

/**
 * Poetry 2 puts a project's optional dependencies in the main group under `extra == "x"` markers: a
 * package whose marker is a conjunction holding such a clause is there for an extra only, and is left
 * out (the image installs no extra). A marker with `or` stays as it is: pip evaluates `extra` as empty.
 */
function onlyForExtras(marker: string | undefined): boolean {
  return Boolean(marker && /\bextra\s*==/.test(marker) && !/\bor\b/.test(marker));
}

/** `extra == "x"` clauses make no sense in a requirements line (pip has no extra there): they are dropped. */
function withoutExtra(marker: string | undefined): string | undefined {
  if (!marker || !/\bextra\b/.test(marker)) return marker;
  const clause = /\s*(?:and\s+)?\(?\s*extra\s*==\s*["'][^"']*["']\s*\)?(?:\s+and)?\s*/g;
  const left = marker.replace(clause, ' ').trim();
  // what is left of a marker with `or` around an extra cannot be trusted: none (the wheel is built anyway)
  return !left || /\bextra\b|^(and|or)\b|\b(and|or)$/.test(left) || /\bor\b/.test(marker) ? undefined : left;
}

/** A Poetry dependency declaration (`name = "^1"`, a table, or several tables) as edges. */
function poetryEdges(name: string, value: unknown, withOptional: boolean): Edge[] {
  const declarations = Array.isArray(value) ? value : [value];
  const edges: Edge[] = [];
  for (const d of declarations) {
    const t: Table = typeof d === 'string' ? { version: d } : typeof d === 'object' && d !== null ? (d as Table) : {};
    if (t.optional === true && !withOptional) continue;
    const markers = [withoutExtra(str(t.markers)), pythonMarker(str(t.python))].filter((m): m is string => Boolean(m));
    edges.push({
      name: normalizeName(name),
      version: str(t.version),
      marker: markers.length > 0 ? joined(markers, 'and') : undefined,
      extras: Array.isArray(t.extras) ? t.extras.map(String) : []
    });
  }
  return edges;
}

/** A PEP 508 requirement string, parsed as a requirements line is; undefined when it is not one. */
function parsedRequirement(text: string): Requirement | undefined {
  try {
    return parsePipRequirementsLine(text) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The project's own dependencies, from its pyproject.toml: Poetry's main group
 * (`[tool.poetry.dependencies]`, leaving out `python` and optional ones) or `[project] dependencies`.
 * Undefined when it declares neither.
 */
function poetryRoots(project: Table): Edge[] | undefined {
  const tool = ((project.tool ?? {}) as Table).poetry as Table | undefined;
  const main = tool?.dependencies as Table | undefined;
  const pep621 = (project.project as Table | undefined)?.dependencies;
  if (!main && !Array.isArray(pep621)) return undefined;
  const edges = Object.entries(main ?? {})
    .filter(([name]) => name.toLowerCase() !== 'python')
    .flatMap(([name, value]) => poetryEdges(name, value, false));
  for (const requirement of Array.isArray(pep621) ? pep621.map(String) : []) {
    const parsed = parsedRequirement(requirement);
    if (parsed?.type !== 'ProjectName') continue;
    const semicolon = requirement.indexOf(';');
    const spec = (parsed.versionSpec ?? []).map((v) => `${v.operator}${v.version}`).join(',');
    const marker = semicolon >= 0 ? requirement.slice(semicolon + 1).trim() : undefined;
    edges.push({ name: normalizeName(parsed.name), version: spec || undefined, marker: withoutExtra(marker), extras: parsed.extras ?? [] });
  }
  return edges;
}

/**
 * A lock of Poetry 1.5–1.8 says nothing of groups: the packages of the main group are the ones its
 * dependencies reach, walked from pyproject.toml through each package's dependencies (optional ones
 * only for the extras asked), each under the markers of the paths that reach it. A name the lock holds
 * in several versions (one per Python range) is matched to each declaration by its constraint.
 */
function poetryWalk(packages: Table[], roots: Edge[], hashes: (p: Table) => string[]): Locked[] {
  const byName = entriesByName(packages);
  const packagesOf = (e: Edge): Table[] => {
    const all = byName.get(e.name) ?? [];
    if (all.length < 2) return all;
    const matching = all.filter((p) => satisfiesPoetry(String(p.version), e.version));
    return matching.length > 0 ? matching : all;
  };
  const edgesOf = (p: Table, extras: readonly string[]): Edge[] => {
    const deps = (p.dependencies ?? {}) as Table;
    const asked = new Set(
      extras
        .flatMap((x) => (Array.isArray((p.extras as Table | undefined)?.[x]) ? ((p.extras as Table)[x] as unknown[]) : []))
        .map((r) => normalizeName(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(String(r))?.[1] ?? ''))
    );
    return Object.entries(deps).flatMap(([name, value]) => poetryEdges(name, value, asked.has(normalizeName(name))));
  };
  const out: Locked[] = [];
  for (const [p, markers] of walkLock(roots, packagesOf, edgesOf)) {
    if (isLocalPoetry(p)) continue;
    out.push({
      name: String(p.name),
      version: String(p.version),
      marker: joinMarkers(markers, undefined),
      hashes: hashes(p),
      ...poetryOrigin(p)
    });
  }
  return out;
}

function markerOf(value: unknown): string | undefined {
  if (typeof value === 'string') return str(value);
  if (value && typeof value === 'object') return str((value as Table).main);
  return undefined;
}

function pdm(doc: Table): Locked[] {
  const seen = new Set<string>();
  return (
    tables(doc.package)
      .filter((p) => !Array.isArray(p.groups) || p.groups.includes('default'))
      // pdm locks a package asked with extras again under its extras (`requests` and `requests[socks]`)
      .filter((p) => {
        const id = `${normalizeName(String(p.name))}\u0000${String(p.version)}\u0000${str(p.marker) ?? ''}`;
        return !seen.has(id) && Boolean(seen.add(id));
      })
      .filter((p) => !p.path && !p.editable)
      .map((p): Locked => {
        const locked = { name: String(p.name), version: String(p.version), marker: str(p.marker), hashes: hashFields(tables(p.files)) };
        if (str(p.git)) return { ...locked, ...direct('git', gitReference(String(p.git), str(p.revision), p.subdirectory)) };
        if (str(p.url)) return { ...locked, ...direct('URL', archiveUrl(p.url)) };
        return locked;
      })
  );
}

function pylock(doc: Table): Locked[] {
  return tables(doc.packages)
    .filter((p) => !p.directory && !(p.archive && !archiveUrl((p.archive as Table).url)))
    .map((p): Locked => {
      const files = [p.sdist, p.archive, ...tables(p.wheels)].filter((f): f is Table => typeof f === 'object' && f !== null);
      const hashes = hashList(
        files.flatMap((f) => Object.entries((f.hashes ?? {}) as Table).map(([algorithm, hex]) => `${algorithm}:${String(hex)}`))
      );
      const locked = { name: String(p.name), version: String(p.version ?? ''), marker: str(p.marker), hashes };
      if (p.vcs) {
        const vcs = p.vcs as Table;
        return {
          ...locked,
          ...direct('git', vcs.type === 'git' ? gitReference(String(vcs.url ?? ''), str(vcs['commit-id']), vcs.subdirectory) : undefined)
        };
      }
      if (p.archive) return { ...locked, ...direct('URL', archiveUrl((p.archive as Table).url)) };
      if (str(p.index) && !isDefaultIndex(String(p.index))) return { ...locked, skip: otherIndex(String(p.index)) };
      return locked;
    })
    .filter((p) => p.version || p.url || p.skip);
}

/** A lock's entries by normalized name (several for a name the lock holds in several versions). */
function entriesByName(packages: readonly Table[]): Map<string, Table[]> {
  const byName = new Map<string, Table[]>();
  for (const p of packages) {
    const name = normalizeName(String(p.name));
    byName.set(name, [...(byName.get(name) ?? []), p]);
  }
  return byName;
}

/** A dependency edge of a lock file: the package it names (a version when the lock has several), under a marker, with extras. */
interface Edge {
  readonly name: string;
  readonly version?: string | undefined;
  readonly marker?: string | undefined;
  readonly extras: readonly string[];
}

/** At most this many distinct markers are kept for one package; past it, the package's own fork markers (or none) stand for them. */
const MARKER_CAP = 32;

/**
 * Walks a lock's graph from `roots`: every package reached, with the markers of the paths that reach it
 * (each path's edge markers joined with `and`; '' for an unconditional path) and the extras asked of it.
 * `packagesOf` answers the lock's entries for an edge (several when the lock forks by version and the
 * edge names none); `edgesOf` a package's edges, its optional ones for the extras asked.
 */
function walkLock<P>(
  roots: readonly Edge[],
  packagesOf: (edge: Edge) => P[],
  edgesOf: (pkg: P, extras: readonly string[]) => Edge[]
): Map<P, Set<string>> {
  const reached = new Map<P, Set<string>>();
  const done = new Set<string>();
  const ids = new Map<P, number>();
  const idOf = (p: P): number => {
    if (!ids.has(p)) ids.set(p, ids.size);
    return ids.get(p)!;
  };
  const visit = (edge: Edge, marker: string): void => {
    for (const pkg of packagesOf(edge)) {
      const markers = reached.get(pkg) ?? new Set<string>();
      reached.set(pkg, markers);
      const visitKey = `${idOf(pkg)}\u0000${marker}\u0000${[...edge.extras].sort().join(',')}`;
      if (done.has(visitKey) || markers.has('') || markers.size > MARKER_CAP) continue;
      done.add(visitKey);
      markers.add(marker);
      for (const next of edgesOf(pkg, edge.extras)) {
        visit(next, both(marker, next.marker));
      }
    }
  };
  for (const root of roots) visit(root, root.marker ?? '');
  return reached;
}

/** Markers joined by `op`, each in parentheses when there are several. */
function joined(markers: readonly string[], op: 'and' | 'or'): string {
  return markers.length === 1 ? markers[0]! : markers.map((m) => `(${m})`).join(` ${op} `);
}

const both = (a: string, b: string | undefined): string => joined([a, b ?? ''].filter(Boolean), 'and');

/** One marker for the paths that reach a package: none when one of them is unconditional. */
function joinMarkers(markers: Set<string>, fallback: string | undefined): string | undefined {
  if (markers.has('')) return undefined;
  if (markers.size > MARKER_CAP) return fallback;
  return joined([...markers].sort(), 'or');
}

/**
 * uv.lock keeps markers on dependency edges and may hold several versions of one package (a fork per
 * Python range, each edge naming its version): walk from the project's own dependencies, following the
 * extras edges ask for, and pin each version under the markers that reach it.
 */
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
  const locked = (p: Table, marker?: string): Locked => ({
    name: String(p.name),
    version: String(p.version),
    marker,
    hashes: hashFields([p.sdist, ...tables(p.wheels)]),
    ...origin(p)
  });
  if (roots.length === 0) return packages.filter((p) => !isLocal(p)).map((p) => locked(p));
  const byName = entriesByName(packages);
  const edge = (dep: Table): Edge => ({
    name: normalizeName(String(dep.name)),
    version: str(dep.version),
    marker: str(dep.marker),
    extras: Array.isArray(dep.extra) ? dep.extra.map(String) : []
  });
  const packagesOf = (e: Edge): Table[] => {
    const all = byName.get(e.name) ?? [];
    return e.version ? all.filter((p) => String(p.version) === e.version) : all;
  };
  const edgesOf = (p: Table, extras: readonly string[]): Edge[] => {
    const optional = (p['optional-dependencies'] ?? {}) as Table;
    return [...tables(p.dependencies), ...extras.flatMap((x) => tables(optional[x]))].map(edge);
  };
  const reached = walkLock(
    roots.flatMap((r) => tables(r.dependencies).map(edge)),
    packagesOf,
    edgesOf
  );
  const out: Locked[] = [];
  for (const [p, markers] of reached) {
    if (isLocal(p) || !str(p.version)) continue;
    const forks = Array.isArray(p['resolution-markers']) ? p['resolution-markers'].map(String) : [];
    out.push(locked(p, joinMarkers(markers, forks.length > 0 ? joined(forks, 'or') : undefined)));
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
      // "*": pipenv did not pin it (its marker excluded the platform it locked on): any version
      const locked = {
        name,
        version: String(p.version ?? '').replace(/^==/, ''),
        marker: str(p.markers),
        hashes: hashList(Array.isArray(p.hashes) ? p.hashes : [])
      };
      if (str(p.git)) return { ...locked, ...direct('git', gitReference(String(p.git), str(p.ref), p.subdirectory)) };
      if (p.file) return { ...locked, ...direct('URL', archiveUrl(p.file)) };
      const index = p.index === undefined ? first : urlOf(p.index);
      if (index && p.index !== undefined && index !== first && !isDefaultIndex(index)) return { ...locked, skip: otherIndex(index) };
      if (index && index === first && !isDefaultIndex(index) && !firstUsable) return { ...locked, skip: otherIndex(index) };
      return locked;
    })
    .filter((p) => p.version || p.url || p.skip);
}

/** A lock entry's pin: `==version`, a direct reference, or nothing for an entry that pins no version (`*`). */
const pinOf = (p: Locked): string => (p.url ? ` @ ${p.url}` : p.version === '*' ? '' : `==${p.version}`);

/**
 * Reads a lock file into `set`. `project` is the pyproject.toml beside it, if any: a Poetry 1.5–1.8 lock
 * needs it to tell the main group from the others.
 */
export function readLockFile(
  kind: (typeof LOCK_FILES)[number],
  content: string,
  display: string,
  set: DependencySet,
  project?: string
): DependencySet {
  const locked =
    kind === 'Pipfile.lock'
      ? pipfile(content, display, set)
      : kind === 'poetry.lock'
        ? poetry(toml(content, display), project === undefined ? undefined : toml(project, 'pyproject.toml'))
        : { 'uv.lock': uv, 'pdm.lock': pdm, 'pylock.toml': pylock }[kind](toml(content, display));
  set.files.push(display);
  for (const p of locked.sort((a, b) => normalizeName(a.name).localeCompare(normalizeName(b.name)))) {
    if (
      !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(p.name) ||
      (!p.url && !p.skip && p.version !== '*' && !/^[A-Za-z0-9.+!_-]+$/.test(p.version))
    ) {
      throw new DependencyError(`${display}: package '${p.name}' has an unusable name or version '${p.version}'`);
    }
    if (p.skip) {
      set.skipped.push(`${display}: ${p.name} (${p.skip})`);
      continue;
    }
    if (p.url && /\s/.test(p.url)) throw new DependencyError(`${display}: package '${p.name}' has an unusable URL`);
    const name = normalizeName(p.name);
    const marker = p.marker ? ` ; ${p.marker.replace(/\s+/g, ' ').trim()}` : '';
    const pin = pinOf(p);
    const normalizedPin = p.url ? ` @ ${redact(p.url)}` : pin;
    // pip can check the files of a pin or an archive, never a git checkout, and needs every hash of a
    // package (one per file the index has) to take whichever file fits the target
    const checkable = p.url ? !p.url.startsWith('git+') : p.version !== '*';
    const hashes = checkable
      ? [...new Set(p.hashes ?? [])]
          .sort()
          .map((h) => ` --hash=${h}`)
          .join('')
      : '';
    set.requirements.push({
      text: `${p.name}${pin}${marker}${hashes}`,
      normalized: `${name}${normalizedPin}${marker.replace(/ ; /, ';')}${hashes}`,
      name
    });
  }
  return set;
}

export function lockKind(fileName: string): (typeof LOCK_FILES)[number] | undefined {
  if (/^pylock\.[^.]+\.toml$/.test(fileName)) return 'pylock.toml';
  return (LOCK_FILES as readonly string[]).includes(fileName) ? (fileName as (typeof LOCK_FILES)[number]) : undefined;
}
