// The generated Dockerfile's plan read from real projects: the server the dependencies name with the
// project's WSGI module, the Python version, a src layout; one error naming `command` when there is
// nothing to start.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeGetInput } from '../../../__fixtures__/inputs.js';
import { generatedText, planGenerated, projectFiles, versionOfTag } from '../../../src/build/generated.js';
import { readConfig } from '../../../src/inputs/config.js';
import { InputError } from '../../../src/inputs/errors.js';
import { findDependencyFiles, readDependencies } from '../../../src/keys/discover.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let workspace: string;

beforeAll(async () => {
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'generated-'));
});
afterAll(async () => {
  await fs.rm(workspace, { recursive: true, force: true });
});

async function planOf(dir: string, inputs: Record<string, string> = {}) {
  const config = readConfig(fakeGetInput({ context: dir, file: 'generate', ...inputs }), { GITHUB_WORKSPACE: workspace });
  return planGenerated(config, await readDependencies(config.context, await findDependencyFiles(config.context)));
}

async function project(name: string, files: Record<string, string>): Promise<string> {
  for (const [file, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(workspace, name, file)), { recursive: true });
    await fs.writeFile(path.join(workspace, name, file), text);
  }
  return name;
}

describe('planGenerated', () => {
  it('the as-found project: gunicorn with site/site_app/wsgi.py, run from site/', async () => {
    await fs.cp(path.join(repo, 'bench/projects/as-found'), path.join(workspace, 'as-found'), { recursive: true });
    await fs.rm(path.join(workspace, 'as-found/Dockerfile'));
    expect(await planOf('as-found')).toEqual({
      start: {
        command: ['gunicorn', '--bind', '0.0.0.0:8000', 'site_app.wsgi'],
        workdir: 'site',
        port: 8000,
        found: 'site/site_app/wsgi.py served by gunicorn'
      },
      pythonImage: 'python:3.12-slim',
      pythonPath: []
    });
  });

  it('the Python of .python-version, or of the input; a src layout on the path', async () => {
    const dir = await project('tool', {
      'pyproject.toml': '[project]\nname = "tool"\ndependencies = ["click>=8"]\n[project.scripts]\ntool = "tool.cli:main"\n',
      '.python-version': '3.11.9\n',
      'src/tool/__init__.py': '',
      'src/tool/cli.py': 'def main():\n    return 0\n'
    });
    expect(await planOf(dir)).toMatchObject({
      pythonImage: 'python:3.11-slim',
      pythonPath: ['src'],
      start: { found: '[project.scripts] tool' }
    });
    expect(await planOf(dir, { 'python-version': '3.13' })).toMatchObject({ pythonImage: 'python:3.13-slim' });
  });

  it('takes the command input over anything found', async () => {
    const dir = await project('given', { 'requirements.txt': 'gunicorn==23.0.0\n', 'proj/wsgi.py': '' });
    expect((await planOf(dir, { command: 'python3 -m proj' })).start).toEqual({
      command: ['python3', '-m', 'proj'],
      workdir: '',
      port: undefined,
      found: 'the command input'
    });
  });

  it('fails naming the command input when nothing can be started', async () => {
    const dir = await project('library', { 'requirements.txt': 'requests==2.32.3\n', 'lib.py': 'x = 1\n' });
    const error = await planOf(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('command');
  });
});

describe('projectFiles', () => {
  it('lists files a few folders deep, leaving out virtual environments and caches', async () => {
    const dir = await project('tree', {
      'a.py': '',
      '.venv/lib/x.py': '',
      'pkg/__pycache__/m.pyc': '',
      'pkg/m.py': '',
      'a/b/c/d/e/deep.py': ''
    });
    expect(await projectFiles(path.join(workspace, dir))).toEqual(['a.py', 'pkg/m.py']);
  });
});

describe('generatedText', () => {
  it('names the slim image of the probed Python once it is known', async () => {
    const plan = {
      start: { command: ['python3', '-m', 'app'], workdir: '', port: undefined, found: 'x' },
      pythonImage: 'python:3.12-slim',
      pythonPath: []
    };
    const names = { wheelhouse: 'wheelhouse', base: 'wheelhouse-base' };
    expect(generatedText(plan, names, [])).toContain('ARG PYTHON_IMAGE=python:3.12-slim\n');
    expect(generatedText(plan, names, [], 'cp311')).toContain('ARG PYTHON_IMAGE=python:3.11-slim\n');
    expect(generatedText(plan, names, [], 'pp310')).toContain('ARG PYTHON_IMAGE=python:3.12-slim\n');
  });

  it.each<[string, string | undefined]>([
    ['cp311', '3.11'],
    ['cp39', '3.9'],
    ['cp313', '3.13'],
    ['pp310', undefined]
  ])('versionOfTag(%s)', (tag, version) => expect(versionOfTag(tag)).toBe(version));
});
