// The bundled action with `driver: kubernetes` on the single-node cluster (npm run testbed:k8s): BuildKit
// pods from the imported image, a runner-like service account, the registry as the pods see it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repositoryOf } from '../../src/inputs/image-ref.js';
import { CacheService } from '../support/cache-service/server.js';
import { testbedSuite } from '../support/suite.js';
import { cluster, kubectl, kubectlApply, requireCluster, runnerImage } from '../support/cluster.js';
import { leaks } from '../support/faults.js';
import type { ActionRun, StepResult } from '../support/runner.js';
import { exampleWorkspace, runImage, runOnFreshRunner, stepReused, uniqueTag } from '../support/scenario.js';
import { repoRoot, testbed } from '../support/testbed.js';

const suite = testbedSuite('k8s-e2e', requireCluster);

const INSTALL_STEP = /RUN --mount=type=bind,from=wheelhouse.*pip install/;
const MANAGED = 'app.kubernetes.io/managed-by=wheelhouse-buildx';

let workspace: string;

function inputs(tag: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    driver: 'kubernetes',
    kubeconfig: cluster.kubeconfig(cluster.runnerAccount),
    tags: tag,
    push: 'true',
    'build-args': `PYTHON_IMAGE=${cluster.registry}/python:3.11-slim-local`,
    'driver-opts': `image=${testbed.buildkitImage}`,
    'buildkitd-config': 'buildkitd.toml',
    ...extra
  };
}

/** Tags of this suite: in the registry as the pods see it. */
const K8S_TAGS = `${cluster.registry}/k8s`;
/** The same image through the registry's loopback address, which Docker pulls from without TLS. */
const onHost = (tag: string, digest: string): string =>
  `${tag.replace(cluster.registry, testbed.registry).replace(/:latest$/, '')}@${digest}`;

