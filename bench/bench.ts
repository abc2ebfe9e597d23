// `npm run bench`: side-by-side timings of ways to build a project on the test bed (the example app, and
// the same app shaped as projects are usually found), each run on a fresh builder with caches as an
// ephemeral runner would restore them. See docs/benchmarks.md.
//   npm run bench -- [--project example,as-found,as-found-optimized,generated,example-layered] [--runs N] [--out FILE] [--scenarios a,b] [--approaches a,b] [--input name=value] [--cache-latency MS] [--logs DIR] [--platforms linux/amd64,linux/arm64]
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CacheService } from '../__tests__/support/cache-service/server.js';
import { exampleWorkspace, runOnFreshRunner, testbedInputs, uniqueTag } from '../__tests__/support/scenario.js';
import { repoRoot, requireTestbed, testbed } from '../__tests__/support/testbed.js';
import { repositoryOf } from '../src/inputs/image-ref.js';
import {
  APPROACHES,
  type Approach,
  type Cell,
  type Ratios,
  SCENARIOS,
  type Sample,
  type Scenario,
  cells,
  ratios,
  table
} from './report.js';

const PROJECTS = ['example', 'as-found', 'as-found-optimized', 'generated', 'example-layered'] as const;
type ProjectName = (typeof PROJECTS)[number];

interface Options {
  projects: ProjectName[];
  runs: number;
  out: string | undefined;
  scenarios: Scenario[];
  approaches: Approach[];
  /** Inputs of the action's runs over the project's (`--input name=value`, repeatable): to compare one setting. */
  inputs: Record<string, string>;
  /** Milliseconds the cache service waits before each answer (`--cache-latency`): a hosted runner's round trip. */
  cacheLatencyMs: number;
  /** A folder the action's logs are kept in (`--logs`), one file a run: `<project>-<scenario>-<run>.log`. */
  logs: string | undefined;
  /** Platforms every approach builds (`--platforms linux/amd64,linux/arm64`), from the test bed's multi-platform images. */
  platforms: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const opts: Options = {
    projects: ['example'],
    runs: 3,
    out: undefined,
    scenarios: [...SCENARIOS],
    approaches: [...APPROACHES],
    inputs: {},
    cacheLatencyMs: 0,
    logs: undefined,
    platforms: undefined
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--project') {
      opts.projects = (value ?? '').split(',') as ProjectName[];
      const unknown = opts.projects.filter((p) => !PROJECTS.includes(p));
      if (unknown.length) throw new Error(`--project takes ${PROJECTS.join(', ')}; not ${unknown.join(', ')}`);
    } else if (flag === '--runs') opts.runs = Number(value);
    else if (flag === '--out') opts.out = value;
    else if (flag === '--scenarios') opts.scenarios = (value ?? '').split(',') as Scenario[];
    else if (flag === '--approaches') opts.approaches = (value ?? '').split(',') as Approach[];
    else if (flag === '--cache-latency') opts.cacheLatencyMs = Number(value);
    else if (flag === '--logs') opts.logs = value;
    else if (flag === '--platforms') opts.platforms = value;
    else if (flag === '--input' && value?.includes('='))
      opts.inputs[value.slice(0, value.indexOf('='))] = value.slice(value.indexOf('=') + 1);
    else throw new Error(`unknown flag ${flag}`);
    i++;
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs takes a whole number ≥ 1');
  if (!Number.isFinite(opts.cacheLatencyMs) || opts.cacheLatencyMs < 0) throw new Error('--cache-latency takes milliseconds ≥ 0');
  if (!opts.scenarios.includes('cold')) opts.scenarios.unshift('cold'); // the cold run prepares the others
  return opts;
}

/** What naive and inline-only users build of the example: the same order, pip from the index on an image with compilers. */
const INDEX_DOCKERFILE = `ARG BUILD_IMAGE
FROM \${BUILD_IMAGE}
WORKDIR /app
COPY requirements.txt .
RUN python3 -m pip install --no-cache-dir -r requirements.txt
COPY . .
ENV DJANGO_SETTINGS_MODULE=site_app.settings PYTHONUNBUFFERED=1
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "site_app.wsgi"]
`;

