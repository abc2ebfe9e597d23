// The cache keys: their shape, and a hash that follows exactly what goes into the wheel build.
import { describe, expect, it } from '@jest/globals';
import { findDependencyFiles, readDependencies } from '../../../src/keys/discover.js';
import {
  KEY_SCHEMA,
  type KeyInputs,
  type Target,
  dependencyHash,
  pipCacheKeys,
  repairedKeys,
  wheelhouseKeys
} from '../../../src/keys/key.js';
import type { DependencySet } from '../../../src/keys/model.js';
import { normalized, project, readMemory } from './helpers.js';

const AMD64: Target = { platform: 'linux/amd64', pythonTag: 'cp311', libc: 'glibc2.36' };
const REQUIREMENTS = 'click==8.1.8\nflask==3.1.0\ngunicorn==23.0.0 ; sys_platform != "win32"\n';
const CONSTRAINTS = 'werkzeug==3.1.3\n';

async function dependencies(requirements = REQUIREMENTS, constraints = CONSTRAINTS): Promise<DependencySet> {
  return readMemory({ 'requirements.txt': `-c constraints.txt\n${requirements}`, 'constraints.txt': constraints });
}

function inputs(deps: DependencySet, change: Partial<KeyInputs> = {}): KeyInputs {
  return {
    target: AMD64,
    installer: 'pip',
    dependencies: deps,
    wheelImage: 'python:3.11-bookworm',
    wheelPackages: ['libpq-dev'],
    ...change
  };
}

const HEX32 = '[0-9a-f]{32}';

describe('key shapes', () => {
  it.each([
    [AMD64, 'linux-amd64-cp311-glibc2.36'],
    [{ platform: 'linux/arm/v7', pythonTag: 'cp311', libc: 'glibc2.36' }, 'linux-arm-v7-cp311-glibc2.36'],
    [{ platform: 'linux/arm64', pythonTag: 'cp313', libc: 'musl1.2' }, 'linux-arm64-cp313-musl1.2'],
    [{ platform: 'linux/arm64/v8', pythonTag: 'cp312', libc: 'glibc2.39' }, 'linux-arm64-v8-cp312-glibc2.39'],
    [{ platform: 'linux/ppc64le', pythonTag: 'pp310', libc: 'glibc2.31' }, 'linux-ppc64le-pp310-glibc2.31'],
    // anything but letters, digits and dots in a segment becomes _ (no commas, no stray separators)
    [{ platform: 'linux/amd64', pythonTag: 'cp311', libc: 'glibc 2.36,x+y' }, 'linux-amd64-cp311-glibc_2.36_x_y']
  ] as [Target, string][])('%j → %s', async (target, segments) => {
    const deps = await dependencies();
    const wheelhouse = wheelhouseKeys(inputs(deps, { target }));
    const pipCache = pipCacheKeys(inputs(deps, { target }));
    const hash = dependencyHash(inputs(deps));

    expect(wheelhouse.primary).toMatch(new RegExp(`^wheelhouse-v1-${segments.replace(/\./g, '\\.')}-pip-${HEX32}$`));
    expect(wheelhouse.primary).toBe(`wheelhouse-${KEY_SCHEMA}-${segments}-pip-${hash}`);
    // restore keys: drop the hash, then the installer
    expect(wheelhouse.restore).toEqual([`wheelhouse-v1-${segments}-pip-`, `wheelhouse-v1-${segments}-`]);
    expect(pipCache).toEqual({ primary: `pip-cache-v1-${segments}-${hash}`, restore: [`pip-cache-v1-${segments}-`] });

    for (const key of [wheelhouse.primary, ...wheelhouse.restore, pipCache.primary, ...pipCache.restore]) {
      expect(key).not.toContain(',');
      expect(key.length).toBeLessThanOrEqual(512);
    }
  });

  it('appends cache-suffix to the primary keys only: a new suffix is a partial hit on the newest entry', async () => {
    const deps = await dependencies();
    const plain = wheelhouseKeys(inputs(deps));
    const suffixed = wheelhouseKeys(inputs(deps, { suffix: '2026-w49' }));
    expect(suffixed.primary).toBe(`${plain.primary}-2026-w49`);
    expect(suffixed.restore).toEqual(plain.restore);
    expect(pipCacheKeys(inputs(deps, { suffix: '2026-w49' })).primary).toBe(`${pipCacheKeys(inputs(deps)).primary}-2026-w49`);
  });

  it('gives each restore key as a prefix of the one before it', async () => {
    const keys = wheelhouseKeys(inputs(await dependencies()));
    expect(keys.primary.startsWith(keys.restore[0] ?? '-')).toBe(true);
    expect((keys.restore[0] ?? '').startsWith(keys.restore[1] ?? '-')).toBe(true);
    expect(keys.restore[1]).toBe('wheelhouse-v1-linux-amd64-cp311-glibc2.36-');
  });

  it('keeps the target out of the hash and in the key', async () => {
    const deps = await dependencies();
    const arm = inputs(deps, { target: { platform: 'linux/arm64', pythonTag: 'cp311', libc: 'glibc2.36' } });
    expect(dependencyHash(arm)).toBe(dependencyHash(inputs(deps)));
    expect(wheelhouseKeys(arm).primary).not.toBe(wheelhouseKeys(inputs(deps)).primary);
  });
});

