// Archives restored from the Actions cache are extracted by @actions/cache with `tar -P` (names kept
// as stored, `..` and absolute ones included). The action puts a guard in front of tar: before an
// extraction, the archive is listed, and one with a member outside the action's cache folder, or with
// a link, is refused (the restore then fails with a warning, as any cache fault). Pure parts here.
import path from 'node:path';

/**
 * The listing form of an extraction's arguments (`-xf A … -C D` → `-tvf A … --numeric-owner
 * --quoting-style=escape`); undefined: not an extraction. Numeric owners leave no free text before the
 * name (an owner or group name may hold spaces), and escaped names hold no newline.
 */
export function listingArgs(args: readonly string[]): { list: string[]; workingDir: string } | undefined {
  const x = args.indexOf('-xf');
  if (x < 0) return undefined;
  const list: string[] = [];
  let workingDir = process.cwd();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-C') {
      workingDir = args[++i] ?? workingDir;
      continue;
    }
    list.push(i === x ? '-tvf' : arg);
  }
  return { list: [...list, '--numeric-owner', '--quoting-style=escape'], workingDir };
}

export interface Member {
  readonly name: string;
  /** The type character of `tar -tv`: `-` file, `d` folder, `l` symlink, `h` hard link, … */
  readonly kind: string;
}

/** `mode uid/gid size date time name`: every column before the name is of a fixed shape. */
const LINE = /^([-a-zA-Z])[-a-zA-Z]{9} \d+\/\d+ +(?:\d+|\d+, *\d+) \d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)? (.+)$/;

/**
 * GNU tar's `-tv --numeric-owner` lines (C locale); undefined when any line does not read so, and the
 * archive is then refused. A link's name keeps its ` -> target` (links are refused whatever their name).
 */
export function parseListing(text: string): Member[] | undefined {
  const members: Member[] = [];
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const m = LINE.exec(line);
    if (!m) return undefined;
    members.push({ kind: m[1]!, name: m[2]! });
  }
  return members;
}

/** What is wrong with an archive's members, if anything. */
export function outsideMembers(members: readonly Member[] | undefined, workingDir: string, root: string): string | undefined {
  if (!members) return 'the listing is not readable';
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
