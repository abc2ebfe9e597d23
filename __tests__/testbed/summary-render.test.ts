// The job summary as a user reads it: written by the action's own summary code, rendered from markdown
// to HTML as GitHub renders a step summary (GitHub-flavoured markdown, raw HTML kept), laid out by
// Debian's Chromium at the width of a job page, and checked in the page: every table's rows are whole,
// no cell shows a literal backtick (markdown is not read inside HTML cells), code is set as code, and
// the tables fit the page.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { marked } from 'marked';
import { measureAdvice } from '../../src/build/advice-report.js';
import { advise } from '../../src/dockerfile/advice.js';
import { builtStage, parseDockerfile } from '../../src/dockerfile/parse.js';
import { type Report, writeFailureSummary, writeSummary } from '../../src/summary/summary.js';

const CHROMIUM = '/usr/bin/chromium';
/** The width GitHub gives a job summary on a laptop screen (the page less the job list). */
const WIDTH = 1000;

let root: string;
const stepSummary = process.env.GITHUB_STEP_SUMMARY;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error("Debian's chromium is not installed: run `npm run testbed:up` (as root) first");
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'summary-render-'));
});

afterAll(async () => {
  if (stepSummary === undefined) delete process.env.GITHUB_STEP_SUMMARY;
  else process.env.GITHUB_STEP_SUMMARY = stepSummary;
  if (!process.env.KEEP_RENDERED) await fs.rm(root, { recursive: true, force: true });
});

/** What the page's own script found, after Chromium laid it out. */
interface Rendered {
  headings: string[];
  tables: { rows: number; cells: number[]; fits: boolean; width: number }[];
  /** Text in a table cell, outside <code>, with a backtick in it. */
  backticks: string[];
  /** Cells with text set in a code font. */
  codeCells: number;
  details: string[];
  /** The last line of each code block (`pre > code`). */
  blocks: string[];
}

const CHECK = `
const tables = [...document.querySelectorAll('table')].map((t) => ({
  rows: t.rows.length,
  cells: [...t.rows].map((r) => r.cells.length),
  fits: t.getBoundingClientRect().right <= document.documentElement.clientWidth + 0.5 && t.scrollWidth <= t.clientWidth + 0.5,
  width: Math.round(t.getBoundingClientRect().width)
}));
const backticks = [];
for (const cell of document.querySelectorAll('td, th')) {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.textContent.includes('\`') && !n.parentElement.closest('code')) backticks.push(n.textContent);
  }
}
const codeCells = [...document.querySelectorAll('td')].filter((td) =>
  [...td.querySelectorAll('code')].some((c) => getComputedStyle(c).fontFamily.includes('monospace'))
).length;
const result = {
  headings: [...document.querySelectorAll('h1, h2, h3, h4')].map((h) => h.textContent),
  tables, backticks, codeCells,
  details: [...document.querySelectorAll('details > summary')].map((s) => s.textContent),
  blocks: [...document.querySelectorAll('pre > code')].map((c) => c.textContent.trimEnd().split('\\n').pop())
};
const out = document.createElement('pre');
out.id = 'rendered';
out.textContent = JSON.stringify(result);
document.body.append(out);
`;

/** GitHub's markdown styles that decide a table's layout (github-markdown-css). */
const STYLE = `
body { font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.5; margin: 16px; }
table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0; border-collapse: collapse; }
td, th { padding: 6px 13px; border: 1px solid #d1d9e0; }
code, pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 85%; }
pre { overflow: auto; padding: 16px; background: #f6f8fa; }
`;

/** Renders a summary file as GitHub does and lets Chromium lay it out; a screenshot is left beside it. */
async function render(name: string, markdown: string): Promise<Rendered> {
  const page = path.join(root, `${name}.html`);
  const html = await marked.parse(markdown, { gfm: true });
  await fs.writeFile(
    page,
    `<!doctype html><html><head><meta charset="utf-8"><style>${STYLE}</style></head><body>${html}<script>${CHECK}</script></body></html>`
  );
  const chromium = (...args: string[]): string =>
    execFileSync(
      CHROMIUM,
      ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--window-size=${WIDTH},1600`, ...args, `file://${page}`],
      {
        encoding: 'utf8',
        timeout: 60_000,
        stdio: ['ignore', 'pipe', 'ignore']
      }
    );
  chromium(`--screenshot=${path.join(root, `${name}.png`)}`);
  const dom = chromium('--dump-dom');
  const json = /<pre id="rendered">([^<]*)<\/pre>/.exec(dom)?.[1];
  if (!json) throw new Error(`the page's check did not run:\n${dom.slice(0, 2000)}`);
  return JSON.parse(
    json
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  ) as Rendered;
}

