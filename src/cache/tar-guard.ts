// Archives restored from the Actions cache are extracted by @actions/cache with `tar -P` (names kept
// as stored, `..` and absolute ones included). The action puts a guard in front of tar: before an
// extraction, the archive is listed, and one with a member outside the action's cache folder, or with
// a link, is refused (the restore then fails with a warning, as any cache fault). Pure parts here.
import path from 'node:path';

/** The listing form of an extraction's arguments (`-xf A … -C D` → `-tf A …`); undefined: not an extraction. */
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
    list.push(i === x ? '-tf' : arg);
  }
  return { list, workingDir };
}

/**
 * What is wrong with an archive's members, if anything: `names` from `tar -t`, `kinds` the first
 * character of each `tar -tv` line (`-` file, `d` folder, `l` symlink, `h` hard link, …).
 */
export function outsideMembers(names: readonly string[], kinds: readonly string[], workingDir: string, root: string): string | undefined {
  if (names.length !== kinds.length) return `the listing is not readable (${names.length} names, ${kinds.length} entries)`;
  const base = path.resolve(root);
  for (const [i, name] of names.entries()) {
    const kind = kinds[i]!;
    if (kind === 'l' || kind === 'h') return `'${name}' is a link`;
    if (!['-', 'd'].includes(kind)) return `'${name}' is not a file or folder`;
    const target = path.resolve(workingDir, name);
    const rel = path.relative(base, target);
    if (rel === '' ) continue;
    if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return `'${name}' is outside ${base}`;
  }
  return undefined;
}
