// The opt-in rewrite: a copy of the Dockerfile with the fixes that cannot change the image applied
// (`--link` on the code copies after the dependency install; the install split onto the wheelhouse's
// base generation and the rest), and a note naming the line for each fix it would not make.
import path from 'node:path/posix';
import { createTwoFilesPatch } from 'diff';
import { type Advice, advise, baseInstall, stageChain } from './advice.js';
import { type ContextNames, type InstallStep, WRITE_OPTIONS, commandOf, copyDestination, installOf } from './install.js';
import type { LayerPlan } from './layers.js';
import type { Instruction, ParsedDockerfile, Stage } from './parse.js';
import { layeredInstall } from './rewrite-layers.js';

export interface Change {
  readonly line: number;
  readonly what: string;
}

export interface Refusal {
  readonly line: number;
  readonly reason: string;
}

export interface Rewrite {
  /** The rewritten Dockerfile; the same text when nothing was changed. */
  readonly text: string;
  readonly changes: readonly Change[];
  readonly refusals: readonly Refusal[];
}

/** Whether the install step's requirement files name every dependency the wheelhouse holds. */
export type Coverage =
  /** `requested`: the projects the requirement files name (normalized), which pip marks REQUESTED. */
  { readonly covers: true; readonly requested?: readonly string[] } | { readonly covers: false; readonly reason: string };

/** Folders that merged-/usr images make symlinks: a `--link` layer with a folder there would replace the link. */
const LINKED_DIRS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/var/run', '/var/lock'];
/** pip options that a second install into the same place would not honour the same way. */
const PLACE_OPTIONS = /(?:^|\s)(?:--target|-t|--prefix|--root|--src)(?:[\s=]|$)/;
/** pip options the base install must share with the install it is split from. */
const SHARED_OPTIONS = ['--user', ...WRITE_OPTIONS];

/** The WORKDIR a step runs in, from the WORKDIR steps before it in its stages; undefined when none set it. */
function workdirAt(steps: readonly Instruction[], step: Instruction): string | undefined {
  let dir: string | undefined;
  for (const s of steps) {
    if (s.line >= step.line) break;
    if (s.keyword === 'WORKDIR' && s.args[0]) dir = path.resolve(dir ?? '/', s.args[0]);
  }
  return dir;
}

function linkRefusal(step: Instruction, steps: readonly Instruction[]): string | undefined {
  if (step.heredoc) return 'it has a heredoc';
  for (const f of step.flags) {
    if (f.name === 'chown' && !/^\d+(?::\d+)?$/.test(f.value ?? ''))
      return `--chown=${f.value ?? ''} names a user or group that a --link layer cannot look up; numeric ids can`;
  }
  const destination = copyDestination(step);
  const workdir = workdirAt(steps, step);
  if (!destination.startsWith('/') && workdir === undefined)
    return 'no WORKDIR is set before it, so where it copies to depends on the base image';
  if (/\$/.test(destination)) return `its destination ${destination} uses a variable`;
  const absolute = path.resolve(workdir ?? '/', destination);
  if (absolute === '/') return 'it copies into /';
  const linked = LINKED_DIRS.find((d) => absolute === d || absolute.startsWith(`${d}/`));
  if (linked) return `${linked} is a symlink in most base images: a --link layer would replace it`;
  for (const s of steps) {
    if (s.line >= step.line || s.keyword !== 'RUN') continue;
    const command = commandOf(s);
    if (/\bln\s+-[a-zA-Z]*s/.test(command)) return `line ${s.line} makes symlinks: a --link layer could replace one`;
    if (/\b(?:chown|chmod)\b/.test(command))
      return `line ${s.line} changes owners or modes: a --link layer would reset those of ${path.dirname(absolute)}`;
  }
  return undefined;
}

/** Where the base install goes: after the last step before the install that is not a COPY/ADD. */
function insertAfter(stage: Stage, install: Instruction): Instruction {
  let after: Instruction = stage.from;
  for (const s of stage.steps) {
    if (s.line >= install.line) break;
    if (s.keyword !== 'COPY' && s.keyword !== 'ADD') after = s;
  }
  return after;
}

