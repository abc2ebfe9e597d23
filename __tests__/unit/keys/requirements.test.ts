// Requirement files as the wheelhouse reads them: includes, comments and continuations, what is left
// out, index options, hashes, errors; the normalised form of a requirement; credential redaction.
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { DependencyError, emptySet } from '../../../src/keys/model.js';
import {
  credentialsIn,
  hasCredentials,
  logicalLines,
  normalizeRequirement,
  readRequirementsFile,
  redact
} from '../../../src/keys/requirements.js';
import { ROOT, caught, display, memoryFiles, normalized, readMemory, texts } from './helpers.js';

const HASH_A = `sha256:${'a'.repeat(64)}`;
const HASH_B = `sha256:${'b'.repeat(64)}`;

describe('readRequirementsFile: includes', () => {
  it('follows -r and -c includes relative to the including file, nested, depth first', async () => {
    const set = await readMemory({
      'requirements.txt': '-r requirements/base.txt\n-c constraints/pins.txt\nflask==3.1.0\n',
      'requirements/base.txt': '-r ../common/shared.txt\nclick==8.1.8\n',
      'common/shared.txt': '--requirement=more.txt\nitsdangerous==2.2.0\n',
      'common/more.txt': 'blinker==1.9.0\n',
      'constraints/pins.txt': 'werkzeug==3.1.3\n-r extra.txt\n',
      'constraints/extra.txt': 'markupsafe==3.0.2\n'
    });
    expect(set.files).toEqual([
      'requirements.txt',
      'requirements/base.txt',
      'common/shared.txt',
      'common/more.txt',
      'constraints/pins.txt',
      'constraints/extra.txt'
    ]);
    expect(normalized(set.requirements)).toEqual(['blinker==1.9.0', 'itsdangerous==2.2.0', 'click==8.1.8', 'flask==3.1.0']);
    // a file included from a constraints file is itself a constraints file
    expect(normalized(set.constraints)).toEqual(['werkzeug==3.1.3', 'markupsafe==3.0.2']);
  });

  it.each<[string, 'requirements' | 'constraints']>([
    ['-r base.txt', 'requirements'],
    ['--requirement base.txt', 'requirements'],
    ['--requirement=base.txt', 'requirements'],
    ['-c base.txt', 'constraints'],
    ['--constraint base.txt', 'constraints'],
    ['--constraint=base.txt', 'constraints']
  ])('%s includes base.txt as %s', async (include, kind) => {
    const set = await readMemory({ 'requirements.txt': `${include}\n`, 'base.txt': 'click==8.1.8\n' });
    expect(set.files).toEqual(['requirements.txt', 'base.txt']);
    expect(normalized(set[kind])).toEqual(['click==8.1.8']);
    expect(set[kind === 'requirements' ? 'constraints' : 'requirements']).toEqual([]);
  });

  it('reads a constraints file given as the entry into the constraints', async () => {
    const set = await readMemory({ 'constraints.txt': 'urllib3>=2.2.2\n' }, 'constraints.txt', 'constraints');
    expect(normalized(set.constraints)).toEqual(['urllib3>=2.2.2']);
    expect(set.requirements).toEqual([]);
  });

  it('does not loop on include cycles and reads each file once', async () => {
    const { readFile, reads } = memoryFiles({
      'requirements.txt': '-r requirements.txt\n-r a.txt\nflask==3.1.0\n',
      'a.txt': '-r b.txt\nclick==8.1.8\n',
      'b.txt': '-r a.txt\n-r ./requirements.txt\nblinker==1.9.0\n'
    });
    const set = await readRequirementsFile(path.join(ROOT, 'requirements.txt'), 'requirements', readFile, display, emptySet());
    expect(set.files).toEqual(['requirements.txt', 'a.txt', 'b.txt']);
    expect(normalized(set.requirements)).toEqual(['blinker==1.9.0', 'click==8.1.8', 'flask==3.1.0']);
    expect(Object.fromEntries(reads)).toEqual({ 'requirements.txt': 1, 'a.txt': 1, 'b.txt': 1 });
  });

  it('fails naming the included file when it cannot be read', async () => {
    const error = await caught(() => readMemory({ 'requirements.txt': 'flask==3.1.0\n-r requirements/missing.txt\n' }));
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.message).toBe('requirements/missing.txt: cannot be read');
  });
});

