// baseImage: the image the built stage starts from, read from the Dockerfile as BuildKit reads it;
// defaultWheelImage: the image wheels are built in when none is named.
import { describe, expect, it } from '@jest/globals';
import { baseImage, defaultWheelImage } from '../../../src/target/dockerfile.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const MULTI = lines(
  '# syntax=docker/dockerfile:1',
  'FROM python:3.12-slim AS base',
  'ENV PYTHONDONTWRITEBYTECODE=1',
  '',
  'FROM base AS build',
  'RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse pip install --no-index --find-links /wheelhouse -r requirements.txt',
  '',
  'FROM node:20-alpine AS assets',
  'RUN npm ci && npm run build',
  '',
  'FROM base AS runtime',
  'COPY --from=build /usr/local /usr/local',
  'COPY --from=assets /app/dist /app/static',
  'CMD ["gunicorn", "app:app"]'
);

describe('baseImage', () => {
  it.each<[string, string, string | undefined, string[], string | undefined]>([
    ['a single stage', lines('FROM python:3.12-slim', 'WORKDIR /app', 'CMD ["python", "-m", "app"]'), undefined, [], 'python:3.12-slim'],
    ['a digest', lines(`FROM python:3.12-slim@sha256:${'ab'.repeat(32)}`), undefined, [], `python:3.12-slim@sha256:${'ab'.repeat(32)}`],
    ['a registry with a port', lines('FROM 127.0.0.1:5000/python:3.11-slim-local'), undefined, [], '127.0.0.1:5000/python:3.11-slim-local'],
    ['multi-stage: the last stage, following stage names', MULTI, undefined, [], 'python:3.12-slim'],
    ['target: a stage built on another stage', MULTI, 'build', [], 'python:3.12-slim'],
    ['target: a stage from an image', MULTI, 'assets', [], 'node:20-alpine'],
    ['target: case does not matter', MULTI, 'Runtime', [], 'python:3.12-slim'],
    ['target: unknown', MULTI, 'tests', [], undefined],
    [
      'a chain of stages',
      lines('FROM python:3.11-bookworm AS a', 'FROM a AS b', 'FROM b AS c', 'FROM c'),
      undefined,
      [],
      'python:3.11-bookworm'
    ],
    ['lower-case keywords and AS', lines('from python:3.12-slim as Base', 'from base'), undefined, [], 'python:3.12-slim'],
    [
      '--platform flags',
      lines('FROM --platform=$BUILDPLATFORM python:3.12 AS build', 'FROM --platform=linux/amd64 python:3.12-slim AS runtime'),
      undefined,
      [],
      'python:3.12-slim'
    ],
    [
      '--platform on a stage reference',
      lines('FROM python:3.12-slim AS base', 'FROM --platform=$TARGETPLATFORM base'),
      undefined,
      [],
      'python:3.12-slim'
    ],
    // global ARGs
    [
      'a global ARG default, braced',
      lines('ARG PYTHON_VERSION=3.12', 'FROM python:${PYTHON_VERSION}-slim'),
      undefined,
      [],
      'python:3.12-slim'
    ],
    ['a global ARG default, bare', lines('ARG PYTHON_VERSION=3.12', 'FROM python:$PYTHON_VERSION'), undefined, [], 'python:3.12'],
    ['a quoted ARG default', lines('ARG BASE="python:3.11-alpine"', 'FROM $BASE'), undefined, [], 'python:3.11-alpine'],
    [
      'several ARGs on one line',
      lines('ARG REGISTRY=ghcr.io/acme PY=3.12', 'FROM ${REGISTRY}/python:${PY}'),
      undefined,
      [],
      'ghcr.io/acme/python:3.12'
    ],
    [
      'a build-arg overrides the default',
      lines('ARG PYTHON_VERSION=3.12', 'FROM python:${PYTHON_VERSION}-slim'),
      undefined,
      ['PYTHON_VERSION=3.11'],
      'python:3.11-slim'
    ],
    [
      'a build-arg gives an ARG without default',
      lines('ARG BASE', 'FROM ${BASE}'),
      undefined,
      ['BASE=python:3.13-slim'],
      'python:3.13-slim'
    ],
    [
      'a build-arg value with =',
      lines('ARG BASE', 'FROM ${BASE}'),
      undefined,
      ['BASE=reg.example.com/py:3.12=x'],
      'reg.example.com/py:3.12=x'
    ],
    ['a default in the reference', lines('FROM python:${PY:-3.12}-slim'), undefined, [], 'python:3.12-slim'],
    ['a default in the reference, overridden', lines('ARG PY', 'FROM python:${PY:-3.12}-slim'), undefined, ['PY=3.10'], 'python:3.10-slim'],
    [
      'an ARG after the first FROM does not reach a later FROM',
      lines('ARG PY=3.12', 'FROM python:${PY} AS a', 'ARG PY=3.9', 'FROM python:${PY}'),
      undefined,
      [],
      'python:3.12'
    ],
    [
      'an ARG used in a stage name reference',
      lines('ARG STAGE=base', 'FROM python:3.12 AS base', 'FROM ${STAGE}'),
      undefined,
      [],
      'python:3.12'
    ],
    // undetermined
    ['an ARG without a value', lines('ARG BASE', 'FROM ${BASE}'), undefined, [], undefined],
    ['an ARG never declared', lines('FROM python:${PY}-slim'), undefined, [], undefined],
    ['a build-arg for an ARG not declared globally', lines('FROM python:${PY}-slim'), undefined, ['PY=3.12'], undefined],
    ['scratch', lines('FROM scratch', 'COPY app /app'), undefined, [], undefined],
    ['a last stage from scratch', lines('FROM python:3.12 AS build', 'FROM scratch', 'COPY --from=build /out /'), undefined, [], undefined],
    ['a stage from scratch by name', lines('FROM scratch AS empty', 'FROM empty'), undefined, [], undefined],
    ['target: the python stage before a scratch one', lines('FROM python:3.12 AS build', 'FROM scratch'), 'build', [], 'python:3.12'],
    ['no FROM', lines('# nothing here', 'ARG X=1'), undefined, [], undefined],
    ['an empty file', '', undefined, [], undefined],
    ['FROM without an image', lines('FROM'), undefined, [], undefined],
    // line continuations and comments
    [
      'continuations, comments, blank lines, CRLF',
      '# syntax=docker/dockerfile:1\r\n# the base image\r\nARG PY=3.12\r\n\r\nFROM --platform=$TARGETPLATFORM \\\r\n     python:${PY}-slim \\\r\n     AS base\r\n   # indented comment\r\nFROM base\r\n',
      undefined,
      [],
      'python:3.12-slim'
    ],
    [
      'a continued ARG',
      lines('ARG REGISTRY=docker.io \\', '    PY=3.11', 'FROM ${REGISTRY}/library/python:${PY}'),
      undefined,
      [],
      'docker.io/library/python:3.11'
    ],
    [
      'a FROM inside a continued RUN is no instruction',
      lines('FROM python:3.12-slim AS app', 'RUN echo \\', '  FROM alpine'),
      undefined,
      [],
      'python:3.12-slim'
    ],
    [
      'a comment line inside a continuation is dropped',
      lines('FROM \\', '# the image we run on', '    python:3.12-slim \\', '    # its stage name', '    AS base', 'FROM base'),
      undefined,
      [],
      'python:3.12-slim'
    ],
    [
      'a blank line inside a continuation does not end it',
      lines('FROM python:3.12-slim \\', '', '    AS base', 'FROM base'),
      undefined,
      [],
      'python:3.12-slim'
    ],
    [
      'a comment after a continued RUN',
      lines(
        'FROM python:3.12-slim AS base',
        'RUN apt-get update \\',
        '    # build deps',
        '    && apt-get install -y gcc',
        'FROM base AS final'
      ),
      undefined,
      [],
      'python:3.12-slim'
    ]
  ])('%s', (_, dockerfile, target, buildArgs, expected) => {
    expect(baseImage(dockerfile, target, buildArgs)).toBe(expected);
  });

  it('a stage may reuse the name of the image it starts from', () => {
    expect(baseImage(lines('FROM python:3.12 AS python', 'FROM python'))).toBe('python:3.12');
    expect(baseImage(lines('FROM python AS python'))).toBe('python');
  });
});

