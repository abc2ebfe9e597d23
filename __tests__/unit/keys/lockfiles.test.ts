// Lock files: every locked package of the default group becomes `name==version ; marker`; the project
// itself, local and editable packages and other groups are left out.
import { describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type LOCK_FILES, lockKind, readLockFile } from '../../../src/keys/lockfiles.js';
import { DependencyError, emptySet } from '../../../src/keys/model.js';
import { caught, project, texts } from './helpers.js';

/** The requirement lines without the hashes (the tests at the end read those). */
const pins = (lines: Parameters<typeof texts>[0]): string[] => texts(lines).map((t) => t.replace(/ --hash=\S+/g, ''));

type LockKind = (typeof LOCK_FILES)[number];

async function readFixture(dir: string, file: string): Promise<ReturnType<typeof readLockFile>> {
  const kind = lockKind(file);
  if (!kind) throw new Error(`${file} is not a lock file`);
  return readLockFile(kind, await fs.readFile(path.join(project(dir), file), 'utf8'), file, emptySet());
}

describe('readLockFile on real-shaped lock files', () => {
  it.each([
    [
      'poetry',
      'poetry.lock',
      // left out: pytest and iniconfig (groups = ["dev"]), mylib (source type directory)
      ['click==8.1.8', 'colorama==0.4.6 ; platform_system == "Windows"', 'tomli==2.2.1 ; python_version < "3.11"']
    ],
    [
      'uv',
      'uv.lock',
      // left out: myapp (source editable "."), mylib (editable path, its own dependency certifi stays),
      // pytest, pluggy and iniconfig (only in the dev group)
      [
        'certifi==2025.1.31',
        "click==8.1.8 ; sys_platform != 'emscripten'",
        "colorama==0.4.6 ; (sys_platform != 'emscripten') and (sys_platform == 'win32')",
        "gunicorn==23.0.0 ; sys_platform != 'win32'",
        "packaging==24.2 ; sys_platform != 'win32'",
        "waitress==3.0.2 ; sys_platform == 'win32'"
      ]
    ],
    [
      'pdm',
      'pdm.lock',
      // left out: pytest and iniconfig (groups = ["dev"]), mylib (path)
      ['click==8.1.8', 'colorama==0.4.6 ; platform_system == "Windows" or sys_platform == "win32"']
    ],
    [
      'pylock',
      'pylock.toml',
      // left out: myapp and mylib (directory entries)
      ['click==8.1.8', "colorama==0.4.6 ; sys_platform == 'win32'", "waitress==3.0.2 ; sys_platform == 'win32'"]
    ],
    [
      'pipenv',
      'Pipfile.lock',
      // left out: the develop section, mylib (editable), vendored-tool (path)
      [
        "blinker==1.9.0 ; python_version >= '3.9'",
        "click==8.1.8 ; python_version >= '3.7'",
        "colorama==0.4.6 ; platform_system == 'Windows'",
        'flask==3.1.0'
      ]
    ]
  ])('%s/%s', async (dir, file, expected) => {
    const set = await readFixture(dir, file);
    expect(pins(set.requirements)).toEqual(expected);
    expect(set.files).toEqual([file]);
    expect(set.constraints).toEqual([]);
    expect(set.options).toEqual([]);
  });

  it('normalises each locked line for the key: PEP 503 name, no space around the ;', async () => {
    const set = await readFixture('poetry', 'poetry.lock');
    const hashes =
      ' --hash=sha256:82fca2df0d0037b2bb3a488aafaa690ce53ba5729965a70d25256056b3c2dadf' +
      ' --hash=sha256:a1ac7dbd79ffad4cec8e275397da1e3c9cf5bcf3cd6047d9ce943a59b243b3fd';
    expect(set.requirements[1]).toEqual({
      text: `colorama==0.4.6 ; platform_system == "Windows"${hashes}`,
      normalized: `colorama==0.4.6;platform_system == "Windows"${hashes}`,
      name: 'colorama'
    });
  });

  it('sorts packages by normalised name and keeps the lock file spelling in the text', () => {
    const set = readLockFile(
      'pdm.lock',
      `[[package]]
name = "Zope.Interface"
version = "7.2"
groups = ["default"]

[[package]]
name = "markupsafe"
version = "3.0.2"
groups = ["default"]

[[package]]
name = "Jinja2"
version = "3.1.5"
groups = ["default"]
`,
      'pdm.lock',
      emptySet()
    );
    expect(set.requirements).toEqual([
      { text: 'Jinja2==3.1.5', normalized: 'jinja2==3.1.5', name: 'jinja2' },
      { text: 'markupsafe==3.0.2', normalized: 'markupsafe==3.0.2', name: 'markupsafe' },
      { text: 'Zope.Interface==7.2', normalized: 'zope-interface==7.2', name: 'zope-interface' }
    ]);
  });
});