/** A project the bench builds: where it comes from, what inline cache users build of it, how each scenario changes it. */
interface Project {
  readonly name: ProjectName;
  /** Its key in the JSON report. */
  readonly key: string;
  /** Copies the project into `dir` and writes the Dockerfiles the plain approaches build. */
  workspace(dir: string): Promise<string>;
  /** The build argument naming the base image, for the plain approaches and the action. */
  readonly baseArg: string;
  readonly baseImage: string;
  /** A new tag per run, `cache-from` naming the cold run's image (else each run starts from a copy of it under its own tag). */
  readonly perRunTags: boolean;
  readonly edits: Partial<Record<Scenario, { file: string; change: (text: string) => string }>>;
  /** Inputs of the action's runs beyond the test bed's. */
  readonly inputs?: Readonly<Record<string, string>>;
  /** Platforms every approach builds; undefined: the builder's. */
  readonly platforms?: string;
}

/**
 * The project built for `platforms`: every approach from the test bed's multi-platform indexes of the
 * Python images (`<image>-multi`, testbed/lib/emulation.sh), the action with its `platforms` input.
 */
function onPlatforms(project: Project, platforms: string): Project {
  const images = new Set([testbed.pythonSlimImage, testbed.pythonBuildImage]);
  const multi = (image: string): string => (images.has(image) ? `${image}-multi` : image);
  const buildArgs = project.inputs?.['build-args']
    ?.split('\n')
    .map((line) => line.replace(/^([^=]+)=(.*)$/, (_, name: string, value: string) => `${name}=${multi(value)}`))
    .join('\n');
  return {
    ...project,
    baseImage: multi(project.baseImage),
    platforms,
    inputs: { ...project.inputs, ...(buildArgs ? { 'build-args': buildArgs } : {}), platforms }
  };
}

const EXAMPLE: Project = {
  name: 'example',
  key: 'example',
  async workspace(dir) {
    await exampleWorkspace(dir);
    await fs.writeFile(path.join(dir, 'Dockerfile.index'), INDEX_DOCKERFILE);
    await fs.writeFile(path.join(dir, 'Dockerfile.index-link'), INDEX_DOCKERFILE.replace('COPY . .', 'COPY --link . .'));
    return dir;
  },
  baseArg: 'BUILD_IMAGE',
  baseImage: testbed.pythonBuildImage,
  perRunTags: false,
  // the action builds the example's own Dockerfile, on the slim image
  inputs: { 'build-args': `PYTHON_IMAGE=${testbed.pythonSlimImage}` },
  edits: {
    'code-change': { file: 'site_app/views.py', change: (t) => t.replace('Hello from the wheelhouse example', 'Hello again') },
    'dep-added': { file: 'requirements.txt', change: (t) => `${t}six==1.17.0\n` },
    'dep-bumped': { file: 'requirements.txt', change: (t) => t.replace('sqlparse==0.6.1', 'sqlparse==0.5.3') }
  }
};