interface Workload {
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

function deployment(name: string): Workload | undefined {
  const out = kubectl('-n', cluster.namespace, 'get', 'deployments', '-l', MANAGED, '-o', 'json');
  const item = (JSON.parse(out) as { items: { metadata: Workload & { name: string } }[] }).items.find((i) => i.metadata.name === name);
  return item?.metadata;
}

function podUids(name: string): string[] {
  const out = kubectl('-n', cluster.namespace, 'get', 'pods', '-l', `app=${name}`, '-o', 'jsonpath={.items[*].metadata.uid}');
  return out.split(/\s+/).filter(Boolean);
}

function expectClean(run: ActionRun): void {
  expect(run.main.errors).toEqual([]);
  expect(run.main.exitCode).toBe(0);
  expect(run.post.exitCode).toBe(0);
  expect(run.post.warnings).toEqual([]);
}

/** The builder the run's log says it created or reused. */
function builderOf(main: StepResult): string {
  const m = /builder: (?:creating|reusing) [a-z0-9-]+\/([a-z0-9.-]+)/.exec(main.stdout);
  if (!m) throw new Error(`no builder in the log:\n${main.stdout.slice(0, 3000)}`);
  return m[1]!;
}

beforeAll(async () => {
  workspace = await exampleWorkspace(path.join(suite.root, 'workspace'));
  await fs.copyFile(cluster.buildkitdConfig, path.join(workspace, 'buildkitd.toml'));
});

describe('driver: kubernetes on a real cluster', () => {
  it('creates a Deployment, builds the example app in its pod with the wheelhouse and inline cache, pushes, and post removes it', async () => {
    const tag = uniqueTag('app', K8S_TAGS);
    // a builder a cancelled job left behind two hours ago, and one that is kept: the janitor removes only the first
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    for (const [name, keep] of [
      ['left-behind', 'false'],
      ['kept-warm', 'true']
    ] as const) {
      kubectlApply(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${cluster.namespace}
  labels: {app.kubernetes.io/managed-by: wheelhouse-buildx, app: ${name}}
  annotations: {wheelhouse-buildx/created-at: "${twoHoursAgo}", wheelhouse-buildx/keep: "${keep}"}
spec:
  replicas: 0
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: ${testbed.buildkitImage}}]}
`);
    }

    let during: Workload | undefined;
    let podsDuring: string[] = [];
    const run = await runOnFreshRunner(
      suite.root,
      workspace,
      inputs(tag, { 'stale-builder-minutes': '60' }),
      suite.service,
      { GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1' },
      {
        betweenSteps: async (main) => {
          const name = builderOf(main);
          during = deployment(name);
          podsDuring = podUids(name);
        }
      }
    );
    expectClean(run);
    const name = builderOf(run.main);
    const out = run.main.outputs;

    expect(run.main.stdout).toMatch(/preflight: the \d+ permissions the builder needs in namespace wheelhouse are granted/);
    expect(run.main.stdout).toContain('janitor: removed the stale builder wheelhouse/left-behind');
    expect(deployment('left-behind')).toBeUndefined();
    expect(deployment('kept-warm')).toBeDefined();

    expect(during?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'wheelhouse-buildx', app: name });
    expect(during?.annotations).toMatchObject({ 'wheelhouse-buildx/run': '4242-1', 'wheelhouse-buildx/keep': 'false' });
    expect(Date.parse(during?.annotations['wheelhouse-buildx/created-at'] ?? '')).toBeGreaterThan(Date.now() - 3600_000);
    expect(podsDuring).toHaveLength(1);

    expect(out['wheelhouse-cache-hit']).toBe('miss');
    expect(Number(out['wheels-built'])).toBe(42);
    expect(out.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.main.stdout).toContain('preparing layers for inline cache');
    expect(run.main.summary).toContain('wheelhouse-buildx');
    expect(run.post.stdout).toMatch(/wheelhouse: saved .* as wheelhouse-v1-/);
    expect(run.post.stdout).toContain(`builder: removed ${name}`);
    expect(deployment(name)).toBeUndefined();
    expect(kubectl('-n', cluster.namespace, 'get', 'configmaps', '-o', 'name')).not.toContain(`${name}-config`);

    // the kubeconfig's token was masked and appears nowhere else; the file is gone with the run's scratch folder
    const token = /^\s*token: (\S+)$/m.exec(cluster.kubeconfig(cluster.runnerAccount))?.[1];
    expect(token).toBeDefined();
    expect(run.main.stdout).toContain(`::add-mask::${token}`);
    expect(leaks(run, token!)).toBeUndefined();
    expect(JSON.parse(run.main.state['wheelhouse-buildx'] ?? '{}').builder.kubernetes.kubeconfig).toMatch(/\/kubeconfig$/);
    await expect(fs.stat(JSON.parse(run.main.state['wheelhouse-buildx'] ?? '{}').builder.kubernetes.kubeconfig)).rejects.toThrow(/ENOENT/);

    const check = runImage(onHost(tag, out.digest!), 'python3', 'scripts/check_imports.py');
    expect(check).toMatch(/imported \d+ modules/);
    expect(check).not.toContain('FAILED');
    kubectl('-n', cluster.namespace, 'delete', 'deployment', 'kept-warm');
  }, 900_000);

  it('keep-builder with a stable name: the next job, on a fresh runner, reuses the same pod and its layer cache; keep-builder false removes it', async () => {
    const builder = `warm-${randomBytes(3).toString('hex')}`;
    const first = await runOnFreshRunner(
      suite.root,
      workspace,
      inputs(uniqueTag('warm-a', K8S_TAGS), { builder, 'keep-builder': 'true' }),
      suite.service
    );
    expectClean(first);
    expect(first.main.stdout).toContain(`builder: creating ${cluster.namespace}/${builder}`);
    expect(first.post.stdout).toContain(`builder: kept ${builder}`);
    const pods = podUids(builder);
    expect(pods).toHaveLength(1);

    // a code change, pushed to a tag that has no inline cache yet: the dependency layer can only come from the pod
    const views = path.join(workspace, 'site_app/views.py');
    await fs.writeFile(views, (await fs.readFile(views, 'utf8')).replace(/GREETING = .*/, "GREETING = 'Hello from a warm builder'"));
    const tagB = uniqueTag('warm-b', K8S_TAGS);
    const second = await runOnFreshRunner(suite.root, workspace, inputs(tagB, { builder, 'keep-builder': 'true' }), suite.service);
    expectClean(second);
    expect(second.main.stdout).toMatch(new RegExp(`builder: reusing ${cluster.namespace}/${builder} \\(created by run `));
    expect(podUids(builder)).toEqual(pods);
    expect(second.main.outputs['wheelhouse-cache-hit']).toBe('exact');
    expect(second.main.stdout).toMatch(/cache-from: .* does not exist yet/);
    expect(stepReused(second.main.stdout, INSTALL_STEP)).toBe(true);
    const greeting = runImage(
      onHost(tagB, second.main.outputs.digest!),
      'python3',
      '-c',
      'from site_app import views; print(views.GREETING)'
    );
    expect(greeting.trim()).toBe('Hello from a warm builder');

    // the second run pushed the wheelhouse as an image next to its tag: a run pushing to the same
    // repository names it by digest, and no wheelhouse crosses the network to the pod
    expect(second.main.stdout).toMatch(/wheelhouse image: pushed /);
    const last = await runOnFreshRunner(
      suite.root,
      workspace,
      inputs(`${repositoryOf(tagB)}:c`, { builder, 'keep-builder': 'false' }),
      suite.service
    );
    expectClean(last);
    expect(last.main.stdout).toMatch(/wheelhouse: exact \(wheelhouse-image-v1-.*\), as the image .*: nothing restored/);
    expect(last.main.stdout).not.toMatch(/transferring wheelhouse/);
    expect(stepReused(last.main.stdout, INSTALL_STEP)).toBe(true);
    expect(podUids(builder)).toEqual(pods);
    expect(last.post.stdout).toContain(`builder: removed ${builder}`);
    expect(deployment(builder)).toBeUndefined();
  }, 900_000);

  it('a missing RBAC permission fails before anything is created, printing the Role to apply; with that Role the build goes on', async () => {
    const builder = `restricted-${randomBytes(3).toString('hex')}`;
    const restricted = { kubeconfig: cluster.kubeconfig(cluster.restrictedAccount), builder };
    const denied = await runOnFreshRunner(suite.root, workspace, inputs(uniqueTag('denied', K8S_TAGS), restricted), suite.service);
    expect(denied.main.exitCode).toBe(1);
    expect(denied.main.errors).toHaveLength(1);
    const error = denied.main.errors[0]!;
    expect(error).toContain(
      `the Kubernetes identity system:serviceaccount:${cluster.namespace}:${cluster.restrictedAccount} lacks permissions in namespace ${cluster.namespace}`
    );
    expect(error).toContain('create pods/exec');
    expect(error).toContain('create deployments.apps');
    expect(error).not.toContain('get deployments.apps');
    expect(error).toContain('kind: Role');
    expect(error).toContain(`name: ${cluster.restrictedAccount}`);
    expect(deployment(builder)).toBeUndefined();
    expect(denied.post.exitCode).toBe(0);

    const printed = error
      .slice(error.indexOf('apiVersion: rbac.authorization.k8s.io/v1'))
      .replace(/name: wheelhouse-buildx$/gm, 'name: wheelhouse-buildx-printed');
    kubectlApply(printed);
    try {
      const granted = await runOnFreshRunner(suite.root, workspace, inputs(uniqueTag('granted', K8S_TAGS), restricted), suite.service);
      expectClean(granted);
      expect(granted.main.outputs.digest).toMatch(/^sha256:/);
    } finally {
      kubectl('-n', cluster.namespace, 'delete', 'rolebinding,role', 'wheelhouse-buildx-printed');
    }
  }, 900_000);

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a malformed option',
      { 'driver-opts': `image=${testbed.buildkitImage}\nnodeselector=disk` },
      /^input 'driver-opts': 'nodeselector': expected node selector as key=value/
    ],
    [
      'an unknown option',
      { 'driver-opts': `image=${testbed.buildkitImage}\nnetwork=host` },
      /^input 'driver-opts': 'network' is not an option of the kubernetes driver/
    ],
    [
      'a bad toleration',
      { 'kubernetes-tolerations': 'key=ci,operator=exists' },
      /^input 'kubernetes-tolerations': operator 'exists' .* expected Equal or Exists/
    ]
  ])(
    '%s fails with one clear error before anything is created',
    async (_, extra, message) => {
      const before = kubectl('-n', cluster.namespace, 'get', 'deployments,configmaps', '-o', 'name');
      const run = await runOnFreshRunner(suite.root, workspace, { ...inputs(uniqueTag('bad', K8S_TAGS)), ...extra }, suite.service);
      expect(run.main.exitCode).toBe(1);
      expect(run.main.errors).toHaveLength(1);
      expect(run.main.errors[0]).toMatch(message);
      expect(run.main.stdout).not.toContain('builder: creating');
      expect(kubectl('-n', cluster.namespace, 'get', 'deployments,configmaps', '-o', 'name')).toBe(before);
      expect(run.post.exitCode).toBe(0);
    },
    120_000
  );

  it("a builder another run is using is left to it; this run's lease is on it, and an exec plugin's expiring token is fetched again", async () => {
    const builder = `shared-${randomBytes(3).toString('hex')}`;
    // the first job keeps its builder; then another job, sharing the name, renews a lease on it as its main does
    const first = await runOnFreshRunner(
      suite.root,
      workspace,
      inputs(uniqueTag('shared-a', K8S_TAGS), { builder, 'keep-builder': 'true' }),
      suite.service
    );
    expectClean(first);
    kubectl('-n', cluster.namespace, 'annotate', 'deployment', builder, `wheelhouse-buildx/lease-9999-1=${new Date().toISOString()}`);

    // this job's credential comes from an exec plugin (as aws eks get-token) whose token expires within seconds
    const plugin = path.join(suite.root, 'token-plugin.sh');
    const calls = path.join(suite.root, 'token-plugin.calls');
    const token = /token: (\S+)/.exec(cluster.kubeconfig(cluster.runnerAccount))![1]!;
    await fs.writeFile(
      plugin,
      [
        '#!/bin/sh',
        `echo "$(cat /proc/$PPID/comm)" >> ${calls}`,
        `printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}' '${token}' "$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)"`,
        ''
      ].join('\n'),
      { mode: 0o755 }
    );
    const execConfig = cluster
      .kubeconfig(cluster.runnerAccount)
      .replace(
        /^(\s*)token: \S+$/m,
        `$1exec:\n$1  apiVersion: client.authentication.k8s.io/v1beta1\n$1  command: ${plugin}\n$1  interactiveMode: Never`
      );
    const second = await runOnFreshRunner(
      suite.root,
      workspace,
      inputs(uniqueTag('shared-b', K8S_TAGS), { builder, 'keep-builder': 'false', kubeconfig: execConfig }),
      suite.service
    );
    expectClean(second);
    expect(second.main.stdout).toMatch(new RegExp(`builder: reusing ${cluster.namespace}/${builder}`));
    expect(second.post.stdout).toMatch(new RegExp(`builder: left ${cluster.namespace}/${builder} to run 9999-1, whose main is using it`));
    const left = deployment(builder);
    expect(left).toBeDefined();
    // its own lease is there beside the other run's
    expect(Object.keys(left!.annotations).filter((k) => k.startsWith('wheelhouse-buildx/lease-')).length).toBeGreaterThanOrEqual(2);
    // the action's own client ran the plugin again as its tokens expired (buildx runs it too)
    const callers = (await fs.readFile(calls, 'utf8')).split('\n').filter(Boolean);
    expect(callers.filter((c) => c === 'node').length).toBeGreaterThanOrEqual(2);
    kubectl('-n', cluster.namespace, 'delete', 'deployment', builder, '--wait=false');
  }, 900_000);

  it('a job cancelled while its builder boots: post removes the Deployment it was creating', async () => {
    const builder = `cancelled-${randomBytes(3).toString('hex')}`;
    let seen = false;
    // pods that cannot start keep `buildx create --bootstrap` waiting: the job is cancelled then
    const stuck = { builder, 'driver-opts': `image=${cluster.registry}/testbed/no-such-buildkit:1`, 'bootstrap-timeout': '240' };
    const run = await runOnFreshRunner(
      suite.root,
      workspace,
      inputs(uniqueTag('cancelled', K8S_TAGS), stuck),
      suite.service,
      {},
      {
        whileMain: async (cancel) => {
          for (let i = 0; i < 120 && !seen; i++) {
            seen = deployment(builder) !== undefined;
            if (!seen) await new Promise((r) => setTimeout(r, 500));
          }
          cancel();
        }
      }
    );
    expect(seen).toBe(true);
    expect(run.main.exitCode).not.toBe(0);
    expect(run.post.exitCode).toBe(0);
    expect(run.post.stdout).toMatch(new RegExp(`builder: (removed ${builder}|removed ${cluster.namespace}/${builder})`));
    expect(deployment(builder)).toBeUndefined();
  }, 300_000);

  it('pods that never become ready: the error names the namespace and the pods’ last events, and nothing is left behind', async () => {
    const builder = `never-ready-${randomBytes(3).toString('hex')}`;
    const run = await runOnFreshRunner(
      suite.root,
      workspace,
      inputs(uniqueTag('never', K8S_TAGS), {
        builder,
        'driver-opts': `image=${cluster.registry}/testbed/no-such-buildkit:1`,
        'bootstrap-timeout': '20'
      }),
      suite.service
    );
    expect(run.main.exitCode).toBe(1);
    const error = run.main.errors.join('\n');
    expect(error).toContain(`the kubernetes builder ${builder} in namespace ${cluster.namespace} did not become ready`);
    expect(error).toMatch(new RegExp(`pod ${builder}-[a-z0-9]+-[a-z0-9]+: Pending; buildkitd waiting: (ErrImagePull|ImagePullBackOff)`));
    expect(error).toMatch(/last events in namespace wheelhouse:\n.*Pod\/.*(Failed|BackOff)/s);
    expect(deployment(builder)).toBeUndefined();
    expect(run.post.exitCode).toBe(0);
  }, 300_000);
});

