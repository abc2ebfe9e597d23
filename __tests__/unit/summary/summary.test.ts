// The job summary's table and byte sizes.
import { describe, expect, it } from '@jest/globals';
import { type Report, formatBytes, summaryRows } from '../../../src/summary/summary.js';

describe('formatBytes', () => {
  it.each<[number, string]>([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [10 * 1024 + 100, '10.1 KiB'],
    [1024 * 1024, '1.0 MiB'],
    [5.25 * 1024 * 1024, '5.3 MiB'],
    [734_003_200, '700.0 MiB'],
    [1024 ** 3, '1.0 GiB'],
    [2.5 * 1024 ** 3, '2.5 GiB'],
    [3 * 1024 ** 4, '3072.0 GiB']
  ])('%d → %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

const REPORT: Report = {
  phases: { setup: 3.2, keys: 0.41, restore: 1.5, wheels: 12, build: 40.123 },
  cacheHit: 'partial',
  backend: 'actions',
  key: 'wheelhouse-v1-linux-amd64-cp312-glibc2.36-pip-0123456789abcdef',
  wheelsBuilt: 2,
  wheelsReused: 31,
  wheelsPruned: 1,
  bytesRestored: 48_234_496,
  digest: 'sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9'
};

describe('summaryRows', () => {
  it('a build that restored part of the wheelhouse and pushed', () => {
    expect(summaryRows(REPORT)).toEqual([
      ['Phase', 'Seconds'],
      ['setup', '3.20'],
      ['keys', '0.41'],
      ['restore', '1.50'],
      ['wheels', '12.00'],
      ['build', '40.12'],
      ['total', '57.23'],
      ['Wheelhouse', 'partial (actions) <code>wheelhouse-v1-linux-amd64-cp312-glibc2.36-pip-0123456789abcdef</code>'],
      ['Wheels', '2 built, 31 reused, 1 pruned'],
      ['Restored', '46.0 MiB'],
      ['Image digest', '<code>sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9</code>']
    ]);
  });

  it.each<[string, Partial<Report>, Record<string, string>]>([
    [
      'a cold build, no cache, no digest',
      { cacheHit: 'miss', backend: 'none', wheelsBuilt: 33, wheelsReused: 0, wheelsPruned: 0, bytesRestored: 0, digest: undefined },
      {
        Wheelhouse: 'miss (none) <code>wheelhouse-v1-linux-amd64-cp312-glibc2.36-pip-0123456789abcdef</code>',
        Wheels: '33 built, 0 reused, 0 pruned',
        Restored: '0 B',
        'Image digest': '(none)'
      }
    ],
    [
      'an exact hit on the local backend',
      { cacheHit: 'exact', backend: 'local', wheelsBuilt: 0, wheelsReused: 33, bytesRestored: 1023 },
      {
        Wheelhouse: 'exact (local) <code>wheelhouse-v1-linux-amd64-cp312-glibc2.36-pip-0123456789abcdef</code>',
        Wheels: '0 built, 33 reused, 1 pruned',
        Restored: '1023 B'
      }
    ],
    ['an empty digest', { digest: '' }, { 'Image digest': '(none)' }],
    [
      'an exact hit that named the wheelhouse image',
      { cacheHit: 'exact', wheelsBuilt: 0, bytesRestored: 0, wheelhouseImage: `ghcr.io/acme/app@sha256:${'a'.repeat(64)}` },
      { Restored: '0 B', 'Wheelhouse image': `<code>ghcr.io/acme/app@sha256:${'a'.repeat(64)}</code>` }
    ]
  ])('%s', (_, change, expected) => {
    const rows = new Map(summaryRows({ ...REPORT, ...change }).map(([label, value]) => [label, value]));
    for (const [label, value] of Object.entries(expected)) expect(rows.get(label)).toBe(value);
  });

  it('no phases: a zero total right after the header', () => {
    expect(summaryRows({ ...REPORT, phases: {} }).slice(0, 2)).toEqual([
      ['Phase', 'Seconds'],
      ['total', '0.00']
    ]);
  });

  it('every row has two cells', () => {
    for (const row of summaryRows(REPORT)) expect(row).toHaveLength(2);
  });
});
