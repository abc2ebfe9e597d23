// The bench's as-found project (bench/projects/as-found: ranges, an -r include, a -c constraints file, a
// requirements-dev.txt the wheelhouse leaves out,
// the full Python image, one install step, a plain COPY, a new tag per run, no cache-from) on the real
// test bed: a cold run pins the ranges with uv, downloads the binary wheels on the runner and compiles
// only psycopg2 in the image; a bumped range on the next run downloads one wheel and needs no image.
// The Dockerfile advisor names the slow lines of its Dockerfile; `optimize-dockerfile: true` builds from a
// rewritten copy (the user's file untouched) whose image holds the same packages and code, and with it a
// code change on a fresh runner pulls no layer below the code.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { repositoryOf } from '../../src/inputs/image-ref.js';
import { testbedSuite } from '../support/suite.js';
import { runImage, runOnFreshRunner, testbedInputs, uniqueTag } from '../support/scenario.js';
import { repoRoot, testbed } from '../support/testbed.js';
import { installedFiles, listingDiff } from '../support/installed.js';
import { execFileSync } from 'node:child_process';

const suite = testbedSuite('as-found');

let workspace: string;
let repository: string;

async function run(tag: string, extra: Record<string, string> = {}): Promise<Awaited<ReturnType<typeof runOnFreshRunner>>> {
  const inputs = { ...testbedInputs(tag), 'build-args': `PYTHON_IMAGE=${testbed.pythonBuildImage}`, ...extra };
  const result = await runOnFreshRunner(suite.root, workspace, inputs, suite.service);
  expect(result.main.errors).toEqual([]);
  expect(result.main.exitCode).toBe(0);
  return result;
}

/** What an image holds: its installed distributions and its code. */
const contents = (ref: string): string =>
  runImage(
    ref,
    'sh',
    '-c',
    'python3 -m pip freeze --all | sort && find /app/site -type f -name "*.py" | sort && cat /app/site/site_app/views.py'
  );

const versions = (ref: string): string =>
  runImage(ref, 'python3', '-c', 'import django, gunicorn, psycopg2; print(django.__version__, gunicorn.__version__)').trim();

beforeAll(async () => {
  workspace = path.join(suite.root, 'workspace');
  await fs.cp(path.join(repoRoot, 'bench/projects/as-found'), workspace, { recursive: true });
  await fs.copyFile(testbed.buildkitdConfig, path.join(workspace, 'buildkitd.toml'));
  repository = repositoryOf(uniqueTag('as-found'));
});

