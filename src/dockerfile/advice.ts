// The advisor: the steps of a Dockerfile that make a build slow, or will make the next one slow, each
// with the line to change and the fast form. Advice is information; it never fails a build.
import { type ContextNames, type InstallStep, copySources, installsOf, isContextCopy, isDependencyFile, isLinked } from './install.js';
import { BASE_PINS } from '../wheels/generation.js';
import type { Instruction, ParsedDockerfile, Stage } from './parse.js';

export type AdviceKind =
  | 'install-from-index'
  | 'index-reachable'
  | 'single-install-step'
  | 'code-before-install'
  | 'copy-without-link'
  | 'after-code';

export interface Advice {
  readonly kind: AdviceKind;
  /** The step the advice is about. */
  readonly step: Instruction;
  /** Why it is slow. */
  readonly problem: string;
  /** What to write instead. */
  readonly fix: string;
}

/** The built stage with the stages it is built `FROM`, first one first: the steps that make the image. */
export function stageChain(dockerfile: ParsedDockerfile, stage: Stage): Stage[] {
  const chain = [stage];
  for (let current = stage; chain.length <= dockerfile.stages.length; ) {
    const parent = dockerfile.stages.find((s) => s.name !== undefined && s.name === current.image.toLowerCase() && s !== current);
    if (!parent || chain.includes(parent)) break;
    chain.unshift(parent);
    current = parent;
  }
  return chain;
}

const short = (step: Instruction): string => (step.text.length > 60 ? `${step.text.slice(0, 57)}...` : step.text);

/** The install of the wheelhouse's base generation: its mount and its command. */
export function baseInstall(names: ContextNames, pip: string, at: string): { mount: string; command: string } {
  return {
    mount: `--mount=type=bind,from=${names.base},target=${at}`,
    command: `${pip} install --no-cache-dir --no-index --no-deps --find-links ${at} -r ${at}/${BASE_PINS}`
  };
}

function baseInstallLine(names: ContextNames, pip: string, at: string): string {
  const { mount, command } = baseInstall(names, pip, at);
  return `RUN ${mount} ${command}`;
}

function installAdvice(installs: readonly InstallStep[], names: ContextNames): Advice[] {
  const advice: Advice[] = [];
  for (const install of installs) {
    if (!install.wheelhouseAt && !install.baseAt) {
      advice.push({
        kind: 'install-from-index',
        step: install.step,
        problem: 'installs from the package index, not the wheelhouse: every dependency change downloads (and may compile) again',
        fix: `mount the wheelhouse and install from it alone: RUN --mount=type=bind,from=${names.wheelhouse},target=/wheelhouse ${install.pip ?? 'pip'} install --no-index --find-links /wheelhouse ...`
      });
    } else if (!install.noIndex) {
      advice.push({
        kind: 'index-reachable',
        step: install.step,
        problem: 'installs from the wheelhouse without --no-index: pip still asks the package index about every package',
        fix: 'add --no-index: the wheelhouse holds every wheel the set needs'
      });
    }
  }
  // a step that installs single named wheels (the per-package form) is not the one install of everything
  const fromWheelhouse = installs.filter((i) => i.wheelhouseAt && !i.namedWheels);
  const last = fromWheelhouse[fromWheelhouse.length - 1];
  if (last && !installs.some((i) => i.baseAt)) {
    advice.push({
      kind: 'single-install-step',
      step: last.step,
      problem: 'one step installs every dependency: a change of one pin installs them all again and pushes the whole layer',
      fix: `install the wheelhouse's base generation first, in a step of its own before the dependency files are copied: ${baseInstallLine(names, last.pip ?? 'pip', last.wheelhouseAt ?? '/wheelhouse')}`
    });
  }
  return advice;
}

function copyAdvice(steps: readonly Instruction[], installs: readonly InstallStep[]): Advice[] {
  const advice: Advice[] = [];
  const lastInstall = installs[installs.length - 1]?.step;
  for (const step of steps.filter(isContextCopy)) {
    if (lastInstall && step.line < lastInstall.line) {
      const code = copySources(step).filter((s) => !isDependencyFile(s));
      if (code.length === 0) continue;
      advice.push({
        kind: 'code-before-install',
        step,
        problem: `copies ${code.join(' ')} before the dependency install at line ${lastInstall.line}: every code change runs the install again`,
        fix: `copy only the dependency files before line ${lastInstall.line}, and the code after it with ${step.keyword} --link`
      });
    } else if (!isLinked(step) && !copySources(step).every(isDependencyFile)) {
      advice.push({
        kind: 'copy-without-link',
        step,
        problem:
          'copies code without --link: on a builder without the layers below it (a fresh runner, a new BuildKit pod), they are pulled and unpacked first',
        fix: step.text.replace(/^(COPY|ADD)\s/i, `${step.keyword} --link `)
      });
    }
  }
  return advice;
}

/** Steps that write files (RUN, WORKDIR, a COPY not linked) after the code: each needs every layer below it. */
function afterCodeAdvice(steps: readonly Instruction[], installs: readonly InstallStep[]): Advice[] {
  const lastInstall = installs[installs.length - 1]?.step.line ?? 0;
  const firstCode = steps.find((s) => isContextCopy(s) && s.line > lastInstall);
  if (!firstCode) return [];
  return steps
    .filter(
      (s) =>
        s.line > firstCode.line &&
        (s.keyword === 'RUN' ||
          s.keyword === 'WORKDIR' ||
          ((s.keyword === 'COPY' || s.keyword === 'ADD') && !isContextCopy(s) && !isLinked(s)))
    )
    .map((step) => ({
      kind: 'after-code' as const,
      step,
      problem: `writes to the image after the code (line ${firstCode.line}): every code change runs it again, on top of every layer below it pulled and unpacked`,
      fix: step.keyword === 'WORKDIR' ? 'set the WORKDIR above the code copy' : 'move it above the code copy if it does not need the code'
    }));
}

/** The advice for the built stage (and the stages it is built from); none when it has the fast form. */
export function advise(dockerfile: ParsedDockerfile, stage: Stage, names: ContextNames): Advice[] {
  const chain = stageChain(dockerfile, stage);
  const installs = chain.flatMap((s) => installsOf(s, names));
  // code copies matter in the built stage: its layers are the image's
  const own = installs.filter((i) => stage.steps.includes(i.step));
  const advice = [...installAdvice(installs, names), ...copyAdvice(stage.steps, own), ...afterCodeAdvice(stage.steps, own)];
  return advice.sort((a, b) => a.step.line - b.step.line);
}

export const describe = (advice: Advice): string => `line ${advice.step.line}: ${short(advice.step)}: ${advice.problem}`;
