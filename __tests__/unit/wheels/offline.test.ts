// Offline first: which pins the wheelhouse lacks, and when the set cannot be resolved offline first.
import { describe, expect, it } from '@jest/globals';
import { hasCredentials, normalizeRequirement } from '../../../src/keys/requirements.js';
import { exactPin, fetchPlan, withoutHashes } from '../../../src/wheels/offline.js';

const line = (text: string) => normalizeRequirement(text, 'requirements.txt');
const WHEELS = [
  'Django-5.2.19-py3-none-any.whl',
  'psycopg2-2.9.13-cp311-cp311-linux_x86_64.whl',
  'zope.interface-7.2-cp311-cp311-manylinux_2_17_x86_64.whl'
];

describe('exactPin', () => {
  it.each<[string, { project: string; version: string } | undefined]>([
    ['Django==5.2.19', { project: 'django', version: '5.2.19' }],
    ['zope.interface == 7.2', { project: 'zope-interface', version: '7.2' }],
    ['requests[socks,security]==2.32.3', { project: 'requests', version: '2.32.3' }],
    ['tomli==2.0.1 ; python_version < "3.11"', { project: 'tomli', version: '2.0.1' }],
    ['Pillow==11.0.0RC1', { project: 'pillow', version: '11.0.0rc1' }],
    ['django>=5', undefined],
    ['django==5.*', undefined],
    ['django>=5,<6', undefined],
    ['django==5.2.19,!=5.2.18', undefined],
    ['django', undefined],
    ['lib @ https://example.com/lib-1.0.tar.gz', undefined],
    ['six==1.17.0 --hash=sha256:aa', { project: 'six', version: '1.17.0' }]
  ])('%s', (text, pin) => {
    expect(exactPin(line(text))).toEqual(pin);
  });
});

const SIX = 'six==1.17.0 --hash=sha256:4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274';
const DJANGO = 'django==5.2.19 ; python_version >= "3.10" --hash=sha256:bb --hash=sha256:aa';
const texts = (lines: readonly { text: string }[] | undefined) => lines?.map((l) => l.text);

describe('fetchPlan: a set without hashes', () => {
  it.each<[string, string[], string[] | undefined]>([
    ['every pin at hand: nothing to fetch', ['django==5.2.19', 'psycopg2==2.9.13', 'zope-interface==7.2'], []],
    ['an added pin is fetched', ['django==5.2.19', 'six==1.17.0'], ['six==1.17.0']],
    ['a bumped pin is fetched', ['django==5.2.20', 'psycopg2==2.9.13'], ['django==5.2.20']],
    ['names compare normalized', ['DJANGO==5.2.19', 'Zope_Interface==7.2'], []],
    ['a pin written another way than the wheel counts as missing', ['django==5.2.19.0'], ['django==5.2.19.0']],
    ['a range: resolved against the index as a whole', ['django>=5', 'six==1.17.0'], undefined],
    ['a URL: resolved against the index as a whole', ['lib @ https://example.com/lib-1.0.tar.gz'], undefined],
    ['credentials: resolved as a whole', ['lib==1.0 ; sys_platform == "linux" and "https://u:p@h" != ""'], undefined]
  ])('%s', (_, lines, missing) => {
    const plan = fetchPlan(lines.map(line), [], WHEELS, hasCredentials);
    expect(texts(plan?.missing)).toEqual(missing);
    if (plan) expect(plan).toMatchObject({ checked: [], offline: true, hashed: false });
  });

  it('with no wheelhouse, goes to the index as a whole', () => {
    expect(fetchPlan([line('six==1.17.0')], [], [], hasCredentials)).toBeUndefined();
  });
});

describe('fetchPlan: a set with hashes', () => {
  it.each<[string, string[], readonly string[], { checked: string[]; missing: string[]; offline: boolean }]>([
    ['the lines with hashes the wheelhouse lacks are checked', [SIX, DJANGO], WHEELS, { checked: [SIX], missing: [], offline: true }],
    ['with no wheelhouse, every line with hashes is checked', [SIX, DJANGO], [], { checked: [SIX, DJANGO], missing: [], offline: true }],
    [
      'a pin without hashes beside them is fetched as before',
      [SIX, 'idna==3.10'],
      WHEELS,
      { checked: [SIX], missing: ['idna==3.10'], offline: true }
    ],
    [
      'a git package (no hash can cover it): checked first, then the whole set against the index',
      [SIX, 'lib @ git+https://git.example/lib@0a1b2c'],
      WHEELS,
      { checked: [SIX], missing: [], offline: false }
    ],
    [
      'an archive URL with its hash is checked',
      ['lib @ https://example.com/lib-1.0.tar.gz --hash=sha256:cc'],
      WHEELS,
      { checked: ['lib @ https://example.com/lib-1.0.tar.gz --hash=sha256:cc'], missing: [], offline: true }
    ]
  ])('%s', (_, lines, wheels, expected) => {
    const plan = fetchPlan(lines.map(line), [], wheels, hasCredentials);
    expect(plan && { checked: texts(plan.checked), missing: texts(plan.missing), offline: plan.offline }).toEqual(expected);
    expect(plan?.hashed).toBe(true);
  });

  it('credentials: resolved as a whole, hashes and all, as pip would', () => {
    expect(fetchPlan([line(SIX), line('lib==1.0 ; "https://u:p@h" != ""')], [], WHEELS, hasCredentials)).toBeUndefined();
  });

  it('credentials in an index option: resolved as a whole (the option never goes into a fetch file)', () => {
    const option = {
      text: '--extra-index-url https://ci:s3cret@pkgs.example/simple',
      normalized: '--extra-index-url https://***@pkgs.example/simple'
    };
    expect(fetchPlan([line('six==1.17.0')], [option], WHEELS, hasCredentials)).toBeUndefined();
    expect(fetchPlan([line(SIX)], [option], WHEELS, hasCredentials)).toBeUndefined();
  });
});

describe('withoutHashes', () => {
  it('drops the hash options, keeps the marker', () => {
    const stripped = withoutHashes(line(DJANGO));
    expect(stripped.text).toBe('django==5.2.19 ; python_version >= "3.10"');
    expect(stripped.normalized).toBe('django==5.2.19;python_version >= "3.10"');
  });

  it('leaves a line without hashes as it is', () => {
    const plain = line('six==1.17.0');
    expect(withoutHashes(plain)).toBe(plain);
  });
});
