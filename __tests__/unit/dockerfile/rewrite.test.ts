// The opt-in rewrite: the safe fixes applied to a copy, a refusal naming the line where a fix could change
// the image, and nothing changed in the fast form.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtStage, parseDockerfile } from '../../../src/dockerfile/parse.js';
import { type Coverage, rewrite, rewriteDiff } from '../../../src/dockerfile/rewrite.js';

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
      lines('FROM python:3.12', 'ENV PATH=/venv/bin:$PATH', 'WORKDIR /srv', 'COPY requirements.txt .', `${MOUNT} python3 -m pip install --user --no-index -f /wheelhouse -r requirements.txt`, 'COPY --link . .')
    );
    expect(result.text.split('\n').slice(3, 6)).toEqual([
      expect.stringContaining('# wheelhouse-buildx'),
      'RUN --mount=type=bind,from=wheelhouse-base,target=/wheelhouse \\',
      '    python3 -m pip install --no-cache-dir --no-index --no-deps --find-links /wheelhouse -r /wheelhouse/requirements.txt --user'
    ]);
  });

  it.each<[string, string, Coverage, string]>([
    ['a user name in --chown', lines('FROM python:3.12', 'WORKDIR /app', `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY --chown=app:app . .'), covers, 'line 4: not linked: --chown=app:app names a user'],
    ['no WORKDIR', lines('FROM python:3.12', `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY app.py .'), covers, 'line 3: not linked: no WORKDIR'],
    ['a folder merged-/usr images link', lines('FROM python:3.12', 'WORKDIR /app', `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY entry.sh /bin/'), covers, 'line 4: not linked: /bin is a symlink'],
    ['a symlink made before', lines('FROM python:3.12', 'WORKDIR /app', 'RUN ln -s /data /app/data', `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY . .'), covers, 'line 5: not linked: line 3 makes symlinks'],
    ['owners changed before', lines('FROM python:3.12', 'WORKDIR /app', 'RUN useradd app && chown app /app', `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY . .'), covers, 'line 5: not linked: line 3 changes owners or modes'],
    ['a heredoc', lines('FROM python:3.12', 'WORKDIR /app', `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY <<EOF /app/conf.ini', 'x=1', 'EOF'), covers, 'line 4: not linked: it has a heredoc'],
    ['an install into a folder of its own', lines('FROM python:3.12', 'WORKDIR /app', `${MOUNT} pip install --no-index --target /deps -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY --link . .'), covers, 'line 3: the install is not split: it installs into a folder of its own'],
    ['uv', lines('FROM python:3.12', 'WORKDIR /app', `${MOUNT} uv pip install --system --offline -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY --link . .'), covers, 'line 3: the install is not split: only pip install steps are split'],
    ['a step that installs part of the wheelhouse', lines('FROM python:3.12', 'WORKDIR /app', `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY --link . .'), { covers: false, reason: 'the wheelhouse also holds the dependencies of requirements-dev.txt' }, 'line 3: the install is not split: the wheelhouse also holds the dependencies of requirements-dev.txt']
  ])('refuses, naming the line: %s', (_, text, coverage, refusal) => {
    const result = rewritten(text, coverage);
    expect(result.refusals.map((r) => `line ${r.line}: ${r.reason}`)).toEqual([expect.stringContaining(refusal)]);
  });

  it('continues the lines it adds with the escape character the Dockerfile sets', () => {
    const text = lines('# escape=`', 'FROM python:3.12', 'WORKDIR /app', `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY --link . .');
    expect(rewritten(text).text).toContain('RUN --mount=type=bind,from=wheelhouse-base,target=/wheelhouse `\n    pip install');
  });

  it('leaves a refused line as it was and applies the others', () => {
    const text = lines('FROM python:3.12', 'WORKDIR /app', `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY --chown=app . .', 'COPY --chown=1000:1000 static/ static/');
    const result = rewritten(text, { covers: false, reason: 'x' });
    expect(result.text.split('\n').slice(3)).toEqual(['COPY --chown=app . .', 'COPY --link --chown=1000:1000 static/ static/']);
  });

  it('shows the rewrite as a unified diff', () => {
    const original = lines('FROM python:3.12', 'WORKDIR /app', `${MOUNT} pip install --no-index -f /wheelhouse -r /wheelhouse/requirements.txt`, 'COPY . .', '');
    const diff = rewriteDiff('Dockerfile', original, rewritten(original).text);
    expect(diff).toContain('--- Dockerfile');
    expect(diff).toContain('+++ Dockerfile (optimized)');
    expect(diff).toContain('-COPY . .\n+COPY --link . .');
  });
});
