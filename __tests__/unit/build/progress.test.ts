// buildx's plain progress read into vertices, and the advice measured against them. The fixture is a real
// buildx 0.38 / BuildKit 0.34 log: a code change on a fresh builder whose only cache is the last image's
// inline cache, with a plain COPY (line 6) and a COPY --link (line 7) after a cached RUN.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureAdvice } from '../../../src/build/advice-report.js';
import { parseProgress, parseSize, vertexOf } from '../../../src/build/progress.js';
import { advise } from '../../../src/dockerfile/advice.js';
import { builtStage, parseDockerfile } from '../../../src/dockerfile/parse.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../__fixtures__/progress');
const log = readFileSync(path.join(fixtures, 'plain-copy-after-pull.txt'), 'utf8');
const dockerfile = readFileSync(path.join(fixtures, 'plain-copy-after-pull.Dockerfile'), 'utf8');

describe('parseSize', () => {
  it.each<[string, number]>([
    ['93B', 93],
    ['1.5kB', 1500],
    ['228.06MB', 228_060_000],
    ['1.2GB', 1_200_000_000],
    ['12 parsecs', 0]
  ])('%s', (text, bytes) => expect(parseSize(text)).toBe(bytes));
});

describe('parseProgress', () => {
  const vertices = parseProgress(log);

  it('reads each vertex once, with its name from its first line', () => {
    expect(vertices.map((v) => v.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(vertices.find((v) => v.id === 11)?.name).toBe('[stage-0 4/5] COPY site/ ./site/');
  });

  it('tells cached steps from those that ran, with their seconds', () => {
    expect(vertices.find((v) => v.id === 9)).toMatchObject({ cached: true, seconds: undefined });
    expect(vertices.find((v) => v.id === 11)).toMatchObject({ cached: false, seconds: 1.6, pulledBytes: 0 });
  });

  it('counts each pulled layer once at its full size, and the seconds spent unpacking', () => {
    const pulled = vertices.find((v) => v.id === 10)!;
    expect(pulled.pulledBytes).toBe(93 + 32 + 228_060_000);
    expect(pulled.unpackSeconds).toBe(16.7);
    expect(pulled.output).toBe(false); // loaded from the cache, not run: its command printed nothing
  });

  it('reads what each local context sent', () => {
    expect(vertices.find((v) => v.name === '[context wheelhouse] load from client')?.sentBytes).toBe(30);
    expect(vertices.find((v) => v.name === '[internal] load build context')?.sentBytes).toBe(66);
  });

  it('finds a step by its stage and text, whitespace collapsed', () => {
    const stage = builtStage(parseDockerfile(dockerfile)!)!;
    const run = stage.steps.find((s) => s.keyword === 'RUN')!;
    expect(vertexOf(vertices, 'stage-0', run.text)?.id).toBe(10);
    expect(vertexOf(vertices, 'builder', run.text)).toBeUndefined();
  });

  it('reads ERROR lines', () => {
    expect(
      parseProgress('#4 [2/2] RUN false\n#4 ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1\n')[0]?.error
    ).toBe(true);
  });
});

describe('measureAdvice', () => {
  it('puts the layers pulled below a plain COPY next to the advice to link it', () => {
    const parsed = parseDockerfile(dockerfile)!;
    const stage = builtStage(parsed)!;
    const advice = advise(parsed, stage, { wheelhouse: 'wheelhouse', base: 'wheelhouse-base' }).filter(
      (a) => a.kind === 'copy-without-link'
    );
    expect(measureAdvice(advice, parsed, stage, parseProgress(log))).toEqual([
      {
        line: 6,
        instruction: 'COPY site/ ./site/',
        measured: 'ran 1.6 s, after 228.1 MB of layers below it were pulled and unpacked (16.7 s)',
        problem: expect.stringContaining('without --link'),
        fix: 'COPY --link site/ ./site/'
      }
    ]);
  });

  it('says when a step was cached, or not in the build', () => {
    const parsed = parseDockerfile('FROM python:3.12\nRUN pip install flask\n')!;
    const stage = builtStage(parsed)!;
    const advice = advise(parsed, stage, { wheelhouse: 'wheelhouse', base: 'wheelhouse-base' });
    expect(advice.map((a) => a.kind)).toEqual(['install-from-index']);
    expect(measureAdvice(advice, parsed, stage, [])[0]?.measured).toBe('not in this build');
    const cached = parseProgress('#5 [stage-0 2/2] RUN pip install flask\n#5 CACHED\n');
    expect(measureAdvice(advice, parsed, stage, cached)[0]?.measured).toBe('cached');
    const ran = parseProgress('#5 [stage-0 2/2] RUN pip install flask\n#5 0.512 Collecting flask\n#5 DONE 4.2s\n');
    expect(measureAdvice(advice, parsed, stage, ran)[0]?.measured).toBe('ran 4.2 s');
  });
});
