// pyproject.toml: only project.dependencies enters the wheelhouse and the key.
import { describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { dependencyHash } from '../../../src/keys/key.js';
import { DependencyError, type DependencySet, emptySet } from '../../../src/keys/model.js';
import { readPyproject } from '../../../src/keys/pyproject.js';
import { caught, normalized, project, texts } from './helpers.js';

const read = (content: string): DependencySet => readPyproject(content, 'pyproject.toml', emptySet());
const hash = (set: DependencySet): string =>
  dependencyHash({ installer: 'pip', dependencies: set, wheelImage: 'python:3.11-bookworm', wheelPackages: [] });

const PROJECT = (version: string, dependencies: string): string => `[project]
name = "reporting"
version = "${version}"
requires-python = ">=3.11"
dependencies = ${dependencies}
`;

describe('readPyproject', () => {
  it('reads project.dependencies (and not the optional dependencies)', async () => {
    const content = await fs.readFile(path.join(project('pyproject-only'), 'pyproject.toml'), 'utf8');
    const set = read(content);
    expect(set.files).toEqual(['pyproject.toml']);
    expect(texts(set.requirements)).toEqual(['Jinja2>=3.1,<4', 'requests[socks]>=2.32', "tomli>=2.0 ; python_version < '3.11'"]);
    expect(normalized(set.requirements)).toEqual(['jinja2<4,>=3.1', 'requests[socks]>=2.32', "tomli>=2.0;python_version < '3.11'"]);
    expect(set.requirements.map((l) => l.name)).toEqual(['jinja2', 'requests', 'tomli']);
    expect(set.constraints).toEqual([]);
    expect(set.options).toEqual([]);
  });

  it('gives the same dependency set and hash when only project.version changes', () => {
    const deps = '["fastapi>=0.115", "uvicorn[standard]>=0.34"]';
    const before = read(PROJECT('1.4.0', deps));
    const after = read(PROJECT('1.5.0.dev3', deps));
    expect(after).toEqual(before);
    expect(hash(after)).toBe(hash(before));
    expect(hash(read(PROJECT('1.4.0', '["fastapi>=0.116", "uvicorn[standard]>=0.34"]')))).not.toBe(hash(before));
  });

  it('reads a project without dependencies as an empty set', () => {
    const set = read('[project]\nname = "tool"\nversion = "0.1.0"\n');
    expect(set).toEqual({ files: ['pyproject.toml'], requirements: [], constraints: [], options: [], skipped: [] });
  });

  it('refuses a Poetry-only pyproject.toml, pointing at poetry.lock', async () => {
    const error = await caught(() =>
      read(`[tool.poetry]
name = "legacy-app"
version = "0.3.0"
description = ""
authors = ["Ops <ops@example.com>"]

[tool.poetry.dependencies]
python = "^3.11"
flask = "^3.1"

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
`)
    );
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.message).toMatch(/^pyproject\.toml: .*poetry\.lock/);
  });

  it.each([
    ['not TOML at all', 'this is = = not toml', /^pyproject\.toml: not valid TOML \(.+\)$/],
    ['an unterminated table header', '[project\nname = "x"\n', /^pyproject\.toml: not valid TOML/],
    ['a duplicated key', '[project]\nname = "a"\nname = "b"\n', /^pyproject\.toml: not valid TOML/],
    [
      'dependencies as a table',
      '[project.dependencies]\nflask = ">=3"\n',
      /^pyproject\.toml: project\.dependencies must be a list of strings$/
    ],
    ['a non-string dependency', PROJECT('1.0', '["flask>=3", 3]'), /^pyproject\.toml: project\.dependencies must be a list of strings$/],
    [
      'an unparsable dependency',
      PROJECT('1.0', '["flask>=3", "requests >="]'),
      /^pyproject\.toml:project\.dependencies\[1\]: cannot parse 'requests >='/
    ]
  ])('throws a DependencyError on %s', async (_, content, message) => {
    const error = await caught(() => read(content));
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.message).toMatch(message);
  });
});
