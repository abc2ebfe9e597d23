import { describe, expect, it } from '@jest/globals';
import { type Sample, cells, median, ratios, table } from '../../../bench/report.js';

const sample = (over: Partial<Sample>): Sample => ({
  scenario: 'cold',
  approach: 'naive',
  seconds: 10,
  wheelsBuilt: null,
  bytesRestored: null,
  bytesSaved: null,
  bytesPushed: 1_000_000,
  ...over
});

describe('benchmark arithmetic', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5]
  ])('median of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('summarises each scenario and approach by median, min and max', () => {
    const all = cells([
      sample({ seconds: 12 }),
      sample({ seconds: 10 }),
      sample({ seconds: 30 }),
      sample({ approach: 'wheelhouse', seconds: 5, wheelsBuilt: 42, bytesRestored: 0, bytesSaved: 4e7 })
    ]);
    expect(all).toEqual([
      {
        scenario: 'cold',
        approach: 'naive',
        median_s: 12,
        min_s: 10,
        max_s: 30,
        wheels_built: null,
        bytes_pushed: 1_000_000,
        bytes_restored: null,
        bytes_saved: null
      },
      {
        scenario: 'cold',
        approach: 'wheelhouse',
        median_s: 5,
        min_s: 5,
        max_s: 5,
        wheels_built: 42,
        bytes_pushed: 1_000_000,
        bytes_restored: 0,
        bytes_saved: 4e7
      }
    ]);
  });

  it('lists an approach run only on request after the default ones', () => {
    const all = cells([sample({ approach: 'inline-link', seconds: 4 }), sample({ approach: 'wheelhouse', seconds: 5 })]);
    expect(all.map((c) => c.approach)).toEqual(['wheelhouse', 'inline-link']);
  });

  it('states the targets as ratios of medians, and the noop overhead beyond the build and the cache transfer', () => {
    const all = cells([
      sample({ scenario: 'code-change', approach: 'naive', seconds: 100 }),
      sample({ scenario: 'code-change', approach: 'inline-only', seconds: 20 }),
      sample({ scenario: 'code-change', approach: 'wheelhouse', seconds: 10 }),
      sample({ scenario: 'code-change', approach: 'inline-link', seconds: 8 }),
      sample({ scenario: 'dep-added', approach: 'inline-only', seconds: 80 }),
      sample({ scenario: 'dep-added', approach: 'wheelhouse', seconds: 20 }),
      sample({ scenario: 'noop', approach: 'inline-only', seconds: 8 }),
      sample({ scenario: 'noop', approach: 'wheelhouse', seconds: 12 }),
      sample({ scenario: 'cold', approach: 'inline-only', seconds: 40 }),
      sample({ scenario: 'cold', approach: 'wheelhouse', seconds: 44 })
    ]);
    expect(ratios(all, 1.5)).toEqual({
      cold_vs_inline: 1.1,
      code_change_vs_naive: 0.1,
      code_change_vs_inline: 0.5,
      code_change_vs_inline_link: 1.25,
      dep_added_vs_inline: 0.25,
      dep_bumped_vs_inline: null,
      noop_overhead_s: 2.5
    });
  });

  it('prints a markdown table with a row per cell', () => {
    const text = table(cells([sample({}), sample({ approach: 'wheelhouse', wheelsBuilt: 3, bytesRestored: 2e6, bytesSaved: 0 })]));
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('| scenario | approach | median s | min–max s | wheels built | restored | saved | pushed |');
    expect(lines[3]).toBe('| cold | wheelhouse | 10.0 | 10.0–10.0 | 3 | 2.0 MB | 0.0 MB | 1.0 MB |');
  });
});