describe('poetry.lock of Poetry 1.4 and older (a category, no groups)', () => {
  const OLD = [
    '[[package]]\nname = "Django"\nversion = "4.2.16"\ncategory = "main"\noptional = false\npython-versions = ">=3.8"\n',
    '[[package]]\nname = "pytest"\nversion = "7.4.4"\ncategory = "dev"\noptional = false\npython-versions = ">=3.7"\n',
    '[[package]]\nname = "sqlparse"\nversion = "0.5.1"\ncategory = "main"\noptional = false\npython-versions = ">=3.8"\n',
    '[metadata]\nlock-version = "1.1"\npython-versions = "^3.11"\ncontent-hash = "0"\n'
  ].join('\n');

  it('leaves out the dev category and keeps main', () => {
    expect(readLockFile('poetry.lock', OLD, 'poetry.lock', emptySet()).requirements.map((r) => r.text)).toEqual([
      'Django==4.2.16',
      'sqlparse==0.5.1'
    ]);
  });
});

describe('lock files the tools wrote (__fixtures__/locks)', () => {
  const read = async (dir: string, file: string, withProject: boolean): Promise<string[]> => {
    const at = path.join(path.dirname(project('x')), '..', 'locks', dir);
    const content = await fs.readFile(path.join(at, file), 'utf8');
    const pyproject = withProject ? await fs.readFile(path.join(at, 'pyproject.toml'), 'utf8') : undefined;
    return pins(readLockFile(lockKind(file)!, content, file, emptySet(), pyproject).requirements);
  };

  it('uv: a version per Python range, each under its own marker, and the extra an edge asks for', async () => {
    const pins = await read('uv', 'uv.lock', false);
    expect(pins.filter((p) => p.startsWith('numpy'))).toEqual([
      "numpy==1.26.4 ; python_full_version < '3.10'",
      "numpy==2.2.6 ; python_full_version == '3.10.*'",
      "numpy==2.4.6 ; python_full_version == '3.11.*'",
      "numpy==2.5.5 ; python_full_version >= '3.12'"
    ]);
    // requests[socks]: pysocks comes from requests' optional dependencies
    expect(pins.filter((p) => p.startsWith('pysocks'))).toHaveLength(1);
    expect(pins.filter((p) => /^(flask|pytest)/.test(p))).toEqual([]);
  });

  it('Poetry 1.8 (lock-version 2.0, no groups): the main group walked from pyproject.toml', async () => {
    expect(await read('poetry-1.8', 'poetry.lock', true)).toEqual([
      'certifi==2026.10.19.post1',
      'charset-normalizer==3.5.3',
      "colorama==0.4.6 ; sys_platform == 'win32'",
      'idna==3.20',
      // two declarations with python = "<3.10" / ">=3.10", each matched to its lock entry by constraint
      'numpy==1.26.4 ; python_full_version < "3.10"',
      'numpy==2.2.6 ; python_full_version >= "3.10"',
      'pysocks==1.7.1',
      'requests==2.32.5',
      'urllib3==2.6.3'
    ]);
  });

  it('Poetry 1.8 lock with the main dependencies declared in [project] (PEP 508 strings): the same walk', async () => {
    const at = path.join(path.dirname(project('x')), '..', 'locks', 'poetry-1.8');
    const lock = await fs.readFile(path.join(at, 'poetry.lock'), 'utf8');
    const pyproject = [
      '[project]',
      'name = "app"',
      'requires-python = ">=3.9,<3.14"',
      'dependencies = [',
      '  "requests[socks] (>=2.31,<3)",',
      '  "colorama>=0.4,<0.5 ; sys_platform == \'win32\'",',
      '  "numpy<2; python_version < \'3.10\'",',
      '  "numpy>=2; python_version >= \'3.10\'",',
      ']',
      '[project.optional-dependencies]',
      'web = ["flask>=3"]',
      '[tool.poetry.group.dev.dependencies]',
      'pytest = "^8.0"'
    ].join('\n');
    const locked = pins(readLockFile('poetry.lock', lock, 'poetry.lock', emptySet(), pyproject).requirements);
    expect(locked).toEqual([
      'certifi==2026.10.19.post1',
      'charset-normalizer==3.5.3',
      "colorama==0.4.6 ; sys_platform == 'win32'",
      'idna==3.20',
      "numpy==1.26.4 ; python_version < '3.10'",
      "numpy==2.2.6 ; python_version >= '3.10'",
      'pysocks==1.7.1',
      'requests==2.32.5',
      'urllib3==2.6.3'
    ]);
  });

  it('Poetry 1.8 without its pyproject.toml: every package, dev ones too (nothing tells them apart)', async () => {
    const pins = await read('poetry-1.8', 'poetry.lock', false);
    expect(pins.some((p) => p.startsWith('pytest=='))).toBe(true);
  });

  it("Poetry 2: the project's optional dependencies (main group, extra markers) are left out", async () => {
    const pins = await read('poetry-2', 'poetry.lock', true);
    expect(pins.filter((p) => /^(flask|blinker|werkzeug|jinja2)==/.test(p))).toEqual([]);
    expect(pins.some((p) => p.startsWith('colorama=='))).toBe(true);
  });

  it('pipenv: a package it did not pin ("*") is taken by name, under its marker', async () => {
    expect((await read('pipenv', 'Pipfile.lock', false)).filter((p) => p.startsWith('colorama'))).toEqual([
      "colorama ; sys_platform == 'win32'"
    ]);
  });

  it('pdm: a package locked again with its extras is one requirement', async () => {
    expect((await read('pdm', 'pdm.lock', false)).filter((p) => p.startsWith('requests'))).toEqual(['requests==2.32.5']);
  });
});

