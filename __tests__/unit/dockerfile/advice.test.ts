// The advisor: each slow Dockerfile shape gets advice naming its line; the fast form gets none.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { advise, stageChain } from '../../../src/dockerfile/advice.js';
import { installOf } from '../../../src/dockerfile/install.js';
import { builtStage, parseDockerfile, stepText } from '../../../src/dockerfile/parse.js';

const names = { wheelhouse: 'wheelhouse', base: 'wheelhouse-base' };
const lines = (...l: string[]): string => `${l.join('\n')}\n`;
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function adviceOf(text: string, target?: string): [string, number][] {
  const parsed = parseDockerfile(text)!;
  return advise(parsed, builtStage(parsed, target)!, names).map((a) => [a.kind, a.step.line]);
}

const MOUNT = 'RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse';
const BASE = 'RUN --mount=type=bind,from=wheelhouse-base,target=/wheelhouse';

describe('advise', () => {
  it.each<[string, string, [string, number][]]>([
    ['the example app: the fast form', readFileSync(path.join(repo, 'examples/app/Dockerfile'), 'utf8'), []],
    [
      'the as-found project: one install step, a plain code COPY',
      readFileSync(path.join(repo, 'bench/projects/as-found/Dockerfile'), 'utf8'),
      [
        ['single-install-step', 9],
        ['copy-without-link', 11]
      ]
    ],
    [
      'pip install from the index, the code copied first',
      lines('FROM python:3.12', 'WORKDIR /app', 'COPY . .', 'RUN pip install -r requirements.txt', 'CMD ["python", "app.py"]'),
      [
        ['code-before-install', 3],
        ['install-from-index', 4]
      ]
    ],
    [
      'the wheelhouse mounted without --no-index',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        'COPY requirements.txt .',
        `${BASE} pip install --no-index --no-deps --find-links /wheelhouse -r /wheelhouse/requirements.txt`,
        `${MOUNT} pip install --find-links /wheelhouse -r requirements.txt`,
        'COPY --link . .'
      ),
      [['index-reachable', 5]]
    ],
    [
      'requirements copied with other files before the install',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        'COPY requirements.txt app.py ./',
        `${BASE} pip install --no-index --no-deps --find-links /wheelhouse -r /wheelhouse/requirements.txt`,
        `${MOUNT} pip install --no-index --find-links /wheelhouse -r requirements.txt`,
        'COPY --link . .'
      ),
      [['code-before-install', 3]]
    ],
    [
      'dependency files of every kind before the install are fine',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        'COPY pyproject.toml uv.lock requirements/ constraints.txt ./',
        `${BASE} pip install --no-index --no-deps --find-links /wheelhouse -r /wheelhouse/requirements.txt`,
        `${MOUNT} python3 -m pip install --no-index --find-links /wheelhouse -r requirements.txt`,
        'COPY --link . .'
      ),
      []
    ],
    [
      'an explicit --link=false is advised like a missing one',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        `${BASE} pip install --no-index --no-deps --find-links /wheelhouse -r /wheelhouse/requirements.txt`,
        `${MOUNT} pip install --no-index --find-links /wheelhouse -r /wheelhouse/requirements.txt`,
        'COPY --link=false . .'
      ),
      [['copy-without-link', 5]]
    ],
    [
      'multi-stage: installs in the stage the built one is FROM; code copies of the built stage only',
      lines(
        'FROM python:3.12 AS deps',
        'WORKDIR /app',
        `${MOUNT} pip install --no-index --find-links /wheelhouse -r /wheelhouse/requirements.txt`,
        'COPY tests/ tests/',
        'FROM deps',
        'COPY src/ src/'
      ),
      [
        ['single-install-step', 3],
        ['copy-without-link', 6]
      ]
    ],
    [
      'steps that write to the image after the code: RUN, WORKDIR, an unlinked COPY --from; metadata is fine',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        `${BASE} pip install --no-index --no-deps --find-links /wheelhouse -r /wheelhouse/requirements.txt`,
        `${MOUNT} pip install --no-index --find-links /wheelhouse -r /wheelhouse/requirements.txt`,
        'COPY --link . .',
        'ENV A=1',
        'RUN python manage.py collectstatic',
        'WORKDIR /app/site',
        'COPY --from=assets /dist static/',
        'COPY --link --from=assets /dist static/',
        'USER app',
        'CMD ["gunicorn"]'
      ),
      [
        ['after-code', 7],
        ['after-code', 8],
        ['after-code', 9]
      ]
    ],
    [
      'copies from another stage are not code copies',
      lines(
        'FROM python:3.12 AS build',
        'FROM python:3.12-slim',
        'WORKDIR /app',
        `${BASE} pip install --no-index --no-deps --find-links /wheelhouse -r /wheelhouse/requirements.txt`,
        `${MOUNT} pip install --no-index --find-links /wheelhouse -r /wheelhouse/requirements.txt`,
        'COPY --from=build /out /app'
      ),
      []
    ]
  ])('%s', (_, text, expected) => {
    expect(adviceOf(text)).toEqual(expected);
  });

  it('reads the stage named by target', () => {
    const text = lines(
      'FROM python:3.12 AS test',
      'RUN pip install pytest',
      'FROM python:3.12-slim AS prod',
      'WORKDIR /app',
      'COPY --link . .'
    );
    expect(adviceOf(text, 'test')).toEqual([['install-from-index', 2]]);
    expect(adviceOf(text, 'prod')).toEqual([]);
  });

  it('gives the fix as the line to write', () => {
    const parsed = parseDockerfile(readFileSync(path.join(repo, 'bench/projects/as-found/Dockerfile'), 'utf8'))!;
    const [split, link] = advise(parsed, builtStage(parsed)!, names);
    expect(split!.fix).toContain(
      `${BASE} pip install --no-cache-dir --no-index --no-deps --find-links /wheelhouse -r /wheelhouse/requirements.txt`
    );
    expect(link!.fix).toBe('COPY --link site/ ./site/');
  });

  it('follows the chain of stages to the first', () => {
    const parsed = parseDockerfile(lines('FROM python:3.12 AS a', 'FROM a AS b', 'FROM node:20 AS c', 'FROM b'))!;
    expect(stageChain(parsed, builtStage(parsed)!).map((s) => s.label)).toEqual(['a', 'b', 'stage-3']);
  });
});