describe('dependencyHash', () => {
  it('is 32 hex digits', async () => {
    expect(dependencyHash(inputs(await dependencies()))).toMatch(new RegExp(`^${HEX32}$`));
  });

  it('does not depend on the order of requirements, constraints or wheel packages', async () => {
    const base = await dependencies();
    const reordered = await dependencies('gunicorn==23.0.0 ; sys_platform != "win32"\nflask==3.1.0\nclick==8.1.8\n');
    expect(normalized(reordered.requirements)).not.toEqual(normalized(base.requirements));
    expect(dependencyHash(inputs(reordered))).toBe(dependencyHash(inputs(base)));

    const twoConstraints = await dependencies(REQUIREMENTS, 'werkzeug==3.1.3\nmarkupsafe==3.0.2\n');
    const swapped = await dependencies(REQUIREMENTS, 'markupsafe==3.0.2\nwerkzeug==3.1.3\n');
    expect(dependencyHash(inputs(swapped))).toBe(dependencyHash(inputs(twoConstraints)));

    const packages = inputs(base, { wheelPackages: ['libpq-dev', 'libffi-dev'] });
    expect(dependencyHash({ ...packages, wheelPackages: ['libffi-dev', 'libpq-dev'] })).toBe(dependencyHash(packages));
  });

  it('does not depend on formatting, comments, includes or whitespace in the requirement files', async () => {
    const [a, b] = await Promise.all(
      ['formatted-a', 'formatted-b'].map(async (name) => readDependencies(project(name), await findDependencyFiles(project(name))))
    );
    if (!a || !b) throw new Error('both fixture projects are read');
    expect(a.files).toEqual(['requirements.txt']);
    expect(b.files).toEqual(['requirements.txt', 'requirements/base.txt']);
    expect(normalized(b.requirements).sort()).toEqual(normalized(a.requirements).sort());
    expect(dependencyHash(inputs(b))).toBe(dependencyHash(inputs(a)));
    expect(wheelhouseKeys(inputs(b))).toEqual(wheelhouseKeys(inputs(a)));
  });

  it.each([
    ['a pin changes', async () => inputs(await dependencies(REQUIREMENTS.replace('click==8.1.8', 'click==8.1.7')))],
    ['a requirement is added', async () => inputs(await dependencies(`${REQUIREMENTS}itsdangerous==2.2.0\n`))],
    ['an extra is added', async () => inputs(await dependencies(REQUIREMENTS.replace('flask==', 'flask[async]==')))],
    ['a marker changes', async () => inputs(await dependencies(REQUIREMENTS.replace('!= "win32"', '== "linux"')))],
    ['a constraint changes', async () => inputs(await dependencies(REQUIREMENTS, 'werkzeug==3.1.2\n'))],
    [
      'a requirement becomes a constraint',
      async () => inputs(await dependencies('click==8.1.8\nflask==3.1.0\n', `${CONSTRAINTS}gunicorn==23.0.0 ; sys_platform != "win32"\n`))
    ],
    [
      'an index option is added',
      async () => inputs(await dependencies(`--extra-index-url https://wheels.example.com/simple\n${REQUIREMENTS}`))
    ],
    ['the wheel image changes', async () => inputs(await dependencies(), { wheelImage: 'python:3.11-slim-bookworm' })],
    [
      'the wheel image digest changes',
      async () => inputs(await dependencies(), { wheelImage: `python:3.11-bookworm@sha256:${'1'.repeat(64)}` })
    ],
    ['a wheel package is added', async () => inputs(await dependencies(), { wheelPackages: ['libpq-dev', 'libffi-dev'] })],
    ['the wheel packages are dropped', async () => inputs(await dependencies(), { wheelPackages: [] })]
  ])('changes when %s', async (_, changed) => {
    const base = inputs(await dependencies());
    const other = await changed();
    expect(dependencyHash(other)).not.toBe(dependencyHash(base));
    expect(wheelhouseKeys(other).primary).not.toBe(wheelhouseKeys(base).primary);
    expect(pipCacheKeys(other).primary).not.toBe(pipCacheKeys(base).primary);
    // the restore keys still find the previous wheelhouse
    expect(wheelhouseKeys(other).restore).toEqual(wheelhouseKeys(base).restore);
  });
});

