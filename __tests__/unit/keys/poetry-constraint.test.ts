// Poetry's constraint syntax read as PEP 440: matching a lock entry to the declaration that asked for
// it, and a `python = "…"` restriction as a marker.
import { describe, expect, it } from '@jest/globals';
import { poetryConstraint, pythonMarker, satisfiesPoetry } from '../../../src/keys/poetry-constraint.js';

describe('poetryConstraint', () => {
  it.each<[string, ReturnType<typeof poetryConstraint>]>([
    [
      '^1.2.3',
      [
        [
          ['>=', '1.2.3'],
          ['<', '2']
        ]
      ]
    ],
    [
      '^0.2.3',
      [
        [
          ['>=', '0.2.3'],
          ['<', '0.3']
        ]
      ]
    ],
    [
      '^0.0.3',
      [
        [
          ['>=', '0.0.3'],
          ['<', '0.0.4']
        ]
      ]
    ],
    [
      '~1.2.3',
      [
        [
          ['>=', '1.2.3'],
          ['<', '1.3']
        ]
      ]
    ],
    [
      '~1',
      [
        [
          ['>=', '1'],
          ['<', '2']
        ]
      ]
    ],
    [
      '>=1.2,<2',
      [
        [
          ['>=', '1.2'],
          ['<', '2']
        ]
      ]
    ],
    [
      '>=1.2 <2',
      [
        [
          ['>=', '1.2'],
          ['<', '2']
        ]
      ]
    ],
    [
      '>= 1.2, < 2',
      [
        [
          ['>=', '1.2'],
          ['<', '2']
        ]
      ]
    ],
    ['1.2.3', [[['==', '1.2.3']]]],
    ['=1.2.3', [[['==', '1.2.3']]]],
    ['1.2.*', [[['==', '1.2.*']]]],
    ['<2 || >=3', [[['<', '2']], [['>=', '3']]]],
    ['*', []],
    ['', []],
    ['latest please', undefined]
  ])('%j → %j', (constraint, expected) => {
    expect(poetryConstraint(constraint)).toEqual(expected);
  });
});

describe('satisfiesPoetry', () => {
  it.each<[string, string | undefined, boolean]>([
    ['1.26.4', '<2', true],
    ['2.2.6', '<2', false],
    ['2.2.6', '>=2', true],
    ['2.31.0', '^2.31', true],
    ['3.0.0', '^2.31', false],
    ['1.5.7', '>=1.5.6,!=1.5.7', false],
    ['0.2.9', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['1.0', '<1 || >=1', true],
    ['9', undefined, true],
    ['9', 'not a constraint', true]
  ])('%s against %j: %s', (version, constraint, expected) => {
    expect(satisfiesPoetry(version, constraint)).toBe(expected);
  });
});

describe('pythonMarker', () => {
  it.each<[string | undefined, string | undefined]>([
    ['<3.10', 'python_full_version < "3.10"'],
    ['>=3.10', 'python_full_version >= "3.10"'],
    ['^3.9', 'python_full_version >= "3.9" and python_full_version < "4"'],
    ['3.11.*', 'python_version == "3.11"'],
    ['<3.9 || >=3.11', '(python_full_version < "3.9") or (python_full_version >= "3.11")'],
    ['*', undefined],
    [undefined, undefined]
  ])('%j → %j', (constraint, expected) => {
    expect(pythonMarker(constraint)).toBe(expected);
  });
});