describe('uv.lock markers', () => {
  const UV_HEAD = 'version = 1\nrevision = 2\nrequires-python = ">=3.11"\n\n';
  const registry = (name: string, version: string, deps = ''): string =>
    `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = { registry = "https://pypi.org/simple" }\n${deps ? `dependencies = [\n${deps}]\n` : ''}\n`;

  it('drops the marker of a package also reached unconditionally', () => {
    const set = readLockFile(
      'uv.lock',
      `${UV_HEAD}[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "gunicorn", marker = "sys_platform != 'win32'" },
    { name = "packaging" },
]

${registry('gunicorn', '23.0.0', '    { name = "packaging" },\n')}${registry('packaging', '24.2')}`,
      'uv.lock',
      emptySet()
    );
    expect(pins(set.requirements)).toEqual(["gunicorn==23.0.0 ; sys_platform != 'win32'", 'packaging==24.2']);
  });

  it('joins with or the markers of the several paths that reach a package', () => {
    const set = readLockFile(
      'uv.lock',
      `${UV_HEAD}[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "pywin32", marker = "sys_platform == 'win32'" },
    { name = "tzdata", marker = "python_full_version < '3.12'" },
]

${registry('pywin32', '308', '    { name = "tzdata" },\n')}${registry('tzdata', '2025.1')}`,
      'uv.lock',
      emptySet()
    );
    expect(pins(set.requirements)).toEqual([
      "pywin32==308 ; sys_platform == 'win32'",
      "tzdata==2025.1 ; (python_full_version < '3.12') or (sys_platform == 'win32')"
    ]);
  });

  it('takes every non-local package when there is no project package to walk from', () => {
    const set = readLockFile(
      'uv.lock',
      `${UV_HEAD}${registry('click', '8.1.8')}[[package]]
name = "tools"
version = "0.1.0"
source = { directory = "tools" }

${registry('colorama', '0.4.6')}`,
      'uv.lock',
      emptySet()
    );
    expect(pins(set.requirements)).toEqual(['click==8.1.8', 'colorama==0.4.6']);
  });
});

