// `npm run bench`: side-by-side timings of three ways to build the example app on the test bed, each run
// on a fresh builder with caches as an ephemeral runner would restore them. See docs/benchmarks.md.
//   npm run bench -- [--runs N] [--out FILE] [--scenarios a,b] [--approaches a,b]
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CacheService } from '../__tests__/support/cache-service/server.js';
import { exampleWorkspace, runOnFreshRunner, testbedInputs, uniqueTag } from '../__tests__/support/scenario.js';
import { requireTestbed, testbed } from '../__tests__/support/testbed.js';
import { APPROACHES, type Approach, SCENARIOS, type Sample, type Scenario, cells, ratios, table } from './report.js';

interface Options {
  runs: number;
  out: string | undefined;
  scenarios: Scenario[];
  approaches: Approach[];
}

function parseOptions(argv: string[]): Options {
  const opts: Options = { runs: 3, out: undefined, scenarios: [...SCENARIOS], approaches: [...APPROACHES] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--runs') opts.runs = Number(value);
    else if (flag === '--out') opts.out = value;
    else if (flag === '--scenarios') opts.scenarios = (value ?? '').split(',') as Scenario[];
    else if (flag === '--approaches') opts.approaches = (value ?? '').split(',') as Approach[];
    else throw new Error(`unknown flag ${flag}`);
    i++;
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs takes a whole number ≥ 1');
  if (!opts.scenarios.includes('cold')) opts.scenarios.unshift('cold'); // the cold run prepares the others
  return opts;
}

/** What naive and inline-only users build: the same order, pip from the index on an image with compilers. */
const INDEX_DOCKERFILE = `ARG BUILD_IMAGE
FROM \${BUILD_IMAGE}
WORKDIR /app
COPY requirements.txt .
RUN python3 -m pip install --no-cache-dir -r requirements.txt
COPY . .
ENV DJANGO_SETTINGS_MODULE=site_app.settings PYTHONUNBUFFERED=1
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "site_app.wsgi"]
`;

/** inline-only as it would be with the code layer independent of the layers below it. */
const INDEX_LINK_DOCKERFILE = INDEX_DOCKERFILE.replace('COPY . .', 'COPY --link . .');

async function mutate(workspace: string, scenario: Scenario): Promise<void> {
  const edit = async (file: string, change: (text: string) => string): Promise<void> => {
    const full = path.join(workspace, file);
    const before = await fs.readFile(full, 'utf8');
    const after = change(before);
    if (after === before) throw new Error(`${scenario}: ${file} did not change`);
    await fs.writeFile(full, after);
  };
  if (scenario === 'code-change') await edit('site_app/views.py', (t) => t.replace('Hello from the wheelhouse example', 'Hello again'));
  if (scenario === 'dep-added') await edit('requirements.txt', (t) => `${t}six==1.17.0\n`);
  if (scenario === 'dep-bumped') await edit('requirements.txt', (t) => t.replace('sqlparse==0.6.1', 'sqlparse==0.5.3'));
}

function du(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}

function docker(...args: string[]): void {
  execFileSync('docker', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function plainBuild(approach: Approach, workspace: string, tag: string): Promise<void> {
  const builder = `bench-${randomBytes(3).toString('hex')}`;
  docker('buildx', 'create', '--name', builder, '--driver', 'docker-container', '--driver-opt', `image=${testbed.buildkitImage},network=host`,
    '--buildkitd-config', testbed.buildkitdConfig, '--bootstrap');
  try {
    const cache = approach === 'naive' ? [] : ['--cache-to', 'type=inline', '--cache-from', `type=registry,ref=${tag}`];
    const dockerfile = approach === 'inline-link' ? 'Dockerfile.index-link' : 'Dockerfile.index';
    docker('buildx', 'build', '--builder', builder, '--progress', 'plain', '--file', path.join(workspace, dockerfile),
      '--build-arg', `BUILD_IMAGE=${testbed.pythonBuildImage}`, ...cache, '--tag', tag, '--push', workspace);
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

async function measure(root: string, approach: Approach, workspace: string, tag: string, store: string): Promise<Measured> {
  if (approach !== 'wheelhouse') {
    const started = performance.now();
    await plainBuild(approach, workspace, tag);
    return { seconds: (performance.now() - started) / 1000, wheelsBuilt: null, bytesRestored: null, bytesSaved: null, transferSeconds: 0, phases: {} };
  }
  const service = await CacheService.start(store);
  try {
    const started = performance.now();
    const run = await runOnFreshRunner(root, workspace, testbedInputs(tag), service);
    const seconds = (performance.now() - started) / 1000;
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

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  requireTestbed();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-'));
  const registryDir = path.join(testbed.home, 'registry');
  const samples: Sample[] = [];
  const noopTransfer: number[] = [];
  try {
    const base = await exampleWorkspace(path.join(root, 'base'));
    await fs.writeFile(path.join(base, 'Dockerfile.index'), INDEX_DOCKERFILE);
    await fs.writeFile(path.join(base, 'Dockerfile.index-link'), INDEX_LINK_DOCKERFILE);
    for (let rep = 1; rep <= opts.runs; rep++) {
      for (const approach of opts.approaches) {
        const tag = uniqueTag(`bench-${approach}`);
        const store = path.join(root, `store-${approach}-${rep}`);
        for (const scenario of opts.scenarios) {
          const workspace = path.join(root, `ws-${approach}-${rep}-${scenario}`);
          await fs.cp(base, workspace, { recursive: true });
          await mutate(workspace, scenario);
          let runTag = tag;
          let runStore = store;
          if (scenario !== 'cold') {
            // start from the state the cold run left: its image and its cache entries
            runTag = uniqueTag(`bench-${approach}-${scenario}`);
            docker('buildx', 'imagetools', 'create', '--tag', runTag, tag);
            runStore = `${store}-${scenario}`;
            await fs.cp(store, runStore, { recursive: true }).catch(() => fs.mkdir(runStore, { recursive: true }));
          }
          const pushedBefore = du(registryDir);
          const m = await measure(root, approach, workspace, runTag, runStore);
          const sample: Sample = { scenario, approach, seconds: m.seconds, wheelsBuilt: m.wheelsBuilt, bytesRestored: m.bytesRestored, bytesSaved: m.bytesSaved, bytesPushed: du(registryDir) - pushedBefore };
          if (scenario === 'noop' && approach === 'wheelhouse') noopTransfer.push(m.transferSeconds);
          samples.push(sample);
          console.error(`run ${rep}/${opts.runs} ${scenario} ${approach}: ${m.seconds.toFixed(1)}s` +
            (m.wheelsBuilt !== null ? `, ${m.wheelsBuilt} wheels built` : '') +
            (Object.keys(m.phases).length ? ` (${Object.entries(m.phases).map(([p, s]) => `${p} ${s.toFixed(1)}`).join(', ')})` : ''));
          await fs.rm(workspace, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
  const all = cells(samples);
  const transfer = noopTransfer.length ? noopTransfer.sort((a, b) => a - b)[Math.floor(noopTransfer.length / 2)]! : null;
  const r = ratios(all, transfer);
  console.log(table(all));
  console.log('');
  console.log(`code-change wheelhouse / naive:        ${r.code_change_vs_naive ?? '–'}  (target ≤ 0.15)`);
  console.log(`code-change wheelhouse / inline-only:  ${r.code_change_vs_inline ?? '–'}  (target ≤ 1.0)`);
  console.log(`dep-added wheelhouse / inline-only:    ${r.dep_added_vs_inline ?? '–'}  (target ≤ 0.35)`);
  console.log(`dep-bumped wheelhouse / inline-only:   ${r.dep_bumped_vs_inline ?? '–'}  (target ≤ 0.35)`);
  console.log(`noop overhead of the action:           ${r.noop_overhead_s ?? '–'} s beyond cache transfer (target ≤ 3)`);
  if (opts.out) {
    await fs.writeFile(opts.out, `${JSON.stringify({ runs: opts.runs, cells: all, ratios: r }, null, 2)}\n`);
  }
}

await main();