describe('defaultWheelImage', () => {
  it.each<[string, string]>([
    ['python:3.12-slim', 'python:3.12'],
    ['python:3.12-slim-bookworm', 'python:3.12-bookworm'],
    ['python:3.11.9-slim-bullseye', 'python:3.11.9-bullseye'],
    ['docker.io/library/python:3.13-slim', 'docker.io/library/python:3.13'],
    ['127.0.0.1:5000/python:3.11-slim-local', '127.0.0.1:5000/python:3.11-local'],
    ['localhost:5000/python', 'localhost:5000/python'],
    ['python', 'python'],
    ['ghcr.io/acme/app-slim', 'ghcr.io/acme/app-slim'],
    ['ghcr.io/acme/app-slim:1.0', 'ghcr.io/acme/app-slim:1.0'],
    ['python:3.12', 'python:3.12'],
    ['python:3.12-bookworm', 'python:3.12-bookworm'],
    ['python:3.12-alpine', 'python:3.12-alpine'],
    ['python:3.12-slimmer', 'python:3.12-slimmer'],
    // a digest pins the slim image: the full tag, unpinned (its digest is another one)
    [`python:3.12-slim@sha256:${'a'.repeat(64)}`, 'python:3.12'],
    [`127.0.0.1:5000/python:3.11-slim-bookworm@sha256:${'b'.repeat(64)}`, '127.0.0.1:5000/python:3.11-bookworm'],
    // a pinned full image, or a digest alone: as it is
    [`python:3.12@sha256:${'c'.repeat(64)}`, `python:3.12@sha256:${'c'.repeat(64)}`],
    [`python@sha256:${'d'.repeat(64)}`, `python@sha256:${'d'.repeat(64)}`],
    [`localhost:5000/python@sha256:${'e'.repeat(64)}`, `localhost:5000/python@sha256:${'e'.repeat(64)}`]
  ])('%s → %s', (target, expected) => {
    expect(defaultWheelImage(target)).toBe(expected);
  });
});