describe('readLockFile errors', () => {
  it.each([
    ['poetry.lock', '[[package]\nname = "x"', /^poetry\.lock: not valid TOML \(.+\)$/],
    ['uv.lock', 'version = 1\nversion = 2\n', /^uv\.lock: not valid TOML/],
    ['pdm.lock', '[metadata\n', /^pdm\.lock: not valid TOML/],
    ['pylock.toml', 'lock-version = \n', /^pylock\.toml: not valid TOML/],
    ['Pipfile.lock', '{"default": {', /^Pipfile\.lock: not valid JSON$/],
    [
      'poetry.lock',
      '[[package]]\nname = "click"\nversion = "8.1.8; rm -rf /"\ngroups = ["main"]\n',
      /^poetry\.lock: package 'click' has an unusable name or version '8\.1\.8; rm -rf \/'$/
    ],
    ['Pipfile.lock', '{"default": {"click --pre": {"version": "==8.1.8"}}}', /^Pipfile\.lock: package 'click --pre' has an unusable name/]
  ] as [LockKind, string, RegExp][])('%s: %j throws a DependencyError', async (kind, content, message) => {
    const error = await caught(() => readLockFile(kind, content, kind, emptySet()));
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.message).toMatch(message);
  });
});

describe('lockKind', () => {
  it.each([
    ['poetry.lock', 'poetry.lock'],
    ['uv.lock', 'uv.lock'],
    ['pdm.lock', 'pdm.lock'],
    ['pylock.toml', 'pylock.toml'],
    ['pylock.prod.toml', 'pylock.toml'],
    ['Pipfile.lock', 'Pipfile.lock'],
    ['pylock.a.b.toml', undefined],
    ['pylock..toml', undefined],
    ['pipfile.lock', undefined],
    ['requirements.txt', undefined],
    ['pyproject.toml', undefined]
  ])('%s → %s', (name, kind) => {
    expect(lockKind(name)).toBe(kind);
  });
});

