// Where a buildx release sits in GitHub's layout, and how its checksums file is read.
import { describe, expect, it } from '@jest/globals';
import { buildxArch, checksumOf, releaseFiles, versionInChecksums } from '../../../src/builder/install.js';

const SHA = 'a'.repeat(64);
const CHECKSUMS = `${'b'.repeat(64)}  buildx-v0.38.2.darwin-arm64
${SHA} *buildx-v0.38.2.linux-amd64
${'c'.repeat(64)}  buildx-v0.38.2.linux-arm64
`;

describe('buildxArch', () => {
  it.each<[string, string | undefined]>([
    ['x64', 'amd64'],
    ['arm64', 'arm64'],
    ['arm', 'arm-v7'],
    ['ppc64', 'ppc64le'],
    ['s390x', 's390x'],
    ['ia32', undefined]
  ])('%s → %s', (arch, expected) => {
    expect(buildxArch(arch)).toBe(expected);
  });
});

describe('releaseFiles', () => {
  it('names the binary and checksums of a release under the download URL (a trailing / or not)', () => {
    for (const base of ['https://github.com/docker/buildx/releases', 'https://github.com/docker/buildx/releases/']) {
      expect(releaseFiles(base, '0.38.2', 'amd64')).toEqual({
        asset: 'buildx-v0.38.2.linux-amd64',
        binary: 'https://github.com/docker/buildx/releases/download/v0.38.2/buildx-v0.38.2.linux-amd64',
        checksums: 'https://github.com/docker/buildx/releases/download/v0.38.2/checksums.txt'
      });
    }
  });
});

describe('checksumOf', () => {
  it.each<[string, string | undefined]>([
    ['buildx-v0.38.2.linux-amd64', SHA],
    ['buildx-v0.38.2.linux-arm64', 'c'.repeat(64)],
    ['buildx-v0.38.2.linux-riscv64', undefined],
    ['buildx-v0.38.2.linux', undefined]
  ])('%s', (asset, expected) => {
    expect(checksumOf(CHECKSUMS, asset)).toBe(expected);
  });

  it('refuses a line whose hash is not 64 hex digits', () => {
    expect(checksumOf(`${'z'.repeat(64)}  buildx-v0.38.2.linux-amd64\n`, 'buildx-v0.38.2.linux-amd64')).toBeUndefined();
  });
});

describe('versionInChecksums', () => {
  it.each<[string, string | undefined]>([
    [CHECKSUMS, '0.38.2'],
    [`${SHA}  buildx-v0.39.0-rc1.linux-amd64\n`, '0.39.0-rc1'],
    ['<html>not found</html>', undefined]
  ])('%#', (text, expected) => {
    expect(versionInChecksums(text)).toBe(expected);
  });
});
