// The start command of a generated Dockerfile: the `command` input, or found in the project the way
// repo2docker and S2I find one: a WSGI/ASGI module served by the server the dependencies name
// (gunicorn, uvicorn), Django's manage.py, or a [project.scripts] entry.
import { parse as parseToml } from 'smol-toml';

export interface Start {
  readonly command: readonly string[];
  /** Where it runs, relative to the code's folder ('' for the code's own). */
  readonly workdir: string;
  readonly port: number | undefined;
  /** How it was found, for the log. */
  readonly found: string;
}

/** What detection reads of the project: its files (relative paths, `/`-separated) and their text. */
export interface ProjectFiles {
  readonly files: readonly string[];
  read(file: string): Promise<string>;
  /** The normalized names of the dependencies (`gunicorn`, `uvicorn`, `django`). */
  readonly dependencies: ReadonlySet<string>;
}

const PORT = 8000;
const bind = `0.0.0.0:${PORT}`;

/** The `command` input: a JSON array, or words separated by whitespace. */
export function commandOf(input: string): string[] | undefined {
  const text = input.trim();
  if (!text) return undefined;
  if (text.startsWith('[')) {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((w) => typeof w === 'string'))
      throw new Error('a JSON array of strings');
    return parsed as string[];
  }
  return text.split(/\s+/);
}

const split = (file: string): { dir: string; pkg: string; name: string } => {
  const parts = file.split('/');
  const name = parts.pop() ?? '';
  const pkg = parts.pop() ?? '';
  return { dir: parts.join('/'), pkg, name };
};

/** The shallowest files of a name, outside tests and virtual environments. */
function shallowest(files: readonly string[], pattern: RegExp): string[] {
  const found = files.filter((f) => pattern.test(f) && !/(?:^|\/)(?:\.?venv|env|site-packages|node_modules|tests?|\.git)\//.test(f));
  const depth = (f: string): number => f.split('/').length;
  const min = Math.min(...found.map(depth));
  return found.filter((f) => depth(f) === min).sort();
}

const APP_VARIABLE = /^(\w+)\s*=\s*(?:FastAPI|Starlette|Quart|Litestar|Flask)\(/m;

export async function detectStart(project: ProjectFiles): Promise<Start | undefined> {
  const has = (name: string): boolean => project.dependencies.has(name);
  const wsgi = shallowest(project.files, /(?:^|\/)[A-Za-z_]\w*\/wsgi\.py$/)[0];
  const asgi = shallowest(project.files, /(?:^|\/)[A-Za-z_]\w*\/asgi\.py$/)[0];
  if (asgi && has('uvicorn')) {
    const { dir, pkg } = split(asgi);
    return {
      command: ['uvicorn', '--host', '0.0.0.0', '--port', String(PORT), `${pkg}.asgi:application`],
      workdir: dir,
      port: PORT,
      found: `${asgi} served by uvicorn`
    };
  }
  if (wsgi && has('gunicorn')) {
    const { dir, pkg } = split(wsgi);
    return { command: ['gunicorn', '--bind', bind, `${pkg}.wsgi`], workdir: dir, port: PORT, found: `${wsgi} served by gunicorn` };
  }
  for (const candidate of shallowest(project.files, /(?:^|\/)(?:main|app|server|wsgi|asgi)\.py$/)) {
    const variable = APP_VARIABLE.exec(await project.read(candidate).catch(() => ''));
    if (!variable) continue;
    const module = candidate.replace(/\.py$/, '').split('/').pop()!;
    const dir = candidate.split('/').slice(0, -1).join('/');
    const target = `${module}:${variable[1]}`;
    if (has('uvicorn'))
      return {
        command: ['uvicorn', '--host', '0.0.0.0', '--port', String(PORT), target],
        workdir: dir,
        port: PORT,
        found: `${candidate} served by uvicorn`
      };
    if (has('gunicorn'))
      return { command: ['gunicorn', '--bind', bind, target], workdir: dir, port: PORT, found: `${candidate} served by gunicorn` };
  }
  const manage = shallowest(project.files, /(?:^|\/)manage\.py$/)[0];
  if (manage) {
    const dir = manage.split('/').slice(0, -1).join('/');
    return {
      command: ['python3', 'manage.py', 'runserver', '--noreload', bind],
      workdir: dir,
      port: PORT,
      found: `${manage} (Django's development server: add gunicorn to serve it)`
    };
  }
  if (project.files.includes('pyproject.toml')) {
    const toml = parseToml(await project.read('pyproject.toml')) as { project?: { name?: string; scripts?: Record<string, string> } };
    const scripts = Object.entries(toml.project?.scripts ?? {});
    const [name, target] = scripts.find(([n]) => n === toml.project?.name) ?? scripts[0] ?? [];
    const m = target ? /^([\w.]+):([\w.]+)$/.exec(target) : null;
    if (name && m) {
      return {
        command: ['python3', '-c', `import sys; from ${m[1]} import ${m[2]!.split('.')[0]}; sys.exit(${m[2]}())`],
        workdir: '',
        port: undefined,
        found: `[project.scripts] ${name}`
      };
    }
  }
  return undefined;
}
