// The runtime libraries of the wheels: the wheel image's answer read defensively, kept per wheel across
// wheelhouses, and summed into the packages a generated Dockerfile installs.
import { describe, expect, it } from '@jest/globals';
import { type RuntimeLibraries, mergeRuntime, parseRuntime, runtimePackages } from '../../../src/wheels/runtime.js';

const PSYCOPG = 'psycopg2-2.9.10-cp311-cp311-linux_x86_64.whl';
const LXML = 'lxml-5.3.0-cp311-cp311-linux_x86_64.whl';

describe('parseRuntime', () => {
  it('reads each wheel, and only package names that are package names', () => {
    expect(
      parseRuntime(
        JSON.stringify({ [PSYCOPG]: { packages: ['libpq5', 'x; rm -rf /', 7], unresolved: [] }, '../evil.whl': { packages: ['a'] } })
      )
    ).toEqual({
      [PSYCOPG]: { packages: ['libpq5'], unresolved: [] }
    });
  });
  it.each(['', 'null', '[]', '{"a.whl": 3}'])('is empty for %j', (json) => expect(parseRuntime(json)).toEqual({}));
});

describe('mergeRuntime', () => {
  const resolved: RuntimeLibraries = { packages: ['libpq5'], unresolved: [] };
  const unresolved: RuntimeLibraries = { packages: [], unresolved: ['libpq.so.5'] };
  type Answers = Record<string, RuntimeLibraries>;
  it.each<[string, Answers, Answers, Answers]>([
    [
      'a reused wheel keeps its answer when the new image cannot find its library',
      { [PSYCOPG]: resolved },
      { [PSYCOPG]: unresolved },
      { [PSYCOPG]: resolved }
    ],
    ['a newly built wheel takes the new answer', {}, { [PSYCOPG]: resolved }, { [PSYCOPG]: resolved }],
    ['a resolved answer wins over an unresolved one', { [PSYCOPG]: unresolved }, { [PSYCOPG]: resolved }, { [PSYCOPG]: resolved }],
    ['a wheel no longer in the wheelhouse is dropped', { [LXML]: resolved, [PSYCOPG]: resolved }, {}, { [PSYCOPG]: resolved }]
  ])('%s', (_, previous, fresh, expected) => {
    expect(mergeRuntime([PSYCOPG], previous, fresh)).toEqual(expected);
  });
});

describe('runtimePackages', () => {
  it('lists each package once, sorted', () => {
    expect(
      runtimePackages({
        [PSYCOPG]: { packages: ['libpq5'], unresolved: [] },
        [LXML]: { packages: ['libxslt1.1', 'libxml2', 'libpq5'], unresolved: [] }
      })
    ).toEqual(['libpq5', 'libxml2', 'libxslt1.1']);
  });
});
