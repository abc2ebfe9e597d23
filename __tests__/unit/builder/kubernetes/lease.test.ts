// A run's lease on a cluster builder: written when the builder is up and every minute after while main
// runs, so that a janitor spares it and another job sharing its name leaves it to this run.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { KubeApiError } from '../../../../src/builder/kubernetes/api.js';
import { holdLease, otherUsers } from '../../../../src/builder/kubernetes/lease.js';
import { workloadPath } from '../../../../src/builder/kubernetes/workload.js';
import { LEASE_RENEW_MS, staleBuilders } from '../../../../src/builder/kubernetes/metadata.js';
import { FakeKube } from '../../../../__fixtures__/kube.js';

const REF = { namespace: 'ci', kind: 'deployments' as const, workload: 'shared-builder' };
const PATH = workloadPath(REF);
const CREATED = '2026-11-24T08:00:00.000Z';

const workload = () => ({
  metadata: {
    name: 'shared-builder',
    labels: { 'app.kubernetes.io/managed-by': 'wheelhouse-buildx' },
    annotations: { 'wheelhouse-buildx/created-at': CREATED, 'wheelhouse-buildx/keep': 'false' }
  }
});

describe('holdLease', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-24T10:00:00.000Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('writes the lease at once and renews it every minute until stopped', async () => {
    const kube = new FakeKube({ [PATH]: workload() });
    const stop = holdLease(kube, REF, '77-2');
    await Promise.resolve();
    expect(kube.calls).toEqual([
      { method: 'PATCH', path: PATH, body: { metadata: { annotations: { 'wheelhouse-buildx/lease-77-2': '2026-11-24T10:00:00.000Z' } } } }
    ]);
    jest.advanceTimersByTime(LEASE_RENEW_MS);
    jest.advanceTimersByTime(LEASE_RENEW_MS);
    stop();
    jest.advanceTimersByTime(5 * LEASE_RENEW_MS);
    expect(kube.calls.map((c) => (c.body as { metadata: { annotations: Record<string, string> } }).metadata.annotations)).toEqual([
      { 'wheelhouse-buildx/lease-77-2': '2026-11-24T10:00:00.000Z' },
      { 'wheelhouse-buildx/lease-77-2': '2026-11-24T10:01:00.000Z' },
      { 'wheelhouse-buildx/lease-77-2': '2026-11-24T10:02:00.000Z' }
    ]);
  });

  it('keeps a janitor of another job from removing the builder a long build is using', async () => {
    const kube = new FakeKube({ [PATH]: workload() });
    const stop = holdLease(kube, REF, '77-2');
    jest.advanceTimersByTime(30 * LEASE_RENEW_MS);
    stop();
    await Promise.resolve();
    const meta = (kube.objects[PATH] as ReturnType<typeof workload>).metadata;
    // created two and a half hours ago; a 60-minute janitor goes by the last lease, renewed a minute ago
    expect(staleBuilders([meta], new Date(Date.now() + LEASE_RENEW_MS), 60, ['other'])).toEqual([]);
    expect(staleBuilders([meta], new Date(Date.now() + 61 * LEASE_RENEW_MS), 60, ['other'])).toEqual(['shared-builder']);
  });

  it('a lease that cannot be written (no patch permission) does not stop the renewals or throw', async () => {
    const kube = new FakeKube({ [PATH]: new KubeApiError(403, 'PATCH: 403 forbidden') });
    const stop = holdLease(kube, REF, '77-2');
    jest.advanceTimersByTime(3 * LEASE_RENEW_MS);
    stop();
    await Promise.resolve();
    expect(kube.calls).toHaveLength(4);
  });
});

describe('otherUsers', () => {
  it('names the runs whose mains renewed their lease in the last minutes, not this one', async () => {
    const kube = new FakeKube({ [PATH]: workload() });
    await kube.patch(PATH, { metadata: { annotations: { 'wheelhouse-buildx/lease-80-1': '2026-11-24T09:59:00.000Z' } } });
    await kube.patch(PATH, { metadata: { annotations: { 'wheelhouse-buildx/lease-77-2': '2026-11-24T09:59:30.000Z' } } });
    const now = new Date('2026-11-24T10:00:00.000Z');
    expect((await otherUsers(kube, REF, '77-2', now)).map((l) => l.run)).toEqual(['80-1']);
    expect((await otherUsers(kube, REF, '80-1', now)).map((l) => l.run)).toEqual(['77-2']);
    // ten minutes on, neither main has renewed: nobody is using it
    expect(await otherUsers(kube, REF, '77-2', new Date('2026-11-24T10:10:00.000Z'))).toEqual([]);
  });

  it('a workload that is gone (the API says 404) has no users', async () => {
    const kube = new FakeKube();
    await expect(otherUsers(kube, REF, '77-2', new Date())).resolves.toEqual([]);
    expect(kube.calls).toEqual([{ method: 'GET', path: PATH }]);
  });

  it('any other API error is the caller’s to handle', async () => {
    const kube = new FakeKube({ [PATH]: new KubeApiError(403, 'GET: 403 forbidden') });
    await expect(otherUsers(kube, REF, '77-2', new Date())).rejects.toMatchObject({ status: 403 });
  });
});
