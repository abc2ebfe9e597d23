// The build phase: the image built from the user's Dockerfile or its optimized copy (falling back to the
// user's when BuildKit rejects the copy), then the advisor's findings measured against buildx's progress.
import * as core from '@actions/core';
import path from 'node:path';
import type { BuilderRef } from '../builder/record.js';
import { type Exec, run as runProgram } from '../exec/exec.js';
import type { Config } from '../inputs/config.js';
import { type AdviceLine, measureAdvice } from './advice-report.js';
import type { BuildMetadata, WheelhouseContexts } from './args.js';
import { type BuildRun, type BuiltImage, ImageBuildError, buildImage } from './build.js';
import type { DockerfilePlan, Optimized } from './optimize.js';
import { parseProgress } from './progress.js';

export interface ImageOutcome {
  readonly metadata: BuildMetadata;
  readonly advice: readonly AdviceLine[];
  /** The rewrite when one was made, and whether the image was built from it. */
  readonly optimized: Optimized | undefined;
  readonly builtFromRewrite: boolean;
  /** The generated Dockerfile the image was built from. */
  readonly generated: string | undefined;
}

function logRewrite(optimized: Optimized, displayName: string): void {
  for (const refusal of optimized.refusals) core.info(`optimize-dockerfile: line ${refusal.line}: ${refusal.reason}`);
  if (!optimized.diff) return;
  core.info(`optimize-dockerfile: building from ${optimized.file}, ${displayName} with ${optimized.changes.length} change(s):`);
  for (const line of optimized.diff.split('\n').slice(2)) core.info(line);
}

export async function buildWithAdvice(
  config: Config,
  builder: BuilderRef,
  contexts: WheelhouseContexts,
  workDir: string,
  run: BuildRun,
  plan: DockerfilePlan,
  exec: Exec = runProgram
): Promise<ImageOutcome> {
  const displayName = path.relative(config.workspace, config.file);
  const optimized = plan.optimized;
  if (optimized) logRewrite(optimized, displayName);
  if (plan.generated) {
    core.info(`dockerfile: generated as ${plan.generated.file} (commit it as ${displayName} to own it):`);
    for (const line of plan.generated.text.trimEnd().split('\n')) core.info(`  ${line}`);
    const built = await buildImage(config, builder, contexts, workDir, run, plan.generated.file, exec);
    return { metadata: built.metadata, advice: [], optimized: undefined, builtFromRewrite: false, generated: plan.generated.text };
  }
  let built: BuiltImage;
  let builtFromRewrite = Boolean(optimized?.diff);
  if (optimized?.diff) {
    try {
      built = await buildImage(config, builder, contexts, workDir, run, optimized.file, exec);
    } catch (error) {
      if (!(error instanceof ImageBuildError)) throw error;
      core.warning(
        `optimize-dockerfile: the optimized copy of ${displayName} (${optimized.file}) did not build; building ${displayName} as it is. ${error.message}`
      );
      builtFromRewrite = false;
      built = await buildImage(config, builder, contexts, workDir, run, undefined, exec);
    }
  } else {
    built = await buildImage(config, builder, contexts, workDir, run, undefined, exec);
  }
  const fixed = new Set(builtFromRewrite ? (optimized?.changes ?? []).map((c) => c.line) : []);
  const measured = plan.parsed && plan.stage ? measureAdvice(plan.advice, plan.parsed, plan.stage, parseProgress(built.log)) : [];
  const advice = measured.map((a) => (fixed.has(a.line) ? { ...a, measured: 'fixed in the optimized copy this build used' } : a));
  reportAdvice(advice, displayName, plan.parsed === undefined);
  return { metadata: built.metadata, advice, optimized, builtFromRewrite, generated: undefined };
}

function reportAdvice(advice: readonly AdviceLine[], displayName: string, unparsable: boolean): void {
  if (unparsable) {
    core.info(`dockerfile advice: none could be made, ${displayName} was not read as a Dockerfile with stages`);
    return;
  }
  if (advice.length === 0) return;
  core.info(`dockerfile advice for ${displayName} (set optimize-dockerfile: true to build from a copy with the safe fixes applied):`);
  for (const a of advice) {
    core.info(`  line ${a.line}: ${a.instruction}`);
    core.info(`    ${a.problem}; this build: ${a.measured}`);
    core.info(`    fix: ${a.fix}`);
    core.notice(`${a.problem}. This build: ${a.measured}. Fix: ${a.fix}`, {
      title: 'wheelhouse-buildx: a slow Dockerfile step',
      file: displayName,
      startLine: a.line
    });
  }
}
