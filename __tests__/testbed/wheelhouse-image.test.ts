// The wheelhouse as an image: the first run pushes the wheelhouse and its base next to the app's image;
// a code change on a fresh runner and builder then names them by digest, restores no wheelhouse, sends
// none to BuildKit and pulls none, and still finds the install steps cached. (A remembered image the
// registry no longer has, and a registry that refuses or hangs on the push: cases of `npm run faults`.)
import { beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { repositoryOf } from '../../src/inputs/image-ref.js';
import { testbedSuite } from '../support/suite.js';
import { cleanRun } from '../support/clean-run.js';
import { exampleWorkspace, stepReused, uniqueTag } from '../support/scenario.js';

const suite = testbedSuite('wheelhouse-image');

const INSTALL = /--mount=type=bind,from=wheelhouse/;

let workspace: string;
let repository: string;

const run = (tag: string, extra: Record<string, string> = {}): ReturnType<typeof cleanRun> =>
  cleanRun(suite.root, workspace, suite.service, tag, extra);

/** The progress lines of the build step that loaded the named context. */
function contextLines(log: string, name: string): string[] {
  const lines = log.split('\n');
  const ids = new Set(lines.flatMap((l) => (new RegExp(`^#(\\d+) \\[context ${name}\\]`).exec(l) ?? []).slice(1)));
  return lines.filter((l) => ids.has(/^#(\d+) /.exec(l)?.[1] ?? ''));
}

beforeAll(async () => {
  workspace = await exampleWorkspace(path.join(suite.root, 'workspace'));
  repository = repositoryOf(uniqueTag('wheelhouse-image'));
});

describe('the wheelhouse as an image', () => {
  let pushed: string;

  it('the first run pushes the wheelhouse and its base as images and remembers them', async () => {
    const first = await run(`${repository}:run-1`);
    const line = /wheelhouse image: pushed (\S+@sha256:[0-9a-f]{64}) \(base (\S+@sha256:[0-9a-f]{64})\)/.exec(first.main.stdout);
    expect(line?.[1]).toMatch(new RegExp(`^${repository}@`));
    expect(line?.[2]).toMatch(new RegExp(`^${repository}@`));
    pushed = line![1]!;
    // the build named the pushed images, not the folders
    expect(first.main.stdout).toContain(`[context wheelhouse] ${pushed}`);
    expect(first.post.stdout).toMatch(/wheelhouse-image: saved .* as wheelhouse-image-v1-/);
  }, 900_000);

  it('a code change on a fresh runner and builder restores, sends and pulls no wheelhouse, and reuses the install steps', async () => {
    await fs.appendFile(path.join(workspace, 'site_app', 'views.py'), '\n# a code change\n');
    const second = await run(`${repository}:run-2`);
    expect(second.main.stdout).toMatch(/wheelhouse: exact \(wheelhouse-image-v1-.*\), as the image .*: nothing restored/);
    expect(second.main.outputs['wheelhouse-cache-hit']).toBe('exact');
    expect(second.main.stdout).not.toMatch(/transferring wheelhouse/);
    const context = contextLines(second.main.stdout, 'wheelhouse');
    expect(context.join('\n')).toContain(pushed);
    expect(context.filter((l) => /extracting|MB \/ /.test(l))).toEqual([]);
    expect(stepReused(second.main.stdout, INSTALL)).toBe(true);
    expect(second.post.stdout).not.toMatch(/wheelhouse(-image)?: saved/);
  }, 900_000);
});
