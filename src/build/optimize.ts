// The Dockerfile the image is built from: the user's, read by the advisor, and with
// `optimize-dockerfile` a rewritten copy outside the workspace (the user's file is never changed).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Advice, advise, stageChain } from '../dockerfile/advice.js';
import { type ContextNames, installsOf } from '../dockerfile/install.js';
import { type ParsedDockerfile, type Stage, builtStage, parseDockerfile } from '../dockerfile/parse.js';
import { type Coverage, type Rewrite, rewrite, rewriteDiff } from '../dockerfile/rewrite.js';
import { readDependencies } from '../keys/discover.js';
import { type DependencySet, normalizeName } from '../keys/model.js';
import type { LayerPlan } from '../dockerfile/layers.js';

export interface Optimized extends Rewrite {
  /** Where the rewritten copy was written. */
  readonly file: string;
  readonly diff: string;
}

export interface DockerfilePlan {
  /** Undefined when the Dockerfile could not be read as stages (no advice then). */
  readonly parsed: ParsedDockerfile | undefined;
  readonly stage: Stage | undefined;
  readonly advice: readonly Advice[];
  /** The rewrite, when asked for and it changed something (or refused something). */
  readonly optimized: Optimized | undefined;
  /** The generated Dockerfile, when the project has none (the text is the plan's). */
  readonly generated?: { readonly file: string; readonly text: string };
}

const isConstraints = (file: string): boolean => /^constraints[^/]*\.txt$/.test(path.basename(file));

/**
 * Whether the install step's `-r` files reach every requirement file the wheelhouse was made of, so that
 * installing the wheelhouse's base first adds nothing the image would not have had.
 */
export async function coverageOf(requirementFiles: readonly string[], context: string, whole: DependencySet): Promise<Coverage> {
  if (requirementFiles.length === 0) return { covers: false, reason: 'it names no requirements file with -r' };
  const known = whole.files.map((f) => path.join(context, f));
  const named = requirementFiles.map((r) => known.find((k) => k === path.join(context, r) || k.endsWith(`/${r.replace(/^\.\//, '')}`)));
  const missingNamed = requirementFiles.filter((_, i) => named[i] === undefined);
  if (missingNamed.length > 0)
    return { covers: false, reason: `${missingNamed.join(', ')} is not among the dependency files the wheelhouse was made of` };
  const reached = await readDependencies(context, named as string[]).catch(() => undefined);
  if (!reached) return { covers: false, reason: `${requirementFiles.join(', ')} could not be read` };
  const beyond = whole.files.filter((f) => !reached.files.includes(f) && !isConstraints(f));
  if (beyond.length > 0)
    return {
      covers: false,
      reason: `the wheelhouse also holds the dependencies of ${beyond.join(', ')}, which this step does not install`
    };
  const requested = [...new Set(reached.requirements.flatMap((r) => (r.name ? [normalizeName(r.name)] : [])))].sort();
  return { covers: true, requested };
}

export interface PlanInputs {
  readonly text: string;
  readonly target: string | undefined;
  readonly names: ContextNames;
  readonly optimize: boolean;
  /** The Dockerfile's name as the user knows it (for the diff). */
  readonly displayName: string;
  readonly dockerfile: string;
  readonly context: string;
  readonly dependencies: DependencySet;
  readonly workDir: string;
  /** The wheelhouse's per-package plan: the rewrite makes the install a layer per package with it. */
  readonly layers?: LayerPlan;
  /** The text is a generated Dockerfile: build it from a file of its own, with no rewrite. */
  readonly generated?: boolean;
}

async function writeCopy(workDir: string, text: string): Promise<string> {
  const dir = path.join(workDir, 'dockerfile');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'Dockerfile');
  await fs.writeFile(file, text);
  return file;
}

export async function planDockerfile(inputs: PlanInputs): Promise<DockerfilePlan> {
  const parsed = parseDockerfile(inputs.text);
  const stage = parsed ? builtStage(parsed, inputs.target) : undefined;
  if (!parsed || !stage) return { parsed, stage, advice: [], optimized: undefined };
  const advice = advise(parsed, stage, inputs.names);
  if (inputs.generated)
    return {
      parsed,
      stage,
      advice,
      optimized: undefined,
      generated: { file: await writeCopy(inputs.workDir, inputs.text), text: inputs.text }
    };
  if (!inputs.optimize || advice.length === 0) return { parsed, stage, advice, optimized: undefined };
  const install = stageChain(parsed, stage)
    .flatMap((s) => installsOf(s, inputs.names))
    .filter((i) => i.wheelhouseAt)
    .pop();
  const coverage = install
    ? await coverageOf(install.requirementFiles, inputs.context, inputs.dependencies)
    : { covers: false as const, reason: 'no install step reads the wheelhouse' };
  const result = rewrite(parsed, stage, inputs.names, coverage, inputs.layers);
  if (result.changes.length === 0) return { parsed, stage, advice, optimized: { ...result, file: inputs.dockerfile, diff: '' } };
  const file = await writeCopy(inputs.workDir, result.text);
  // BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile before the context's .dockerignore
  const ignore = `${inputs.dockerfile}.dockerignore`;
  await fs.copyFile(ignore, `${file}.dockerignore`).catch(() => undefined);
  return { parsed, stage, advice, optimized: { ...result, file, diff: rewriteDiff(inputs.displayName, inputs.text, result.text) } };
}
