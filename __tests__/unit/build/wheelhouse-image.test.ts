// The wheelhouse as an image: the tags it is pushed under, the buildx arguments that push it
// reproducibly, the entry that remembers it and what of that entry is taken.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  contentTag,
  imageContexts,
  imageRecord,
  manifestMatches,
  parseImageRecord,
  pushArgs
} from '../../../src/build/wheelhouse-image.js';
import { wheelhouseImageKeys } from '../../../src/keys/key.js';

const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const REPO = 'reg:5000/team/app';
const IMAGES = { wheelhouse: `${REPO}@${digest('a')}`, base: `${REPO}@${digest('b')}` };
const WHEELS = [
  { file: 'flask-3.0.3-py3-none-any.whl', bytes: 101_817 },
  { file: 'numpy-2.1.0-cp311-cp311-manylinux_2_17_x86_64.whl', bytes: 16_300_000 }
];

describe('contentTag', () => {
  const files = [
    { path: 'a-1-py3-none-any.whl', sha256: 'a'.repeat(64) },
    { path: 'base/b-1-py3-none-any.whl', sha256: 'b'.repeat(64) }
  ];
  it('names the wheelhouse and the base by their content, in the given repository', () => {
    expect(contentTag(REPO, 'wheelhouse', files, 'linux/amd64')).toMatch(/^reg:5000\/team\/app:wheelhouse-[0-9a-f]{16}$/);
    expect(contentTag(REPO, 'base', files, 'linux/amd64')).toMatch(/^reg:5000\/team\/app:wheelhouse-base-[0-9a-f]{16}$/);
  });

  it.each<[string, typeof files, string, 'same' | 'differs']>([
    ['the same files listed in another order', [files[1]!, files[0]!], 'linux/amd64', 'same'],
    ['a file of other bytes', [files[0]!, { ...files[1]!, sha256: 'c'.repeat(64) }], 'linux/amd64', 'differs'],
    ['the same bytes under another name', [files[0]!, { ...files[1]!, path: 'b-1-py3-none-any.whl' }], 'linux/amd64', 'differs'],
    ['a file fewer', [files[0]!], 'linux/amd64', 'differs'],
    ['the same files for another platform', files, 'linux/arm64', 'differs']
  ])('%s: the tag %s', (_, other, platform, expected) => {
    expect(
      contentTag(REPO, 'wheelhouse', other, platform) === contentTag(REPO, 'wheelhouse', files, 'linux/amd64') ? 'same' : 'differs'
    ).toBe(expected);
  });
});

describe('pushArgs', () => {
  it("pushes the folder as the target platform's uncompressed one-layer image with fixed timestamps and no attestations", () => {
    expect(
      pushArgs(
        'wh-builder',
        '/tmp/w/wheelhouse-image.Dockerfile',
        `${REPO}:wheelhouse-1`,
        '/tmp/w/meta.json',
        '/home/r/wheelhouse',
        'linux/arm64'
      )
    ).toEqual([
      'buildx',
      'build',
      '--builder',
      'wh-builder',
      '--progress',
      'plain',
      '--file',
      '/tmp/w/wheelhouse-image.Dockerfile',
      '--platform',
      'linux/arm64',
      '--provenance=false',
      '--sbom=false',
      '--build-arg',
      'SOURCE_DATE_EPOCH=0',
      '--output',
      `type=image,name=${REPO}:wheelhouse-1,push=true,compression=uncompressed,oci-mediatypes=true,rewrite-timestamp=true`,
      '--metadata-file',
      '/tmp/w/meta.json',
      '/home/r/wheelhouse'
    ]);
  });
});

describe('the wheelhouse-image entry', () => {
  it('holds both images by digest and the wheels with their sizes, read back for the same repository', () => {
    expect(parseImageRecord(imageRecord({ images: IMAGES, wheels: WHEELS }), REPO)).toEqual({ images: IMAGES, wheels: WHEELS });
  });

  const good = JSON.parse(imageRecord({ images: IMAGES, wheels: WHEELS })) as Record<string, unknown>;
  it.each<[string, Record<string, unknown>]>([
    ['an image of another repository', { ...good, base: `reg:5000/evil/app@${digest('b')}` }],
    ['a repository that only begins like this one', { ...good, wheelhouse: `${REPO}-x@${digest('a')}` }],
    ['a tag instead of a digest', { ...good, wheelhouse: `${REPO}:wheelhouse-1` }],
    ['a short digest', { ...good, base: `${REPO}@sha256:abc` }],
    ['no base', { ...good, base: undefined }],
    ['another version', { ...good, version: 2 }],
    ['a wheel with a path', { ...good, wheels: { '../x.whl': 1 } }],
    ['a file that is not a wheel', { ...good, wheels: { 'setup.py': 1 } }],
    ['a size that is not a whole number', { ...good, wheels: { 'a-1-py3-none-any.whl': '12' } }]
  ])('is not taken when it names %s', (_, record) => {
    expect(parseImageRecord(JSON.stringify(record), REPO)).toBeUndefined();
  });

  it('is not taken when it is not JSON', () => {
    expect(parseImageRecord('reg:5000/team/app@sha256:…', REPO)).toBeUndefined();
  });

  it('refuses to record an image that is not named by digest', () => {
    expect(() => imageRecord({ images: { ...IMAGES, base: `${REPO}:latest` }, wheels: [] })).toThrow(/not an image by digest/);
  });
});

describe('imageContexts', () => {
  it('names both images as docker-image contexts', () => {
    expect(imageContexts(IMAGES)).toEqual({ wheelhouse: `docker-image://${IMAGES.wheelhouse}`, base: `docker-image://${IMAGES.base}` });
  });
});

describe('manifestMatches', () => {
  const manifest = '{\n  "schemaVersion": 2,\n  "mediaType": "application/vnd.oci.image.manifest.v1+json"\n}';
  const ref = `${REPO}@sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  it.each<[string, string, boolean]>([
    ['the manifest the digest names', manifest, true],
    ['the same manifest formatted otherwise', JSON.stringify(JSON.parse(manifest)), false],
    ['another manifest', manifest.replace('2', '1'), false]
  ])('%s: %s', (_, raw, expected) => {
    expect(manifestMatches(ref, raw)).toBe(expected);
  });
});

describe('wheelhouseImageKeys', () => {
  it('one entry per push, found by a prefix of the repository and the wheelhouse key', () => {
    const a = wheelhouseImageKeys(REPO, 'wheelhouse-v1-linux-amd64-cp311-glibc2.36-pip-0123', '77-1-1700000000000');
    expect(a.primary).toMatch(
      /^wheelhouse-image-v1-[0-9a-f]{16}-wheelhouse-v1-linux-amd64-cp311-glibc2\.36-pip-0123-run-77-1-1700000000000$/
    );
    expect(a.restore).toEqual([a.primary.replace(/77-1-1700000000000$/, '')]);
    expect(wheelhouseImageKeys('reg:5000/team/other', 'wheelhouse-v1-linux-amd64-cp311-glibc2.36-pip-0123', '1').restore).not.toEqual(
      a.restore
    );
    expect(wheelhouseImageKeys(REPO, 'wheelhouse-v1-linux-amd64-cp311-glibc2.36-pip-4567', '1').restore).not.toEqual(a.restore);
  });
});
