// Finding the dependency files in a build context: requirements*.txt (with requirements/*.txt and
// constraints*.txt) win; else the first lock file; else pyproject.toml; else a clear error.
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { chooseDependencyFiles, findDependencyFiles, readDependencies } from '../../../src/keys/discover.js';
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
    expect(error.message).toMatch(
      /requirements\*\.txt.*poetry\.lock, uv\.lock, pdm\.lock, pylock\.toml, Pipfile\.lock.*pyproject\.toml.*'requirements' input/
    );
  });
});

describe('chooseDependencyFiles: what the Dockerfile installs, else what the names say is for the image', () => {
  it.each<[string, string, readonly string[] | undefined, string[], string[]]>([
    // no Dockerfile to read (a generated one): dev and docs files are left out by name
    [
      'requirements-layout',
      'no Dockerfile',
      undefined,
      ['requirements.txt', 'constraints.txt'],
      ['requirements-dev.txt', 'requirements/docs.txt']
    ],
    // the Dockerfile installs `-r requirements.txt` (copied as it is): that file alone
    [
      'requirements-layout',
      'the Dockerfile names requirements.txt',
      ['requirements.txt'],
      ['requirements.txt', 'constraints.txt'],
      ['requirements-dev.txt', 'requirements/docs.txt']
    ],
    // a path in the image that ends with the file's path in the context
    [
      'requirements-folder',
      'the Dockerfile names /app/requirements/prod.txt',
      ['/app/requirements/prod.txt'],
      ['requirements/prod.txt', 'constraints-security.txt'],
      ['requirements/base.txt']
    ],
    [
      'requirements-folder',
      'a ./ prefix',
      ['./requirements/prod.txt'],
      ['requirements/prod.txt', 'constraints-security.txt'],
      ['requirements/base.txt']
    ],
    // copied under another folder: matched by the file's name
    [
      'requirements-layout',
      'the Dockerfile names /tmp/requirements-dev.txt',
      ['/tmp/requirements-dev.txt'],
      ['requirements-dev.txt', 'constraints.txt'],
      ['requirements.txt', 'requirements/docs.txt']
    ],
    // the Dockerfile names no file of the context (`pip install .`, another name): the names decide
    [
      'requirements-layout',
      'the Dockerfile names nothing found',
      ['/srv/deps.txt'],
      ['requirements.txt', 'constraints.txt'],
      ['requirements-dev.txt', 'requirements/docs.txt']
    ],
    [
      'requirements-layout',
      'the Dockerfile installs no -r file',
      [],
      ['requirements.txt', 'constraints.txt'],
      ['requirements-dev.txt', 'requirements/docs.txt']
    ],
    // no name says dev/test/docs: everything, as found
    [
      'requirements-folder',
      'names that say nothing',
      undefined,
      ['requirements/base.txt', 'requirements/prod.txt', 'constraints-security.txt'],
      []
    ],
    // a lock file is taken as it is
    ['uv', 'a lock file', ['requirements.txt'], ['uv.lock'], []]
  ])('%s, %s', async (name, _, installed, files, leftOut) => {
    const context = project(name);
    const chosen = chooseDependencyFiles(context, await findDependencyFiles(context), installed);
    expect(chosen.files.map((f) => path.relative(context, f))).toEqual(files);
    expect(chosen.leftOut.map((l) => path.relative(context, l.file))).toEqual(leftOut);
  });

  it('says why a file is left out', async () => {
    const context = project('requirements-layout');
    const found = await findDependencyFiles(context);
    expect(chooseDependencyFiles(context, found, undefined).leftOut[0]?.why).toBe('its name says development, tests, docs or linting');
    expect(chooseDependencyFiles(context, found, ['requirements.txt']).leftOut[0]?.why).toBe("the Dockerfile's installs do not name it");
  });

  it.each([
    ['requirements-test.txt'],
    ['requirements_tests.txt'],
    ['requirements-lint.txt'],
    ['requirements.dev.txt'],
    ['requirements/ci.txt'],
    ['requirements/typing.txt'],
    ['requirements/development.txt']
  ])('%s is left out by its name', (file) => {
    const context = '/ctx';
    const found = ['/ctx/requirements.txt', `/ctx/${file}`];
    expect(chooseDependencyFiles(context, found, undefined)).toEqual({
      files: ['/ctx/requirements.txt'],
      leftOut: [{ file: `/ctx/${file}`, why: expect.any(String) }]
    });
  });

  it.each([['requirements-prod.txt'], ['requirements/production.txt'], ['requirements-latest.txt'], ['requirements/docker.txt']])(
    '%s is kept',
    (file) => {
      const found = ['/ctx/requirements.txt', `/ctx/${file}`];
      expect(chooseDependencyFiles('/ctx', found, undefined)).toEqual({ files: found, leftOut: [] });
    }
  );

  it('keeps every file when each name says dev, tests or docs (nothing would be left)', () => {
    const found = ['/ctx/requirements-dev.txt', '/ctx/requirements-test.txt'];
    expect(chooseDependencyFiles('/ctx', found, undefined)).toEqual({ files: found, leftOut: [] });
  });
});

describe('readDependencies over the discovered files', () => {
  it('reads each file once, lists files relative to the context and drops duplicate lines', async () => {
    const context = project('requirements-layout');
    const set = await readDependencies(context, await findDependencyFiles(context));
    // requirements-dev.txt includes requirements.txt, which includes -c constraints.txt
    expect(set.files).toEqual(['requirements-dev.txt', 'requirements.txt', 'constraints.txt', 'requirements/docs.txt']);
    expect(normalized(set.requirements)).toEqual([
      'flask==3.1.0',
      'gunicorn==23.0.0;sys_platform != "win32"',
      'pytest==8.3.5',
      'sphinx==8.1.3'
    ]);
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