describe('installOf', () => {
  const install = (run: string) => installOf(parseDockerfile(lines('FROM python:3.12', run))!.stages[0]!.steps[0]!, names);
  it.each<[string, string | undefined, string | undefined, boolean, string[]]>([
    [`${MOUNT} pip install --no-index --find-links /wheelhouse -r requirements.txt`, 'pip', '/wheelhouse', true, ['requirements.txt']],
    [
      `${MOUNT} python3.12 -m pip install --no-index -f /wheelhouse --requirement=a.txt -rb.txt`,
      'python3.12 -m pip',
      '/wheelhouse',
      true,
      ['a.txt', 'b.txt']
    ],
    [
      'RUN --mount=type=bind,from=wheelhouse,dst=/w /venv/bin/pip3 install --no-index -f /w -r /w/requirements.txt',
      '/venv/bin/pip3',
      '/w',
      true,
      ['/w/requirements.txt']
    ],
    ['RUN ["pip", "install", "-r", "requirements.txt"]', 'pip', undefined, false, ['requirements.txt']],
    ['RUN apt-get update && pip install --no-cache-dir flask', 'pip', undefined, false, []],
    [`${MOUNT} uv pip install --offline --find-links /wheelhouse -r requirements.txt`, undefined, '/wheelhouse', true, ['requirements.txt']]
  ])('%s', (run, pip, at, noIndex, files) => {
    expect(install(run)).toMatchObject({ pip, wheelhouseAt: at, noIndex, requirementFiles: files });
  });

  it('is undefined for a step that installs no Python packages', () => {
    expect(install('RUN apt-get install -y libpq5')).toBeUndefined();
    expect(install('RUN echo pip install')).toBeDefined(); // read as written: the advisor errs on the side of saying something
  });
});

describe('stepText', () => {
  it('joins continuation lines and collapses whitespace as buildx names a step', () => {
    expect(stepText('RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse \\\n    echo installing && \\\n    pip --version')).toBe(
      'RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse echo installing && pip --version'
    );
  });
});