describe('where a locked package comes from is taken at its word', () => {
  const COMMIT = '0123456789abcdef0123456789abcdef01234567';
  const read = (kind: LockKind, content: string): ReturnType<typeof readLockFile> => readLockFile(kind, content, kind, emptySet());

  it.each<[string, LockKind, string, string[], string[]]>([
    [
      'poetry: a git package becomes a reference to its resolved commit',
      'poetry.lock',
      `[[package]]\nname = "internal-sdk"\nversion = "1.2.0"\ngroups = ["main"]\n[package.source]\ntype = "git"\nurl = "https://github.com/acme/internal-sdk.git"\nreference = "main"\nresolved_reference = "${COMMIT}"\n`,
      [`internal-sdk @ git+https://github.com/acme/internal-sdk.git@${COMMIT}`],
      []
    ],
    [
      'poetry: a URL package becomes a reference to its archive',
      'poetry.lock',
      `[[package]]\nname = "tool"\nversion = "2.0"\n[package.source]\ntype = "url"\nurl = "https://example.com/tool-2.0.tar.gz"\n`,
      ['tool @ https://example.com/tool-2.0.tar.gz'],
      []
    ],
    [
      'poetry: a package of a private index is left out, never looked up on PyPI',
      'poetry.lock',
      `[[package]]\nname = "acme-auth"\nversion = "3.1.0"\n[package.source]\ntype = "legacy"\nurl = "https://pypi.acme.internal/simple"\nreference = "acme"\n[[package]]\nname = "click"\nversion = "8.1.8"\n`,
      ['click==8.1.8'],
      ['poetry.lock: acme-auth (taken from the index https://pypi.acme.internal/simple, not from the default one: install it from there)']
    ],
    [
      'uv: git and URL sources, a private registry, PyPI',
      'uv.lock',
      [
        `[[package]]\nname = "sdk"\nversion = "1.0"\nsource = { git = "https://github.com/acme/sdk?subdirectory=py&rev=main#${COMMIT}" }`,
        '[[package]]\nname = "tool"\nversion = "2.0"\nsource = { url = "https://example.com/tool-2.0-py3-none-any.whl" }',
        '[[package]]\nname = "acme-auth"\nversion = "3.1.0"\nsource = { registry = "https://user:token@pypi.acme.internal/simple" }',
        '[[package]]\nname = "click"\nversion = "8.1.8"\nsource = { registry = "https://pypi.org/simple" }'
      ].join('\n'),
      [
        'click==8.1.8',
        `sdk @ git+https://github.com/acme/sdk@${COMMIT}#subdirectory=py`,
        'tool @ https://example.com/tool-2.0-py3-none-any.whl'
      ],
      ['uv.lock: acme-auth (taken from the index https://***@pypi.acme.internal/simple, not from the default one: install it from there)']
    ],
    [
      'pdm: a git package at its revision',
      'pdm.lock',
      `[[package]]\nname = "sdk"\nversion = "1.0"\ngit = "https://github.com/acme/sdk.git"\nrevision = "${COMMIT}"\ngroups = ["default"]\n`,
      [`sdk @ git+https://github.com/acme/sdk.git@${COMMIT}`],
      []
    ],
    [
      'pylock: a vcs package, an archive, a private index',
      'pylock.toml',
      [
        `[[packages]]\nname = "sdk"\nvcs = { type = "git", url = "https://github.com/acme/sdk.git", commit-id = "${COMMIT}" }`,
        '[[packages]]\nname = "tool"\nversion = "2.0"\narchive = { url = "https://example.com/tool-2.0.tar.gz", hashes = { sha256 = "00" } }',
        '[[packages]]\nname = "acme-auth"\nversion = "3.1.0"\nindex = "https://pypi.acme.internal/simple"',
        '[[packages]]\nname = "click"\nversion = "8.1.8"\nindex = "https://pypi.org/simple"'
      ].join('\n'),
      ['click==8.1.8', `sdk @ git+https://github.com/acme/sdk.git@${COMMIT}`, 'tool @ https://example.com/tool-2.0.tar.gz'],
      ['pylock.toml: acme-auth (taken from the index https://pypi.acme.internal/simple, not from the default one: install it from there)']
    ],
    [
      'Pipfile.lock: a git package, a package of a second source',
      'Pipfile.lock',
      JSON.stringify({
        _meta: {
          sources: [
            { name: 'pypi', url: 'https://pypi.org/simple' },
            { name: 'acme', url: 'https://pypi.acme.internal/simple' }
          ]
        },
        default: {
          sdk: { git: 'https://github.com/acme/sdk.git', ref: COMMIT },
          'acme-auth': { version: '==3.1.0', index: 'acme' },
          click: { version: '==8.1.8', index: 'pypi' }
        }
      }),
      ['click==8.1.8', `sdk @ git+https://github.com/acme/sdk.git@${COMMIT}`],
      ['Pipfile.lock: acme-auth (taken from the index https://pypi.acme.internal/simple, not from the default one: install it from there)']
    ],
    [
      'a git package without a commit is left out',
      'poetry.lock',
      '[[package]]\nname = "sdk"\nversion = "1.0"\n[package.source]\ntype = "git"\nurl = "https://github.com/acme/sdk.git"\n',
      [],
      ['poetry.lock: sdk (a git source without a revision or URL pip can fetch)']
    ]
  ])('%s', (_, kind, content, requirements, skipped) => {
    const set = read(kind, content);
    expect(pins(set.requirements)).toEqual(requirements);
    expect(set.skipped).toEqual(skipped);
  });

  it('a git revision bump changes the line the key is made of, though the version stays', () => {
    const lock = (commit: string): string =>
      `[[package]]\nname = "sdk"\nversion = "1.0"\n[package.source]\ntype = "git"\nurl = "https://github.com/acme/sdk.git"\nresolved_reference = "${commit}"\n`;
    const a = read('poetry.lock', lock(COMMIT)).requirements[0]!.normalized;
    const b = read('poetry.lock', lock('f'.repeat(40))).requirements[0]!.normalized;
    expect(a).not.toBe(b);
  });

  it('a URL with credentials keeps them for pip and out of the key', () => {
    const set = read(
      'uv.lock',
      '[[package]]\nname = "tool"\nversion = "2.0"\nsource = { url = "https://ci:s3cret@files.acme.internal/tool-2.0.tar.gz" }'
    );
    expect(set.requirements[0]!.text).toBe('tool @ https://ci:s3cret@files.acme.internal/tool-2.0.tar.gz');
    expect(set.requirements[0]!.normalized).toBe('tool @ https://***@files.acme.internal/tool-2.0.tar.gz');
  });

  it('Pipfile.lock: a first source that is not PyPI is the only index', () => {
    const set = read(
      'Pipfile.lock',
      JSON.stringify({
        _meta: { sources: [{ name: 'mirror', url: 'https://ci:pw@mirror.acme.internal/simple' }] },
        default: { click: { version: '==8.1.8' } }
      })
    );
    expect(pins(set.requirements)).toEqual(['click==8.1.8']);
    expect(set.options).toEqual([
      { text: '--index-url https://ci:pw@mirror.acme.internal/simple', normalized: '--index-url https://***@mirror.acme.internal/simple' }
    ]);
  });
});

