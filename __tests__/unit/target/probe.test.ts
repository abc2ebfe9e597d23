// The target probe: its Dockerfile, what it reads back, and the checks on the two Pythons.
import { describe, expect, it } from '@jest/globals';
import { baseImage } from '../../../src/target/dockerfile.js';
import {
  type PythonInfo,
  checkSamePython,
  libcTag,
  parsePythonInfo,
  probeDockerfile,
  pythonTag,
  targetOf
} from '../../../src/target/probe.js';

const CP312_GLIBC: PythonInfo = { implementation: 'cpython', version: [3, 12], libc: ['glibc', '2.36'], musl: false };
const CP311_GLIBC: PythonInfo = { implementation: 'cpython', version: [3, 11], libc: ['glibc', '2.36'], musl: false };
const CP312_GLIBC_OLD: PythonInfo = { implementation: 'cpython', version: [3, 12], libc: ['glibc', '2.31'], musl: false };
const CP312_MUSL: PythonInfo = { implementation: 'cpython', version: [3, 12], libc: ['', ''], musl: true };
const PP310: PythonInfo = { implementation: 'pypy', version: [3, 10], libc: ['glibc', '2.36'], musl: false };

describe('parsePythonInfo', () => {
  it.each<[string, string, PythonInfo]>([
    ['CPython on Debian', '{"implementation": "cpython", "version": [3, 12], "libc": ["glibc", "2.36"], "musl": false}', CP312_GLIBC],
    ['CPython on Alpine', '{"implementation": "cpython", "version": [3, 12], "libc": ["", ""], "musl": true}', CP312_MUSL],
    ['PyPy', '{"implementation": "pypy", "version": [3, 10], "libc": ["glibc", "2.36"], "musl": false}', PP310]
  ])('%s', (_, json, expected) => {
    expect(parsePythonInfo(json)).toEqual(expected);
  });

  it.each([
    ['{"implementation": "cpython", "version": "3.12", "libc": ["glibc", "2.36"], "musl": false}'],
    ['{"version": [3, 12], "libc": ["glibc", "2.36"], "musl": false}'],
    ['{"implementation": "cpython", "version": [3, 12], "musl": false}'],
    ['{}']
  ])('refuses %s', (json) => {
    expect(() => parsePythonInfo(json)).toThrow(`unexpected probe output: ${json}`);
  });

  it('throws on output that is not JSON', () => {
    expect(() => parsePythonInfo('Traceback (most recent call last):')).toThrow(SyntaxError);
  });
});

describe('pythonTag and libcTag', () => {
  it.each<[PythonInfo, string, string]>([
    [CP312_GLIBC, 'cp312', 'glibc2.36'],
    [CP311_GLIBC, 'cp311', 'glibc2.36'],
    [CP312_GLIBC_OLD, 'cp312', 'glibc2.31'],
    [CP312_MUSL, 'cp312', 'musl'],
    [{ ...CP312_MUSL, libc: ['glibc', '2.36'] }, 'cp312', 'musl'],
    [PP310, 'pp310', 'glibc2.36'],
    [{ implementation: 'graalpy', version: [3, 11], libc: ['glibc', '2.35'], musl: false }, 'graalpy311', 'glibc2.35'],
    [{ implementation: 'ironpython', version: [3, 4], libc: ['', ''], musl: false }, 'ironpython34', 'unknown'],
    [{ implementation: 'cpython', version: [3, 9], libc: ['glibc', ''], musl: false }, 'cp39', 'glibc']
  ])('%j → %s, %s', (info, python, libc) => {
    expect(pythonTag(info)).toBe(python);
    expect(libcTag(info)).toBe(libc);
  });

  it('targetOf names platform, Python and libc', () => {
    expect(targetOf('linux/arm64', CP312_MUSL)).toEqual({ platform: 'linux/arm64', pythonTag: 'cp312', libc: 'musl' });
    expect(targetOf('linux/amd64', CP311_GLIBC)).toEqual({ platform: 'linux/amd64', pythonTag: 'cp311', libc: 'glibc2.36' });
  });
});