function splitRefusal(install: InstallStep, coverage: Coverage): string | undefined {
  if (!install.pip) return 'only pip install steps are split';
  if (install.step.heredoc) return 'it has a heredoc';
  if (PLACE_OPTIONS.test(commandOf(install.step))) return 'it installs into a folder of its own (--target, --prefix or --root)';
  if (!coverage.covers) return coverage.reason;
  return undefined;
}

function baseStep(install: InstallStep, names: ContextNames, continuation: string): string[] {
  const at = install.wheelhouseAt ?? '/wheelhouse';
  const words = commandOf(install.step).split(/\s+/);
  const shared = SHARED_OPTIONS.filter((o) => words.includes(o));
  const { mount, command } = baseInstall(names, install.pip ?? 'pip', at);
  return [
    "# wheelhouse-buildx: the wheelhouse's base generation in a layer of its own, kept across small dependency changes",
    `RUN ${mount} ${continuation}`,
    `    ${[command, ...shared].join(' ')}`
  ];
}

/**
 * The rewritten Dockerfile for the built stage. `coverage` tells whether the install may be split;
 * with `layers` (the wheelhouse's per-package plan) it is made a layer per package where that keeps the
 * image the same (rewrite-layers.ts), else split in two.
 */
export function rewrite(dockerfile: ParsedDockerfile, stage: Stage, names: ContextNames, coverage: Coverage, layers?: LayerPlan): Rewrite {
  const advice = advise(dockerfile, stage, names);
  const chain = stageChain(dockerfile, stage);
  const steps = chain.flatMap((s) => [s.from, ...s.steps]);
  const lines = [...dockerfile.lines];
  const inserts = new Map<number, string[]>(); // after a 1-based line
  const replaced = new Map<number, string[]>(); // 1-based line → its lines instead
  const changes: Change[] = [];
  const refusals: Refusal[] = [];
  const consider = (a: Advice): void => {
    if (a.kind === 'copy-without-link') {
      const reason = linkRefusal(a.step, steps);
      if (reason) return void refusals.push({ line: a.step.line, reason: `not linked: ${reason}` });
      const at = a.step.line - 1;
      lines[at] = lines[at]!.replace(/^(\s*)(COPY|ADD)(\s+)/i, `$1$2 --link$3`);
      changes.push({ line: a.step.line, what: `${a.step.keyword} --link: a code change no longer needs the layers below it` });
    } else if (a.kind === 'single-install-step') {
      const install = installOf(a.step, names)!;
      const reason = splitRefusal(install, coverage);
      if (reason) return void refusals.push({ line: a.step.line, reason: `the install is not split: ${reason}` });
      const home = chain.find((s) => s.steps.includes(a.step))!;
      const after = insertAfter(home, a.step);
      if (layers && layers.layers.length > 0 && coverage.covers) {
        const requested = coverage.requested ?? [];
        const layered = layeredInstall({ dockerfile, home, chain, install, after, layers, wheelhouse: names.wheelhouse, requested });
        if ('edit' in layered) {
          replaced.set(home.from.line, [layered.edit.from]);
          inserts.set(after.endLine, [...(inserts.get(after.endLine) ?? []), ...layered.edit.stages]);
          for (let l = a.step.line; l <= a.step.endLine; l++) replaced.set(l, l === a.step.line ? [...layered.edit.copies] : []);
          const count = layers.layers.length;
          return void changes.push({
            line: a.step.line,
            what: `each package is installed in a stage of its own and copied in with COPY --link (${count} layer${count === 1 ? '' : 's'}): a changed pin rebuilds one`
          });
        }
        refusals.push({ line: a.step.line, reason: `not a layer per package: ${layered.refusal}; split in two instead` });
      }
      inserts.set(after.endLine, baseStep(install, names, dockerfile.escape));
      changes.push({ line: a.step.line, what: `the wheelhouse's base generation is installed in its own step after line ${after.line}` });
    }
  };
  advice.forEach(consider);
  const out: string[] = [];
  lines.forEach((line, i) => {
    out.push(...(replaced.get(i + 1) ?? [line]));
    out.push(...(inserts.get(i + 1) ?? []));
  });
  return { text: changes.length > 0 ? out.join('\n') : dockerfile.lines.join('\n'), changes, refusals };
}

/** The rewrite as a unified diff of the user's Dockerfile. */
export const rewriteDiff = (name: string, original: string, rewritten: string): string =>
  createTwoFilesPatch(name, `${name} (optimized)`, original, rewritten, undefined, undefined, { context: 2 });
