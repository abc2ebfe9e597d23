// The opt-in rewrite: the safe fixes applied to a copy, a refusal naming the line where a fix could change
// the image, and nothing changed in the fast form.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtStage, parseDockerfile } from '../../../src/dockerfile/parse.js';
import { type Coverage, rewrite, rewriteDiff } from '../../../src/dockerfile/rewrite.js';
import { BIG_WHEEL, planLayers } from '../../../src/dockerfile/layers.js';
import { DEPS_STAGE, LAYER_ROOT, pythonOf } from '../../../src/dockerfile/rewrite-layers.js';

const names = { wheelhouse: 'wheelhouse', base: 'wheelhouse-base' };
const lines = (...l: string[]): string => l.join('\n');
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MOUNT = 'RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse';
const covers: Coverage = { covers: true };

function rewritten(text: string, coverage: Coverage = covers) {
  const parsed = parseDockerfile(text)!;
  return rewrite(parsed, builtStage(parsed)!, names, coverage);
}

describe('rewrite', () => {
  it('the as-found project: the base install before the dependency files, --link on the code', () => {
    const original = readFileSync(path.join(repo, 'bench/projects/as-found/Dockerfile'), 'utf8');
    const result = rewritten(original);
    expect(result.refusals).toEqual([]);
    expect(result.changes.map((c) => c.line)).toEqual([9, 11]);
    const out = result.text.split('\n');
    const at = out.indexOf('WORKDIR /app');
    expect(out.slice(at + 1, at + 5)).toEqual([
      "# wheelhouse-buildx: the wheelhouse's base generation in a layer of its own, kept across small dependency changes",
      'RUN --mount=type=bind,from=wheelhouse-base,target=/wheelhouse \\',
      '    pip install --no-cache-dir --no-index --no-deps --find-links /wheelhouse -r /wheelhouse/requirements.txt',
      'COPY requirements.txt constraints.txt ./'
    ]);
    expect(out).toContain('COPY --link site/ ./site/');
    // the rewrite is itself in the fast form
    const again = parseDockerfile(result.text)!;
    expect(rewrite(again, builtStage(again)!, names, covers).changes).toEqual([]);
  });

  it('changes nothing in the fast form', () => {
    const original = readFileSync(path.join(repo, 'examples/app/Dockerfile'), 'utf8');
    expect(rewritten(original)).toEqual({ text: original, changes: [], refusals: [] });
  });

  it('keeps the invocation of pip and the options that say where it installs', () => {
    const result = rewritten(
      lines(
        'FROM python:3.12',
        'ENV PATH=/venv/bin:$PATH',
        'WORKDIR /srv',
        'COPY requirements.txt .',
        `${MOUNT} python3 -m pip install --user --no-index -f /wheelhouse -r requirements.txt`,
        'COPY --link . .'
      )
    );
    expect(result.text.split('\n').slice(3, 6)).toEqual([
      expect.stringContaining('# wheelhouse-buildx'),
      'RUN --mount=type=bind,from=wheelhouse-base,target=/wheelhouse \\',
      '    python3 -m pip install --no-cache-dir --no-index --no-deps --find-links /wheelhouse -r /wheelhouse/requirements.txt --user'
    ]);
  });

  it.each<[string, string, Coverage, string]>([
    [
      'a user name in --chown',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`,
        'COPY --chown=app:app . .'
      ),
      covers,
      'line 4: not linked: --chown=app:app names a user'
    ],
    [
      'no WORKDIR',
      lines('FROM python:3.12', `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY app.py .'),
      covers,
      'line 3: not linked: no WORKDIR'
    ],
    [
      'a folder merged-/usr images link',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`,
        'COPY entry.sh /bin/'
      ),
      covers,
      'line 4: not linked: /bin is a symlink'
    ],
    [
      'a symlink made before',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        'RUN ln -s /data /app/data',
        `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`,
        'COPY . .'
      ),
      covers,
      'line 5: not linked: line 3 makes symlinks'
    ],
    [
      'owners changed before',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        'RUN useradd app && chown app /app',
        `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`,
        'COPY . .'
      ),
      covers,
      'line 5: not linked: line 3 changes owners or modes'
    ],
    [
      'a heredoc',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`,
        'COPY <<EOF /app/conf.ini',
        'x=1',
        'EOF'
      ),
      covers,
      'line 4: not linked: it has a heredoc'
    ],
    [
      'an install into a folder of its own',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        `${MOUNT} pip install --no-index --target /deps -f /wheelhouse -r /wheelhouse/requirements.txt`,
        'COPY --link . .'
      ),
      covers,
      'line 3: the install is not split: it installs into a folder of its own'
    ],
    [
      'uv',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        `${MOUNT} uv pip install --system --offline -f /wheelhouse -r /wheelhouse/requirements.txt`,
        'COPY --link . .'
      ),
      covers,
      'line 3: the install is not split: only pip install steps are split'
    ],
    [
      'a step that installs part of the wheelhouse',
      lines(
        'FROM python:3.12',
        'WORKDIR /app',
        `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`,
        'COPY --link . .'
      ),
      { covers: false, reason: 'the wheelhouse also holds the dependencies of requirements-dev.txt' },
      'line 3: the install is not split: the wheelhouse also holds the dependencies of requirements-dev.txt'
    ]
  ])('refuses, naming the line: %s', (_, text, coverage, refusal) => {
    const result = rewritten(text, coverage);
    expect(result.refusals.map((r) => `line ${r.line}: ${r.reason}`)).toEqual([expect.stringContaining(refusal)]);
  });

  it('continues the lines it adds with the escape character the Dockerfile sets', () => {
    const text = lines(
      '# escape=`',
      'FROM python:3.12',
      'WORKDIR /app',
      `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`,
      'COPY --link . .'
    );
    expect(rewritten(text).text).toContain('RUN --mount=type=bind,from=wheelhouse-base,target=/wheelhouse `\n    pip install');
  });

  it('leaves a refused line as it was and applies the others', () => {
    const text = lines(
      'FROM python:3.12',
      'WORKDIR /app',
      `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`,
      'COPY --chown=app . .',
      'COPY --chown=1000:1000 static/ static/'
    );
    const result = rewritten(text, { covers: false, reason: 'x' });
    expect(result.text.split('\n').slice(3)).toEqual(['COPY --chown=app . .', 'COPY --link --chown=1000:1000 static/ static/']);
  });

  it('shows the rewrite as a unified diff', () => {
    const original = lines(
      'FROM python:3.12',
      'WORKDIR /app',
      `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`,
      'COPY . .',
      ''
    );
    const diff = rewriteDiff('Dockerfile', original, rewritten(original).text);
    expect(diff).toContain('--- Dockerfile');
    expect(diff).toContain('+++ Dockerfile (optimized)');
    expect(diff).toContain('-COPY . .\n+COPY --link . .');
  });
});

