// The kubernetes builder's setup against a fake API and a fake buildx: which workloads it names, how it
// creates them (a node a platform: the first made, the next appended), what post is told to remove, the
// janitor sparing every node, a lease on each once booted, and the refusals and the cleanup of a
// builder that does not come up.
import { describe, expect, it } from '@jest/globals';
import { FakeExec } from '../../../../__fixtures__/exec.js';
import { fakeGetInput } from '../../../../__fixtures__/inputs.js';
import { FakeKube } from '../../../../__fixtures__/kube.js';
import { KubeApiError } from '../../../../src/builder/kubernetes/api.js';
import { SetupError } from '../../../../src/builder/errors.js';
import { type KubernetesAdapters, startKubernetesBuilder } from '../../../../src/builder/kubernetes/setup.js';
import type { BuilderRecord } from '../../../../src/builder/record.js';
import { type BuilderConfig, readConfig } from '../../../../src/inputs/config.js';
import { capturedLog } from '../../../../__fixtures__/step.js';

const NS = 'ci';
const REVIEWS = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NS}/deployments`;
const MANAGED = { 'app.kubernetes.io/managed-by': 'wheelhouse-buildx' };
const LONG_AGO = '2026-01-01T00:00:00.000Z';

function builderConfig(values: Record<string, string>): BuilderConfig {
  return readConfig(
    fakeGetInput({
      driver: 'kubernetes',
      context: '__fixtures__/platforms-app',
      tags: 'registry.example/app',
      push: 'true',
      'kubernetes-namespace': NS,
      ...values
    }),
    { GITHUB_WORKSPACE: process.cwd() }
  ).builder;
}

const PER_PLATFORM = { platforms: 'linux/amd64,linux/arm64', 'kubernetes-node-per-platform': 'true', 'stale-builder-minutes': '60' };

/** A cluster that grants everything, with a stale builder a cancelled job left behind. */
function cluster(objects: Record<string, Record<string, unknown> | Error> = {}): FakeKube {
  return new FakeKube({
    [REVIEWS]: { status: { allowed: true } },
    [DEPLOYMENTS]: {
      items: [
        { metadata: { name: 'left-behind', labels: MANAGED, annotations: { 'wheelhouse-buildx/created-at': LONG_AGO } } },
        { metadata: { name: 'app-amd64', labels: MANAGED, annotations: { 'wheelhouse-buildx/created-at': LONG_AGO } } },
        { metadata: { name: 'app-arm64', labels: MANAGED, annotations: { 'wheelhouse-buildx/created-at': LONG_AGO } } }
      ]
    },
    [`${DEPLOYMENTS}/left-behind`]: { metadata: { name: 'left-behind' } },
    ...objects
  });
}

function adapters(kube: FakeKube, exec: FakeExec): KubernetesAdapters {
  return { exec: exec.run, connect: async () => ({ api: kube, env: { KUBECONFIG: '/run/scratch/kubeconfig' } }) };
}

const log = capturedLog();

async function start(config: BuilderConfig, kube: FakeKube, exec: FakeExec, platforms: readonly string[]) {
  const remembered: BuilderRecord[] = [];
  const started = await startKubernetesBuilder(
    config,
    'app',
    platforms,
    '/run/scratch',
    (r) => remembered.push(r),
    {},
    adapters(kube, exec)
  );
  return { started, remembered };
}

describe('a node a platform', () => {
  it('creates the first node, appends the next, each declared for its platform and pinned by its label', async () => {
    const kube = cluster();
    const exec = new FakeExec([{ prefix: ['docker', 'buildx', 'inspect', 'app'], result: { exitCode: 1 } }]);
    const { remembered } = await start(builderConfig(PER_PLATFORM), kube, exec, ['linux/amd64', 'linux/arm64']);

    const creates = exec.argsOf('buildx', 'create');
    expect(creates).toHaveLength(2);
    expect(creates[0]!.slice(0, 9)).toEqual([
      'buildx',
      'create',
      '--name',
      'app',
      '--driver',
      'kubernetes',
      '--node',
      'app-amd64',
      '--driver-opt'
    ]);
    expect(creates[1]!.slice(0, 10)).toEqual([
      'buildx',
      'create',
      '--append',
      '--name',
      'app',
      '--driver',
      'kubernetes',
      '--node',
      'app-arm64',
      '--driver-opt'
    ]);
    expect(creates[0]).toContain('nodeselector=kubernetes.io/arch=amd64');
    expect(creates[1]).toContain('nodeselector=kubernetes.io/arch=arm64');
    expect(creates[0]!.slice(-2)).toEqual(['--platform', 'linux/amd64']);
    expect(creates[1]!.slice(-2)).toEqual(['--platform', 'linux/arm64']);
    // every buildx command runs with the run's kubeconfig
    expect(exec.calls.every((c) => c.options.env?.KUBECONFIG === '/run/scratch/kubeconfig')).toBe(true);

    // post is told of both workloads before anything is created
    expect(remembered).toEqual([
      {
        name: 'app',
        env: { KUBECONFIG: '/run/scratch/kubeconfig' },
        keep: false,
        remove: true,
        kubernetes: { namespace: NS, workloads: ['app-amd64', 'app-arm64'], kind: 'deployments', kubeconfig: '/run/scratch/kubeconfig' }
      }
    ]);
    expect(log()).toContain(`builder: creating ${NS}/app-amd64 (kubernetes, linux/amd64 on kubernetes.io/arch=amd64)`);
    expect(log()).toContain(`builder: creating ${NS}/app-arm64 (kubernetes, linux/arm64 on kubernetes.io/arch=arm64)`);
  });

  it('the janitor removes a stale builder and spares every node of this one', async () => {
    const kube = cluster();
    await start(builderConfig(PER_PLATFORM), kube, new FakeExec(), ['linux/amd64', 'linux/arm64']);
    expect(kube.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      `/api/v1/namespaces/${NS}/configmaps/left-behind-config`,
      `${DEPLOYMENTS}/left-behind`
    ]);
  });

  it('once booted, the run holds a lease on each node', async () => {
    const kube = cluster({
      [`${DEPLOYMENTS}/app-amd64`]: { metadata: { name: 'app-amd64', labels: MANAGED } },
      [`${DEPLOYMENTS}/app-arm64`]: { metadata: { name: 'app-arm64', labels: MANAGED } }
    });
    const { started } = await start(builderConfig(PER_PLATFORM), kube, new FakeExec(), ['linux/amd64', 'linux/arm64']);
    await started.booted;
    await new Promise((r) => setImmediate(r));
    expect(kube.calls.filter((c) => c.method === 'PATCH').map((c) => c.path)).toEqual([
      `${DEPLOYMENTS}/app-amd64`,
      `${DEPLOYMENTS}/app-arm64`
    ]);
  });

  it('nodes that are there already are reused; one the action did not make keeps the builder from being removed', async () => {
    const kube = cluster({
      [`${DEPLOYMENTS}/app-amd64`]: {
        metadata: {
          name: 'app-amd64',
          labels: MANAGED,
          annotations: { 'wheelhouse-buildx/run': '41-1', 'wheelhouse-buildx/created-at': LONG_AGO }
        }
      },
      [`${DEPLOYMENTS}/app-arm64`]: { metadata: { name: 'app-arm64', labels: { app: 'app-arm64' } } }
    });
    const { remembered } = await start(builderConfig(PER_PLATFORM), kube, new FakeExec(), ['linux/amd64', 'linux/arm64']);
    expect(remembered[0]?.remove).toBe(false);
    expect(log()).toContain(
      `builder: reusing ${NS}/app-amd64 (created by run 41-1 at ${LONG_AGO}; linux/amd64 on kubernetes.io/arch=amd64)`
    );
    expect(log()).toContain(`builder: reusing ${NS}/app-arm64 (linux/arm64 on kubernetes.io/arch=arm64)`);
  });

  it('a node that does not come up: the error names the builder and both workloads, and buildx forgets the half-made builder', async () => {
    const kube = cluster();
    const exec = new FakeExec([
      { prefix: ['docker', 'buildx', 'inspect', 'app'], result: { exitCode: 1 } },
      { prefix: ['docker', 'buildx', 'create', '--append'], result: { exitCode: 1, stderr: 'ERROR: timed out waiting for app-arm64' } }
    ]);
    const error = await start(builderConfig(PER_PLATFORM), kube, exec, ['linux/amd64', 'linux/arm64']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as Error).message).toMatch(
      /^the kubernetes builder app \(app-amd64, app-arm64\) in namespace ci did not become ready:\nERROR: timed out waiting for app-arm64/
    );
    expect(exec.argsOf('buildx', 'rm').at(-1)).toEqual(['buildx', 'rm', '--force', 'app']);
  });
});

describe('one node (the default)', () => {
  it('one workload named after the builder, declared for every platform', async () => {
    const kube = cluster();
    const exec = new FakeExec();
    const { remembered } = await start(builderConfig({ platforms: 'linux/amd64,linux/arm64' }), kube, exec, ['linux/amd64', 'linux/arm64']);
    const creates = exec.argsOf('buildx', 'create');
    expect(creates).toHaveLength(1);
    expect(creates[0]).toContain('--node');
    expect(creates[0]![creates[0]!.indexOf('--node') + 1]).toBe('app');
    expect(creates[0]!.slice(-2)).toEqual(['--platform', 'linux/amd64,linux/arm64']);
    expect(creates[0]!.some((a) => a.includes('nodeselector'))).toBe(false);
    expect(remembered[0]?.kubernetes?.workloads).toEqual(['app']);
  });

  it('an API the action cannot reach: a warning, no janitor, and buildx goes on', async () => {
    const kube = cluster({ [REVIEWS]: new KubeApiError(0, 'connect ETIMEDOUT 10.0.0.1:443') });
    const exec = new FakeExec();
    const { remembered } = await start(builderConfig({ 'stale-builder-minutes': '60' }), kube, exec, []);
    expect(log()).toMatch(/::warning::preflight: the action cannot reach the Kubernetes API at https:\/\/kube\.fake/);
    expect(kube.calls.some((c) => c.method === 'DELETE')).toBe(false);
    expect(exec.argsOf('buildx', 'create')).toHaveLength(1);
    // unread, a named builder might be someone else's; without a `builder` input the name is the action's own
    expect(remembered[0]?.remove).toBe(true);
  });

  it('a missing permission fails before anything is created', async () => {
    const kube = cluster({ [REVIEWS]: { status: { allowed: false } } });
    const exec = new FakeExec();
    const error = await start(builderConfig({}), kube, exec, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as Error).message).toMatch(/lacks permissions in namespace ci:/);
    expect(exec.calls).toEqual([]);
  });
});
