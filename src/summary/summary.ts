// The job summary: one table of phases and the figures that tell whether the cache paid off.
import * as core from '@actions/core';
import type { AdviceLine } from '../build/advice-report.js';
import type { Refusal } from '../dockerfile/rewrite.js';
import { scrubMasked } from '../exec/masks.js';
import { redact } from '../keys/credentials.js';

export type CacheHit = 'exact' | 'partial' | 'miss';

export interface Report {
  readonly phases: Readonly<Record<string, number>>;
  readonly cacheHit: CacheHit;
  readonly backend: string;
  readonly key: string;
  readonly wheelsBuilt: number;
  readonly wheelsReused: number;
  readonly wheelsPruned: number;
  readonly bytesRestored: number;
  readonly digest: string | undefined;
  /** The wheelhouse image the build named instead of sending the folder (`<repository>@<digest>`). */
  readonly wheelhouseImage?: string | undefined;
  /** The advisor's findings on the Dockerfile, measured in this build. */
  readonly advice?: readonly AdviceLine[];
  /** The optimized copy: its diff ('' when nothing could be changed), whether it was built, what it left. */
  readonly rewrite?: { readonly diff: string; readonly used: boolean; readonly refusals: readonly Refusal[] } | undefined;
  /** The generated Dockerfile the image was built from. */
  readonly generated?: string | undefined;
}

/** Text made safe for an HTML table cell or block. */
export const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A fix as HTML: the Dockerfile line it gives (after a colon, or the whole fix) and the flags it names
 * (`--link`, `COPY --link`) set as code; the rest is prose.
 */
export function fixHtml(fix: string): string {
  const line = /^(?:(.*?:)\s)?((?:RUN|COPY|ADD|WORKDIR|FROM|ENV|ARG)\s.*)$/.exec(fix);
  if (line) return `${line[1] ? `${escapeHtml(line[1])} ` : ''}<code>${escapeHtml(line[2]!)}</code>`;
  return fix
    .split(/((?:\b(?:COPY|ADD|RUN)\s)?--[a-z][a-z-]*|\bWORKDIR\b)/)
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
    .join('');
}

/** The advice table: one row a line, code in <code> (backticks are not read inside HTML cells). */
export function adviceRows(advice: readonly AdviceLine[]): string[][] {
  return [
    ['Line', 'Step', 'This build', 'Why it is slow', 'Fix'],
    ...advice.map((a) => [
      String(a.line),
      `<code>${escapeHtml(a.instruction)}</code>`,
      escapeHtml(a.measured),
      escapeHtml(a.problem),
      fixHtml(a.fix)
    ])
  ];
}

/** The generated Dockerfile, to copy into the repository. */
export const generatedHtml = (text: string): string =>
  `<details><summary>Generated Dockerfile (commit it to own it)</summary><pre lang="dockerfile"><code>${escapeHtml(text)}</code></pre></details>`;

/** The optimized copy's diff and notes, as HTML. */
export function rewriteHtml(rewrite: NonNullable<Report['rewrite']>): string {
  const notes = rewrite.refusals.map((r) => `<li>line ${r.line}: ${escapeHtml(r.reason)}</li>`).join('');
  const state = rewrite.diff
    ? rewrite.used
      ? 'the image was built from it'
      : 'BuildKit rejected it: the image was built from yours'
    : 'nothing could be changed safely';
  const diff = rewrite.diff ? `<pre lang="diff"><code>${escapeHtml(rewrite.diff)}</code></pre>` : '';
  return `<details><summary>Optimized Dockerfile: ${state}</summary>${diff}${notes ? `<ul>${notes}</ul>` : ''}</details>`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function summaryRows(report: Report): string[][] {
  const rows = [['Phase', 'Seconds']];
  for (const [phase, seconds] of Object.entries(report.phases)) rows.push([phase, seconds.toFixed(2)]);
  const total = Object.values(report.phases).reduce((a, b) => a + b, 0);
  rows.push(['total', total.toFixed(2)]);
  rows.push(['Wheelhouse', `${report.cacheHit} (${report.backend}) <code>${escapeHtml(report.key)}</code>`]);
  rows.push(['Wheels', `${report.wheelsBuilt} built, ${report.wheelsReused} reused, ${report.wheelsPruned} pruned`]);
  rows.push(['Restored', formatBytes(report.bytesRestored)]);
  if (report.wheelhouseImage) rows.push(['Wheelhouse image', `<code>${escapeHtml(report.wheelhouseImage)}</code>`]);
  rows.push(['Image digest', report.digest ? `<code>${report.digest}</code>` : '(none)']);
  return rows;
}

export async function writeSummary(report: Report): Promise<void> {
  const [head, ...body] = summaryRows(report);
  const summary = core.summary.addHeading('wheelhouse-buildx', 3).addTable([head!.map((data) => ({ data, header: true })), ...body]);
  if (report.advice && report.advice.length > 0) {
    const [adviceHead, ...adviceBody] = adviceRows(report.advice);
    summary.addHeading('Dockerfile: slow steps', 4).addTable([adviceHead!.map((data) => ({ data, header: true })), ...adviceBody]);
  }
  if (report.rewrite) summary.addRaw(rewriteHtml(report.rewrite), true);
  if (report.generated) summary.addRaw(generatedHtml(report.generated), true);
  await summary.write();
}

/** What a failed run tells: the phase that failed (undefined: before the first, reading the inputs), the phases' seconds, the error. */
export interface Failure {
  readonly phase: string | undefined;
  readonly phases: Readonly<Record<string, number>>;
  readonly message: string;
}

/** Lines of the error shown in the summary: its last ones, where buildx and pip say what went wrong. */
export const FAILURE_LINES = 30;

/** The failure as HTML: a heading naming the phase, the phases' seconds, the error's last lines (masked values and URL credentials scrubbed). */
export function failureHtml(failure: Failure): string {
  const where = failure.phase ? `the ${failure.phase} phase` : 'reading the inputs';
  const lines = redact(scrubMasked(failure.message)).trimEnd().split('\n');
  const shown = lines.slice(-FAILURE_LINES);
  const cut = lines.length > shown.length ? `<p>the last ${shown.length} of ${lines.length} lines; the step's log has all of them</p>` : '';
  const rows = Object.entries(failure.phases)
    .map(
      ([phase, seconds]) =>
        `<tr><td>${escapeHtml(phase)}${phase === failure.phase ? ' (failed)' : ''}</td><td>${seconds.toFixed(2)}</td></tr>`
    )
    .join('');
  const table = rows ? `<table><tr><th>Phase</th><th>Seconds</th></tr>${rows}</table>` : '';
  return `<h3>wheelhouse-buildx: failed in ${escapeHtml(where)}</h3>${table}${cut}<pre><code>${escapeHtml(shown.join('\n'))}</code></pre>`;
}

export async function writeFailureSummary(failure: Failure): Promise<void> {
  await core.summary.addRaw(failureHtml(failure), true).write();
}
