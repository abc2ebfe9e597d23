// The job summary's table and byte sizes.
import { describe, expect, it } from '@jest/globals';
import { type Report, formatBytes, summaryRows, FAILURE_LINES, failureHtml, fixHtml } from '../../../src/summary/summary.js';
import { maskSecret } from '../../../src/exec/masks.js';

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

describe('failureHtml', () => {
  it('names the failed phase, marks it among the phases, and shows the error escaped', () => {
    const html = failureHtml({
      phase: 'build',
      phases: { builder: 1.2, keys: 0.31, build: 12 },
      message: 'the image build failed:\nERROR: <stage-0> RUN pip install'
    });
    expect(html).toContain('<h3>wheelhouse-buildx: failed in the build phase</h3>');
    expect(html).toContain('<tr><td>keys</td><td>0.31</td></tr><tr><td>build (failed)</td><td>12.00</td></tr>');
    expect(html).toContain('<pre><code>the image build failed:\nERROR: &lt;stage-0&gt; RUN pip install</code></pre>');
  });

  it('a failure before the first phase: reading the inputs, no table', () => {
    const html = failureHtml({ phase: undefined, phases: {}, message: "input 'driver': expected one of docker-container, kubernetes" });
    expect(html).toContain('failed in reading the inputs');
    expect(html).not.toContain('<table>');
  });

  it(`keeps the last ${FAILURE_LINES} lines of a long error, and says so`, () => {
    const message = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
    const html = failureHtml({ phase: 'wheels', phases: {}, message });
    expect(html).toContain(`the last ${FAILURE_LINES} of 100 lines`);
    expect(html).toContain(`<code>line ${100 - FAILURE_LINES + 1}\n`);
    expect(html).not.toContain(`line ${100 - FAILURE_LINES}\n`);
    expect(html).toContain('line 100</code>');
  });

  it('scrubs masked values and URL credentials', () => {
    maskSecret('s3cr3t-token-in-the-error');
    const html = failureHtml({
      phase: 'build',
      phases: {},
      message: 'RUN echo s3cr3t-token-in-the-error\npip: https://user:hunter2@pypi.example.com/simple: 401'
    });
    expect(html).not.toContain('s3cr3t-token-in-the-error');
    expect(html).not.toContain('hunter2');
    expect(html).toContain('RUN echo ***');
  });
});

describe('fixHtml: the Dockerfile line and flags a fix names, as code', () => {
  it.each<[string, string]>([
    ['COPY --link site/ ./site/', '<code>COPY --link site/ ./site/</code>'],
    [
      'install the base first: RUN --mount=type=bind,from=wheelhouse-base,target=/wheelhouse pip install --no-index -r /wheelhouse/r.txt',
      'install the base first: <code>RUN --mount=type=bind,from=wheelhouse-base,target=/wheelhouse pip install --no-index -r /wheelhouse/r.txt</code>'
    ],
    [
      'add --no-index: the wheelhouse holds every wheel the set needs',
      'add <code>--no-index</code>: the wheelhouse holds every wheel the set needs'
    ],
    [
      'copy only the dependency files before line 9, and the code after it with COPY --link',
      'copy only the dependency files before line 9, and the code after it with <code>COPY --link</code>'
    ],
    ['set the WORKDIR above the code copy', 'set the <code>WORKDIR</code> above the code copy'],
    ['move it above the code copy if it does not need the code', 'move it above the code copy if it does not need the code'],
    ['COPY <src> & more', '<code>COPY &lt;src&gt; &amp; more</code>']
  ])('%s', (fix, html) => {
    expect(fixHtml(fix)).toBe(html);
  });
});
