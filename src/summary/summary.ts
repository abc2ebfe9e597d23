// The job summary: one table of phases and the figures that tell whether the cache paid off.
import * as core from '@actions/core';

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
  rows.push(['Wheelhouse', `${report.cacheHit} (${report.backend}) \`${report.key}\``]);
  rows.push(['Wheels', `${report.wheelsBuilt} built, ${report.wheelsReused} reused, ${report.wheelsPruned} pruned`]);
  rows.push(['Restored', formatBytes(report.bytesRestored)]);
  rows.push(['Image digest', report.digest ? `\`${report.digest}\`` : '(none)']);
  return rows;
}

export async function writeSummary(report: Report): Promise<void> {
  const [head, ...body] = summaryRows(report);
  await core.summary
    .addHeading('wheelhouse-buildx', 3)
    .addTable([head!.map((data) => ({ data, header: true })), ...body])
    .write();
}
