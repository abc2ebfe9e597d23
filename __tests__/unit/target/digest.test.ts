import { describe, expect, it } from '@jest/globals';
import { probeKeys } from '../../../src/keys/key.js';
import { parseManifestDigest } from '../../../src/target/digest.js';

const DIGEST = `sha256:${'d04af4d2'.repeat(8)}`;

describe('the target probe cached by image digest', () => {
  it.each<[string, string | undefined]>([
    [JSON.stringify({ mediaType: 'application/vnd.oci.image.index.v1+json', digest: DIGEST, size: 856 }), DIGEST],
    [JSON.stringify({ digest: 'sha256:short' }), undefined],
    [JSON.stringify({ mediaType: 'x' }), undefined],
    ['not json', undefined]
  ])('reads the digest of %s', (json, expected) => {
    expect(parseManifestDigest(json)).toBe(expected);
  });

  // sha256 of 'python:3.12-slim', first 16 hex digits
  const REF = '1d0447543fac833c';
  it.each<[string, string, string]>([
    ['linux/amd64', `wheelhouse-probe-v3-linux-amd64-${REF}-${'d04af4d2'.repeat(4)}`, `wheelhouse-probe-v3-linux-amd64-${REF}-`],
    ['linux/arm/v7', `wheelhouse-probe-v3-linux-arm-v7-${REF}-${'d04af4d2'.repeat(4)}`, `wheelhouse-probe-v3-linux-arm-v7-${REF}-`]
  ])('keys the answer for %s by platform, image reference and digest; the reference alone is the prefix', (platform, primary, prefix) => {
    expect(probeKeys(platform, 'python:3.12-slim', DIGEST)).toEqual({ primary, restore: [prefix] });
  });

  it('another reference to the same digest has its own prefix', () => {
    expect(probeKeys('linux/amd64', 'python:3.12', DIGEST).restore).not.toEqual(
      probeKeys('linux/amd64', 'python:3.12-slim', DIGEST).restore
    );
  });
});
