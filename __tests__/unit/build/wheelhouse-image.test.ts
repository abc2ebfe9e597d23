// The wheelhouse as an image: the tags it is pushed under, the buildx arguments that push it
// reproducibly, the entry that remembers it and what of that entry is taken.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  imageContexts,
  imageRecord,
  manifestMatches,
  parseImageRecord,
  pushArgs,
  wheelhouseImageTags
} from '../../../src/build/wheelhouse-image.js';
import { wheelhouseImageKeys } from '../../../src/keys/key.js';

const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const REPO = 'reg:5000/team/app';
const IMAGES = { wheelhouse: `${REPO}@${digest('a')}`, base: `${REPO}@${digest('b')}` };
const WHEELS = [
  { file: 'flask-3.0.3-py3-none-any.whl', bytes: 101_817 },
  { file: 'numpy-2.1.0-cp311-cp311-manylinux_2_17_x86_64.whl', bytes: 16_300_000 }
];

describe('wheelhouseImageTags', () => {
  it('tags the wheelhouse by its key and the base by its wheels, in the given repository', () => {
    const tags = wheelhouseImageTags(REPO, 'wheelhouse-v1-linux-amd64-cp311-glibc2.36-pip-0123', ['b-1.whl', 'a-1.whl']);
    expect(tags.wheelhouse).toMatch(/^reg:5000\/team\/app:wheelhouse-[0-9a-f]{16}$/);
    expect(tags.base).toMatch(/^reg:5000\/team\/app:wheelhouse-base-[0-9a-f]{16}$/);
  });

  it.each<[string, string, readonly string[], 'same' | 'differs', 'same' | 'differs']>([
    ['the base in another order', 'key-1', ['a-1.whl', 'b-1.whl'], 'same', 'same'],
    ['another key, the same base', 'key-2', ['b-1.whl', 'a-1.whl'], 'differs', 'same'],
    ['another base', 'key-1', ['a-2.whl', 'b-1.whl'], 'same', 'differs']
  ])('%s: wheelhouse tag %s… base tag %s', (_, key, base, wheelhouse, baseTag) => {
    const first = wheelhouseImageTags(REPO, 'key-1', ['b-1.whl', 'a-1.whl']);
    const next = wheelhouseImageTags(REPO, key, base);
    expect(next.wheelhouse === first.wheelhouse ? 'same' : 'differs').toBe(wheelhouse);
    expect(next.base === first.base ? 'same' : 'differs').toBe(baseTag);
  });
});

describe('pushArgs', () => {
  it('pushes the folder as an uncompressed one-layer image with fixed timestamps and no attestations', () => {
    expect(pushArgs('wh-builder', '/tmp/w/wheelhouse-image.Dockerfile', `${REPO}:wheelhouse-1`, '/tmp/w/meta.json', '/home/r/wheelhouse')).toEqual([
      'buildx',
      'build',
      '--builder',
      'wh-builder',
      '--progress',
      'plain',
      '--file',
      '/tmp/w/wheelhouse-image.Dockerfile',
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
    expect(a.primary).toMatch(/^wheelhouse-image-v1-[0-9a-f]{16}-wheelhouse-v1-linux-amd64-cp311-glibc2\.36-pip-0123-run-77-1-1700000000000$/);
    expect(a.restore).toEqual([a.primary.replace(/77-1-1700000000000$/, '')]);
    expect(wheelhouseImageKeys('reg:5000/team/other', 'wheelhouse-v1-linux-amd64-cp311-glibc2.36-pip-0123', '1').restore).not.toEqual(a.restore);
    expect(wheelhouseImageKeys(REPO, 'wheelhouse-v1-linux-amd64-cp311-glibc2.36-pip-4567', '1').restore).not.toEqual(a.restore);
  });
});
