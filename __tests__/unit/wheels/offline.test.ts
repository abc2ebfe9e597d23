// Offline first: which pins the wheelhouse lacks, and when the set cannot be resolved offline first.
import { describe, expect, it } from '@jest/globals';
import { hasCredentials, normalizeRequirement } from '../../../src/keys/requirements.js';
import { exactPin, missingPins } from '../../../src/wheels/offline.js';

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
    ['lib @ https://example.com/lib-1.0.tar.gz', undefined]
  ])('%s', (text, pin) => {
    expect(exactPin(line(text))).toEqual(pin);
  });
});

describe('missingPins', () => {
  it.each<[string, string[], string[] | undefined]>([
    ['every pin at hand: nothing to fetch', ['django==5.2.19', 'psycopg2==2.9.13', 'zope-interface==7.2'], []],
    ['an added pin is fetched', ['django==5.2.19', 'six==1.17.0'], ['six==1.17.0']],
    ['a bumped pin is fetched', ['django==5.2.20', 'psycopg2==2.9.13'], ['django==5.2.20']],
    ['names compare normalized', ['DJANGO==5.2.19', 'Zope_Interface==7.2'], []],
    ['a pin written another way than the wheel counts as missing', ['django==5.2.19.0'], ['django==5.2.19.0']],
    ['a range: resolved against the index as a whole', ['django>=5', 'six==1.17.0'], undefined],
    ['a URL: resolved against the index as a whole', ['lib @ https://example.com/lib-1.0.tar.gz'], undefined],
    [
      'hashes: resolved as a whole (pip checks every hash in one run)',
      ['six==1.17.0 --hash=sha256:4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274'],
      undefined
    ],
    ['credentials: resolved as a whole', ['lib==1.0 ; sys_platform == "linux" and "https://u:p@h" != ""'], undefined]
  ])('%s', (_, texts, missing) => {
    const result = missingPins(texts.map(line), WHEELS, hasCredentials);
    expect(result?.map((l) => l.text)).toEqual(missing);
  });
});
