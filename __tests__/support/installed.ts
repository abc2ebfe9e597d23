// What an image has installed under its interpreter's install prefix (`/usr/local`: packages, scripts,
// data files), to compare two images file for file.
import { execFileSync } from 'node:child_process';

/**
 * Each file's path, mode and SHA-256 (`pyc` for byte code, whose header holds a time); with `dirs`, each
 * folder's mode and owner too (a `--link` layer's folders replace the image's).
 */
const listingScript = (dirs: boolean): string =>
  [
    'import hashlib, json, os, stat, sysconfig',
    'out = {}',
    'for top in [sysconfig.get_paths()["data"]]:',
    '    for d, sub, files in os.walk(top):',
    ...(dirs ? ['        st = os.lstat(d)', '        out[d + "/"] = "%o %d:%d" % (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid)'] : []),
    '        for f in files:',
    '            p = os.path.join(d, f)',
    '            st = os.lstat(p)',
    '            kind = "link:" + os.readlink(p) if stat.S_ISLNK(st.st_mode) else "pyc" if f.endswith(".pyc") else hashlib.sha256(open(p, "rb").read()).hexdigest()',
    '            out[p] = "%o %s" % (stat.S_IMODE(st.st_mode), kind)',
    'print(json.dumps(out, sort_keys=True))'
  ].join('\n');

/** The listing of `image`'s install prefix; `before` runs first in the container (e.g. a pip install). */
export function installedFiles(
  image: string,
  options: { mounts?: string[]; before?: string; dirs?: boolean } = {}
): Record<string, string> {
  const script = `${options.before ?? ''}python3 -c '${listingScript(options.dirs ?? false)}'`;
  const out = execFileSync(
    'docker',
    ['run', '--rm', '--network', 'none', '--user', '0', ...(options.mounts ?? []), '--entrypoint', 'sh', image, '-c', script],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024
    }
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, string>;
}

/** The entries two listings disagree on, one line each (empty when they are the same). */
export function listingDiff(a: Record<string, string>, b: Record<string, string>, names: [string, string] = ['built', 'pip']): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((f) => a[f] !== b[f])
    .map((f) => `${f}: ${a[f] ?? 'missing'} / ${names[1]}: ${b[f] ?? 'missing'}`);
}
