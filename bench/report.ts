// The benchmark's arithmetic and tables: medians, ranges and the ratios the targets are stated in.
export const SCENARIOS = ['cold', 'noop', 'code-change', 'dep-added', 'dep-bumped'] as const;
export const APPROACHES = ['naive', 'inline-only', 'wheelhouse'] as const;
/** Run only when asked for (`--approaches`): inline-only with the code copied by `COPY --link`. */
export const EXTRA_APPROACHES = ['inline-link'] as const;
export type Scenario = (typeof SCENARIOS)[number];
export type Approach = (typeof APPROACHES)[number] | (typeof EXTRA_APPROACHES)[number];

export interface Sample {
  scenario: Scenario;
  approach: Approach;
  seconds: number;
  wheelsBuilt: number | null;
  bytesRestored: number | null;
  bytesSaved: number | null;
  bytesPushed: number;
}

export interface Cell {
  scenario: Scenario;
  approach: Approach;
  median_s: number;
  min_s: number;
  max_s: number;
  wheels_built: number | null;
  bytes_pushed: number;
  bytes_restored: number | null;
  bytes_saved: number | null;
}

export interface Ratios {
  cold_vs_inline: number | null;
  code_change_vs_naive: number | null;
  code_change_vs_inline: number | null;
  /** Against inline cache with the code copied by `COPY --link` (run with `--approaches …,inline-link`). */
  code_change_vs_inline_link: number | null;
  dep_added_vs_inline: number | null;
  dep_bumped_vs_inline: number | null;
  noop_overhead_s: number | null;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function cells(samples: readonly Sample[]): Cell[] {
  const out: Cell[] = [];
  for (const scenario of SCENARIOS) {
    for (const approach of [...APPROACHES, ...EXTRA_APPROACHES]) {
      const mine = samples.filter((s) => s.scenario === scenario && s.approach === approach);
      if (mine.length === 0) continue;
      const secs = mine.map((s) => s.seconds);
      const mid = (k: 'wheelsBuilt' | 'bytesRestored' | 'bytesSaved' | 'bytesPushed'): number | null => {
        const values = mine.map((s) => s[k]).filter((v): v is number => typeof v === 'number');
        return values.length ? round(median(values), 0) : null;
      };
      out.push({
        scenario,
        approach,
        median_s: round(median(secs)),
        min_s: round(Math.min(...secs)),
        max_s: round(Math.max(...secs)),
        wheels_built: mid('wheelsBuilt'),
        bytes_pushed: mid('bytesPushed') ?? 0,
        bytes_restored: mid('bytesRestored'),
        bytes_saved: mid('bytesSaved')
      });
    }
  }
  return out;
}

/**
 * The ratios of the targets. The noop overhead is the action's own time on a no-change run beyond the
 * image build it drives (what inline-only spends on the same run), excluding cache transfer.
 */
export function ratios(all: readonly Cell[], noopTransferSeconds: number | null): Ratios {
  const m = (scenario: Scenario, approach: Approach): number | undefined =>
    all.find((c) => c.scenario === scenario && c.approach === approach)?.median_s;
  const ratio = (a: number | undefined, b: number | undefined): number | null => (a !== undefined && b ? round(a / b, 3) : null);
  const noopWheel = m('noop', 'wheelhouse');
  const noopInline = m('noop', 'inline-only');
  return {
    cold_vs_inline: ratio(m('cold', 'wheelhouse'), m('cold', 'inline-only')),
    code_change_vs_naive: ratio(m('code-change', 'wheelhouse'), m('code-change', 'naive')),
    code_change_vs_inline: ratio(m('code-change', 'wheelhouse'), m('code-change', 'inline-only')),
    code_change_vs_inline_link: ratio(m('code-change', 'wheelhouse'), m('code-change', 'inline-link')),
    dep_added_vs_inline: ratio(m('dep-added', 'wheelhouse'), m('dep-added', 'inline-only')),
    dep_bumped_vs_inline: ratio(m('dep-bumped', 'wheelhouse'), m('dep-bumped', 'inline-only')),
    noop_overhead_s: noopWheel !== undefined && noopInline !== undefined ? round(noopWheel - noopInline - (noopTransferSeconds ?? 0)) : null
  };
}

export function table(all: readonly Cell[]): string {
  const head = ['scenario', 'approach', 'median s', 'min–max s', 'wheels built', 'restored', 'saved', 'pushed'];
  const mb = (n: number | null): string => (n === null ? '–' : `${(n / 1e6).toFixed(1)} MB`);
  const rows = all.map((c) => [
    c.scenario,
    c.approach,
    c.median_s.toFixed(1),
    `${c.min_s.toFixed(1)}–${c.max_s.toFixed(1)}`,
    c.wheels_built === null ? '–' : String(c.wheels_built),
    mb(c.bytes_restored),
    mb(c.bytes_saved),
    mb(c.bytes_pushed)
  ]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
