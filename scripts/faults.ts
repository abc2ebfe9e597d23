// `npm run faults [-- --out FILE] [--only NAME[|NAME…]] [--concurrency N]`: every fault and bad-input case on the test bed, as a
// table: the case, the fault injected, what came of it, whether anything was lost.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CASES, runCases } from '../__tests__/support/faults.js';
import { requireTestbed } from '../__tests__/support/testbed.js';

const argv = process.argv.slice(2);
const out = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : undefined;
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const concurrency = argv.includes('--concurrency') ? Number(argv[argv.indexOf('--concurrency') + 1]) : 2;

requireTestbed();
const root = await fs.mkdtemp(path.join(os.tmpdir(), 'faults-'));
const cases = CASES.filter((c) => !only || only.split('|').some((part) => c.name.includes(part)));
const results = await runCases(cases, root, concurrency, (result) =>
  console.error(`${result.passed ? 'pass' : 'FAIL'}  ${result.name}: ${result.outcome}${result.passed ? '' : ` (${result.detail})`}`)
).finally(() => fs.rm(root, { recursive: true, force: true }));
const rows = results.map((r) => [
  r.name,
  r.fault,
  r.outcome + (r.warned ? ', warning' : ''),
  r.lost ? 'yes' : 'no',
  r.passed ? 'pass' : `FAIL: ${r.detail}`
]);
console.log(
  [
    '| case | injected fault | outcome | lost | result |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`)
  ].join('\n')
);
const passed = results.filter((r) => r.passed).length;
console.log(`\n${passed} passed, ${results.length - passed} failed`);
if (out) {
  const cases = results.map(({ name, fault, outcome, lost }) => ({ name, fault, outcome, lost }));
  await fs.writeFile(out, `${JSON.stringify({ cases, passed, failed: results.length - passed }, null, 2)}\n`);
}
process.exit(passed === results.length ? 0 : 1);
