// uv's resolution for one target as a pylock.toml: the pins and the one wheel per package, and where
// each wheel of the new wheelhouse comes from.
import { describe, expect, it } from '@jest/globals';
import { type LockedPackage, parsePylock, preferredWheel, wheelSources } from '../../../src/wheels/lock.js';

const SHA = (c: string): string => c.repeat(64);
const FILES = 'https://files.pythonhosted.org/packages/aa/bb';

// the shape uv 0.13 writes for `pip compile --format pylock.toml --python-platform x86_64-manylinux_2_36`
const PYLOCK = `lock-version = "1.0"
created-by = "uv"
requires-python = ">=3.11"

[[packages]]
name = "gunicorn"
version = "23.0.0"
sdist = { url = "${FILES}/gunicorn-23.0.0.tar.gz", size = 375031, hashes = { sha256 = "${SHA('1')}" } }
wheels = [{ url = "${FILES}/gunicorn-23.0.0-py3-none-any.whl", size = 85029, hashes = { sha256 = "${SHA('2')}" } }]

[[packages]]
name = "psycopg2"
version = "2.9.13"
sdist = { url = "${FILES}/psycopg2-2.9.13.tar.gz", hashes = { sha256 = "${SHA('3')}" } }

[[packages]]
name = "Pydantic_Core"
version = "2.50.5"
wheels = [{ url = "${FILES}/pydantic_core-2.50.5-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl", hashes = { sha256 = "${SHA('A')}" } }]
`;

describe('parsePylock', () => {
  it('reads each package with the wheel uv chose for the target, or none when only an sdist exists', () => {
    expect(parsePylock(PYLOCK, 'cp311')).toEqual([
      {
        name: 'gunicorn',
        version: '23.0.0',
        wheel: { file: 'gunicorn-23.0.0-py3-none-any.whl', url: `${FILES}/gunicorn-23.0.0-py3-none-any.whl`, sha256: SHA('2') }
      },
      { name: 'psycopg2', version: '2.9.13', wheel: undefined },
      {
        name: 'pydantic-core',
        version: '2.50.5',
        wheel: {
          file: 'pydantic_core-2.50.5-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl',
          url: `${FILES}/pydantic_core-2.50.5-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl`,
          sha256: SHA('a')
        }
      }
    ]);
  });

  const pkg = (wheels: string): string => `[[packages]]\nname = "six"\nversion = "1.17.0"\nwheels = ${wheels}\n`;
  it.each<[string, string]>([
    [
      'two wheels, one of them without a SHA-256',
      `[{ url = "${FILES}/six-1.17.0-py2-none-any.whl", hashes = { md5 = "00" } }, { url = "${FILES}/six-1.17.0-py3-none-any.whl", hashes = { sha256 = "${SHA('2')}" } }]`
    ],
    ['no SHA-256', `[{ url = "${FILES}/six-1.17.0-py3-none-any.whl", hashes = { md5 = "00" } }]`],
    ['a short SHA-256', `[{ url = "${FILES}/six-1.17.0-py3-none-any.whl", hashes = { sha256 = "abc" } }]`],
    ['a wheel of another project', `[{ url = "${FILES}/evil-1.0-py3-none-any.whl", hashes = { sha256 = "${SHA('1')}" } }]`],
    ['a file URL', `[{ url = "file:///tmp/six-1.17.0-py3-none-any.whl", hashes = { sha256 = "${SHA('1')}" } }]`],
    [
      'a name with a path in it',
      `[{ name = "../six-1.17.0-py3-none-any.whl", url = "${FILES}/six-1.17.0-py3-none-any.whl", hashes = { sha256 = "${SHA('1')}" } }]`
    ]
  ])('takes no wheel for %s: the image build fetches it', (_, wheels) => {
    expect(parsePylock(pkg(wheels), 'cp311')).toEqual([{ name: 'six', version: '1.17.0', wheel: undefined }]);
  });

  it('refuses a document without packages', () => {
    expect(() => parsePylock('lock-version = "1.0"\n', 'cp311')).toThrow(/no \[\[packages\]\]/);
  });
});