describe('credentials and the key', () => {
  const withIndex = (url: string): Promise<DependencySet> => dependencies(`--extra-index-url ${url}\n${REQUIREMENTS}`);

  it.each([
    ['a password', 'https://ci:s3cret-1@pypi.example.com/simple', 'https://ci:s3cret-2@pypi.example.com/simple'],
    ['a token', 'https://ghp_AAAAAAAAAAAAAAAA@pypi.example.com/simple', 'https://ghp_BBBBBBBBBBBBBBBB@pypi.example.com/simple'],
    ['a username and password', 'https://ci:s3cret@pypi.example.com/simple', 'https://deploy:other@pypi.example.com/simple'],
    ['a password containing @', 'https://ci:p@ss-1@pypi.example.com/simple', 'https://ci:p@ss-2@pypi.example.com/simple']
  ])('changing only %s of an index URL keeps the key, which never holds it', async (_, first, second) => {
    const [a, b] = [await withIndex(first), await withIndex(second)];
    expect(a.options[0]?.text).toBe(`--extra-index-url ${first}`); // pip still gets the credentials
    expect(wheelhouseKeys(inputs(b))).toEqual(wheelhouseKeys(inputs(a)));
    expect(pipCacheKeys(inputs(b))).toEqual(pipCacheKeys(inputs(a)));
    const keyed = JSON.stringify(
      [a, b].map((set) => [wheelhouseKeys(inputs(set)), pipCacheKeys(inputs(set)), set.options.map((l) => l.normalized)])
    );
    for (const secret of ['s3cret', 'p@ss', 'ghp_', 'deploy', 'ci:']) expect(keyed).not.toContain(secret);
  });

  it('changing only the token of a direct URL requirement keeps the key', async () => {
    const [a, b] = await Promise.all(
      ['AAAA', 'BBBB'].map((token) => dependencies(`${REQUIREMENTS}mylib @ git+https://ghp_${token}@github.com/acme/mylib.git@v1.2.0\n`))
    );
    if (!a || !b) throw new Error('both sets are read');
    expect(normalized(a.requirements)).toContain('mylib @ git+https://***@github.com/acme/mylib.git@v1.2.0');
    expect(wheelhouseKeys(inputs(b)).primary).toBe(wheelhouseKeys(inputs(a)).primary);
  });

  it('changes the key when the index host or path changes', async () => {
    const base = wheelhouseKeys(inputs(await withIndex('https://ci:s3cret@pypi.example.com/simple'))).primary;
    expect(wheelhouseKeys(inputs(await withIndex('https://ci:s3cret@pypi.example.org/simple'))).primary).not.toBe(base);
    expect(wheelhouseKeys(inputs(await withIndex('https://ci:s3cret@pypi.example.com/other/simple'))).primary).not.toBe(base);
  });
});

describe('repairedKeys: where a wheelhouse goes when the entry of its key was spoiled', () => {
  const keys = {
    primary: 'wheelhouse-v1-linux-amd64-cp311-glibc2.36-pip-77b2',
    restore: ['wheelhouse-v1-linux-amd64-cp311-glibc2.36-pip-']
  };

  it.each([
    ['4242-1-a1b2c3', 'wheelhouse-v1-linux-amd64-cp311-glibc2.36-pip-77b2-repaired-4242-1-a1b2c3'],
    ['run/with spaces', 'wheelhouse-v1-linux-amd64-cp311-glibc2.36-pip-77b2-repaired-run_with_spaces']
  ])('run %s → %s', (run, primary) => {
    expect(repairedKeys(keys, run)).toEqual({ primary, restore: ['wheelhouse-v1-linux-amd64-cp311-glibc2.36-pip-77b2-repaired-'] });
  });

  it('is still found by the restore keys of its dependency set’s target (a partial hit elsewhere)', () => {
    expect(repairedKeys(keys, '1').primary.startsWith(keys.restore[0]!)).toBe(true);
  });
});
