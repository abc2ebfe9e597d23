// Resolving the set with uv on the runner, against a fake uv: ranges become pins with each package's wheel;
// a set no version satisfies fails the step with uv's reason; uv missing or failing otherwise, or a lock
// it wrote that cannot be read, is a warning and pip resolves the set in the wheel build; sets uv must not
// see (credentials in an index URL) and targets it cannot name are left to pip.
import { describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import { FakeExec } from '../../../__fixtures__/exec.js';
import type { DependencySet } from '../../../src/keys/model.js';
import { WheelBuildError } from '../../../src/wheels/build.js';
import { pinRanges } from '../../../src/wheels/run-resolve.js';
import { UvUnavailable } from '../../../src/wheels/uv.js';
import { readMemory } from '../keys/helpers.js';
import { capturedLog, scratchDir } from '../../../__fixtures__/step.js';

const TARGET = { platform: 'linux/amd64', pythonTag: 'cp311', libc: 'glibc2.36' };
const FILES = 'https://files.pythonhosted.org/packages/aa/bb';
const PYLOCK = `lock-version = "1.0"
created-by = "uv"

[[packages]]
name = "django"
version = "5.2.19"
wheels = [{ url = "${FILES}/django-5.2.19-py3-none-any.whl", hashes = { sha256 = "${'1'.repeat(64)}" } }]

[[packages]]
name = "asgiref"
version = "3.13.0"
wheels = [{ url = "${FILES}/asgiref-3.13.0-py3-none-any.whl", hashes = { sha256 = "${'2'.repeat(64)}" } }]

[[packages]]
name = "sqlparse"
version = "0.6.1"
wheels = [{ url = "${FILES}/sqlparse-0.6.1-py3-none-any.whl", hashes = { sha256 = "${'3'.repeat(64)}" } }]
`;

const log = capturedLog();
const scratch = scratchDir('run-resolve');

/** A uv that writes `lock` as its output file, or answers `result`. */
function uv(lock: string | undefined, result: { exitCode?: number; stderr?: string } = {}): FakeExec {
  return new FakeExec([
    {
      prefix: ['/tools/uv'],
      result,
      effect: async ({ args }) => {
        if (lock !== undefined) await fs.writeFile(args[args.indexOf('--output-file') + 1]!, lock);
      }
    }
  ]);
}

const adapters = (exec: FakeExec) => ({ exec: exec.run, uv: async () => '/tools/uv' });
const set = (text: string): Promise<DependencySet> => readMemory({ 'requirements.txt': text });

describe('pinRanges', () => {
  it('ranges become the pins uv resolved for the target, each with its wheel', async () => {
    const exec = uv(PYLOCK);
    const resolved = await pinRanges(await set('Django>=5.2,<6\n'), TARGET, scratch(), 30, adapters(exec));
    expect(resolved.dependencies.requirements.map((l) => l.text)).toEqual(['django==5.2.19', 'asgiref==3.13.0', 'sqlparse==0.6.1']);
    expect(resolved.locked?.map((p) => `${p.name}==${p.version}`)).toEqual(['django==5.2.19', 'asgiref==3.13.0', 'sqlparse==0.6.1']);
    // uv resolves for the target, not the runner, and downloads no Python
    const args = exec.calls[0]!.args;
    expect(args[args.indexOf('--python-platform') + 1]).toBe('x86_64-manylinux_2_36');
    expect(exec.calls[0]!.options.env?.UV_PYTHON_DOWNLOADS).toBe('never');
    expect(log()).toMatch(/resolve: 1 requirements resolved to 3 pins for x86_64-manylinux_2_36, Python 3\.11/);
  });

  it('a set no version satisfies fails the step with uv’s reason', async () => {
    const stderr = [
      '  × No solution found when resolving dependencies:',
      '  ╰─▶ Because only django<=5.2.19 is available and you require django>=9, we can conclude that your requirements are unsatisfiable.'
    ].join('\n');
    const error = await pinRanges(await set('Django>=9\n'), TARGET, scratch(), 30, adapters(uv(undefined, { exitCode: 1, stderr }))).catch(
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(WheelBuildError);
    expect((error as Error).message).toBe(
      'no versions satisfy the requirements for linux/amd64, cp311, glibc2.36: Because only django<=5.2.19 is available and you require django>=9, we can conclude that your requirements are unsatisfiable.'
    );
  });

  it.each<[string, FakeExec | 'unavailable', RegExp]>([
    ['uv cannot be had', 'unavailable', /::warning::resolve: uv 0\.\S+: the download timed out; pip resolves the set in the wheel build/],
    [
      'uv fails otherwise',
      uv(undefined, { exitCode: 2, stderr: 'error: Failed to fetch: https://pypi.org/simple/django/' }),
      /::warning::resolve: uv could not resolve the set \(exit 2\): error: Failed to fetch/
    ],
    ['its lock cannot be read', uv('lock-version = "1.0"\n'), /::warning::resolve: uv's lock could not be read \(.*no \[\[packages\]\]/]
  ])('%s: a warning, and pip resolves the set as it is', async (_, exec, warning) => {
    const deps = await set('Django>=5.2,<6\n');
    const resolved = await pinRanges(
      deps,
      TARGET,
      scratch(),
      30,
      exec === 'unavailable'
        ? {
            exec: new FakeExec().run,
            uv: async () => {
              throw new UvUnavailable('uv 0.9.0: the download timed out');
            }
          }
        : adapters(exec)
    );
    expect(resolved).toEqual({ dependencies: deps, locked: undefined });
    expect(log()).toMatch(warning);
  });

  it.each<[string, string, typeof TARGET, RegExp]>([
    [
      'an index URL with credentials (uv must not see them)',
      '--index-url https://user:secret@pypi.internal/simple\nDjango>=5.2\n',
      TARGET,
      /resolve: .*; pip resolves the set in the wheel build/
    ],
    [
      'a target uv cannot name',
      'Django>=5.2\n',
      { ...TARGET, platform: 'linux/s390x', libc: 'musl1.2' },
      /resolve: uv does not resolve for linux\/s390x/
    ]
  ])('%s: left to pip, uv never run', async (_, text, target, note) => {
    const exec = uv(PYLOCK);
    const deps = await set(text);
    const resolved = await pinRanges(deps, target, scratch(), 30, adapters(exec));
    expect(resolved).toEqual({ dependencies: deps, locked: undefined });
    expect(exec.calls).toEqual([]);
    expect(log()).toMatch(note);
  });
});
