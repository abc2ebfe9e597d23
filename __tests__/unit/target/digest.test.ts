import { describe, expect, it } from '@jest/globals';
import { probeKeys } from '../../../src/keys/key.js';
import { parseImageInspect } from '../../../src/target/digest.js';

const DIGEST = `sha256:${'d04af4d2'.repeat(8)}`;

describe('the target probe cached by image digest', () => {
  const manifest = { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: DIGEST, size: 528 };
  it.each<[string, string, { digest: string; platforms: string[] } | undefined]>([
    [
      'one image: its config names the platform',
      JSON.stringify({ name: 'python:3.11-slim', manifest, image: { architecture: 'amd64', os: 'linux', config: {} } }),
      { digest: DIGEST, platforms: ['linux/amd64'] }
    ],
    [
      'an index: each image, with its variant, attestations left out',
      JSON.stringify({
        name: 'python:3.11-slim',
        manifest: {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          digest: DIGEST,
          manifests: [
            { digest: 'sha256:1', platform: { os: 'linux', architecture: 'amd64' } },
            { digest: 'sha256:2', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
            { digest: 'sha256:3', platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
            { digest: 'sha256:4', platform: { os: 'unknown', architecture: 'unknown' } }
          ]
        },
        image: {}
      }),
      { digest: DIGEST, platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'] }
    ],
    ['no platform known', JSON.stringify({ manifest, image: {} }), { digest: DIGEST, platforms: [] }],
    ['a short digest', JSON.stringify({ manifest: { digest: 'sha256:short' } }), undefined],
    ['no digest', JSON.stringify({ manifest: { mediaType: 'x' } }), undefined],
    ['not json', 'not json', undefined]
  ])('reads %s', (_, json, expected) => {
    expect(parseImageInspect(json)).toEqual(expected);
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
