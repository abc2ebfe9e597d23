// The platform the wheelhouse is built for when none is named: guessed from the machine while the builder
// boots, then read from `docker buildx inspect --bootstrap`.
import { describe, expect, it } from '@jest/globals';
import { SetupError } from '../../../src/builder/errors.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootedPlatform, firstPlatform, likelyPlatform, parseInspect } from '../../../src/builder/inspect.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const INSPECT = `Name:          wheelhouse-9876543210-1-1a2b3c4d
Driver:        docker-container
Last Activity: 2025-06-02 09:14:31 +0000 UTC

Nodes:
Name:                  wheelhouse-9876543210-1-1a2b3c4d0
Endpoint:              unix:///var/run/docker.sock
Driver Options:        image="moby/buildkit:buildx-stable-1" network="host"
Status:                running
BuildKit daemon flags: --allow-insecure-entitlement=network.host
BuildKit version:      v0.18.2
Platforms:             linux/amd64*, linux/amd64/v2, linux/386
Labels:
 org.mobyproject.buildkit.worker.executor:         oci
 org.mobyproject.buildkit.worker.hostname:         3f1c2a7b9d0e
 org.mobyproject.buildkit.worker.network:          host
 org.mobyproject.buildkit.worker.oci.process-mode: sandbox
 org.mobyproject.buildkit.worker.selinux.enabled:  false
 org.mobyproject.buildkit.worker.snapshotter:      overlayfs
GC Policy rule#0:
 All:            false
 Filters:        type==source.local,type==exec.cachemount,type==source.git.checkout
 Keep Duration:  48h0m0s
 Keep Bytes:     2.764GiB
`;

describe('firstPlatform', () => {
  it.each<[string, string, string | undefined]>([
    ['a docker-container builder (platform set: starred)', INSPECT, 'linux/amd64'],
    [
      'platforms without a star',
      INSPECT.replace('linux/amd64*, linux/amd64/v2, linux/386', 'linux/arm64, linux/arm/v7, linux/arm/v6'),
      'linux/arm64'
    ],
    ['a single platform with a variant', INSPECT.replace(/^Platforms:.*$/m, 'Platforms:             linux/arm/v7*'), 'linux/arm/v7'],
    ['two nodes: the first node', `${INSPECT}\nName:                  node1\nPlatforms:             linux/s390x\n`, 'linux/amd64'],
    ['CRLF line ends', INSPECT.replace(/\n/g, '\r\n'), 'linux/amd64'],
    ['an inactive builder (no Platforms line)', INSPECT.replace(/^Platforms:.*\n/m, ''), undefined],
    ['an empty Platforms line', INSPECT.replace(/^Platforms:.*$/m, 'Platforms:'), undefined],
    ['nothing', '', undefined]
  ])('%s', (_, output, expected) => {
    expect(firstPlatform(output)).toBe(expected);
  });
});

describe('bootedPlatform', () => {
  it('is the first platform of a booted builder', () => {
    expect(bootedPlatform('wheelhouse-1', INSPECT)).toBe('linux/amd64');
  });

  it('is an error naming the input to set when inspect names no platform', () => {
    expect(() => bootedPlatform('wheelhouse-1', INSPECT.replace(/^Platforms:.*\n/m, ''))).toThrow(SetupError);
    expect(() => bootedPlatform('wheelhouse-1', '')).toThrow("cannot tell the platform of builder wheelhouse-1: set 'platforms'");
  });
});

describe('likelyPlatform (checked against bootedPlatform once the builder is up)', () => {
  it.each<[string, string | undefined]>([
    ['x64', 'linux/amd64'],
    ['arm64', 'linux/arm64'],
    // a variant (arm/v6 or v7) or a rarer machine: the action waits for the builder to say
    ['arm', undefined],
    ['s390x', undefined],
    ['ia32', undefined]
  ])('%s → %s', (arch, expected) => {
    expect(likelyPlatform(arch)).toBe(expected);
  });
});

describe('parseInspect: the outputs setup-buildx-action gives', () => {
  const sample = readFileSync(path.join(repo, '__fixtures__/buildx/inspect-docker-container.txt'), 'utf8');

  it('a docker-container builder, as buildx 0.38 prints it: its name, driver and node (labels and GC rules left out)', () => {
    expect(parseInspect(sample)).toEqual({
      name: 'inspect-sample',
      driver: 'docker-container',
      nodes: [
        {
          name: 'inspect-sample0',
          endpoint: 'unix:///var/run/docker.sock',
          status: 'running',
          'buildkitd-flags': '--allow-insecure-entitlement=network.host',
          buildkit: 'v0.34.2',
          platforms: 'linux/amd64,linux/amd64/v2,linux/amd64/v3,linux/amd64/v4,linux/386'
        }
      ]
    });
  });

  it('a kubernetes builder with two replicas: a node each; platforms marked * (set by the user) without the mark', () => {
    const two = [
      'Name:          k8s-builder',
      'Driver:        kubernetes',
      '',
      'Nodes:',
      'Name:                  k8s-builder0-abc',
      'Endpoint:              kubernetes:///k8s-builder?deployment=k8s-builder0&kubeconfig=',
      'Status:                running',
      'BuildKit version:      v0.34.2',
      'Platforms:             linux/amd64*, linux/386',
      '',
      'Name:                  k8s-builder0-def',
      'Endpoint:              kubernetes:///k8s-builder?deployment=k8s-builder0&kubeconfig=',
      'Status:                running',
      'Platforms:             linux/amd64*'
    ].join('\n');
    const parsed = parseInspect(two)!;
    expect(parsed.driver).toBe('kubernetes');
    expect(parsed.nodes.map((n) => [n.name, n.platforms, n['buildkitd-flags']])).toEqual([
      ['k8s-builder0-abc', 'linux/amd64,linux/386', ''],
      ['k8s-builder0-def', 'linux/amd64', '']
    ]);
  });

  it('no builder named: undefined', () => {
    expect(parseInspect('ERROR: no builder "x" found')).toBeUndefined();
  });
});
