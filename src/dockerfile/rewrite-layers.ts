// The rewrite's per-package form: the one install step of the user's stage becomes a stage per package
// (or per group of small ones, see layers.ts), each built FROM the user's own steps before the install,
// installing its wheels with the same pip into an empty root; each root is copied in with `COPY --link`
// where the install was. A bumped pin then runs one small install and pushes one layer, and nothing runs
// on top of the packages, so no layer below them is pulled or unpacked.
//
// The image must stay the one the user's step makes, so each stage installs by name from a folder of
// wheels (as `-r` with `--find-links` does: no direct_url.json), then gives the root's folders the
// owners and modes of the image's own (a `--link` layer's folders replace those below it), drops the
// REQUESTED mark (and its RECORD line) pip leaves on packages the requirement files do not name, and fails the build when a
// folder it would write is a symlink in the image (the rewrite is then dropped for the user's file).
import { wheelName } from '../wheels/generation.js';
import { type InstallStep, WRITE_OPTIONS, commandOf, installOf } from './install.js';
import { type LayerPlan, wheelMounts } from './layers.js';
import type { Instruction, ParsedDockerfile, Stage } from './parse.js';

/** The name the user's steps before the install get as a stage of their own. */
export const DEPS_STAGE = 'wheelhouse-buildx-deps';
/** Where each stage installs its packages. */
export const LAYER_ROOT = '/wheelhouse-buildx-root';

/** pip options that change nothing a per-package install must repeat, and whether each takes a value. */
const HARMLESS = new Map<string, boolean>([
  ['--no-cache-dir', false],
  ['--no-index', false],
  ['--disable-pip-version-check', false],
  ['-q', false],
  ['--quiet', false],
  ['-v', false],
  ['--verbose', false],
  ['-U', false],
  ['--upgrade', false],
  ['--prefer-binary', false],
  ['--no-deps', false],
  ['--require-hashes', false],
  ['--no-build-isolation', false],
  ['-r', true],
  ['--requirement', true],
  ['-c', true],
  ['--constraint', true],
  ['-f', true],
  ['--find-links', true],
  ['--progress-bar', true],
  ['--root-user-action', true],
  ['--only-binary', true]
]);

/** The options a per-package install repeats, or why the step's command cannot be made per package. */
export function passedOptions(install: InstallStep): { readonly options: string[] } | { readonly refusal: string } {
  const command = commandOf(install.step).trim();
  const head = `${install.pip ?? ''} install`;
  if (!install.pip || !command.startsWith(head) || /[;&|<>`$()\\]/.test(command))
    return { refusal: 'its command does more than one pip install' };
  const words = command.slice(head.length).trim().split(/\s+/).filter(Boolean);
  const options: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (WRITE_OPTIONS.includes(word)) options.push(word);
    else if (/^-[rcf]\S/.test(word)) continue;
    else {
      const name = word.startsWith('--') ? word.split('=')[0]! : word;
      const takesValue = HARMLESS.get(name);
      if (takesValue === undefined) {
        return {
          refusal: word.startsWith('-')
            ? `pip's ${name} is not an option the per-package form repeats`
            : `it also installs ${word}, which the wheelhouse does not hold`
        };
      }
      if (takesValue && !word.includes('=')) i++;
    }
  }
  return { options };
}

/** The interpreter that runs pip: `python3 -m pip` → python3, `/venv/bin/pip` → /venv/bin/python. */
export function pythonOf(pip: string): string {
  const module = /^(\S+)\s+-m\s+pip$/.exec(pip);
  if (module) return module[1]!;
  const dir = /^(.*\/)pip[\d.]*$/.exec(pip);
  return dir ? `${dir[1]}python` : 'python3';
}

/** The fix-up each stage runs after pip (see the header); a Python expression list, no quote of its own. */
const FIXUP = [
  'import os,sys',
  'r=sys.argv[1]',
  'k=set(sys.argv[2:])',
  'w=[(d,f) for d,_,f in os.walk(r)]',
  '[sys.exit("wheelhouse-buildx: "+t+" is a symlink in the image: a --link layer would replace it") for d,f in w for t in [d[len(r):]] if t and os.path.islink(t)]',
  '[(os.chown(d,s.st_uid,s.st_gid),os.chmod(d,s.st_mode&4095)) for d,f in w if os.path.isdir(d[len(r):] or "/") for s in [os.stat(d[len(r):] or "/")]]',
  '[(os.remove(d+"/REQUESTED"),open(d+"/RECORD","wb").write(b"".join(l for l in x.splitlines(True) if not l.startswith(n.encode()+b"/REQUESTED,")))) for d,f in w for n in [os.path.basename(d)] if n.endswith(".dist-info") and "REQUESTED" in f and n[:-10].rsplit("-",1)[0].replace("_","-").replace(".","-").lower() not in k for x in [open(d+"/RECORD","rb").read()]]'
].join(';');

/** Drops the REQUESTED mark of the packages named (installed in place, and not named by the requirement files). */
const UNREQUEST =
  'import importlib.metadata as m,sys;k=set(sys.argv[1:]);[((p/"REQUESTED").unlink(),(p/"RECORD").write_bytes(b"".join(l for l in x.splitlines(True) if not l.startswith(p.name.encode()+b"/REQUESTED,")))) for d in m.distributions() for p in [getattr(d,"_path",None)] if p and (p/"REQUESTED").exists() and str(d.metadata["Name"]).replace("_","-").replace(".","-").lower() in k for x in [(p/"RECORD").read_bytes()]]';

