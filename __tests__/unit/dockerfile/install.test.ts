// installedRequirementFiles: the `-r` files a Dockerfile's installs name, in every stage, which the
// discovery of dependency files follows; the wheelhouse's own files (under its mounts) are not the project's.
import { describe, expect, it } from '@jest/globals';
import { installedRequirementFiles } from '../../../src/dockerfile/install.js';

const NAMES = { wheelhouse: 'wheelhouse', base: 'wheelhouse-base' };

describe('installedRequirementFiles', () => {
  it.each<[string, string, string[] | undefined]>([
    ['one install', 'FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n', ['requirements.txt']],
    [
      '--requirement= and python -m pip',
      'FROM python:3.12\nRUN python3 -m pip install --requirement=/app/requirements/prod.txt\n',
      ['/app/requirements/prod.txt']
    ],
    [
      // every -r of an install step (a `pip wheel` in a builder stage makes what the image installs)
      'a builder stage and the final stage',
      'FROM python:3.12 AS build\nRUN pip wheel -r a.txt -w /w && pip install -r b.txt\nFROM python:3.12-slim\nRUN pip install -r c.txt\n',
      ['a.txt', 'b.txt', 'c.txt']
    ],
    [
      "the wheelhouse's own pins are not the project's",
      'FROM python:3.12\n' +
        'RUN --mount=type=bind,from=wheelhouse-base,target=/wheelhouse pip install --no-index --find-links /wheelhouse -r /wheelhouse/requirements.txt\n' +
        'RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse/ pip install --no-index --find-links /wheelhouse -r requirements.txt\n',
      ['requirements.txt']
    ],
    ['an install of the project itself', 'FROM python:3.12\nCOPY . .\nRUN pip install .\n', []],
    ['no FROM: cannot be read', 'RUN pip install -r requirements.txt\n', undefined]
  ])('%s', (_, text, expected) => {
    expect(installedRequirementFiles(text, NAMES)).toEqual(expected);
  });
});
