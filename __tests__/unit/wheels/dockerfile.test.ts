// The wheel build's Dockerfile and the files of its wheel-inputs context: requirement lines never reach
// the Dockerfile; lines with credentials go to a secret that the requirements file includes.
import { describe, expect, it } from '@jest/globals';
import { hasCredentials } from '../../../src/keys/requirements.js';
import { baseImage } from '../../../src/target/dockerfile.js';
import { pythonCheckStep } from '../../../src/target/probe.js';
import { CONTEXTS, PRIVATE_SECRET, type WheelBuildPlan, wheelDockerfile, wheelInputs } from '../../../src/wheels/dockerfile.js';

const PLAN: WheelBuildPlan = {
  wheelImage: 'python:3.12-bookworm',
  pythonTag: 'cp312',
  wheelPackages: [],
  hasConstraints: false,
  hasPrivate: false,
  pipCache: false
};

const ENV = 'ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_INPUT=1';
const MOUNTS =
  '--mount=type=bind,from=wheel-inputs,target=/wheel-inputs --mount=type=bind,from=wheelhouse-previous,target=/wheelhouse-previous';

// the system libraries of the wheels built there, traced to their packages (see runtime.ts)
const RUNTIME =
  'RUN --mount=type=bind,from=wheel-inputs,target=/wheel-inputs python3 /wheel-inputs/runtime-libraries.py /out/wheelhouse /out/runtime-libraries.json';

describe('wheelDockerfile', () => {
  it('the smallest plan, whole', () => {
    expect(wheelDockerfile(PLAN)).toBe(
      [
        'FROM python:3.12-bookworm AS build',
        pythonCheckStep('cp312'),
        ENV,
        `RUN ${MOUNTS} \\`,
        '    mkdir -p /out/wheelhouse /root/.cache/pip && python3 -m pip wheel --wheel-dir /out/wheelhouse --find-links /wheelhouse-previous --no-cache-dir -r /wheel-inputs/requirements.txt',
        RUNTIME,
        'FROM scratch',
        'COPY --from=build /out/wheelhouse /wheelhouse',
        'COPY --from=build /out/runtime-libraries.json /runtime-libraries.json',
        ''
      ].join('\n')
    );
  });

  it('the largest plan, whole', () => {
    expect(
      wheelDockerfile({
        wheelImage: '127.0.0.1:5000/python:3.11-local',
        pythonTag: 'cp311',
        wheelPackages: ['libpq-dev', 'gcc'],
        hasConstraints: true,
        hasPrivate: true,
        pipCache: true
      })
    ).toBe(
      [
        'FROM 127.0.0.1:5000/python:3.11-local AS build',
        pythonCheckStep('cp311'),
        ENV,
        'RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpq-dev gcc && rm -rf /var/lib/apt/lists/*',
        'COPY --from=pip-cache-previous / /root/.cache/pip/',
        `RUN ${MOUNTS} --mount=type=secret,id=wheelhouse-pip-private,required=true \\`,
        '    mkdir -p /out/wheelhouse /root/.cache/pip && python3 -m pip wheel --wheel-dir /out/wheelhouse --find-links /wheelhouse-previous --cache-dir /root/.cache/pip -r /wheel-inputs/requirements.txt -c /wheel-inputs/constraints.txt' +
          ' && rm -rf /root/.cache/pip/http /root/.cache/pip/http-v2',
        RUNTIME,
        'FROM scratch',
        'COPY --from=build /out/wheelhouse /wheelhouse',
        'COPY --from=build /out/runtime-libraries.json /runtime-libraries.json',
        'COPY --from=build /root/.cache/pip /pip-cache',
        ''
      ].join('\n')
    );
  });

  it.each<[string, Partial<WheelBuildPlan>, string[], string[]]>([
    ['no wheel-packages: no apt-get', {}, [], ['apt-get']],
    [
      'wheel-packages: one apt-get install',
      { wheelPackages: ['libpq-dev', 'libffi-dev=3.4.4-1'] },
      [
        'RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpq-dev libffi-dev=3.4.4-1 && rm -rf /var/lib/apt/lists/*'
      ],
      []
    ],
    ['constraints', { hasConstraints: true }, [' -r /wheel-inputs/requirements.txt -c /wheel-inputs/constraints.txt'], []],
    ['no constraints', {}, [], ['constraints.txt', ' -c ']],
    ['private lines: a required secret mount', { hasPrivate: true }, [`--mount=type=secret,id=${PRIVATE_SECRET},required=true`], []],
    ['no private lines: no secret', {}, [], ['type=secret']],
    [
      'pip cache on: restored, used, its HTTP cache pruned (the wheelhouse keeps those files), exported',
      { pipCache: true },
      [
        `COPY --from=${CONTEXTS.pipCache} / /root/.cache/pip/`,
        '--cache-dir /root/.cache/pip',
        ' && rm -rf /root/.cache/pip/http /root/.cache/pip/http-v2\n',
        'COPY --from=build /root/.cache/pip /pip-cache'
      ],
      ['--no-cache-dir']
    ],
    ['pip cache off', { pipCache: false }, ['--no-cache-dir'], [CONTEXTS.pipCache, '--cache-dir', '/pip-cache', 'rm -rf /root/.cache/pip']]
  ])('%s', (_, plan, present, absent) => {
    const dockerfile = wheelDockerfile({ ...PLAN, ...plan });
    for (const text of present) expect(dockerfile).toContain(text);
    for (const text of absent) expect(dockerfile).not.toContain(text);
  });

  it('builds the wheels in the wheel image and exports a scratch stage', () => {
    const dockerfile = wheelDockerfile({ ...PLAN, wheelImage: 'python:3.12-slim-bookworm' });
    expect(baseImage(dockerfile, 'build')).toBe('python:3.12-slim-bookworm');
    expect(baseImage(dockerfile)).toBeUndefined();
    expect(dockerfile.endsWith('\n')).toBe(true);
  });

  it('holds no requirement text, whatever the dependency set', () => {
    const requirements = [{ text: 'psycopg2==2.9.9' }, { text: 'private-lib @ https://deploy:s3cr3t@git.example.com/lib.tar.gz' }];
    const constraints = [{ text: 'numpy<2' }];
    const options = [{ text: '--extra-index-url https://__token__:pypi-AgEI@pypi.example.com/simple' }];
    const files = wheelInputs(requirements, constraints, options, hasCredentials);
    const dockerfile = wheelDockerfile({
      ...PLAN,
      wheelPackages: ['libpq-dev'],
      hasConstraints: files.constraints !== '',
      hasPrivate: files.private !== '',
      pipCache: true
    });
    for (const text of ['psycopg2', 'private-lib', 's3cr3t', 'numpy', 'extra-index-url', 'pypi-AgEI', 'example.com']) {
      expect(dockerfile).not.toContain(text);
    }
    expect(dockerfile).toContain('-c /wheel-inputs/constraints.txt');
    expect(dockerfile).toContain(`id=${PRIVATE_SECRET}`);
  });
});

