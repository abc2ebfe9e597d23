// Archives restored from the Actions cache are extracted by @actions/cache with `tar -P` (names kept
// as stored, `..` and absolute ones included). The action puts a guard in front of tar: before an
// extraction, the archive's headers are read (tar-stream, after the compression program tar would
// run), and one with a member outside the action's cache folder, or with a link, is refused (the
// restore then fails with a warning, as any cache fault). Pure parts here.
import path from 'node:path';

/** What an extraction's arguments say of the archive: its file, its compression, the folder it writes to. */
export interface Extraction {
  readonly archive: string;
  /** The program tar would filter the archive through (`PROG -d`), `gzip` for `-z`, or none. */
  readonly compression: readonly string[] | 'gzip' | undefined;
  readonly workingDir: string;
}

/**
 * `-xf A [-P] [-C D] [--use-compress-program P | -z]`, as @actions/cache extracts, run in `cwd` (the
 * archive and folder are given resolved from it); undefined: not an extraction of that form (the guard
 * refuses any other extraction).
 */
export function extractionOf(args: readonly string[], cwd: string = process.cwd()): Extraction | undefined {
  const x = args.indexOf('-xf');
  const given = x >= 0 ? args[x + 1] : undefined;
  if (!given) return undefined;
  const archive = path.resolve(cwd, given);
  let workingDir = cwd;
  let compression: Extraction['compression'];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-C') workingDir = path.resolve(cwd, args[++i] ?? workingDir);
    else if (arg === '--use-compress-program' || arg === '-I') compression = (args[++i] ?? '').split(/\s+/).filter(Boolean);
    else if (arg.startsWith('--use-compress-program='))
      compression = arg
        .slice(arg.indexOf('=') + 1)
        .split(/\s+/)
        .filter(Boolean);
    else if (arg === '-z' || arg === '--gzip') compression = 'gzip';
  }
  if (Array.isArray(compression) && compression.length === 0) return undefined;
  return { archive, compression, workingDir };
}

export interface Member {
  readonly name: string;
  /** `-` file, `d` folder, `l` symlink, `h` hard link, `?` anything else (as `tar -tv` marks them). */
  readonly kind: string;
}

const KINDS: Readonly<Record<string, string>> = { file: '-', 'contiguous-file': '-', directory: 'd', symlink: 'l', link: 'h' };

/** A member as a tar reader's header gives it (tar-stream's `type` names). */
export function memberOf(header: { readonly name: string; readonly type?: string | null }): Member {
  return { name: header.name, kind: KINDS[header.type ?? 'file'] ?? '?' };
}

/** What is wrong with an archive's members, if anything. */
export function outsideMembers(members: readonly Member[] | undefined, workingDir: string, root: string): string | undefined {
  if (!members) return 'the archive cannot be read';
  const base = path.resolve(root);
  for (const { name, kind } of members) {
    if (kind === 'l' || kind === 'h') return `'${name}' is a link`;
    if (!['-', 'd'].includes(kind)) return `'${name}' is not a file or folder`;
    const target = path.resolve(workingDir, name);
    const rel = path.relative(base, target);
    if (rel === '') continue;
    if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return `'${name}' is outside ${base}`;
  }
  return undefined;
}
