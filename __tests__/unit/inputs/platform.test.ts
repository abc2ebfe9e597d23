// When a platform a builder or an image offers serves the one asked for.
import { describe, expect, it } from '@jest/globals';
import { servesPlatform, unserved } from '../../../src/inputs/platform.js';
import { runnablePlatforms } from '../../../src/builder/inspect.js';

describe('servesPlatform', () => {
  it.each<[string, string, boolean]>([
    ['linux/amd64', 'linux/amd64', true],
    ['linux/amd64/v3', 'linux/amd64', true],
    ['linux/amd64', 'linux/amd64/v3', false],
    ['linux/arm64/v8', 'linux/arm64', true],
    ['linux/arm64', 'linux/arm64/v8', true],
    ['linux/arm/v7', 'linux/arm/v7', true],
    ['linux/arm/v6', 'linux/arm/v7', false],
    ['linux/arm/v7', 'linux/arm', true],
    ['linux/amd64', 'linux/arm64', false],
    ['windows/amd64', 'linux/amd64', false],
    ['Linux/AMD64', 'linux/amd64', true]
  ])('%s serves %s: %s', (offered, wanted, expected) => {
    expect(servesPlatform(offered, wanted)).toBe(expected);
  });

  it('names what is asked for and not offered', () => {
    expect(unserved(['linux/amd64', 'linux/386'], ['linux/amd64', 'linux/arm64', 'linux/arm/v7'])).toEqual(['linux/arm64', 'linux/arm/v7']);
    expect(unserved(['linux/amd64'], [])).toEqual([]);
  });
});

describe('runnablePlatforms', () => {
  it("reads BuildKit's platforms, emulated ones included", () => {
    const output =
      'Name: b\nDriver: docker-container\n\nNodes:\nName: b0\nPlatforms:             linux/amd64, linux/amd64/v2, linux/arm64, linux/386\n';
    expect(runnablePlatforms(output)).toEqual(['linux/amd64', 'linux/amd64/v2', 'linux/arm64', 'linux/386']);
    expect(unserved(runnablePlatforms(output), ['linux/arm64'])).toEqual([]);
    expect(unserved(runnablePlatforms(output), ['linux/s390x'])).toEqual(['linux/s390x']);
  });

  it('takes the platforms a kubernetes node was declared for (the * of buildx’s listing): its pods run on nodes of them', () => {
    const output = 'Name: k\nDriver: kubernetes\n\nNodes:\nName: k0\nPlatforms:             linux/arm64*, linux/amd64\n';
    expect(runnablePlatforms(output)).toEqual(['linux/arm64', 'linux/amd64']);
  });

  it('is empty when inspect lists no platforms', () => {
    expect(runnablePlatforms('Name: b\nDriver: kubernetes\n')).toEqual([]);
  });
});