/** The same app as projects are usually found (bench/projects/as-found): ranges, includes, a full image, a plain COPY, a tag per run. */
const AS_FOUND: Project = {
  name: 'as-found',
  key: 'as_found',
  async workspace(dir) {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.cp(path.join(repoRoot, 'bench/projects/as-found'), dir, { recursive: true });
    await fs.copyFile(testbed.buildkitdConfig, path.join(dir, 'buildkitd.toml'));
    const dockerfile = await fs.readFile(path.join(dir, 'Dockerfile'), 'utf8');
    // inline cache users install from the index in the same step
    const index = dockerfile.replace(
      /RUN --mount=type=bind,from=wheelhouse,target=\/wheelhouse \\\n\s+pip install --no-cache-dir --no-index --find-links \/wheelhouse/,
      'RUN pip install --no-cache-dir'
    );
    if (index === dockerfile) throw new Error('as-found: the install step of its Dockerfile was not found');
    await fs.writeFile(path.join(dir, 'Dockerfile.index'), index);
    await fs.writeFile(path.join(dir, 'Dockerfile.index-link'), index.replace('COPY site/', 'COPY --link site/'));
    return dir;
  },
  baseArg: 'PYTHON_IMAGE',
  baseImage: testbed.pythonBuildImage,
  perRunTags: true,
  edits: {
    'code-change': { file: 'site/site_app/views.py', change: (t) => t.replace('Hello from the wheelhouse example', 'Hello again') },
    'dep-added': { file: 'requirements.txt', change: (t) => `${t}six>=1.16\n` },
    'dep-bumped': { file: 'requirements.txt', change: (t) => t.replace('gunicorn>=22.0,<23', 'gunicorn>=23.0,<24') }
  }
};

/** The as-found project with `optimize-dockerfile: true`: the action builds from its rewritten copy of the Dockerfile. */
const AS_FOUND_OPTIMIZED: Project = {
  ...AS_FOUND,
  name: 'as-found-optimized',
  key: 'as_found_optimized',
  inputs: { 'optimize-dockerfile': 'true' }
};

/**
 * A project without its Dockerfile: the action generates one on the slim image (each package a layer of
 * its own); inline cache users build the project's own Dockerfiles as before.
 */
const withoutDockerfile = (project: Project, name: ProjectName, key: string): Project => ({
  ...project,
  name,
  key,
  async workspace(dir) {
    await project.workspace(dir);
    await fs.rm(path.join(dir, 'Dockerfile'));
    return dir;
  },
  inputs: { 'build-args': `PYTHON_IMAGE=${testbed.pythonSlimImage}` }
});

const GENERATED = withoutDockerfile(AS_FOUND, 'generated', 'generated');
const EXAMPLE_LAYERED = withoutDockerfile(EXAMPLE, 'example-layered', 'example_layered');

async function mutate(project: Project, workspace: string, scenario: Scenario): Promise<void> {
  const edit = project.edits[scenario];
  if (!edit) return;
  const full = path.join(workspace, edit.file);
  const before = await fs.readFile(full, 'utf8');
  const after = edit.change(before);
  if (after === before) throw new Error(`${project.name} ${scenario}: ${edit.file} did not change`);
  await fs.writeFile(full, after);
}

function du(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}