describe('one BuildKit Deployment a platform (kubernetes-node-per-platform)', () => {
  // the single node stands for an amd64 node and an arm64 one: each Deployment is pinned by a label of
  // its own (wheelhouse.test/<arch>=yes), the node has both, and its arm64 pod runs under QEMU
  const LABELS = ['wheelhouse.test/amd64=yes', 'wheelhouse.test/arm64=yes'];
  let platformsWorkspace: string;

  beforeAll(async () => {
    kubectl('label', 'node', '--all', '--overwrite', ...LABELS);
    platformsWorkspace = path.join(suite.root, 'platforms-workspace');
    await fs.cp(path.join(repoRoot, '__fixtures__/platforms-app'), platformsWorkspace, { recursive: true });
    await fs.copyFile(cluster.buildkitdConfig, path.join(platformsWorkspace, 'buildkitd.toml'));
    // binary and pure wheels only: nothing to compile under QEMU, so the test is about the nodes
    const requirements = path.join(platformsWorkspace, 'requirements.txt');
    await fs.writeFile(requirements, (await fs.readFile(requirements, 'utf8')).replace(/^psycopg2==.*\n/m, ''));
    const app = path.join(platformsWorkspace, 'app.py');
    await fs.writeFile(app, (await fs.readFile(app, 'utf8')).replace(/^import psycopg2\n/m, '').replace(/ psycopg2=\{[^}]*\}/, ''));
  });

  afterAll(() => {
    kubectl('label', 'node', '--all', ...LABELS.map((l) => `${l.split('=')[0]}-`));
  });

  it('each platform is built by its own Deployment, pinned to its nodes; one index of both; post removes both', async () => {
    const tag = uniqueTag('per-platform', K8S_TAGS);
    const builder = `pp-${randomBytes(3).toString('hex')}`;
    let during: Record<string, { selector: Record<string, string>; platform: string; pods: number }> = {};
    let built: Record<string, string[]> = {};
    const run = await runOnFreshRunner(
      suite.root,
      platformsWorkspace,
      inputs(tag, {
        builder,
        platforms: 'linux/amd64,linux/arm64',
        'build-args': `PYTHON_IMAGE=${cluster.registry}/python:3.11-slim-local-multi`,
        'kubernetes-node-per-platform': 'true',
        'kubernetes-platform-nodeselector': 'wheelhouse.test/{arch}=yes'
      }),
      suite.service,
      {},
      {
        betweenSteps: async (main) => {
          const out = kubectl('-n', cluster.namespace, 'get', 'deployments', '-l', MANAGED, '-o', 'json');
          const items = (
            JSON.parse(out) as {
              items: {
                metadata: { name: string; annotations: Record<string, string> };
                spec: { template: { spec: { nodeSelector?: Record<string, string> } } };
                status: { readyReplicas?: number };
              }[];
            }
          ).items.filter((i) => i.metadata.name.startsWith(`${builder}-`));
          during = Object.fromEntries(
            items.map((i) => [
              i.metadata.name,
              {
                selector: i.spec.template.spec.nodeSelector ?? {},
                platform: i.metadata.annotations['buildx.docker.com/platform'] ?? '',
                pods: i.status.readyReplicas ?? 0
              }
            ])
          );
          // which node built what: buildx's history of the builder, record by record (the image build has
          // a record on each node, under one ref; the action's own small builds one of their own)
          const state = JSON.parse(main.state['wheelhouse-buildx'] ?? '{}') as { builder: { env: Record<string, string> } };
          const env = { ...process.env, HOME: path.join(suite.root, 'runner/home'), ...state.builder.env };
          const history = (...args: string[]): string =>
            execFileSync('docker', ['buildx', 'history', ...args, '--builder', builder], { encoding: 'utf8', env });
          built = {};
          for (const line of history('ls', '--format', '{{.FullRef}} {{.Name}}').split('\n').filter(Boolean)) {
            const [ref, name] = line.split(' ');
            const [, node, id] = ref!.split('/');
            const platforms =
              name === 'platforms-workspace'
                ? 'image'
                : (JSON.parse(history('inspect', id!, '--format', 'json')) as { Platform?: string[] }).Platform?.join(',');
            built[node!] = [...(built[node!] ?? []), `${name} ${platforms}`];
          }
        }
      }
    );
    expectClean(run);
    expect(run.main.stdout).toContain(
      `builder: creating ${cluster.namespace}/${builder}-amd64 (kubernetes, linux/amd64 on wheelhouse.test/amd64=yes)`
    );
    expect(run.main.stdout).toContain(
      `builder: creating ${cluster.namespace}/${builder}-arm64 (kubernetes, linux/arm64 on wheelhouse.test/arm64=yes)`
    );
    expect(during).toEqual({
      [`${builder}-amd64`]: { selector: { 'wheelhouse.test/amd64': 'yes' }, platform: 'linux/amd64', pods: 1 },
      [`${builder}-arm64`]: { selector: { 'wheelhouse.test/arm64': 'yes' }, platform: 'linux/arm64', pods: 1 }
    });
    // every build of one platform ran on that platform's node (the probes, the wheelhouse images), and
    // the image build on both
    expect(Object.keys(built).sort()).toEqual([`${builder}-amd64`, `${builder}-arm64`]);
    for (const arch of ['amd64', 'arm64']) {
      const records = built[`${builder}-${arch}`] ?? [];
      expect(records).toContain(`probe linux/${arch}`);
      expect(records).toContain('platforms-workspace image');
      expect(records.filter((r) => !r.endsWith(' image') && !r.endsWith(` linux/${arch}`))).toEqual([]);
    }

    const out = run.main.outputs;
    expect((out['wheelhouse-key'] ?? '').split('\n')).toHaveLength(2);
    expect(run.main.stdout).not.toMatch(/pip install (?![^\n]*--no-index)/);
    const image = onHost(tag, out.digest!);
    for (const [platform, machine] of [
      ['linux/amd64', 'x86_64'],
      ['linux/arm64', 'aarch64']
    ] as const) {
      execFileSync('docker', ['pull', '-q', '--platform', platform, image], { stdio: 'ignore' });
      const said = execFileSync('docker', ['run', '--rm', '--network', 'none', '--platform', platform, image], { encoding: 'utf8' });
      execFileSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
      expect(said).toMatch(new RegExp(`^${machine} django=5\\.2\\.19 charset_normalizer=3\\.5\\.2 sqlparse=0\\.6\\.1`));
    }
    expect(run.post.stdout).toContain(`builder: removed ${builder}`);
    expect(deployment(`${builder}-amd64`)).toBeUndefined();
    expect(deployment(`${builder}-arm64`)).toBeUndefined();
  }, 900_000);
});

