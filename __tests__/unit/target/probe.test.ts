// The target probe: its Dockerfile, what it reads back, and the wheel build's check of the wheel image's Python.
import { describe, expect, it } from '@jest/globals';
import { baseImage } from '../../../src/target/dockerfile.js';
import {
  type PythonInfo,
  libcTag,
  parsePythonInfo,
  probeDockerfile,
  pythonCheckStep,
  pythonTag,
  targetOf
} from '../../../src/target/probe.js';

const CP312_GLIBC: PythonInfo = {
  implementation: 'cpython',
  version: [3, 12],
  libc: ['glibc', '2.36'],
  musl: false,
  distributions: ['pip', 'setuptools', 'wheel']
};
const CP311_GLIBC: PythonInfo = {
  implementation: 'cpython',
  version: [3, 11],
  libc: ['glibc', '2.36'],
  musl: false,
  distributions: ['pip', 'setuptools', 'wheel']
};
const CP312_GLIBC_OLD: PythonInfo = {
  implementation: 'cpython',
  version: [3, 12],
  libc: ['glibc', '2.31'],
  musl: false,
  distributions: ['pip', 'setuptools', 'wheel']
};
const CP312_MUSL: PythonInfo = { implementation: 'cpython', version: [3, 12], libc: ['', ''], musl: true, distributions: ['pip'] };
const PP310: PythonInfo = {
  implementation: 'pypy',
  version: [3, 10],
  libc: ['glibc', '2.36'],
  musl: false,
  distributions: ['pip', 'setuptools', 'wheel']
};

describe('parsePythonInfo', () => {
  it.each<[string, string, PythonInfo]>([
    [
      'CPython on Debian',
      '{"implementation": "cpython", "version": [3, 12], "libc": ["glibc", "2.36"], "musl": false, "distributions": ["pip", "setuptools", "wheel"]}',
      CP312_GLIBC
    ],
    [
      'CPython on Alpine',
      '{"implementation": "cpython", "version": [3, 12], "libc": ["", ""], "musl": true, "distributions": ["pip"]}',
      CP312_MUSL
    ],
    [
      'PyPy',
      '{"implementation": "pypy", "version": [3, 10], "libc": ["glibc", "2.36"], "musl": false, "distributions": ["pip", "setuptools", "wheel", 7]}',
      PP310
    ]
  ])('%s', (_, json, expected) => {
    expect(parsePythonInfo(json)).toEqual(expected);
  });

  it.each([
    ['{"implementation": "cpython", "version": "3.12", "libc": ["glibc", "2.36"], "musl": false}'],
    ['{"version": [3, 12], "libc": ["glibc", "2.36"], "musl": false}'],
    ['{"implementation": "cpython", "version": [3, 12], "musl": false}'],
    ['{"implementation": "cpython", "version": [3, 12], "libc": ["glibc", "2.36"], "musl": false}'],
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
    [{ implementation: 'graalpy', version: [3, 11], libc: ['glibc', '2.35'], musl: false, distributions: [] }, 'graalpy311', 'glibc2.35'],
    [{ implementation: 'ironpython', version: [3, 4], libc: ['', ''], musl: false, distributions: [] }, 'ironpython34', 'unknown'],
    [{ implementation: 'cpython', version: [3, 9], libc: ['glibc', ''], musl: false, distributions: [] }, 'cp39', 'glibc']
  ])('%j → %s, %s', (info, python, libc) => {
    expect(pythonTag(info)).toBe(python);
    expect(libcTag(info)).toBe(libc);
  });

  it('targetOf names platform, Python and libc', () => {
    expect(targetOf('linux/arm64', CP312_MUSL)).toEqual({ platform: 'linux/arm64', pythonTag: 'cp312', libc: 'musl' });
    expect(targetOf('linux/amd64', CP311_GLIBC)).toEqual({ platform: 'linux/amd64', pythonTag: 'cp311', libc: 'glibc2.36' });
  });
});

describe('pythonCheckStep', () => {
  it('is an exec-form RUN (no shell) that exits with a message naming both Pythons unless they match', () => {
    const step = pythonCheckStep('cp311');
    expect(step.startsWith('RUN [')).toBe(true);
    const [program, flag, script] = JSON.parse(step.slice('RUN '.length)) as string[];
    expect([program, flag]).toEqual(['python3', '-c']);
    expect(script).toContain("tag == 'cp311'");
    expect(script).toContain("'wheelhouse-buildx: the wheel image runs ' + tag + ' but the target runs cp311'");
  });

  it.each(['cp311', 'pp310', 'graalpy311'])('accepts the tag %s', (tag) => {
    expect(pythonCheckStep(tag)).toContain(tag);
  });

  it.each(["cp311'; import os", 'cp 311', ''])('refuses anything but a tag: %j', (tag) => {
    expect(() => pythonCheckStep(tag)).toThrow('unexpected Python tag');
  });

  it("with the target's libc: the wheel image must have the same family, and no newer a glibc", () => {
    const [, , script] = JSON.parse(pythonCheckStep('cp311', 'glibc2.36').slice('RUN '.length)) as string[];
    expect(script).toContain("expected = 'glibc2.36'");
    expect(script).toContain("(musl != (expected == 'musl') or (not musl and number(libc) > number(expected)))");
    expect(script).toContain("'wheelhouse-buildx: the wheel image has ' + libc + ' but the target has ' + expected");
    // without it (an old probe entry): unknown, the Python alone is checked
    expect(pythonCheckStep('cp311')).toContain("expected = 'unknown'");
  });

  it.each(['glibc2.36', 'musl', 'unknown'])('accepts the libc tag %s', (libc) => {
    expect(pythonCheckStep('cp311', libc)).toContain(`expected = '${libc}'`);
  });

  it.each(["glibc2.36'; import os", 'glibc', 'uclibc1.0'])('refuses anything but a libc tag: %j', (libc) => {
    expect(() => pythonCheckStep('cp311', libc)).toThrow('unexpected libc tag');
  });
});

describe('probeDockerfile', () => {
  const dockerfile = probeDockerfile('python:3.12-slim');
  const lines = dockerfile.split('\n');

  it('starts one stage from the target image, and exports from scratch', () => {
    expect(lines.filter((l) => l.startsWith('FROM '))).toEqual(['FROM python:3.12-slim AS target', 'FROM scratch']);
    expect(baseImage(dockerfile, 'target')).toBe('python:3.12-slim');
    expect(lines.slice(-2)).toEqual(['COPY --from=target /probe.json /target.json', '']);
  });

  it('runs python3 in exec form (a JSON array, no shell)', () => {
    const runs = lines.filter((l) => l.startsWith('RUN '));
    expect(runs).toHaveLength(1);
    const [program, flag, script] = JSON.parse(runs[0]!.slice('RUN '.length)) as string[];
    expect([program, flag]).toEqual(['python3', '-c']);
    expect(script).toContain("open('/probe.json', 'w')");
    expect(script).toContain('sys.implementation.name');
    expect(script).toContain('platform.libc_ver()');
    expect(script).toContain("glob.glob('/lib/ld-musl-*.so.1')");
  });

  it('a registry with a port and a digest stays whole', () => {
    const digest = `127.0.0.1:5000/python@sha256:${'0'.repeat(64)}`;
    expect(probeDockerfile(digest)).toContain(`FROM ${digest} AS target\n`);
  });
});