describe('readRequirementsFile: comments, blank lines and continuations', () => {
  it('drops comments and blank lines and joins continued lines', async () => {
    const set = await readMemory({
      'requirements.txt': [
        '# Runtime dependencies',
        '',
        'flask==3.1.0   # the web framework',
        '    # an indented comment',
        '   ',
        'click \\',
        '    ==8.1.8',
        'gunicorn==23.0.0 \\',
        '    ; sys_platform != "win32"',
        `wheel-pkg @ https://files.example.com/wheel_pkg-1.0-py3-none-any.whl#sha256=${'c'.repeat(64)}`,
        ''
      ].join('\n')
    });
    expect(normalized(set.requirements)).toEqual([
      'flask==3.1.0',
      'click==8.1.8',
      'gunicorn==23.0.0;sys_platform != "win32"',
      // a # inside a URL is not a comment
      `wheel-pkg @ https://files.example.com/wheel_pkg-1.0-py3-none-any.whl#sha256=${'c'.repeat(64)}`
    ]);
    expect(set.skipped).toEqual([]);
  });

  it('keeps the requirement after a commented-out continued line (pip never continues a comment line)', async () => {
    const set = await readMemory({
      'requirements.txt': '# old-pkg==1.0 \\\nrequests==2.32.3\n    # legacy==2.0 \\\nflask==3.1.0\n'
    });
    expect(normalized(set.requirements)).toEqual(['requests==2.32.3', 'flask==3.1.0']);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n']
  ])('gives each logical line the number of its first physical line (%s)', (_, eol) => {
    const text = [
      '# header',
      '',
      'flask==3.1.0 \\',
      '    --hash=sha256:aa \\',
      '    --hash=sha256:bb',
      'click==8.1.8  # pinned',
      'tail \\'
    ].join(eol);
    expect(logicalLines(text).map((l) => ({ ...l, text: l.text.replace(/\s+/g, ' ') }))).toEqual([
      { text: 'flask==3.1.0 --hash=sha256:aa --hash=sha256:bb', lineNo: 3 },
      { text: 'click==8.1.8', lineNo: 6 },
      { text: 'tail', lineNo: 7 }
    ]);
  });
});

describe('readRequirementsFile: what is left out of the wheelhouse', () => {
  it.each([
    ['-e .', 'requirements.txt:2: -e . (editable)'],
    ['--editable ./libs/mylib', 'requirements.txt:2: --editable ./libs/mylib (editable)'],
    [
      '--editable=git+https://ci:s3cret@github.com/acme/lib.git#egg=lib',
      'requirements.txt:2: --editable=git+https://***@github.com/acme/lib.git#egg=lib (editable)'
    ],
    ['./libs/mylib', 'requirements.txt:2: ./libs/mylib (a local path)'],
    ['../shared', 'requirements.txt:2: ../shared (a local path)'],
    ['/opt/src/mylib', 'requirements.txt:2: /opt/src/mylib (a local path)'],
    ['~/src/mylib', 'requirements.txt:2: ~/src/mylib (a local path)'],
    ['file:///opt/src/mylib', 'requirements.txt:2: file:///opt/src/mylib (a local path)'],
    ['dist/mylib-0.1.0-py3-none-any.whl', 'requirements.txt:2: dist/mylib-0.1.0-py3-none-any.whl (a local path)'],
    ['vendor/tool-1.2.0.tar.gz', 'requirements.txt:2: vendor/tool-1.2.0.tar.gz (a local path)'],
    ['vendor/tool-1.2.0.zip', 'requirements.txt:2: vendor/tool-1.2.0.zip (a local path)'],
    ['-f ./wheels', 'requirements.txt:2: -f ./wheels (a local folder is not in the wheel build)'],
    ['--find-links=/opt/wheels', 'requirements.txt:2: --find-links=/opt/wheels (a local folder is not in the wheel build)']
  ])('%s is skipped', async (line, skipped) => {
    const set = await readMemory({ 'requirements.txt': `flask==3.1.0\n${line}\n` });
    expect(set.skipped).toEqual([skipped]);
    expect(normalized(set.requirements)).toEqual(['flask==3.1.0']);
    expect(set.options).toEqual([]);
    expect(set.constraints).toEqual([]);
  });
});

