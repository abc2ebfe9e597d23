// Reads the Python of the target image and of the wheel image inside those images (not on the runner):
// a small buildx build whose local output holds what each interpreter says of itself.
import type { Target } from '../keys/key.js';

export interface PythonInfo {
  implementation: string;
  version: [number, number];
  libc: [string, string];
  musl: boolean;
}

const SCRIPT = [
  'import glob, json, platform, sys',
  'libc = platform.libc_ver()',
  "musl = bool(glob.glob('/lib/ld-musl-*.so.1'))",
  "json.dump({'implementation': sys.implementation.name, 'version': list(sys.version_info[:2]), 'libc': list(libc), 'musl': musl}, open('/probe.json', 'w'))"
].join('\n');

/** The probe's Dockerfile: no shell, no input reaches a command line (image names are validated references). */
export function probeDockerfile(targetImage: string, wheelImage: string): string {
  const run = `RUN ${JSON.stringify(['python3', '-c', SCRIPT])}`;
  return [
    `FROM ${targetImage} AS target`,
    run,
    `FROM ${wheelImage} AS wheel`,
    run,
    'FROM scratch',
    'COPY --from=target /probe.json /target.json',
    'COPY --from=wheel /probe.json /wheel.json',
    ''
  ].join('\n');
}

export function parsePythonInfo(json: string): PythonInfo {
  const data = JSON.parse(json) as Partial<PythonInfo>;
  if (typeof data.implementation !== 'string' || !Array.isArray(data.version) || !Array.isArray(data.libc)) {
    throw new Error(`unexpected probe output: ${json}`);
  }
  return data as PythonInfo;
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

/** The wheel image must run the same Python as the target, or its wheels will not install there. */
export function checkSamePython(target: PythonInfo, wheel: PythonInfo, wheelImage: string): string | undefined {
  if (pythonTag(target) !== pythonTag(wheel)) {
    return `the wheel image ${wheelImage} runs ${pythonTag(wheel)} but the target runs ${pythonTag(target)}: name a wheel image with the target's Python in 'wheel-image'`;
  }
  if (libcTag(target) !== libcTag(wheel) && (target.musl || wheel.musl)) {
    return `the wheel image ${wheelImage} uses ${libcTag(wheel)} but the target uses ${libcTag(target)}`;
  }
  return undefined;
}
