// pip requirement files: follows -r/-c includes, drops comments, blank lines and local/editable
// entries, keeps index options, and gives each line a normalised form for the cache key in which
// credentials are redacted.
import { type Requirement, parsePipRequirementsLine } from 'pip-requirements-js';
import path from 'node:path';
import { DependencyError, type DependencySet, type Line, emptySet, normalizeName } from './model.js';
import { redact } from './credentials.js';

export { credentialsIn, hasCredentials, redact } from './credentials.js';

export type ReadFile = (file: string) => Promise<string>;

const INDEX_OPTIONS = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '--no-index',
  '-f',
  '--find-links',
  '--trusted-host',
  '--pre',
  '--prefer-binary',
  '--only-binary',
  '--no-binary'
]);
const REQUIREMENT_OPTIONS = /\s+(--hash[= ]\S+|--config-settings[= ]\S+|--global-option[= ]\S+)/g;

/** Logical lines: continuation lines joined (as in pip, a comment line never continues), comments and blank lines dropped. */
export function logicalLines(text: string): { text: string; lineNo: number }[] {
  const out: { text: string; lineNo: number }[] = [];
  let pending = '';
  let start = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (pending === '') start = i + 1;
    if (raw.endsWith('\\') && !/^\s*#/.test(raw)) {
      pending += `${raw.slice(0, -1)} `;
      return;
    }
    const joined = (pending + raw).replace(/(^|\s)#.*$/, '').trim();
    pending = '';
    if (joined) out.push({ text: joined, lineNo: start });
  });
  if (pending.trim()) out.push({ text: pending.replace(/(^|\s)#.*$/, '').trim(), lineNo: start });
  return out;
}

function optionAndValue(text: string): [string, string] {
  const m = /^(-[a-zA-Z]|--[a-z-]+)(?:[= ]\s*(.*))?$/.exec(text);
  return m ? [m[1] ?? text, (m[2] ?? '').trim()] : [text, ''];
}

function isLocal(spec: string): boolean {
  return /^(\.|\/|~|file:)/.test(spec) || (/\.(whl|tar\.gz|zip)$/.test(spec) && !spec.includes('://'));
}

/** Normalised requirement: PEP 503 name, sorted extras and specifiers, whitespace-free marker, sorted hashes. */
export function normalizeRequirement(text: string, where: string): Line {
  const hashes: string[] = [];
  const base = text.replace(REQUIREMENT_OPTIONS, (_, opt: string) => {
    hashes.push(opt.replace(' ', '='));
    return '';
  });
  let parsed: Requirement | null;
  try {
    parsed = parsePipRequirementsLine(base);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new DependencyError(`${where}: cannot parse '${redact(text)}' (${detail})`);
  }
  if (!parsed || (parsed.type !== 'ProjectName' && parsed.type !== 'ProjectURL')) {
    throw new DependencyError(`${where}: '${redact(text)}' is not a requirement`);
  }
  const name = normalizeName(parsed.name);
  const extras = parsed.extras?.length ? `[${parsed.extras.map(normalizeName).sort().join(',')}]` : '';
  const marker = base.includes(';')
    ? `;${base
        .slice(base.indexOf(';') + 1)
        .replace(/\s+/g, ' ')
        .trim()}`
    : '';
  const spec =
    parsed.type === 'ProjectURL'
      ? ` @ ${redact(parsed.url)}`
      : (parsed.versionSpec ?? [])
          .map((v) => `${v.operator}${v.version}`)
          .sort()
          .join(',');
  const hashText = hashes
    .sort()
    .map((h) => ` ${h}`)
    .join('');
  return { text, normalized: `${name}${extras}${spec}${marker}${hashText}`, name };
}

/**
 * Reads a requirements (or constraints) file and everything it includes into `set`.
 * `display` names files relative to the context in messages and in the set's file list.
 */
export async function readRequirementsFile(
  file: string,
  kind: 'requirements' | 'constraints',
  readFile: ReadFile,
  display: (file: string) => string,
  set: DependencySet = emptySet(),
  visiting: Set<string> = new Set()
): Promise<DependencySet> {
  if (visiting.has(file)) return set;
  visiting.add(file);
  let content: string;
  try {
    content = await readFile(file);
  } catch {
    throw new DependencyError(`${display(file)}: cannot be read`);
  }
  set.files.push(display(file));
  for (const { text, lineNo } of logicalLines(content)) {
    const where = `${display(file)}:${lineNo}`;
    if (text.startsWith('-')) {
      const [option, value] = optionAndValue(text);
      if (['-r', '--requirement', '-c', '--constraint'].includes(option)) {
        if (!value) throw new DependencyError(`${where}: ${option} needs a file`);
        const included = path.resolve(path.dirname(file), value);
        const nextKind = option === '-c' || option === '--constraint' ? 'constraints' : kind;
        await readRequirementsFile(included, nextKind, readFile, display, set, visiting);
      } else if (option === '-e' || option === '--editable') {
        set.skipped.push(`${where}: ${redact(text)} (editable)`);
      } else if (INDEX_OPTIONS.has(option)) {
        if ((option === '-f' || option === '--find-links') && isLocal(value)) {
          set.skipped.push(`${where}: ${text} (a local folder is not in the wheel build)`);
        } else {
          set.options.push({ text, normalized: redact(`${option} ${value}`.trim()) });
        }
      } else {
        throw new DependencyError(`${where}: the option ${option} is not supported in a wheelhouse build`);
      }
    } else if (isLocal(text)) {
      set.skipped.push(`${where}: ${redact(text)} (a local path)`);
    } else {
      (kind === 'constraints' ? set.constraints : set.requirements).push(normalizeRequirement(text, where));
    }
  }
  return set;
}