function docker(...args: string[]): void {
  execFileSync('docker', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function plainBuild(project: Project, approach: Approach, workspace: string, tag: string, cacheFrom: string): Promise<void> {
  const builder = `bench-${randomBytes(3).toString('hex')}`;
  docker(
    'buildx',
    'create',
    '--name',
    builder,
    '--driver',
    'docker-container',
    '--driver-opt',
    `image=${testbed.buildkitImage},network=host`,
    '--buildkitd-config',
    testbed.buildkitdConfig,
    '--bootstrap'
  );
  try {
    const cache = approach === 'naive' ? [] : ['--cache-to', 'type=inline', '--cache-from', `type=registry,ref=${cacheFrom}`];
    const platform = project.platforms ? ['--platform', project.platforms] : [];
    const dockerfile = approach === 'inline-link' ? 'Dockerfile.index-link' : 'Dockerfile.index';
    docker(
      'buildx',
      'build',
      '--builder',
      builder,
      '--progress',
      'plain',
      '--file',
      path.join(workspace, dockerfile),
      '--build-arg',
      `${project.baseArg}=${project.baseImage}`,
      ...platform,
      ...cache,
      '--tag',
      tag,
      '--push',
      workspace
    );
  } finally {
    docker('buildx', 'rm', '--force', builder);
  }
}

/** Waits (up to a minute) until no builder state volume of the action's is left. */
async function stateVolumesGone(): Promise<void> {
  const left = (): boolean =>
    execFileSync('docker', ['volume', 'ls', '-q', '--filter', 'name=buildx_buildkit_wheelhouse-'], { encoding: 'utf8' }).trim() !== '';
  const deadline = Date.now() + 60_000;
  while (left() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
}

interface Measured {
  seconds: number;
  wheelsBuilt: number | null;
  bytesRestored: number | null;
  bytesSaved: number | null;
  transferSeconds: number;
  /** The action's phases (main's `timings` output, and post), for finding where the time goes. */
  phases: Record<string, number>;
}

async function measure(
  project: Project,
  root: string,
  approach: Approach,
  workspace: string,
  tag: string,
  cacheFrom: string,
  store: string,
  cacheLatencyMs: number,
  logFile: string | undefined
): Promise<Measured> {
  if (approach !== 'wheelhouse') {
    const started = performance.now();
    await plainBuild(project, approach, workspace, tag, cacheFrom);
    return {
      seconds: (performance.now() - started) / 1000,
      wheelsBuilt: null,
      bytesRestored: null,
      bytesSaved: null,
      transferSeconds: 0,
      phases: {}
    };
  }
  const service = await CacheService.start(store);
  service.latencyMs = cacheLatencyMs;
  try {
    const started = performance.now();
    const inputs = { ...testbedInputs(tag), 'build-args': `${project.baseArg}=${project.baseImage}`, ...project.inputs };
    const run = await runOnFreshRunner(
      root,
      workspace,
      cacheFrom === tag ? inputs : { ...inputs, 'cache-from': `type=registry,ref=${cacheFrom}` },
      service
    );
    const seconds = (performance.now() - started) / 1000;
    if (logFile) {
      await fs.mkdir(path.dirname(logFile), { recursive: true });
      await fs.writeFile(logFile, [run.main.timed, run.main.stderr, '== post', run.post.timed, run.post.stderr].join('\n'));
    }
    if (run.main.exitCode !== 0) throw new Error(`the action failed: ${run.main.errors.join('; ')}`);
    await stateVolumesGone(); // post leaves the deletion running; the next run must not compete with it
    const sum = (endpoint: 'download' | 'upload'): number =>
      service.calls.filter((c) => c.endpoint === endpoint).reduce((a, c) => a + (c.bytes ?? 0), 0);
    const timings = JSON.parse(run.main.outputs.timings ?? '{}') as Record<string, number>;
    return {
      seconds,
      wheelsBuilt: Number(run.main.outputs['wheels-built']),
      bytesRestored: sum('download'),
      bytesSaved: sum('upload'),
      transferSeconds: (timings.restore ?? 0) + run.post.seconds,
      phases: { ...timings, post: Math.round(run.post.seconds * 100) / 100 }
    };
  } finally {
    await service.stop();
  }
}

interface ProjectResult {
  cells: Cell[];
  ratios: Ratios;
}

async function benchProject(project: Project, opts: Options, root: string): Promise<ProjectResult> {
  const registryDir = path.join(testbed.home, 'registry');
  const samples: Sample[] = [];
  const noopTransfer: number[] = [];
  const base = await project.workspace(path.join(root, `base-${project.name}`));
  for (let rep = 1; rep <= opts.runs; rep++) {
    for (const approach of opts.approaches) {
      const tag = uniqueTag(`bench-${project.name}-${approach}`);
      const store = path.join(root, `store-${project.name}-${approach}-${rep}`);
      for (const scenario of opts.scenarios) {
        const workspace = path.join(root, `ws-${project.name}-${approach}-${rep}-${scenario}`);
        await fs.cp(base, workspace, { recursive: true });
        await mutate(project, workspace, scenario);
        let runTag = tag;
        let cacheFrom = tag;
        let runStore = store;
        if (scenario !== 'cold') {
          // start from the state the cold run left: its image and its cache entries
          // a new tag in the same repository, as a project's runs push
          runTag = `${repositoryOf(tag)}:${scenario}`;
          if (project.perRunTags)
            cacheFrom = tag; // a new tag, the cache from the previous run's
          else {
            docker('buildx', 'imagetools', 'create', '--tag', runTag, tag);
            cacheFrom = runTag;
          }
          runStore = `${store}-${scenario}`;
          await fs.cp(store, runStore, { recursive: true }).catch(() => fs.mkdir(runStore, { recursive: true }));
        }
        const pushedBefore = du(registryDir);
        const logFile = opts.logs && path.resolve(opts.logs, `${project.name}-${scenario}-${rep}.log`);
        const m = await measure(project, root, approach, workspace, runTag, cacheFrom, runStore, opts.cacheLatencyMs, logFile);
        const sample: Sample = {
          scenario,
          approach,
          seconds: m.seconds,
          wheelsBuilt: m.wheelsBuilt,
          bytesRestored: m.bytesRestored,
          bytesSaved: m.bytesSaved,
          bytesPushed: du(registryDir) - pushedBefore
        };
        if (scenario === 'noop' && approach === 'wheelhouse') noopTransfer.push(m.transferSeconds);
        samples.push(sample);
        console.error(
          `${project.name} run ${rep}/${opts.runs} ${scenario} ${approach}: ${m.seconds.toFixed(1)}s` +
            (m.wheelsBuilt !== null ? `, ${m.wheelsBuilt} wheels built` : '') +
            (Object.keys(m.phases).length
              ? ` (${Object.entries(m.phases)
                  .map(([p, s]) => `${p} ${s.toFixed(1)}`)
                  .join(', ')})`
              : '')
        );
        await fs.rm(workspace, { recursive: true, force: true });
      }
    }
  }
  const all = cells(samples);
  const transfer = noopTransfer.length ? noopTransfer.sort((a, b) => a - b)[Math.floor(noopTransfer.length / 2)]! : null;
  return { cells: all, ratios: ratios(all, transfer) };
}

function report(project: Project, result: ProjectResult): void {
  const r = result.ratios;
  console.log(`## ${project.name}${project.platforms ? ` (${project.platforms})` : ''}`);
  console.log(table(result.cells));
  console.log('');
  console.log(`cold wheelhouse / inline-only:         ${r.cold_vs_inline ?? '–'}`);
  console.log(`code-change wheelhouse / naive:        ${r.code_change_vs_naive ?? '–'}`);
  console.log(`code-change wheelhouse / inline-only:  ${r.code_change_vs_inline ?? '–'}`);
  console.log(`code-change wheelhouse / inline-link:  ${r.code_change_vs_inline_link ?? '–'}`);
  console.log(`dep-added wheelhouse / inline-only:    ${r.dep_added_vs_inline ?? '–'}`);
  console.log(`dep-bumped wheelhouse / inline-only:   ${r.dep_bumped_vs_inline ?? '–'}`);
  console.log(`noop overhead of the action:           ${r.noop_overhead_s ?? '–'} s beyond cache transfer`);
  console.log('');
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  requireTestbed();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-'));
  const json: Record<string, unknown> = { runs: opts.runs, ...(opts.platforms ? { platforms: opts.platforms } : {}) };
  try {
    for (const project of [EXAMPLE, AS_FOUND, AS_FOUND_OPTIMIZED, GENERATED, EXAMPLE_LAYERED].filter((p) =>
      opts.projects.includes(p.name)
    )) {
      const given = { ...project, inputs: { ...project.inputs, ...opts.inputs } };
      const benched = opts.platforms ? onPlatforms(given, opts.platforms) : given;
      const result = await benchProject(benched, opts, root);
      report(benched, result);
      // the example's figures at the top level, as before; another project's under its own key
      if (project.key === 'example') Object.assign(json, { cells: result.cells, ratios: result.ratios });
      else Object.assign(json, { [project.key]: result.ratios, [`${project.key}_cells`]: result.cells });
    }
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
  if (opts.out) await fs.writeFile(opts.out, `${JSON.stringify(json, null, 2)}\n`);
}

await main();
