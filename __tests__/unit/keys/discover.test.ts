// Finding the dependency files in a build context: requirements*.txt (with requirements/*.txt and
// constraints*.txt) win; else the first lock file; else pyproject.toml; else a clear error.
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { findDependencyFiles, readDependencies } from '../../../src/keys/discover.js';
import { DependencyError } from '../../../src/keys/model.js';
import { caught, normalized, project, texts } from './helpers.js';

describe('findDependencyFiles', () => {
  it.each([
    // requirements*.txt (sorted), then requirements/*.txt, then constraints*.txt; poetry.lock and pyproject.toml ignored
    ['requirements-layout', ['requirements-dev.txt', 'requirements.txt', 'requirements/docs.txt', 'constraints.txt']],
    // a requirements/ folder alone is enough to beat uv.lock
    ['requirements-folder', ['requirements/base.txt', 'requirements/prod.txt', 'constraints-security.txt']],
    // the first lock file in the order poetry.lock, uv.lock, pdm.lock, pylock.toml, Pipfile.lock
    ['several-locks', ['uv.lock']],
    ['poetry', ['poetry.lock']],
    ['uv', ['uv.lock']],
    ['pdm', ['pdm.lock']],
    ['pylock', ['pylock.toml']],
    ['pipenv', ['Pipfile.lock']],
    ['pylock-named', ['pylock.prod.toml']],
    // no requirements and no lock file
    ['pyproject-only', ['pyproject.toml']]
  ])('%s → %j', async (name, expected) => {
    const context = project(name);
    const files = await findDependencyFiles(context);
    expect(files.every((f) => path.isAbsolute(f) && f.startsWith(context + path.sep))).toBe(true);
    expect(files.map((f) => path.relative(context, f))).toEqual(expected);
  });

  it.each([
    ['a context with no dependency files', 'no-dependencies'],
    ['a context that does not exist', 'does-not-exist']
  ])('fails with a DependencyError naming %s', async (_, name) => {
    const context = project(name);
    const error = await caught(() => findDependencyFiles(context));
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.message).toContain(`no dependency files in ${context}`);
    expect(error.message).toMatch(/requirements\*\.txt.*poetry\.lock, uv\.lock, pdm\.lock, pylock\.toml, Pipfile\.lock.*pyproject\.toml.*'requirements' input/);
  });
});

describe('readDependencies over the discovered files', () => {
  it('reads each file once, lists files relative to the context and drops duplicate lines', async () => {
    const context = project('requirements-layout');
    const set = await readDependencies(context, await findDependencyFiles(context));
    // requirements-dev.txt includes requirements.txt, which includes -c constraints.txt
    expect(set.files).toEqual(['requirements-dev.txt', 'requirements.txt', 'constraints.txt', 'requirements/docs.txt']);
    expect(normalized(set.requirements)).toEqual(['flask==3.1.0', 'gunicorn==23.0.0;sys_platform != "win32"', 'pytest==8.3.5', 'sphinx==8.1.3']);
    expect(normalized(set.constraints)).toEqual(['werkzeug==3.1.3', 'markupsafe==3.0.2']);
    expect(set.options).toEqual([]);
    expect(set.skipped).toEqual([]);
  });

  it('resolves includes in requirements/ relative to that folder', async () => {
    const context = project('requirements-folder');
    const set = await readDependencies(context, await findDependencyFiles(context));
    expect(set.files).toEqual(['requirements/base.txt', 'requirements/prod.txt', 'constraints-security.txt']);
    expect(normalized(set.requirements)).toEqual(['click==8.1.8', 'gunicorn==23.0.0']);
    expect(normalized(set.constraints)).toEqual(['urllib3>=2.2.2']);
  });

  it.each([
    ['several-locks', ['uv.lock'], 6],
    ['pylock-named', ['pylock.prod.toml'], 3],
    ['pyproject-only', ['pyproject.toml'], 3]
  ])('reads %s through the reader its file needs', async (name, files, count) => {
    const context = project(name);
    const set = await readDependencies(context, await findDependencyFiles(context));
    expect(set.files).toEqual(files);
    expect(set.requirements).toHaveLength(count);
  });

  it('reads files named explicitly, telling constraints files by their name', async () => {
    const context = project('requirements-layout');
    const set = await readDependencies(context, [path.join(context, 'constraints.txt'), path.join(context, 'requirements', 'docs.txt')]);
    expect(set.files).toEqual(['constraints.txt', 'requirements/docs.txt']);
    expect(texts(set.constraints)).toEqual(['werkzeug==3.1.3', 'markupsafe==3.0.2']);
    expect(texts(set.requirements)).toEqual(['sphinx==8.1.3']);
  });

  it('fails naming a file that cannot be read', async () => {
    const context = project('pyproject-only');
    const error = await caught(() => readDependencies(context, [path.join(context, 'poetry.lock')]));
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.message).toBe('poetry.lock: cannot be read');
  });
});