describe('wheelInputs', () => {
  const secret = (text: string): boolean => text.includes('@');

  it.each<[string, string[], string[], string[], { requirements: string; constraints: string; private: string }]>([
    ['nothing', [], [], [], { requirements: '', constraints: '', private: '' }],
    [
      'requirements only',
      ['flask==3.0.3', 'psycopg2==2.9.9'],
      [],
      [],
      { requirements: 'flask==3.0.3\npsycopg2==2.9.9\n', constraints: '', private: '' }
    ],
    [
      'options first, then requirements; constraints apart',
      ['flask==3.0.3'],
      ['werkzeug<4', 'click>=8'],
      ['--index-url https://pypi.org/simple', '--only-binary :all:'],
      {
        requirements: '--index-url https://pypi.org/simple\n--only-binary :all:\nflask==3.0.3\n',
        constraints: 'werkzeug<4\nclick>=8\n',
        private: ''
      }
    ],
    [
      'private lines go to the secret, included first',
      ['flask==3.0.3', 'lib @ https://u:p@git.example.com/lib.tar.gz'],
      [],
      ['--extra-index-url https://token@pypi.example.com/simple'],
      {
        requirements: `-r /run/secrets/${PRIVATE_SECRET}\nflask==3.0.3\n`,
        constraints: '',
        private: '--extra-index-url https://token@pypi.example.com/simple\nlib @ https://u:p@git.example.com/lib.tar.gz\n'
      }
    ],
    [
      'only private lines',
      ['lib @ https://u:p@git.example.com/lib.tar.gz'],
      ['six==1.16.0'],
      [],
      {
        requirements: `-r /run/secrets/${PRIVATE_SECRET}\n`,
        constraints: 'six==1.16.0\n',
        private: 'lib @ https://u:p@git.example.com/lib.tar.gz\n'
      }
    ]
  ])('%s', (_, requirements, constraints, options, expected) => {
    const lines = (texts: string[]): { text: string }[] => texts.map((text) => ({ text }));
    expect(wheelInputs(lines(requirements), lines(constraints), lines(options), secret)).toEqual(expected);
  });

  it('with the real credential check: a token in an index URL is private, a plain URL is not', () => {
    const files = wheelInputs(
      [{ text: 'requests==2.32.3' }],
      [],
      [{ text: '--index-url https://pypi.org/simple' }, { text: '--extra-index-url https://user:pa55@pypi.example.com/simple' }],
      hasCredentials
    );
    expect(files.requirements).toBe(`-r /run/secrets/${PRIVATE_SECRET}\n--index-url https://pypi.org/simple\nrequests==2.32.3\n`);
    expect(files.private).toBe('--extra-index-url https://user:pa55@pypi.example.com/simple\n');
    expect(files.requirements).not.toContain('pa55');
  });

  it('the secret is where the Dockerfile mounts it', () => {
    const files = wheelInputs([{ text: 'x @ https://t@h/x.tar.gz' }], [], [], secret);
    expect(files.requirements.split('\n')[0]).toBe(`-r /run/secrets/${PRIVATE_SECRET}`);
    expect(wheelDockerfile({ ...PLAN, hasPrivate: true })).toContain(`--mount=type=secret,id=${PRIVATE_SECRET},`);
  });
});