describe('a runner pod in the cluster (actions-runner-controller)', () => {
  let podRoot: string;
  let podService: CacheService;
  const pod = `runner-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    podRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'k8s-runner-pod-'));
    podService = await CacheService.start(path.join(podRoot, 'cache-store'), 0, cluster.hostIp);
    const mounts = [podRoot, repoRoot];
    kubectlApply(`apiVersion: v1
kind: Pod
metadata: {name: ${pod}, namespace: ${cluster.namespace}}
spec:
  serviceAccountName: ${cluster.runnerAccount}
  restartPolicy: Never
  containers:
    - name: runner
      image: ${runnerImage()}
      command: [sleep, infinity]
      volumeMounts:
${mounts.map((m, i) => `        - {name: m${i}, mountPath: ${m}}`).join('\n')}
  volumes:
${mounts.map((m, i) => `    - {name: m${i}, hostPath: {path: ${m}, type: Directory}}`).join('\n')}
`);
    kubectl('-n', cluster.namespace, 'wait', '--for=condition=Ready', `pod/${pod}`, '--timeout=120s');
  }, 180_000);

  afterAll(async () => {
    kubectl('-n', cluster.namespace, 'delete', 'pod', pod, '--grace-period=0', '--force', '--ignore-not-found');
    await podService?.stop();
    await fs.rm(podRoot, { recursive: true, force: true });
  });

  it("builds with the pod's service account (no kubeconfig), reaching the API server through its Service", async () => {
    const podWorkspace = await exampleWorkspace(path.join(podRoot, 'workspace'));
    await fs.copyFile(cluster.buildkitdConfig, path.join(podWorkspace, 'buildkitd.toml'));
    const tag = uniqueTag('in-cluster', K8S_TAGS);
    const { kubeconfig: _, ...noKubeconfig } = inputs(tag);
    const run = await runOnFreshRunner(
      podRoot,
      podWorkspace,
      noKubeconfig,
      podService,
      {},
      {
        spawnStep: (script, vars, cwd) => ({
          program: cluster.kubectl,
          args: [
            '--kubeconfig',
            cluster.adminKubeconfig,
            'exec',
            '-n',
            cluster.namespace,
            pod,
            '--',
            'env',
            '-C',
            cwd,
            ...Object.entries(vars).map(([k, v]) => `${k}=${v}`),
            'node',
            script
          ]
        })
      }
    );
    expectClean(run);
    expect(run.main.stdout).toContain("cluster: https://10.96.0.1:443 (the pod's service account)");
    expect(run.main.stdout).toMatch(/preflight: the \d+ permissions the builder needs in namespace wheelhouse are granted/);
    const name = builderOf(run.main);
    expect(run.main.outputs['wheelhouse-cache-hit']).toBe('miss');
    expect(run.main.outputs.digest).toMatch(/^sha256:/);
    expect(run.post.stdout).toMatch(/wheelhouse: saved .* as wheelhouse-v1-/);
    expect(run.post.stdout).toContain(`builder: removed ${name}`);
    expect(deployment(name)).toBeUndefined();
    const check = runImage(onHost(tag, run.main.outputs.digest!), 'python3', 'scripts/check_imports.py');
    expect(check).toMatch(/imported \d+ modules/);
  }, 900_000);
});
