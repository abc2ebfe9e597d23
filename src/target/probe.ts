// Reads the Python of the target image and of the wheel image inside those images (not on the runner):
// a small buildx build whose local output holds what each interpreter says of itself.
import type { Target } from '../keys/key.js';

export interface PythonInfo {
  implementation: string;
  version: [number, number];
  libc: [string, string];
  musl: boolean;
  /** The distributions the image has installed (pip, setuptools…), names normalized as PEP 503 says. */
  distributions: string[];
}

const SCRIPT = [
  'import glob, json, platform, re, sys',
  'from importlib import metadata',
  'libc = platform.libc_ver()',
  "musl = bool(glob.glob('/lib/ld-musl-*.so.1'))",
  "dists = sorted({re.sub(r'[-_.]+', '-', d.metadata['Name']).lower() for d in metadata.distributions() if d.metadata['Name']})",
  "json.dump({'implementation': sys.implementation.name, 'version': list(sys.version_info[:2]), 'libc': list(libc), 'musl': musl, 'distributions': dists}, open('/probe.json', 'w'))"
].join('\n');

/**
 * The probe's Dockerfile: the target image's interpreter describes itself. No shell, and no input
 * reaches a command line (the image name is a validated reference). Only the target is probed: the
 * wheel image (large, with compilers) is pulled only when wheels are built, and checked there.
 */
export function probeDockerfile(targetImage: string): string {
  return [
    `FROM ${targetImage} AS target`,
    `RUN ${JSON.stringify(['python3', '-c', SCRIPT])}`,
    'FROM scratch',
    'COPY --from=target /probe.json /target.json',
    ''
  ].join('\n');
}

/**
 * The wheel build's first step: fail with a clear message unless the wheel image runs the target's Python
 * and a C library the target can load its wheels with: the same family (glibc or musl) and, for glibc,
 * no newer a version than the target's (a wheel compiled against a newer glibc may need symbols the
 * target lacks; an older one is what manylinux builds on). `expectedLibc` is the target's libc tag
 * (`glibc2.36`, `musl`); `unknown` or undefined checks the Python alone.
 */
export function pythonCheckStep(expectedTag: string, expectedLibc?: string): string {
  if (!/^[a-z]+[0-9]+$/.test(expectedTag)) throw new Error(`unexpected Python tag ${expectedTag}`);
  const libc = expectedLibc ?? 'unknown';
  if (!/^(?:glibc\d+\.\d+|musl|unknown)$/.test(libc)) throw new Error(`unexpected libc tag ${libc}`);
  const script = [
    'import glob, platform, re, sys',
    "short = {'cpython': 'cp', 'pypy': 'pp'}.get(sys.implementation.name, sys.implementation.name)",
    "tag = '%s%d%d' % (short, sys.version_info[0], sys.version_info[1])",
    `tag == '${expectedTag}' or sys.exit('wheelhouse-buildx: the wheel image runs ' + tag + ' but the target runs ${expectedTag}')`,
    "musl = bool(glob.glob('/lib/ld-musl-*.so.1'))",
    'name, version = platform.libc_ver()',
    "libc = 'musl' if musl else (name + version if name else 'unknown')",
    "number = lambda s: tuple(int(x) for x in re.findall(r'[0-9]+', s))",
    `expected = '${libc}'`,
    "clash = expected != 'unknown' and libc != 'unknown' and (musl != (expected == 'musl') or (not musl and number(libc) > number(expected)))",
    "clash and sys.exit('wheelhouse-buildx: the wheel image has ' + libc + ' but the target has ' + expected + ': its wheels may need a C library the target lacks')"
  ].join('\n');
  return `RUN ${JSON.stringify(['python3', '-c', script])}`;
}

export function parsePythonInfo(json: string): PythonInfo {
  const data = JSON.parse(json) as Partial<PythonInfo>;
  if (
    typeof data.implementation !== 'string' ||
    !Array.isArray(data.version) ||
    !Array.isArray(data.libc) ||
    !Array.isArray(data.distributions)
  ) {
    throw new Error(`unexpected probe output: ${json}`);
  }
  return { ...data, distributions: data.distributions.filter((d): d is string => typeof d === 'string') } as PythonInfo;
}

export function pythonTag(info: PythonInfo): string {
  const short: Record<string, string> = { cpython: 'cp', pypy: 'pp', graalpy: 'graalpy' };
  return `${short[info.implementation] ?? info.implementation}${info.version[0]}${info.version[1]}`;
}

export function libcTag(info: PythonInfo): string {
  if (info.musl) return 'musl';
  const [name, version] = info.libc;
  return name ? `${name}${version}` : 'unknown';
}

export function targetOf(platform: string, info: PythonInfo): Target {
  return { platform, pythonTag: pythonTag(info), libc: libcTag(info) };
}
