// The generated Dockerfile's plan, read from the project: its start command, its Python, its layout.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ContextNames } from '../dockerfile/install.js';
import { generateDockerfile, slimImage } from '../dockerfile/generate.js';
import type { LayerPlan } from '../dockerfile/layers.js';
import { type Start, detectStart } from '../dockerfile/start.js';
import type { Config } from '../inputs/config.js';
import { InputError } from '../inputs/errors.js';
import { type DependencySet, normalizeName } from '../keys/model.js';

export const DEFAULT_PYTHON = '3.12';
const SKIPPED = new Set([
  '.git',
  'node_modules',
  '.venv',
  'venv',
  'env',
  '__pycache__',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  'site-packages'
]);

/** The context's files, `/`-separated and relative, a few folders deep (where start modules live). */
export async function projectFiles(context: string, depth = 4): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, level: number): Promise<void> => {
    const entries = await fs.readdir(path.join(context, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory() && !SKIPPED.has(entry.name) && level < depth) await walk(rel, level + 1);
      else if (entry.isFile()) out.push(rel);
    }
  };
  await walk('', 0);
  return out;
}

export interface GeneratedPlan {
  readonly start: Start;
  readonly pythonImage: string;
  readonly pythonPath: readonly string[];
}

/** The Python version: the input, else the project's .python-version (major.minor), else the default. */
async function pythonVersion(config: Config, context: string): Promise<string> {
  if (config.generate?.pythonVersion) return config.generate.pythonVersion;
  const file = await fs.readFile(path.join(context, '.python-version'), 'utf8').catch(() => '');
  return /^\s*(3\.\d{1,2})/.exec(file)?.[1] ?? DEFAULT_PYTHON;
}

export async function planGenerated(config: Config, dependencies: DependencySet): Promise<GeneratedPlan> {
  const files = await projectFiles(config.context);
  const names = new Set(dependencies.requirements.flatMap((r) => (r.name ? [normalizeName(r.name)] : [])));
  const given = config.generate?.command;
  const start: Start | undefined = given
    ? { command: given, workdir: '', port: undefined, found: 'the command input' }
    : await detectStart({ files, dependencies: names, read: (f) => fs.readFile(path.join(config.context, f), 'utf8') });
  if (!start) {
    throw new InputError(
      'command',
      'no Dockerfile in the context, and no start command found in the project (no gunicorn or uvicorn with a WSGI/ASGI module, no manage.py, no [project.scripts]): set the start command'
    );
  }
  const srcLayout = files.some((f) => /^src\/[A-Za-z_]\w*\/__init__\.py$/.test(f));
  return { start, pythonImage: slimImage(await pythonVersion(config, config.context)), pythonPath: srcLayout ? ['src'] : [] };
}

/** The Python version of a CPython tag (`cp311` → `3.11`); undefined for other tags. */
export const versionOfTag = (tag: string): string | undefined => /^cp3(\d{1,2})$/.exec(tag)?.[1]?.replace(/^/, '3.');

/**
 * The generated Dockerfile. `pythonTag`, the probed target's, names the default image once it is known
 * (a PYTHON_IMAGE build-arg may have named an image of another Python than the plan's).
 */
export const generatedText = (
  plan: GeneratedPlan,
  names: ContextNames,
  runtimePackages: readonly string[],
  pythonTag?: string,
  layers?: LayerPlan
): string =>
  generateDockerfile({
    layers,
    pythonImage: (pythonTag && versionOfTag(pythonTag) && slimImage(versionOfTag(pythonTag)!)) || plan.pythonImage,
    command: plan.start.command,
    workdir: plan.start.workdir,
    runtimePackages,
    pythonPath: plan.pythonPath,
    port: plan.start.port,
    names
  });