describe('preferredWheel', () => {
  const wheels = (...files: string[]) => files.map((file) => ({ file }));
  it.each<[string, string[], string]>([
    [
      'the target ABI before the stable ABI before pure Python (charset-normalizer 3.5.3 as uv lists it)',
      [
        'charset_normalizer-3.5.3-py3-none-any.whl',
        'charset_normalizer-3.5.3-cp37-abi3-manylinux1_x86_64.manylinux_2_28_x86_64.manylinux_2_5_x86_64.whl',
        'charset_normalizer-3.5.3-cp311-cp311-manylinux1_x86_64.manylinux_2_28_x86_64.manylinux_2_5_x86_64.whl'
      ],
      'charset_normalizer-3.5.3-cp311-cp311-manylinux1_x86_64.manylinux_2_28_x86_64.manylinux_2_5_x86_64.whl'
    ],
    [
      'the stable ABI before pure Python',
      ['x-1-py3-none-any.whl', 'x-1-cp39-abi3-manylinux_2_17_x86_64.whl'],
      'x-1-cp39-abi3-manylinux_2_17_x86_64.whl'
    ],
    ["uv's order among equals", ['x-1-py2.py3-none-any.whl', 'x-1-py3-none-any.whl'], 'x-1-py2.py3-none-any.whl']
  ])('%s', (_, files, expected) => {
    expect(preferredWheel(wheels(...files), 'cp311')?.file).toBe(expected);
  });

  it('reads every wheel uv lists for the target and takes the most specific', () => {
    const doc = `[[packages]]\nname = "x"\nversion = "1"\nwheels = [{ url = "${FILES}/x-1-py3-none-any.whl", hashes = { sha256 = "${SHA('1')}" } }, { url = "${FILES}/x-1-cp311-cp311-manylinux_2_17_x86_64.whl", hashes = { sha256 = "${SHA('2')}" } }]\n`;
    expect(parsePylock(doc, 'cp311')[0]?.wheel?.file).toBe('x-1-cp311-cp311-manylinux_2_17_x86_64.whl');
    expect(parsePylock(doc, 'cp312')[0]?.wheel?.file).toBe('x-1-py3-none-any.whl');
  });
});

describe('wheelSources', () => {
  const locked = parsePylock(PYLOCK, 'cp311');
  const names = (list: readonly LockedPackage[]): string[] => list.map((p) => p.name);

  it.each<[string, string[], string[], string[], string[]]>([
    ['nothing restored: binary wheels downloaded, the sdist compiled', [], [], ['gunicorn', 'pydantic-core'], ['psycopg2']],
    [
      'the wheelhouse has the compiled one and an old gunicorn: the new gunicorn downloaded',
      [
        'gunicorn-22.0.0-py3-none-any.whl',
        'psycopg2-2.9.13-cp311-cp311-linux_x86_64.whl',
        'pydantic_core-2.50.5-cp311-cp311-manylinux_2_17_x86_64.whl'
      ],
      ['psycopg2-2.9.13-cp311-cp311-linux_x86_64.whl', 'pydantic_core-2.50.5-cp311-cp311-manylinux_2_17_x86_64.whl'],
      ['gunicorn'],
      []
    ],
    [
      'every pin at hand',
      [
        'gunicorn-23.0.0-py3-none-any.whl',
        'psycopg2-2.9.13-cp311-cp311-linux_x86_64.whl',
        'Pydantic_Core-2.50.5-cp311-cp311-manylinux_2_17_x86_64.whl'
      ],
      [
        'gunicorn-23.0.0-py3-none-any.whl',
        'psycopg2-2.9.13-cp311-cp311-linux_x86_64.whl',
        'Pydantic_Core-2.50.5-cp311-cp311-manylinux_2_17_x86_64.whl'
      ],
      [],
      []
    ]
  ])('%s', (_, have, reuse, download, compile) => {
    const sources = wheelSources(locked, have);
    expect(sources.reuse).toEqual(reuse);
    expect(names(sources.download)).toEqual(download);
    expect(names(sources.compile)).toEqual(compile);
  });
});