describe('readRequirementsFile: index options', () => {
  it.each([
    ['--index-url https://pypi.org/simple', '--index-url https://pypi.org/simple'],
    ['--index-url=https://pypi.org/simple', '--index-url https://pypi.org/simple'],
    ['-i https://ci:s3cret@pypi.example.com/simple', '-i https://***@pypi.example.com/simple'],
    [
      '--extra-index-url=https://__token__:pypi-AgEIcHlwaS5vcmc@pypi.example.com/simple/',
      '--extra-index-url https://***@pypi.example.com/simple/'
    ],
    ['-f https://download.pytorch.org/whl/torch_stable.html', '-f https://download.pytorch.org/whl/torch_stable.html'],
    ['--find-links https://deploy:tok@wheels.example.com/links/', '--find-links https://***@wheels.example.com/links/'],
    ['--trusted-host pypi.example.com', '--trusted-host pypi.example.com'],
    ['--no-index', '--no-index'],
    ['--pre', '--pre'],
    ['--prefer-binary', '--prefer-binary'],
    ['--only-binary :all:', '--only-binary :all:'],
    ['--no-binary=psycopg', '--no-binary psycopg']
  ])('%s is kept as an option', async (line, expected) => {
    const set = await readMemory({ 'requirements.txt': `${line}\nflask==3.1.0\n` });
    expect(set.options).toEqual([{ text: line, normalized: expected }]);
    expect(normalized(set.requirements)).toEqual(['flask==3.1.0']);
    expect(set.skipped).toEqual([]);
  });

  it('keeps the credentials in the text pip gets and never in the normalised form', async () => {
    const set = await readMemory({
      'requirements.txt':
        '--index-url https://ci:s3cret@pypi.example.com/simple\n--extra-index-url https://ghp_T0KEN@wheels.example.com/simple\n'
    });
    expect(texts(set.options)).toEqual([
      '--index-url https://ci:s3cret@pypi.example.com/simple',
      '--extra-index-url https://ghp_T0KEN@wheels.example.com/simple'
    ]);
    for (const { normalized: n } of set.options) {
      expect(n).not.toMatch(/s3cret|ci:|ghp_T0KEN/);
      expect(redact(n)).toBe(n);
      expect(hasCredentials(n)).toBe(false);
    }
  });
});

describe('readRequirementsFile: hashes', () => {
  it('keeps --hash options and sorts them in the normalised form', async () => {
    const set = await readMemory({
      'requirements.txt': `flask==3.1.0 \\\n    --hash=${HASH_B} \\\n    --hash=${HASH_A}\n    # via -r requirements.in\nclick==8.1.8 --hash ${HASH_B} --hash ${HASH_A}\n`
    });
    expect(set.requirements.map((l) => l.text.split(/\s+/))).toEqual([
      ['flask==3.1.0', `--hash=${HASH_B}`, `--hash=${HASH_A}`],
      ['click==8.1.8', '--hash', HASH_B, '--hash', HASH_A]
    ]);
    expect(normalized(set.requirements)).toEqual([
      `flask==3.1.0 --hash=${HASH_A} --hash=${HASH_B}`,
      `click==8.1.8 --hash=${HASH_A} --hash=${HASH_B}`
    ]);
  });
});

