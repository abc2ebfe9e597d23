// What a Dockerfile step does with Python packages: which RUN steps install them, from which named
// context, with which pip options; which COPY steps bring dependency files and which bring code.
import { type Instruction, type Stage, flag, parseDockerfile } from './parse.js';

/** pip options that change what an install writes: an install made from the user's step repeats them. */
export const WRITE_OPTIONS = ['--break-system-packages', '--no-compile', '--no-warn-script-location'];

/** The names of the two wheelhouse contexts the build gets. */
export interface ContextNames {
  readonly wheelhouse: string;
  readonly base: string;
}

export interface InstallStep {
  readonly step: Instruction;
  /** How pip is started (`pip`, `python3 -m pip`); undefined for other installers (uv, pip-sync). */
  readonly pip: string | undefined;
  /** The folder the wheelhouse (or its base) is mounted on, when it is. */
  readonly wheelhouseAt: string | undefined;
  readonly baseAt: string | undefined;
  readonly noIndex: boolean;
  /** The `-r`/`--requirement` files it names. */
  readonly requirementFiles: readonly string[];
  /** It mounts single wheels of the wheelhouse (`source=<file>.whl`): it installs those alone. */
  readonly namedWheels: boolean;
}

/** An argument of the JSON form (`["a",` `"b"]`) without its brackets, quotes and comma. */
const bare = (arg: string): string => arg.replace(/^\[/, '').replace(/\]$/, '').replace(/,$/, '').replace(/^"|"$/g, '');

/** The command of a RUN step, its flags left out (the JSON form's words joined with spaces). */
export function commandOf(step: Instruction): string {
  const json = step.args[0]?.startsWith('[') ?? false;
  return (json ? step.args.map(bare) : step.args).join(' ');
}

const PIP_INSTALL = /((?:^|[\s;&|(])(?:\S*\/)?(?:pip3?(?:\.\d+)?|python3?(?:\.\d+)?\s+-m\s+pip))\s+install\b/;
const OTHER_INSTALL = /\b(?:uv\s+pip\s+(?:install|sync)|pip-sync|poetry\s+install|pipenv\s+(?:install|sync))\b/;

function mountedAt(step: Instruction, context: string): string | undefined {
  for (const f of step.flags) {
    if (f.name !== 'mount' || f.options.from !== context) continue;
    return f.options.target ?? f.options.dst ?? f.options.destination ?? undefined;
  }
  return undefined;
}

const mountedSources = (step: Instruction, context: string): string[] =>
  step.flags.flatMap((f) => (f.name === 'mount' && f.options.from === context ? [f.options.source ?? f.options.src ?? ''] : []));

/** The step's install, when it is a RUN that installs Python packages. */
export function installOf(step: Instruction, names: ContextNames): InstallStep | undefined {
  if (step.keyword !== 'RUN') return undefined;
  const command = commandOf(step);
  const pip = PIP_INSTALL.exec(command.replace(/\buv\s+pip\b/g, 'uv-pip'));
  if (!pip && !OTHER_INSTALL.test(command)) return undefined;
  const words = command.split(' ');
  const requirementFiles: string[] = [];
  words.forEach((w, i) => {
    if ((w === '-r' || w === '--requirement') && words[i + 1]) requirementFiles.push(words[i + 1]!);
    const joined = /^(?:-r|--requirement=)(.+)$/.exec(w);
    if (joined && w !== '-r') requirementFiles.push(joined[1]!);
  });
  return {
    step,
    pip: pip ? pip[1]!.replace(/^[\s;&|(]/, '').trim() : undefined,
    wheelhouseAt: mountedAt(step, names.wheelhouse),
    baseAt: mountedAt(step, names.base),
    noIndex: /(?:^|\s)--no-index(?:\s|$)/.test(command) || /(?:^|\s)--offline(?:\s|$)/.test(command),
    requirementFiles,
    namedWheels: ((mounts) => mounts.length > 0 && mounts.every((m) => m.endsWith('.whl')))(mountedSources(step, names.wheelhouse))
  };
}

export const installsOf = (stage: Stage, names: ContextNames): InstallStep[] =>
  stage.steps.map((s) => installOf(s, names)).filter((i): i is InstallStep => i !== undefined);

/**
 * The `-r` files the installs of every stage name, as written, but the wheelhouse's own (under its
 * mounts); undefined when the text cannot be parsed.
 */
export function installedRequirementFiles(text: string, names: ContextNames): string[] | undefined {
  const under = (file: string, mount: string | undefined): boolean =>
    mount !== undefined && file.startsWith(`${mount.replace(/\/+$/, '')}/`);
  return parseDockerfile(text)?.stages.flatMap((stage) =>
    installsOf(stage, names).flatMap((i) => i.requirementFiles.filter((f) => !under(f, i.wheelhouseAt) && !under(f, i.baseAt)))
  );
}

/** A file that names dependencies rather than code. */
export function isDependencyFile(source: string): boolean {
  const name = source.replace(/\/+$/, '').split('/').pop() ?? '';
  return (
    /^(?:requirements|constraints)[^/]*\.(?:txt|in)$/.test(name) ||
    name === 'requirements' ||
    /^(?:pyproject\.toml|setup\.cfg|Pipfile|Pipfile\.lock|poetry\.lock|uv\.lock|pdm\.lock|pylock(?:\.[^.]+)?\.toml)$/.test(name)
  );
}

/** A COPY or ADD of files from the build context (not `--from` another stage or context). */
export const isContextCopy = (step: Instruction): boolean =>
  (step.keyword === 'COPY' || step.keyword === 'ADD') && flag(step, 'from') === undefined;

/** A COPY/ADD with `--link` (bare or `=true`, not `--link=false`). */
export const isLinked = (step: Instruction): boolean => {
  const link = flag(step, 'link');
  return link !== undefined && link.value !== 'false';
};

/** The sources of a COPY/ADD (its arguments but the last). */
export const copySources = (step: Instruction): string[] => step.args.map(bare).filter(Boolean).slice(0, -1);

/** Where a COPY/ADD puts its files, as written. */
export const copyDestination = (step: Instruction): string => step.args.map(bare).filter(Boolean).pop() ?? '';
