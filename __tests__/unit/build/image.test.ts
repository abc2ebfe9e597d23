// The build phase against a fake buildx: the optimized copy is built when there is one, and when BuildKit
// rejects it the user's Dockerfile is built instead with a warning; the advisor's findings are reported
// by line, those the copy fixed marked so; a generated Dockerfile is printed and built; a Dockerfile not
// read as stages gets a note and no advice.
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { FakeExec } from '../../../__fixtures__/exec.js';
import { fakeGetInput } from '../../../__fixtures__/inputs.js';
import { buildWithAdvice } from '../../../src/build/image.js';
import type { DockerfilePlan } from '../../../src/build/optimize.js';
import { advise } from '../../../src/dockerfile/advice.js';
import { builtStage, parseDockerfile } from '../../../src/dockerfile/parse.js';
import { type Config, readConfig } from '../../../src/inputs/config.js';
import { capturedLog, scratchDir } from '../../../__fixtures__/step.js';

const NAMES = { wheelhouse: 'wheelhouse', base: 'wheelhouse-base' };
const RUN = { lastPush: undefined, attestations: true };
const CONTEXTS = { wheelhouse: '/w/wheelhouse', base: '/w/base' };
const SLOW = [
  'FROM python:3.11',
  'WORKDIR /app',
  'COPY . .',
  'RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse pip install --no-index --find-links /wheelhouse -r requirements.txt',
  'CMD ["python3", "app.py"]',
  ''
].join('\n');

const log = capturedLog();
const scratch = scratchDir('image');

const config = (): Config =>
  readConfig(fakeGetInput({ context: '__fixtures__/platforms-app', tags: 'registry.example/app:1', push: 'true' }), {
    GITHUB_WORKSPACE: process.cwd()
  });

/** The plan of SLOW, with a rewrite that changed `line` (written to `file`). */
function slowPlan(rewrite?: { file: string; line: number }): DockerfilePlan {
  const parsed = parseDockerfile(SLOW)!;
  const stage = builtStage(parsed)!;
  return {
    parsed,
    stage,
    advice: advise(parsed, stage, NAMES),
    optimized: rewrite && {
      text: SLOW.replace('COPY . .', 'COPY --link . .'),
      changes: [{ line: rewrite.line, what: '--link' }],
      refusals: [],
      file: rewrite.file,
      diff: '--- Dockerfile\n+++ Dockerfile (optimized)\n@@ -3 +3 @@\n-COPY . .\n+COPY --link . .'
    }
  };
}

/** The `--file` of each build, in order. */
const files = (exec: FakeExec): string[] => exec.argsOf('buildx', 'build').map((args) => args[args.indexOf('--file') + 1]!);

describe('buildWithAdvice', () => {
  it('reports each slow line with its fix, by line number, as notices on the Dockerfile', async () => {
    const exec = new FakeExec();
    const plan = slowPlan();
    expect(plan.advice.length).toBeGreaterThan(0);
    const outcome = await buildWithAdvice(config(), { name: 'b', env: {} }, CONTEXTS, scratch(), RUN, plan, exec.run);
    expect(files(exec)).toEqual([config().file]);
    expect(outcome.builtFromRewrite).toBe(false);
    expect(outcome.advice.map((a) => a.line)).toEqual(plan.advice.map((a) => a.step.line));
    const out = log();
    expect(out).toContain('dockerfile advice for __fixtures__/platforms-app/Dockerfile');
    for (const a of outcome.advice) {
      expect(out).toContain(`  line ${a.line}: ${a.instruction}`);
      expect(out).toMatch(
        new RegExp(`::notice title=wheelhouse-buildx%3A a slow Dockerfile step,file=__fixtures__/platforms-app/Dockerfile,line=${a.line}::`)
      );
    }
  });

  it('builds the optimized copy, and marks the findings it fixed', async () => {
    const plan = slowPlan();
    const line = plan.advice[0]!.step.line;
    const exec = new FakeExec();
    const optimized = path.join(scratch(), 'Dockerfile.optimized');
    const outcome = await buildWithAdvice(
      config(),
      { name: 'b', env: {} },
      CONTEXTS,
      scratch(),
      RUN,
      slowPlan({ file: optimized, line }),
      exec.run
    );
    expect(files(exec)).toEqual([optimized]);
    expect(outcome.builtFromRewrite).toBe(true);
    expect(outcome.advice.find((a) => a.line === line)?.measured).toBe('fixed in the optimized copy this build used');
    expect(log()).toContain('optimize-dockerfile: building from');
  });

  it('an optimized copy BuildKit rejects: a warning naming it, and the Dockerfile as it is is built', async () => {
    const optimized = path.join(scratch(), 'Dockerfile.optimized');
    const exec = new FakeExec([
      {
        prefix: ['docker', 'buildx', 'build'],
        when: (args) => args.includes(optimized),
        result: { exitCode: 1, stderr: 'ERROR: failed to solve: dockerfile parse error on line 3' }
      }
    ]);
    const plan = slowPlan({ file: optimized, line: slowPlan().advice[0]!.step.line });
    const outcome = await buildWithAdvice(config(), { name: 'b', env: {} }, CONTEXTS, scratch(), RUN, plan, exec.run);
    expect(files(exec)).toEqual([optimized, config().file]);
    expect(outcome.builtFromRewrite).toBe(false);
    expect(outcome.advice.some((a) => a.measured === 'fixed in the optimized copy this build used')).toBe(false);
    expect(log()).toContain(
      `::warning::optimize-dockerfile: the optimized copy of __fixtures__/platforms-app/Dockerfile (${optimized}) did not build; building __fixtures__/platforms-app/Dockerfile as it is.`
    );
  });

  it('a generated Dockerfile is printed in the log and built, with no advice', async () => {
    const exec = new FakeExec();
    const generated = path.join(scratch(), 'Dockerfile.generated');
    const plan: DockerfilePlan = { ...slowPlan(), generated: { file: generated, text: SLOW } };
    const outcome = await buildWithAdvice(config(), { name: 'b', env: {} }, CONTEXTS, scratch(), RUN, plan, exec.run);
    expect(files(exec)).toEqual([generated]);
    expect(outcome).toMatchObject({ advice: [], generated: SLOW, builtFromRewrite: false });
    expect(log()).toContain('  COPY . .');
  });

  it('a Dockerfile not read as stages: a note that no advice could be made, and the build goes on', async () => {
    const exec = new FakeExec();
    const plan: DockerfilePlan = { parsed: undefined, stage: undefined, advice: [], optimized: undefined };
    const outcome = await buildWithAdvice(config(), { name: 'b', env: {} }, CONTEXTS, scratch(), RUN, plan, exec.run);
    expect(outcome.advice).toEqual([]);
    expect(files(exec)).toHaveLength(1);
    expect(log()).toContain('dockerfile advice: none could be made');
  });
});