describe('rewrite with the per-package plan', () => {
  const big = 8 * BIG_WHEEL;
  const plan = planLayers(
    [
      { file: 'Django-5.2.1-py3-none-any.whl', bytes: big },
      { file: 'asgiref-3.8.1-py3-none-any.whl', bytes: 1000 },
      { file: 'gunicorn-22.0.0-py3-none-any.whl', bytes: 1000 }
    ],
    ['pip', 'setuptools']
  );
  const requested: Coverage = { covers: true, requested: ['django', 'gunicorn'] };
  const layered = (text: string, layers = plan, coverage = requested) => {
    const parsed = parseDockerfile(text)!;
    return rewrite(parsed, builtStage(parsed)!, names, coverage, layers);
  };

  it('the as-found project: the steps above the install become a stage, each package a stage on it, copied in where the install was', () => {
    const original = readFileSync(path.join(repo, 'bench/projects/as-found/Dockerfile'), 'utf8');
    const result = layered(original);
    expect(result.refusals).toEqual([]);
    expect(result.changes.map((c) => [c.line, c.what.slice(0, 40)])).toEqual([
      [9, 'each package is installed in a stage of '],
      [11, 'COPY --link: a code change no longer nee']
    ]);
    const out = result.text.split('\n').filter((l) => !l.startsWith('#'));
    expect(out.filter((l) => /^(FROM|COPY|WORKDIR|ENV)/.test(l))).toEqual([
      `FROM \${PYTHON_IMAGE} AS ${DEPS_STAGE}`,
      'ENV PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=site_app.settings',
      'WORKDIR /app',
      `FROM ${DEPS_STAGE} AS wheel-django`,
      `FROM ${DEPS_STAGE} AS wheels-a`,
      `FROM ${DEPS_STAGE} AS wheels-g`,
      `FROM ${DEPS_STAGE}`,
      'COPY requirements.txt constraints.txt ./',
      'COPY requirements/ requirements/',
      `COPY --link --from=wheel-django ${LAYER_ROOT}/ /`,
      `COPY --link --from=wheels-a ${LAYER_ROOT}/ /`,
      `COPY --link --from=wheels-g ${LAYER_ROOT}/ /`,
      'COPY --link site/ ./site/'
    ]);
    // each stage mounts its own wheel and installs it by name, as -r with --find-links does
    expect(out).toContain(
      'RUN --mount=type=bind,from=wheelhouse,source=asgiref-3.8.1-py3-none-any.whl,target=/wheels/asgiref-3.8.1-py3-none-any.whl \\'
    );
    expect(out).toContain(
      `    pip install --no-cache-dir --no-index --no-deps --root ${LAYER_ROOT} --find-links /wheels asgiref==3.8.1 \\`
    );
    // the fix-up keeps REQUESTED on what the requirement files name, each stage told of its own packages
    // only (a requirement added for another package changes no other stage)
    expect(out.filter((l) => l.startsWith('    && python3 -c ')).map((l) => l.slice(l.lastIndexOf("'") + 1))).toEqual([
      ` ${LAYER_ROOT} django`,
      ` ${LAYER_ROOT}`,
      ` ${LAYER_ROOT} gunicorn`
    ]);
    const added = layered(original, plan, { covers: true, requested: ['django', 'gunicorn', 'six'] });
    expect(added.text).toBe(result.text);
    expect(out.join('\n')).not.toContain('-r requirements.txt');
    // the rewrite is itself in the fast form
    expect(layered(result.text).changes).toEqual([]);
  });

  it('keeps the stage name, repeats the ARGs above the install in every stage, and runs the fix-up with the interpreter of the pip it uses', () => {
    const result = layered(
      lines(
        'FROM python:3.12 AS base',
        'ARG EXTRA=1',
        'RUN python -m venv /venv',
        'WORKDIR /srv',
        'COPY requirements.txt .',
        `${MOUNT} /venv/bin/pip install --no-compile --no-index -f /wheelhouse -r requirements.txt`,
        'FROM base',
        'COPY --link . .'
      )
    );
    expect(result.refusals).toEqual([]);
    const out = result.text.split('\n');
    expect(out[0]).toBe(`FROM python:3.12 AS ${DEPS_STAGE}`);
    expect(out.filter((l) => l === 'ARG EXTRA=1')).toHaveLength(5);
    expect(out).toContain(`FROM ${DEPS_STAGE} AS base`);
    expect(out).toContain(
      `    /venv/bin/pip install --no-cache-dir --no-index --no-deps --no-compile --root ${LAYER_ROOT} --find-links /wheels django==5.2.1 \\`
    );
    expect(out.filter((l) => l.startsWith('    && /venv/bin/python -c '))).toHaveLength(3);
  });

  it('installs the projects the image has in place, and drops the mark pip leaves on those the files do not name', () => {
    const withPip = planLayers(
      [
        { file: 'setuptools-80.0-py3-none-any.whl', bytes: 1000 },
        { file: 'six-1.17.0-py3-none-any.whl', bytes: 1000 }
      ],
      ['pip', 'setuptools']
    );
    const out = layered(
      lines('FROM python:3.11', 'WORKDIR /app', `${MOUNT} pip install --no-index -f /wheelhouse -r requirements.txt`),
      withPip
    ).text.split('\n');
    const at = out.indexOf(`FROM ${DEPS_STAGE}`);
    expect(out.slice(at + 2, at + 5)).toEqual([
      'RUN --mount=type=bind,from=wheelhouse,source=setuptools-80.0-py3-none-any.whl,target=/wheels/setuptools-80.0-py3-none-any.whl \\',
      '    pip install --no-cache-dir --no-index --no-deps --find-links /wheels setuptools==80.0 \\',
      expect.stringMatching(/^ {4}&& python3 -c 'import importlib\.metadata .*' setuptools$/)
    ]);
  });

  it.each<[string, string, string]>([
    [
      'a stage named by its number',
      lines(
        'FROM alpine',
        'RUN echo hi > /hi',
        'FROM python:3.12',
        'WORKDIR /app',
        `${MOUNT} pip install --no-index -f /wheelhouse -r r.txt`,
        'COPY --from=0 /hi /hi'
      ),
      'line 6 names a stage by its number'
    ],
    [
      'packages installed before',
      lines('FROM python:3.12', 'WORKDIR /app', 'RUN pip install poetry', `${MOUNT} pip install --no-index -f /wheelhouse -r r.txt`),
      'line 3 installs Python packages before it'
    ],
    [
      '--user',
      lines('FROM python:3.12', 'WORKDIR /app', `${MOUNT} pip install --user --no-index -f /wheelhouse -r r.txt`),
      'it installs with --user'
    ],
    [
      'the project itself too',
      lines('FROM python:3.12', 'WORKDIR /app', 'COPY . .', `${MOUNT} pip install --no-index -f /wheelhouse -r r.txt .`),
      'it also installs ., which the wheelhouse does not hold'
    ],
    [
      'more than pip',
      lines('FROM python:3.12', 'WORKDIR /app', `${MOUNT} pip install --no-index -f /wheelhouse -r r.txt && rm -rf /root/.cache`),
      'its command does more than one pip install'
    ],
    [
      'an option it does not know',
      lines('FROM python:3.12', 'WORKDIR /app', `${MOUNT} pip install --pre --no-index -f /wheelhouse -r r.txt`),
      "pip's --pre is not an option"
    ]
  ])('splits in two instead, with a note, where a layer per package could change the image: %s', (_, text, reason) => {
    const result = layered(text);
    expect(result.refusals.map((r) => r.reason)).toEqual([expect.stringContaining(`not a layer per package: ${reason}`)]);
    expect(result.text).toContain('RUN --mount=type=bind,from=wheelhouse-base,target=/wheelhouse');
    expect(result.text).not.toContain(DEPS_STAGE);
  });

  it.each([
    ['pip', 'python3'],
    ['pip3.12', 'python3'],
    ['python3 -m pip', 'python3'],
    ['/usr/local/bin/python3.12 -m pip', '/usr/local/bin/python3.12'],
    ['/venv/bin/pip', '/venv/bin/python'],
    ['/opt/venv/bin/pip3', '/opt/venv/bin/python']
  ])('the interpreter of %s is %s', (pip, python) => {
    expect(pythonOf(pip)).toBe(python);
  });
});