describe('wheelDockerfile: the binary-only first attempt', () => {
  it('asks pip for binary wheels only, and installs no packages', () => {
    const text = wheelDockerfile({ ...PLAN, wheelPackages: [], onlyBinary: true });
    expect(text).toContain('--find-links /wheelhouse-previous --only-binary :all: --no-cache-dir');
    expect(text).not.toContain('apt-get');
  });

  it('leaves binary-only out otherwise', () => {
    expect(wheelDockerfile(PLAN)).not.toContain('--only-binary');
  });
});

describe('wheelDockerfile: offline first', () => {
  const OFFLINE =
    'python3 -m pip wheel --wheel-dir /out/wheelhouse --find-links /wheelhouse-previous --no-index --find-links /out/missing --no-cache-dir -r /wheel-inputs/requirements.txt';
  // what was fetched first is found again when the whole set goes to the index
  const FETCHED_ONLINE =
    'python3 -m pip wheel --wheel-dir /out/wheelhouse --find-links /wheelhouse-previous --find-links /out/missing --no-cache-dir -r /wheel-inputs/requirements.txt';
  const FALLBACK = `{ echo 'wheelhouse-buildx: not every requirement resolves from the wheelhouse; resolving against the index'; rm -rf /out/wheelhouse/*; ${FETCHED_ONLINE}; }`;

  it('fetches the missing pins from the index, then resolves the whole set offline, the index only when that fails', () => {
    const text = wheelDockerfile({ ...PLAN, fetch: { checked: false, missing: true, offline: true } });
    expect(text).toContain(
      '    mkdir -p /out/wheelhouse /root/.cache/pip && mkdir -p /out/missing && ' +
        'python3 -m pip wheel --wheel-dir /out/missing --find-links /wheelhouse-previous --find-links /out/missing --no-cache-dir -r /wheel-inputs/missing.txt && ' +
        `{ ${OFFLINE} || ${FALLBACK}; }\n`
    );
  });

  it('with nothing missing, resolves offline straight away', () => {
    const text = wheelDockerfile({ ...PLAN, fetch: { checked: false, missing: false, offline: true } });
    expect(text).toContain(`&& mkdir -p /out/missing && { ${OFFLINE} || ${FALLBACK}; }\n`);
    expect(text).not.toContain('missing.txt');
  });

  it('keeps binary-only and constraints in every pip run', () => {
    const text = wheelDockerfile({
      ...PLAN,
      onlyBinary: true,
      hasConstraints: true,
      fetch: { checked: false, missing: true, offline: true }
    });
    const runs = text.split('python3 -m pip wheel').slice(1);
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(run).toContain('--only-binary :all:');
      expect(run).toContain('-c /wheel-inputs/constraints.txt');
    }
  });

  it('exports only the resolved wheelhouse, never the fetched pins apart', () => {
    const text = wheelDockerfile({ ...PLAN, fetch: { checked: false, missing: true, offline: true } });
    expect(text).toContain('COPY --from=build /out/wheelhouse /wheelhouse');
    expect(text).not.toContain('COPY --from=build /out/missing');
  });

  it('the lines with hashes: checked on their own without dependencies, before the pins without hashes and the whole set', () => {
    const text = wheelDockerfile({ ...PLAN, hasConstraints: true, fetch: { checked: true, missing: true, offline: true } });
    const CHECKED = 'python3 -m pip wheel --wheel-dir /out/missing --no-deps --no-cache-dir -r /wheel-inputs/checked.txt';
    const MISSING =
      'python3 -m pip wheel --wheel-dir /out/missing --find-links /wheelhouse-previous --find-links /out/missing --no-cache-dir -r /wheel-inputs/missing.txt -c /wheel-inputs/constraints.txt';
    expect(text).toContain(`&& mkdir -p /out/missing && ${CHECKED} && ${MISSING} && { `);
  });

  it('a set that is not all pins goes to the index as a whole after the check, finding the checked wheels there', () => {
    const text = wheelDockerfile({ ...PLAN, fetch: { checked: true, missing: false, offline: false } });
    expect(text).toContain(
      '&& mkdir -p /out/missing && python3 -m pip wheel --wheel-dir /out/missing --no-deps --no-cache-dir -r /wheel-inputs/checked.txt && ' +
        `${FETCHED_ONLINE}\n`
    );
    expect(text).not.toContain('--no-index');
  });
});
