import { describe, expect, it } from '@jest/globals';
import { probeKey } from '../../../src/keys/key.js';
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

  it.each<[string, string]>([
    ['linux/amd64', `wheelhouse-probe-v2-linux-amd64-${'d04af4d2'.repeat(4)}`],
    ['linux/arm/v7', `wheelhouse-probe-v2-linux-arm-v7-${'d04af4d2'.repeat(4)}`]
  ])('keys the answer for %s by platform and digest', (platform, key) => {
    expect(probeKey(platform, DIGEST)).toBe(key);
  });
});