describe('checkSamePython', () => {
  it.each<[string, PythonInfo, PythonInfo]>([
    ['the same Python and libc', CP312_GLIBC, CP312_GLIBC],
    ['the same Python, another glibc', CP312_GLIBC_OLD, CP312_GLIBC],
    ['both musl', CP312_MUSL, CP312_MUSL]
  ])('%s: no complaint', (_, target, wheel) => {
    expect(checkSamePython(target, wheel, 'python:3.12')).toBeUndefined();
  });

  it.each<[string, PythonInfo, PythonInfo, string]>([
    [
      'another minor version',
      CP312_GLIBC,
      CP311_GLIBC,
      "the wheel image python:3.11 runs cp311 but the target runs cp312: name a wheel image with the target's Python in 'wheel-image'"
    ],
    [
      'another implementation',
      { ...PP310, version: [3, 12] },
      CP312_GLIBC,
      "the wheel image python:3.11 runs cp312 but the target runs pp312: name a wheel image with the target's Python in 'wheel-image'"
    ],
    ['a glibc wheel image for a musl target', CP312_MUSL, CP312_GLIBC, 'the wheel image python:3.11 uses glibc2.36 but the target uses musl'],
    ['a musl wheel image for a glibc target', CP312_GLIBC, CP312_MUSL, 'the wheel image python:3.11 uses musl but the target uses glibc2.36']
  ])('%s', (_, target, wheel, message) => {
    expect(checkSamePython(target, wheel, 'python:3.11')).toBe(message);
  });

  it("names the 'wheel-image' input when the Pythons differ", () => {
    expect(checkSamePython(CP312_GLIBC, CP311_GLIBC, 'ghcr.io/acme/py:3.11')).toMatch(/ghcr\.io\/acme\/py:3\.11.*'wheel-image'/);
  });
});

describe('probeDockerfile', () => {
  const dockerfile = probeDockerfile('python:3.12-slim', 'python:3.12');
  const lines = dockerfile.split('\n');

  it('starts a stage from each image', () => {
    expect(lines.filter((l) => l.startsWith('FROM '))).toEqual(['FROM python:3.12-slim AS target', 'FROM python:3.12 AS wheel', 'FROM scratch']);
    expect(baseImage(dockerfile, 'target')).toBe('python:3.12-slim');
    expect(baseImage(dockerfile, 'wheel')).toBe('python:3.12');
  });

  it('runs python3 in exec form (a JSON array, no shell), once a stage', () => {
    const runs = lines.filter((l) => l.startsWith('RUN '));
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      const argv = JSON.parse(run.slice('RUN '.length)) as unknown;
      expect(Array.isArray(argv)).toBe(true);
      const [program, flag, script] = argv as string[];
      expect([program, flag]).toEqual(['python3', '-c']);
      expect(script).toContain("open('/probe.json', 'w')");
      expect(script).toContain('sys.implementation.name');
      expect(script).toContain('platform.libc_ver()');
      expect(script).toContain("glob.glob('/lib/ld-musl-*.so.1')");
    }
  });

  it('exports both answers from a scratch stage', () => {
    expect(lines.slice(-3)).toEqual(['COPY --from=target /probe.json /target.json', 'COPY --from=wheel /probe.json /wheel.json', '']);
  });

  it('a registry with a port and a digest stay whole', () => {
    const digest = `127.0.0.1:5000/python@sha256:${'0'.repeat(64)}`;
    const text = probeDockerfile(digest, '127.0.0.1:5000/python:3.11-local');
    expect(text).toContain(`FROM ${digest} AS target\n`);
    expect(text).toContain('FROM 127.0.0.1:5000/python:3.11-local AS wheel\n');
  });
});
