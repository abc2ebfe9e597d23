// The last push remembered as a cache source: which repository a tag names, what the entry holds, and
// which entries are taken.
import { describe, expect, it } from '@jest/globals';
import { lastPushRecord, parseLastPush } from '../../../src/build/last-push.js';
import { repositoryOf } from '../../../src/inputs/image-ref.js';
import { lastPushKeys } from '../../../src/keys/key.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('repositoryOf', () => {
  it.each([
    ['ghcr.io/org/app:sha-1234', 'ghcr.io/org/app'],
    ['127.0.0.1:5000/e2e/app:latest', '127.0.0.1:5000/e2e/app'],
    ['127.0.0.1:5000/e2e/app', '127.0.0.1:5000/e2e/app'],
    [`registry:5000/app@${DIGEST}`, 'registry:5000/app'],
    [`registry:5000/app:v1@${DIGEST}`, 'registry:5000/app'],
    ['app:1', 'app']
  ])('%s → %s', (ref, repository) => {
    expect(repositoryOf(ref)).toBe(repository);
  });
});

describe('the last-push entry', () => {
  it('holds the image by digest, read back for the same repository', () => {
    const record = lastPushRecord('ghcr.io/org/app', DIGEST);
    expect(parseLastPush(record, 'ghcr.io/org/app')).toBe(`ghcr.io/org/app@${DIGEST}`);
  });

  it.each<[string, string]>([
    ['another repository', JSON.stringify({ image: `ghcr.io/evil/app@${DIGEST}` })],
    ['a tag instead of a digest', JSON.stringify({ image: 'ghcr.io/org/app:latest' })],
    ['a short digest', JSON.stringify({ image: 'ghcr.io/org/app@sha256:abc' })],
    ['no image', JSON.stringify({})],
    ['not JSON', 'ghcr.io/org/app@sha256:…']
  ])('is not taken when it names %s', (_, json) => {
    expect(parseLastPush(json, 'ghcr.io/org/app')).toBeUndefined();
  });

  it('refuses to record anything but a digest', () => {
    expect(() => lastPushRecord('ghcr.io/org/app', 'latest')).toThrow(/not an image digest/);
  });
});

describe('lastPushKeys', () => {
  it('one entry per push, found by a prefix of the platform and the repository', () => {
    const a = lastPushKeys('linux/amd64', 'ghcr.io/org/app', '77-1-1700000000000');
    expect(a.primary).toMatch(/^wheelhouse-lastpush-v1-linux-amd64-[0-9a-f]{16}-77-1-1700000000000$/);
    expect(a.restore).toEqual([a.primary.replace(/77-1-1700000000000$/, '')]);
    expect(lastPushKeys('linux/amd64', 'ghcr.io/org/other', '1').restore).not.toEqual(a.restore);
    expect(lastPushKeys('linux/arm64', 'ghcr.io/org/app', '1').restore).not.toEqual(a.restore);
  });
});
