// Whether an install step's -r files reach every requirements file the wheelhouse was made of (only then
// may the optimized copy install the wheelhouse's base first), read from small real projects; and the
// plan the build phase gets: advice always, a copy on disk only when asked for and something changed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { coverageOf, planDockerfile } from '../../../src/build/optimize.js';
import { installedRequirementFiles } from '../../../src/dockerfile/install.js';
import { chooseDependencyFiles, findDependencyFiles, readDependencies } from '../../../src/keys/discover.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const NAMES = { wheelhouse: 'wheelhouse', base: 'wheelhouse-base' };
/**
 * What the wheelhouse is made of: for a project with a Dockerfile, the files the action chooses from it
 * (as-found leaves out its requirements-dev.txt); without one, every file found, as if the
 * `requirements` input named them all.
 */
const whole = async (dir: string) => {
  const found = await findDependencyFiles(dir);
  const dockerfile = await fs.readFile(path.join(dir, 'Dockerfile'), 'utf8').catch(() => undefined);
  const files = dockerfile === undefined ? found : chooseDependencyFiles(dir, found, installedRequirementFiles(dockerfile, NAMES)).files;
  return readDependencies(dir, files);
};

/** The projects the as-found project's requirements.txt and its include name (normalized, sorted). */
const AS_FOUND = ['django', 'django-ninja', 'gunicorn', 'psycopg2', 'requests', 'wagtail', 'whitenoise'];

describe('coverageOf', () => {
  it.each<[string, string, string[], string[] | RegExp]>([
    [
      'the as-found project: requirements.txt reaches its include; constraints add no package',
      'bench/projects/as-found',
      ['requirements.txt'],
      AS_FOUND
    ],
    ['./ prefixes and paths under the WORKDIR are matched by their tail', 'bench/projects/as-found', ['./requirements.txt'], AS_FOUND],
    ['an include alone leaves the top file out', 'bench/projects/as-found', ['requirements/base.txt'], /dependencies of requirements\.txt/],
    [
      'development and docs files the step does not install',
      '__fixtures__/projects/requirements-layout',
      ['requirements.txt'],
      /requirements-dev\.txt, requirements\/docs\.txt/
    ],
    [
      'every file named',
      '__fixtures__/projects/requirements-layout',
      ['requirements.txt', 'requirements-dev.txt', 'requirements/docs.txt'],
      ['flask', 'gunicorn', 'pytest', 'sphinx']
    ],
    [
      'a file the wheelhouse was not made of',
      'bench/projects/as-found',
      ['/wheelhouse/requirements.txt'],
      /\/wheelhouse\/requirements\.txt is not among/
    ],
    ['no -r at all', 'bench/projects/as-found', [], /names no requirements file/]
  ])('%s', async (_, dir, files, expected) => {
    const context = path.join(repo, dir);
    const coverage = await coverageOf(files, context, await whole(context));
    // covered: with the projects the files name, which pip marks REQUESTED
    if (Array.isArray(expected)) expect(coverage).toEqual({ covers: true, requested: expected });
    else expect(coverage).toEqual({ covers: false, reason: expect.stringMatching(expected) });
  });
});

describe('planDockerfile', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'optimize-'));
  });
  afterAll(async () => {
    await fs.rm(workDir, { recursive: true, force: true });
  });

  const plan = async (dir: string, optimize: boolean, text?: string) => {
    const context = path.join(repo, dir);
    const dockerfile = path.join(context, 'Dockerfile');
    return planDockerfile({
      text: text ?? (await fs.readFile(dockerfile, 'utf8')),
      target: undefined,
      names: { wheelhouse: 'wheelhouse', base: 'wheelhouse-base' },
      optimize,
      displayName: 'Dockerfile',
      dockerfile,
      context,
      dependencies: await whole(context),
      workDir
    });
  };

  it('advises without writing anything when the rewrite is not asked for', async () => {
    const result = await plan('bench/projects/as-found', false);
    expect(result.advice.map((a) => a.kind)).toEqual(['single-install-step', 'copy-without-link']);
    expect(result.optimized).toBeUndefined();
  });

  it('writes the copy outside the context and gives its diff', async () => {
    const result = await plan('bench/projects/as-found', true);
    expect(result.optimized?.file).toBe(path.join(workDir, 'dockerfile/Dockerfile'));
    expect(await fs.readFile(result.optimized!.file, 'utf8')).toContain('COPY --link site/ ./site/');
    expect(result.optimized?.diff).toContain('+COPY --link site/ ./site/');
  });

  it('has nothing to rewrite in the fast form', async () => {
    const result = await plan('examples/app', true);
    expect(result).toMatchObject({ advice: [], optimized: undefined });
  });

  it('makes no advice, and no copy, of a Dockerfile without stages', async () => {
    const result = await plan('bench/projects/as-found', true, '# nothing here\n');
    expect(result).toEqual({ parsed: undefined, stage: undefined, advice: [], optimized: undefined });
  });
});