const pins = (wheels: readonly string[]): string[] =>
  wheels.map((w) => {
    const { project, version } = wheelName(w);
    return `${project}==${version}`;
  });

export interface LayeredInputs {
  readonly dockerfile: ParsedDockerfile;
  /** The stage the install step is in, and the stages it is built from. */
  readonly home: Stage;
  readonly chain: readonly Stage[];
  readonly install: InstallStep;
  /** The last step before the install that is not a COPY/ADD: the user's steps up to it make the stages' base. */
  readonly after: Instruction;
  readonly layers: LayerPlan;
  readonly wheelhouse: string;
  /** The projects the install step's requirement files name (normalized): pip marks them REQUESTED. */
  readonly requested: readonly string[];
}

export interface LayeredEdit {
  /** The FROM line of the install's stage, renamed to DEPS_STAGE. */
  readonly from: string;
  /** Lines to insert after `after`: the package stages, then the user's stage again. */
  readonly stages: readonly string[];
  /** The lines that replace the install step. */
  readonly copies: readonly string[];
}

/** Why the install cannot be made per package; undefined when it can. */
function refusal(inputs: LayeredInputs): string | undefined {
  const { dockerfile, home, chain, install } = inputs;
  const steps = dockerfile.stages.flatMap((s) => [s.from, ...s.steps]);
  const numbered = steps.find((s) =>
    s.flags.some((f) => (f.name === 'from' && /^\d+$/.test(f.value ?? '')) || /^\d+$/.test(f.options.from ?? ''))
  );
  if (numbered) return `line ${numbered.line} names a stage by its number, which new stages would change`;
  if (home.from.line !== home.from.endLine) return `its stage's FROM (line ${home.from.line}) spans lines`;
  const before = chain.flatMap((s) => s.steps).filter((s) => s.line < install.step.line);
  const earlier = before.find((s) => installOf(s, { wheelhouse: inputs.wheelhouse, base: '' }) !== undefined);
  if (earlier) return `line ${earlier.line} installs Python packages before it`;
  if (/(?:^|\s)--user(?:\s|$)/.test(commandOf(install.step))) return 'it installs with --user';
  return undefined;
}

/** The per-package form of the install, or why it is not made. */
export function layeredInstall(inputs: LayeredInputs): { readonly edit: LayeredEdit } | { readonly refusal: string } {
  const why = refusal(inputs);
  if (why) return { refusal: why };
  const passed = passedOptions(inputs.install);
  if ('refusal' in passed) return passed;
  const { dockerfile, home, install, layers, wheelhouse, requested } = inputs;
  const continuation = dockerfile.escape;
  const pip = install.pip!;
  const python = pythonOf(pip);
  const options = ['--no-cache-dir', '--no-index', '--no-deps', ...passed.options];
  const args = home.steps
    .filter((s) => s.keyword === 'ARG' && s.line < install.step.line)
    .map((s) => dockerfile.lines.slice(s.line - 1, s.endLine).join('\n'));
  const fromLine = dockerfile.lines[home.from.line - 1]!;
  const from = home.name ? fromLine.replace(/(\s+AS\s+)\S+\s*$/i, `$1${DEPS_STAGE}`) : `${fromLine.trimEnd()} AS ${DEPS_STAGE}`;
  const installRun = (
    wheels: readonly string[],
    root: string | undefined,
    then: { script: string; args: readonly string[] } | undefined
  ): string[] => [
    `RUN ${wheelMounts(wheels, wheelhouse).join(` ${continuation}\n    `)} ${continuation}`,
    `    ${pip} install ${[...options, ...(root ? ['--root', root] : [])].join(' ')} --find-links /wheels ${pins(wheels).join(' ')}${then ? ` ${continuation}` : ''}`,
    ...(then ? [`    && ${python} -c '${then.script}' ${then.args.join(' ')}`.trimEnd()] : [])
  ];
  const stages = ['# wheelhouse-buildx: each package installed by itself on the steps above, copied in below as a layer of its own'];
  for (const layer of layers.layers) {
    // only this stage's own requested projects: another package added to the files changes no other stage
    const own = layer.wheels.map((w) => wheelName(w).project).filter((p) => requested.includes(p));
    stages.push(
      `FROM ${DEPS_STAGE} AS ${layer.stage}`,
      ...args,
      ...installRun(layer.wheels, LAYER_ROOT, { script: FIXUP, args: [LAYER_ROOT, ...own] })
    );
  }
  stages.push(`FROM ${DEPS_STAGE}${home.name ? ` AS ${home.name}` : ''}`, ...args);
  const unrequested = layers.onImage.map((w) => wheelName(w).project).filter((p) => !requested.includes(p));
  if (layers.onImage.length > 0) {
    stages.push(
      '# projects the image has already: pip replaces their versions in place',
      ...installRun(layers.onImage, undefined, unrequested.length > 0 ? { script: UNREQUEST, args: unrequested } : undefined)
    );
  }
  const copies = [
    '# wheelhouse-buildx: the packages, a layer each: a changed pin rebuilds its own, and nothing here needs the layers below',
    ...layers.layers.map((l) => `COPY --link --from=${l.stage} ${LAYER_ROOT}/ /`)
  ];
  return { edit: { from, stages, copies } };
}