describe('a project as found', () => {
  let firstDigest = '';
  let plainRef = '';

  it('cold: ranges pinned by uv, binary wheels downloaded on the runner, only the sdist compiled in the image', async () => {
    const first = await run(`${repository}:run-1`);
    expect(first.main.outputs['wheelhouse-cache-hit']).toBe('miss');
    // requirements-dev.txt (pytest, ruff) is not what the Dockerfile installs: not in the wheelhouse
    expect(first.main.stdout).toContain("left out of the wheelhouse: requirements-dev.txt (the Dockerfile's installs do not name it");
    expect(first.main.stdout).toMatch(/dependencies: 7 requirements from requirements\.txt, constraints\.txt, requirements\/base\.txt\n/);
    expect(first.main.stdout).toMatch(/resolve: 7 requirements resolved to \d+ pins for x86_64-manylinux_2_\d+, Python 3\.11/);
    expect(first.main.stdout).toMatch(/wheels: psycopg2==[\d.]+ must be built in an image; \d+ downloaded on the runner/);
    expect(first.main.stdout).toMatch(/built psycopg2-[\d.]+-cp311-cp311-linux_x86_64\.whl/);
    expect(versions(`${repository}@${first.main.outputs.digest}`)).toMatch(/^5\.2\.\d+ 22\.\d+\.\d+$/);
    firstDigest = first.main.outputs.digest ?? '';

    // the advisor: the single install step and the plain COPY, by line, with what this build measured
    const out = first.main.stdout;
    expect(out).toContain('dockerfile advice for Dockerfile');
    expect(out).toMatch(/ {2}line 9: RUN --mount=type=bind,from=wheelhouse,target=\/wheelhouse pip install/);
    expect(out).toMatch(/one step installs every dependency.*; this build: ran \d+\.\d s/);
    expect(out).toMatch(/ {2}line 11: COPY site\/ \.\/site\/\n.*copies code without --link.*; this build: ran \d+\.\d s/);
    expect(out).toContain('    fix: COPY --link site/ ./site/');
    // a notice on each line, for the pull request's files view
    expect(out).toMatch(/::notice title=[^,]*,file=Dockerfile,line=9::one step installs every dependency/);
    expect(out).toMatch(/::notice title=[^,]*,file=Dockerfile,line=11::copies code without --link/);
    expect(first.main.summary).toContain('Dockerfile: slow steps');
    expect(first.main.summary).toContain('<code>COPY site/ ./site/</code>');
  }, 900_000);

  it('a bumped range on a new tag: one wheel downloaded on the runner, no image for the wheels, the cache from the last push', async () => {
    const requirements = path.join(workspace, 'requirements.txt');
    await fs.writeFile(requirements, (await fs.readFile(requirements, 'utf8')).replace('gunicorn>=22.0,<23', 'gunicorn>=23.0,<24'));
    const second = await run(`${repository}:run-2`);
    expect(second.main.outputs['wheelhouse-cache-hit']).toBe('partial');
    expect(second.main.stdout).toMatch(/wheels: \d+ from the wheelhouse, 1 downloaded on the runner; no image needed/);
    expect(second.main.outputs['wheels-built']).toBe('1');
    expect(second.main.stdout).toContain(`cache-from: ${repository}@${firstDigest} (the last push of this repository`);
    expect(second.post.stdout).toContain('pip-cache: unchanged, not saved');
    plainRef = `${repository}@${second.main.outputs.digest}`;
    expect(versions(plainRef)).toMatch(/^5\.2\.\d+ 23\.\d+\.\d+$/);
  }, 900_000);

  it('optimize-dockerfile: builds from a copy with a layer per package and --link, shows the diff, leaves the file alone; the image is the same file for file', async () => {
    const original = await fs.readFile(path.join(workspace, 'Dockerfile'), 'utf8');
    const third = await run(`${repository}:run-3`, { 'optimize-dockerfile': 'true' });
    const out = third.main.stdout;
    expect(third.main.warnings).toEqual([]);
    expect(out).toMatch(/optimize-dockerfile: building from \S+\/dockerfile\/Dockerfile, Dockerfile with 2 change\(s\)/);
    expect(out).toContain('-FROM ${PYTHON_IMAGE}\n+FROM ${PYTHON_IMAGE} AS wheelhouse-buildx-deps');
    expect(out).toMatch(/\n\+FROM wheelhouse-buildx-deps AS wheel-django\n/);
    expect(out).toMatch(/\n\+COPY --link --from=wheel-django \/wheelhouse-buildx-root\/ \/\n/);
    expect(out).toContain('-RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse \\');
    expect(out).toMatch(/^-COPY site\/ \.\/site\/$/m);
    expect(out).toMatch(/^\+COPY --link site\/ \.\/site\/$/m);
    expect(out).toContain('fixed in the optimized copy this build used');
    expect(third.main.summary).toContain('Optimized Dockerfile: the image was built from it');
    expect(await fs.readFile(path.join(workspace, 'Dockerfile'), 'utf8')).toBe(original);
    // the same distributions and the same code as the image of the user's own Dockerfile
    const optimized = `${repository}@${third.main.outputs.digest}`;
    expect(contents(optimized)).toBe(contents(plainRef));
    // and under the interpreter's prefix the same files, modes, folders and owners (REQUESTED, no direct_url.json)
    for (const ref of [optimized, plainRef]) execFileSync('docker', ['pull', '-q', ref], { stdio: 'ignore' });
    try {
      const built = installedFiles(optimized, { dirs: true });
      expect(Object.keys(built).filter((f) => f.endsWith('.dist-info/REQUESTED')).length).toBe(7);
      expect(listingDiff(built, installedFiles(plainRef, { dirs: true }), ['optimized', 'plain'])).toEqual([]);
    } finally {
      execFileSync('docker', ['rmi', '-f', optimized, plainRef], { stdio: 'ignore' });
    }
  }, 900_000);

  it('a code change with the optimized copy, on a fresh runner: the code layer is built without pulling any layer below it', async () => {
    const views = path.join(workspace, 'site/site_app/views.py');
    await fs.writeFile(views, (await fs.readFile(views, 'utf8')).replace('Hello from the wheelhouse example', 'Hello again'));
    const fourth = await run(`${repository}:run-4`, { 'optimize-dockerfile': 'true' });
    const log = fourth.main.stdout + fourth.main.stderr;
    expect(fourth.main.outputs['wheelhouse-cache-hit']).toBe('exact');
    expect(log).toMatch(/#\d+ \[stage-\d+ \d+\/\d+\] COPY --link site\/ \.\/site\/\n#\d+ DONE/);
    expect(log).not.toMatch(/extracting sha256:/);
    expect(runImage(`${repository}@${fourth.main.outputs.digest}`, 'cat', '/app/site/site_app/views.py')).toContain('Hello again');
  }, 900_000);

  it('a bumped constraint with the optimized copy, on a fresh runner: one package stage runs, nothing runs on top of the packages', async () => {
    const constraints = path.join(workspace, 'constraints.txt');
    await fs.writeFile(constraints, (await fs.readFile(constraints, 'utf8')).replace('sqlparse>=0.5,<0.7', 'sqlparse>=0.5,<0.6'));
    const fifth = await run(`${repository}:run-5`, { 'optimize-dockerfile': 'true' });
    const log = fifth.main.stdout + fifth.main.stderr;
    expect(fifth.main.outputs['wheelhouse-cache-hit']).toBe('partial');
    const stages = [...log.matchAll(/^\+FROM wheelhouse-buildx-deps AS (wheels?-\S+)$/gm)].map((m) => m[1]!);
    expect(stages.length).toBeGreaterThan(10);
    // a stage's install ran when buildx printed it DONE (not CACHED, nor CANCELED once the cache answered)
    const ran = stages.filter((stage) => {
      const id = new RegExp(`^#(\\d+) \\[${stage} \\d+/\\d+\\] RUN `, 'm').exec(log)?.[1];
      return id !== undefined && new RegExp(`^#${id} DONE `, 'm').test(log) && !log.includes(`\n#${id} CACHED\n`);
    });
    // sqlparse, a small wheel, shares its layer with the others of its first letter
    expect(ran).toEqual(['wheels-s']);
    // nothing ran on top of the package layers: what was unpacked is the steps above the install (the
    // stage's base, for the one install and the changed constraints.txt's copy) and the wheelhouse. The
    // base may be unpacked under the name of the warm-up's step (`[1/2] FROM`): BuildKit runs a step
    // that two builds share once, and names it after the build that started it
    expect(log).not.toMatch(/#\d+ \[stage-\d+ \d+\/\d+\] RUN /);
    const stepOf = (id: string): string => new RegExp(`^#${id} (\\[.*)$`, 'm').exec(log)?.[1] ?? `#${id}`;
    const unpacked = [...new Set([...log.matchAll(/^#(\d+) extracting /gm)].map((m) => stepOf(m[1]!)))];
    expect(unpacked.length).toBeGreaterThan(0);
    const above =
      /^\[(?:wheelhouse-buildx-deps \d+\/\d+\] |wheels-s \d+\/\d+\] RUN |context wheelhouse(?:-base)?\] |stage-\d+ \d+\/\d+\] (?:FROM|COPY requirements|COPY constraints)|1\/2\] FROM )/;
    expect(unpacked.filter((step) => !above.test(step))).toEqual([]);
    expect(
      runImage(`${repository}@${fifth.main.outputs.digest}`, 'python3', '-c', 'import sqlparse; print(sqlparse.__version__)').trim()
    ).toMatch(/^0\.5\.\d+$/);
  }, 900_000);
});
