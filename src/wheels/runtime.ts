// The system libraries the wheels need at run time, found from the wheels themselves as auditwheel
// does: each shared object of a wheel built for this machine only (`linux_*`; manylinux and musllinux
// wheels carry their libraries) names the libraries it loads itself (its ELF DT_NEEDED entries); the
// loader of the wheel image, where it was built, finds each, and dpkg names its package
// (libpq.so.5 → libpq5; what those packages need in turn, apt installs with them). The answer travels in the
// wheelhouse's manifest, so a wheel reused from the cache keeps it.

/** The script the wheel build runs in the wheel image: wheelhouse folder in, JSON out. */
export const RUNTIME_SCRIPT = 'runtime-libraries.py';
export const RUNTIME_FILE = 'runtime-libraries.json';

export const runtimeScript = `import json, os, re, struct, subprocess, sys, tempfile, zipfile

wheelhouse, dest = sys.argv[1], sys.argv[2]
found = {}
have_dpkg = subprocess.run(["sh", "-c", "command -v dpkg"], capture_output=True).returncode == 0


def needed(path):
    """The DT_NEEDED entries of an ELF shared object: the libraries it loads itself."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\\x7fELF":
        return []
    order = "<" if data[5] == 1 else ">"
    if data[4] == 2:
        shoff, = struct.unpack_from(order + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x3A)
        header, entry = order + "IIQQQQIIQQ", order + "qQ"
    else:
        shoff, = struct.unpack_from(order + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x2E)
        header, entry = order + "IIIIIIIIII", order + "iI"
    sections = [struct.unpack_from(header, data, shoff + i * shentsize) for i in range(shnum)]
    names = []
    for section in sections:
        if section[1] != 6:  # SHT_DYNAMIC
            continue
        strings = sections[section[6]][4]
        size = struct.calcsize(entry)
        for i in range(section[5] // size):
            tag, value = struct.unpack_from(entry, data, section[4] + i * size)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                start = strings + value
                names.append(data[start:data.index(b"\\0", start)].decode())
    return names


def owner(lib):
    for candidate in (lib, os.path.realpath(lib), re.sub(r"^/lib", "/usr/lib", lib)):
        answer = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if answer.returncode == 0:
            return answer.stdout.split(":")[0].strip()
    return None


for name in sorted(os.listdir(wheelhouse)):
    if not re.search(r"-linux_[A-Za-z0-9_]+\\.whl$", name):
        continue
    packages, unresolved = set(), set()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(os.path.join(wheelhouse, name)) as wheel:
        for member in wheel.namelist():
            if not re.search(r"\\.so(\\.[0-9.]+)?$", member):
                continue
            path = wheel.extract(member, tmp)
            resolved = {}
            for line in subprocess.run(["ldd", path], capture_output=True, text=True).stdout.splitlines():
                m = re.match(r"\\s*(\\S+) => (\\S+)", line)
                if m:
                    resolved[m.group(1)] = m.group(2)
            for soname in needed(path):
                lib = resolved.get(soname, "not")
                if lib.startswith(tmp):
                    continue  # carried in the wheel itself
                package = owner(lib) if have_dpkg and lib.startswith("/") else None
                if package is None:
                    unresolved.add(soname)
                elif package != "libc6":
                    packages.add(package)
    found[name] = {"packages": sorted(packages), "unresolved": sorted(unresolved)}
with open(dest, "w") as out:
    json.dump(found, out)
`;

export interface RuntimeLibraries {
  /** Debian packages (without architecture) the wheel's shared objects load. */
  readonly packages: readonly string[];
  /** Libraries the loader could not find in the image (or find an owner for). */
  readonly unresolved: readonly string[];
}

/** The script's answer; wheels it does not list are left out, a malformed answer is empty. */
export function parseRuntime(json: string): Record<string, RuntimeLibraries> {
  const out: Record<string, RuntimeLibraries> = {};
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return out;
  }
  if (typeof data !== 'object' || data === null) return out;
  const names = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && /^[a-z0-9][a-z0-9+.-]*$/.test(x)) : [];
  const sonames = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  for (const [wheel, entry] of Object.entries(data as Record<string, unknown>)) {
    if (!/^[^/\\]+\.whl$/.test(wheel) || typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    out[wheel] = { packages: names(e.packages), unresolved: sonames(e.unresolved) };
  }
  return out;
}

/**
 * What the new wheelhouse's wheels need: a wheel the previous wheelhouse already answered for keeps
 * that answer (a reused wheel may be checked where its libraries are missing); others take the new one.
 */
export function mergeRuntime(
  wheels: readonly string[],
  previous: Readonly<Record<string, RuntimeLibraries>>,
  fresh: Readonly<Record<string, RuntimeLibraries>>
): Record<string, RuntimeLibraries> {
  const out: Record<string, RuntimeLibraries> = {};
  for (const wheel of wheels) {
    const known = [previous[wheel], fresh[wheel]].find((r) => r && r.unresolved.length === 0) ?? previous[wheel] ?? fresh[wheel];
    if (known) out[wheel] = known;
  }
  return out;
}

/** The packages of every wheel, sorted, once each. */
export const runtimePackages = (runtime: Readonly<Record<string, RuntimeLibraries>>): string[] =>
  [...new Set(Object.values(runtime).flatMap((r) => r.packages))].sort();