describe('readRequirementsFile: errors name the file and line', () => {
  it.each([
    ['--use-pep517', /^requirements\.txt:3: the option --use-pep517 is not supported in a wheelhouse build$/],
    ['--no-deps', /^requirements\.txt:3: the option --no-deps is not supported/],
    ['--src=./vendor', /^requirements\.txt:3: the option --src is not supported/],
    ['-r', /^requirements\.txt:3: -r needs a file$/],
    ['flask>=3.1 werkzeug', /^requirements\.txt:3: cannot parse 'flask>=3\.1 werkzeug' \(.+\)$/],
    ['==3.1.0', /^requirements\.txt:3: cannot parse '==3\.1\.0'/],
    ['requests[socks', /^requirements\.txt:3: cannot parse 'requests\[socks'/],
    [
      'https://files.example.com/pkg-1.0-py3-none-any.whl',
      /^requirements\.txt:3: cannot parse 'https:\/\/files\.example\.com\/pkg-1\.0-py3-none-any\.whl'/
    ]
  ])('%s throws a DependencyError', async (line, message) => {
    const error = await caught(() => readMemory({ 'requirements.txt': `flask==3.1.0\n# pinned below\n${line}\n` }));
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.message).toMatch(message);
  });

  it('names the included file and its own line number', async () => {
    const error = await caught(() =>
      readMemory({
        'requirements.txt': 'flask==3.1.0\n-r requirements/base.txt\n',
        'requirements/base.txt': '\nclick==8.1.8\n--use-pep517\n'
      })
    );
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.message).toMatch(/^requirements\/base\.txt:3: the option --use-pep517/);
  });

  it('redacts credentials in the message of an unparsable line', async () => {
    const error = await caught(() => readMemory({ 'requirements.txt': 'mylib @ https://ci:s3cret@files.example.com/mylib.whl junk\n' }));
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.message).toContain("cannot parse 'mylib @ https://***@files.example.com/mylib.whl junk'");
    expect(error.message).not.toContain('s3cret');
  });
});