/**
 * What the action's summary code writes, read back from the step's summary file. @actions/core keeps
 * the first file it is given for the process, as a step has one: each case empties that one file.
 */
async function written(write: () => Promise<void>): Promise<string> {
  const file = path.join(root, 'step-summary.md');
  await fs.writeFile(file, '');
  process.env.GITHUB_STEP_SUMMARY = file;
  await write();
  return fs.readFile(file, 'utf8');
}

describe('the job summary, rendered', () => {
  it("a build with the advisor's findings, the rewrite's diff and a wheelhouse image: whole tables, code as code, no stray backticks, fits the page", async () => {
    // the advisor's own words on the as-found project's Dockerfile
    const text = await fs.readFile(path.resolve('bench/projects/as-found/Dockerfile'), 'utf8');
    const parsed = parseDockerfile(text)!;
    const stage = builtStage(parsed)!;
    const advice = measureAdvice(advise(parsed, stage, { wheelhouse: 'wheelhouse', base: 'wheelhouse-base' }), parsed, stage, []);
    expect(advice.length).toBeGreaterThan(0);
    const report: Report = {
      phases: { builder: 0.12, keys: 0.31, restore: 0.24, boot: 0.13, wheels: 1.4, build: 21.62 },
      cacheHit: 'partial',
      backend: 'actions',
      key: 'wheelhouse-v1-linux-amd64-cp311-glibc2.36-pip-2dee8b4f68955731f8635fa31fe21d78',
      wheelsBuilt: 1,
      wheelsReused: 41,
      wheelsPruned: 1,
      bytesRestored: 41_234_496,
      digest: 'sha256:719d1bed249a69ad73173174a23962106128612295ba99c799167d998b674234',
      wheelhouseImage: 'ghcr.io/acme/app@sha256:b842c9a4c200d570ac5c56ad18ebf80a60652f80218711a729a1274ea707c655',
      advice,
      rewrite: {
        diff: '--- Dockerfile\n+++ Dockerfile (optimized)\n@@ -11 +11 @@\n-COPY site/ ./site/\n+COPY --link site/ ./site/\n',
        used: true,
        refusals: [{ line: 7, reason: 'packages installed by an earlier step (`pip install -e .`)' }]
      }
    };
    const markdown = await written(() => writeSummary(report));
    const page = await render('success', markdown);

    expect(page.headings).toEqual(['wheelhouse-buildx', 'Dockerfile: slow steps']);
    expect(page.tables).toHaveLength(2);
    const [phases, slow] = page.tables;
    // phases, total, wheelhouse, wheels, restored, wheelhouse image, digest: two cells a row
    expect(phases!.rows).toBe(1 + 6 + 1 + 5);
    expect(new Set(phases!.cells)).toEqual(new Set([2]));
    expect(slow!.rows).toBe(1 + advice.length);
    expect(new Set(slow!.cells)).toEqual(new Set([5]));
    expect(page.backticks).toEqual([]);
    // the key, the wheelhouse image, the digest, each advised step and each fix that names a line or flag
    const fixesWithCode = advice.filter((a) => /--|^(RUN|COPY|ADD) |: (RUN|COPY|ADD) |WORKDIR/.test(a.fix)).length;
    expect(fixesWithCode).toBeGreaterThan(0);
    expect(page.codeCells).toBe(3 + advice.length + fixesWithCode);
    expect(page.tables.filter((t) => !t.fits)).toEqual([]);
    expect(page.details).toEqual(['Optimized Dockerfile: the image was built from it']);
  }, 120_000);

  it("a failed build: the failing phase named, its table whole, buildx's error as code", async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `#12 ${i} pip: step ${i}`);
    const message = `the image build failed:\n${lines.join('\n')}\nERROR: failed to solve: process "/bin/sh -c pip install \`cat reqs\`" did not complete successfully: exit code: 1`;
    const markdown = await written(() =>
      writeFailureSummary({ phase: 'build', phases: { builder: 0.1, keys: 0.3, restore: 0.2, wheels: 0, build: 4.2 }, message })
    );
    const page = await render('failure', markdown);
    expect(page.headings).toEqual(['wheelhouse-buildx: failed in the build phase']);
    expect(page.tables).toHaveLength(1);
    expect(page.tables[0]!.rows).toBe(1 + 5);
    expect(new Set(page.tables[0]!.cells)).toEqual(new Set([2]));
    expect(page.tables[0]!.fits).toBe(true);
    expect(page.backticks).toEqual([]);
    expect(page.blocks).toEqual([expect.stringMatching(/^ERROR: failed to solve: process "\/bin\/sh -c pip install `cat reqs`"/)]);
  }, 120_000);
});