describe('readLockFile: the hashes of each package reach pip', () => {
  const A = `sha256:${'a'.repeat(64)}`;
  const B = `sha256:${'b'.repeat(64)}`;
  const hashes = ` --hash=${A} --hash=${B}`;

  it.each<[string, LockKind, string, string]>([
    [
      'poetry.lock (lock-version 2): the files of the package',
      'poetry.lock',
      `[[package]]\nname = "six"\nversion = "1.17.0"\ngroups = ["main"]\nfiles = [{file = "six.whl", hash = "${B}"}, {file = "six.tar.gz", hash = "${A}"}]\n`,
      `six==1.17.0${hashes}`
    ],
    [
      'poetry.lock (lock-version 1.1): [metadata.files]',
      'poetry.lock',
      `[[package]]\nname = "six"\nversion = "1.17.0"\ncategory = "main"\n\n[metadata.files]\nsix = [{file = "six.whl", hash = "${A}"}, {file = "six.tar.gz", hash = "${B}"}]\n`,
      `six==1.17.0${hashes}`
    ],
    [
      'uv.lock: the sdist and the wheels',
      'uv.lock',
      `[[package]]\nname = "six"\nversion = "1.17.0"\nsource = { registry = "https://pypi.org/simple" }\nsdist = { url = "https://f/six.tar.gz", hash = "${A}" }\nwheels = [{ url = "https://f/six.whl", hash = "${B}" }]\n`,
      `six==1.17.0${hashes}`
    ],
    [
      'pdm.lock: the files of the package',
      'pdm.lock',
      `[[package]]\nname = "six"\nversion = "1.17.0"\ngroups = ["default"]\nfiles = [{file = "six.whl", hash = "${A}"}, {file = "six.tar.gz", hash = "${B}"}]\n`,
      `six==1.17.0${hashes}`
    ],
    [
      'pylock.toml: the sdist and wheels, each algorithm given',
      'pylock.toml',
      `lock-version = "1.0"\n[[packages]]\nname = "six"\nversion = "1.17.0"\nsdist = { url = "https://f/six.tar.gz", hashes = { sha256 = "${'a'.repeat(64)}" } }\nwheels = [{ url = "https://f/six.whl", hashes = { sha256 = "${'b'.repeat(64)}" } }]\n`,
      `six==1.17.0${hashes}`
    ],
    [
      'Pipfile.lock: the hashes list, under the marker',
      'Pipfile.lock',
      JSON.stringify({
        _meta: { sources: [] },
        default: { six: { version: '==1.17.0', markers: "python_version >= '3'", hashes: [B, A] } }
      }),
      `six==1.17.0 ; python_version >= '3'${hashes}`
    ],
    [
      'a hash pip would not take (another algorithm, an option smuggled in) is not passed on',
      'Pipfile.lock',
      JSON.stringify({
        _meta: { sources: [] },
        default: { six: { version: '==1.17.0', hashes: [A, 'md5:0123', `${B} --index-url https://evil`] } }
      }),
      `six==1.17.0 --hash=${A}`
    ],
    [
      'a package the lock gives no file for has none',
      'poetry.lock',
      '[[package]]\nname = "six"\nversion = "1.17.0"\ngroups = ["main"]\nfiles = []\n',
      'six==1.17.0'
    ],
    [
      'a git package has none (pip cannot hash a checkout; the commit pins it)',
      'pdm.lock',
      `[[package]]\nname = "lib"\nversion = "1.0"\ngroups = ["default"]\ngit = "https://git.example/lib"\nrevision = "${'c'.repeat(40)}"\nfiles = [{file = "x", hash = "${A}"}]\n`,
      `lib @ git+https://git.example/lib@${'c'.repeat(40)}`
    ],
    [
      'an archive URL keeps its hashes',
      'uv.lock',
      `[[package]]\nname = "lib"\nversion = "1.0"\nsource = { url = "https://files.example/lib-1.0.tar.gz" }\nsdist = { hash = "${A}" }\n`,
      `lib @ https://files.example/lib-1.0.tar.gz --hash=${A}`
    ]
  ])('%s', (_, kind, content, line) => {
    const set = readLockFile(kind, content, kind, emptySet());
    expect(texts(set.requirements)).toEqual([line]);
    // the key covers them: another file served under the same pin is another set
    expect(
      set.requirements[0]!.normalized.endsWith(line.slice(line.indexOf(' --hash=') >= 0 ? line.indexOf(' --hash=') : line.length))
    ).toBe(true);
  });
});