describe('normalizeRequirement', () => {
  it.each([
    // name: PEP 503 (case, runs of - _ . become one -)
    ['Flask', 'flask'],
    ['Django_REST.framework>=3.15', 'django-rest-framework>=3.15'],
    ['zope.interface==7.2', 'zope-interface==7.2'],
    ['ruamel.yaml.clib__.x', 'ruamel-yaml-clib-x'],
    // extras: normalised and sorted
    ['requests[socks,Security]>=2.32', 'requests[security,socks]>=2.32'],
    ['uvicorn[Standard_Extra]', 'uvicorn[standard-extra]'],
    // specifiers: sorted, whitespace removed, parenthesised form accepted
    ['requests >= 2.32 , < 3', 'requests<3,>=2.32'],
    ['numpy (>=1.26,<2)', 'numpy<2,>=1.26'],
    ['django == 5.1.*', 'django==5.1.*'],
    ['attrs~=24.2', 'attrs~=24.2'],
    ['urllib3!=2.0.0,>=1.26', 'urllib3!=2.0.0,>=1.26'],
    // markers: whitespace collapsed, no space around the ;
    ['pywin32 ; sys_platform == "win32"', 'pywin32;sys_platform == "win32"'],
    [
      'tomli>=2.0;   python_version  <  "3.11"   and  implementation_name == "cpython"',
      'tomli>=2.0;python_version < "3.11" and implementation_name == "cpython"'
    ],
    ['Pkg[B,a] >=1.0 ; python_version >= "3.11"', 'pkg[a,b]>=1.0;python_version >= "3.11"'],
    // URL requirements: credentials redacted
    ['mylib @ https://files.example.com/mylib-1.0-py3-none-any.whl', 'mylib @ https://files.example.com/mylib-1.0-py3-none-any.whl'],
    [
      'MyLib @ https://ci:s3cret@files.example.com/mylib-1.0-py3-none-any.whl',
      'mylib @ https://***@files.example.com/mylib-1.0-py3-none-any.whl'
    ],
    ['lib @ git+https://ghp_abc123@github.com/acme/lib.git@v1.2.0', 'lib @ git+https://***@github.com/acme/lib.git@v1.2.0'],
    // hashes: sorted, = form
    [`flask==3.1.0 --hash=${HASH_B} --hash ${HASH_A}`, `flask==3.1.0 --hash=${HASH_A} --hash=${HASH_B}`]
  ])('%s → %s', (text, expected) => {
    const line = normalizeRequirement(text, 'requirements.txt:1');
    expect(line.normalized).toBe(expected);
    expect(line.text).toBe(text);
    expect(line.name).toBe(expected.split(/[[<>=!~;@ ]/)[0]);
  });

  it.each([
    ['Flask_Login >= 0.6.3', 'flask-login>=0.6.3'],
    ['requests [ socks , security ] < 3 , >= 2.32', 'requests[security,socks]<3,>=2.32'],
    ['requests[Security,Socks]>=2.32,<3', 'requests[security,socks]<3,>=2.32']
  ])('%s is the same requirement as %s', (a, b) => {
    expect(normalizeRequirement(a, 'a.txt:1').normalized).toBe(normalizeRequirement(b, 'b.txt:1').normalized);
  });

  it('throws a DependencyError naming where the line stands', () => {
    expect(() => normalizeRequirement('flask >= ', 'pyproject.toml:project.dependencies[2]')).toThrow(DependencyError);
    expect(() => normalizeRequirement('flask >= ', 'pyproject.toml:project.dependencies[2]')).toThrow(
      /^pyproject\.toml:project\.dependencies\[2\]: cannot parse 'flask >= '/
    );
  });
});

describe('redact and hasCredentials', () => {
  it.each([
    ['https://ci:s3cret@pypi.example.com/simple', 'https://***@pypi.example.com/simple', true],
    ['https://__token__@pypi.example.com/simple', 'https://***@pypi.example.com/simple', true],
    ['https://ci:s3cret@pypi.example.com:8443/simple', 'https://***@pypi.example.com:8443/simple', true],
    ['git+https://ghp_abc123@github.com/acme/lib.git@v1.2.0', 'git+https://***@github.com/acme/lib.git@v1.2.0', true],
    ['git+ssh://git@github.com/acme/lib.git', 'git+ssh://***@github.com/acme/lib.git', true],
    ['HTTPS://CI:S3CRET@PYPI.EXAMPLE.COM/', 'HTTPS://***@PYPI.EXAMPLE.COM/', true],
    // pip takes the user info up to the last @ of the host part
    ['https://ci:p@ss@pypi.example.com/simple', 'https://***@pypi.example.com/simple', true],
    ['https://ci@corp:p@ss@pypi.example.com', 'https://***@pypi.example.com', true],
    [
      '--index-url https://a:b@one.example.com/simple --extra-index-url https://c:d@two.example.com/simple',
      '--index-url https://***@one.example.com/simple --extra-index-url https://***@two.example.com/simple',
      true
    ],
    ['https://pypi.org/simple', 'https://pypi.org/simple', false],
    ['https://pypi.example.com:8443/simple', 'https://pypi.example.com:8443/simple', false],
    ['lib @ git+https://github.com/acme/lib.git@v1.2.0', 'lib @ git+https://github.com/acme/lib.git@v1.2.0', false],
    ['flask==3.1.0', 'flask==3.1.0', false],
    ['ops@example.com', 'ops@example.com', false],
    ['', '', false]
  ])('%s', (text, expected, secret) => {
    expect(redact(text)).toBe(expected);
    expect(hasCredentials(text)).toBe(secret);
  });
});

describe('credentialsIn: what is masked in the logs', () => {
  it.each<[string, string[]]>([
    ['--extra-index-url https://ci:s3cret@pypi.acme.dev/simple', ['ci:s3cret', 's3cret']],
    ['-i https://__token__:pypi-AgEIc@upload.example/simple', ['__token__:pypi-AgEIc', 'pypi-AgEIc']],
    ['acme-lib @ git+https://ghp_abc123@github.com/acme/lib.git', ['ghp_abc123']],
    ['--find-links https://a:b@x/ https://c:d@y/', ['a:b', 'b', 'c:d', 'd']],
    ['django==5.2', []],
    ['--index-url https://pypi.org/simple', []]
  ])('%s', (line, secrets) => {
    expect(credentialsIn(line)).toEqual(secrets);
  });
});
