// How the action marks its builders on a cluster and finds the stale ones.
import { describe, expect, it } from '@jest/globals';
import { eventLines, podLines } from '../../../../src/builder/kubernetes/events.js';
import {
  type WorkloadMeta,
  madeByAction,
  markedOpts,
  runInfo,
  heldByOthers,
  leaseAnnotation,
  leasePatch,
  staleBuilders,
  workloadName
} from '../../../../src/builder/kubernetes/metadata.js';

const at = new Date('2026-11-24T10:00:00.000Z');

describe('markedOpts', () => {
  it('adds a stable label and the run, time and keep annotations', () => {
    const opts = markedOpts([{ key: 'namespace', value: 'ci' }], runInfo({ GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '2' }, at, true));
    expect(opts).toEqual([
      { key: 'namespace', value: 'ci' },
      { key: 'labels', value: 'app.kubernetes.io/managed-by=wheelhouse-buildx' },
      {
        key: 'annotations',
        value: 'wheelhouse-buildx/run=77-2,wheelhouse-buildx/created-at=2026-11-24T10:00:00.000Z,wheelhouse-buildx/keep=true'
      }
    ]);
  });

  it("merges with the user's own labels and annotations", () => {
    const opts = markedOpts(
      [
        { key: 'labels', value: 'team=web' },
        { key: 'annotations', value: 'owner=web' }
      ],
      runInfo({}, at, false)
    );
    expect(opts).toEqual([
      { key: 'labels', value: 'team=web,app.kubernetes.io/managed-by=wheelhouse-buildx' },
      {
        key: 'annotations',
        value: 'owner=web,wheelhouse-buildx/run=local,wheelhouse-buildx/created-at=2026-11-24T10:00:00.000Z,wheelhouse-buildx/keep=false'
      }
    ]);
  });
});

describe('names', () => {
  it.each([
    ['wheelhouse-1-1-ab12', 'wheelhouse-1-1-ab12'],
    ['warm_builder', 'warm-builder']
  ])('workloadName(%s) = %s', (node, name) => {
    expect(workloadName(node)).toBe(name);
  });
});

describe('staleBuilders', () => {
  const mine = (name: string, createdAt: string, keep = 'false'): WorkloadMeta => ({
    name,
    labels: { 'app.kubernetes.io/managed-by': 'wheelhouse-buildx', app: name },
    annotations: { 'wheelhouse-buildx/created-at': createdAt, 'wheelhouse-buildx/keep': keep }
  });
  const items: WorkloadMeta[] = [
    mine('old', '2026-11-24T07:00:00.000Z'),
    mine('recent', '2026-11-24T09:30:00.000Z'),
    mine('kept', '2026-11-20T00:00:00.000Z', 'true'),
    mine('current', '2026-11-24T01:00:00.000Z'),
    mine('undated', 'not a date'),
    { name: 'someone-elses', labels: { app: 'x' }, annotations: { 'wheelhouse-buildx/created-at': '2026-01-01T00:00:00Z' } }
  ];

  it('are the action’s, not kept, older than the limit, and not the builder in use', () => {
    expect(staleBuilders(items, at, 60, ['current'])).toEqual(['old']);
    expect(staleBuilders(items, at, 20, ['current'])).toEqual(['old', 'recent']);
    expect(staleBuilders(items, at, 60, ['none'])).toEqual(['old', 'current']);
  });

  it('a builder a run still renews its lease on is not stale, however old', () => {
    const leased = (name: string, lease: string): WorkloadMeta => {
      const m = mine(name, '2026-11-24T01:00:00.000Z');
      return { ...m, annotations: { ...m.annotations, [leaseAnnotation('91-1')]: lease } };
    };
    const withLeases = [leased('busy', '2026-11-24T09:59:00.000Z'), leased('abandoned', '2026-11-24T08:00:00.000Z')];
    expect(staleBuilders(withLeases, at, 60, ['none'])).toEqual(['abandoned']);
  });

  it('tells what the action made', () => {
    expect(madeByAction(items[0])).toBe(true);
    expect(madeByAction(items[5])).toBe(false);
    expect(madeByAction(undefined)).toBe(false);
  });
});

describe('bootstrap diagnosis', () => {
  it('lists the workload’s events, oldest first, the last ones', () => {
    const events = [
      {
        involvedObject: { kind: 'Pod', name: 'warm-5d8f-x1' },
        reason: 'Failed',
        message: 'Failed to pull image "nope:1"',
        count: 4,
        lastTimestamp: '2026-11-24T10:00:05Z'
      },
      {
        involvedObject: { kind: 'ReplicaSet', name: 'warm-5d8f' },
        reason: 'SuccessfulCreate',
        message: 'Created pod: warm-5d8f-x1',
        lastTimestamp: '2026-11-24T10:00:01Z'
      },
      { involvedObject: { kind: 'Pod', name: 'other-1' }, reason: 'Pulled', message: 'x', lastTimestamp: '2026-11-24T10:00:02Z' },
      {
        involvedObject: { kind: 'Pod', name: 'warm-5d8f-x1' },
        reason: 'Scheduled',
        message: 'Successfully assigned',
        eventTime: '2026-11-24T10:00:02Z'
      }
    ];
    expect(eventLines(events, 'warm', 10)).toEqual([
      'ReplicaSet/warm-5d8f: SuccessfulCreate: Created pod: warm-5d8f-x1',
      'Pod/warm-5d8f-x1: Scheduled: Successfully assigned',
      'Pod/warm-5d8f-x1: Failed: Failed to pull image "nope:1" (×4)'
    ]);
    expect(eventLines(events, 'warm', 1)).toEqual(['Pod/warm-5d8f-x1: Failed: Failed to pull image "nope:1" (×4)']);
  });

  it('says what each pod waits for', () => {
    expect(
      podLines([
        {
          metadata: { name: 'warm-5d8f-x1' },
          status: {
            phase: 'Pending',
            containerStatuses: [
              { name: 'buildkitd', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope:1"' } } }
            ]
          }
        },
        {
          metadata: { name: 'warm-5d8f-x2' },
          status: { phase: 'Running', containerStatuses: [{ name: 'buildkitd', ready: false, state: {} }] }
        }
      ])
    ).toEqual([
      'pod warm-5d8f-x1: Pending; buildkitd waiting: ImagePullBackOff (Back-off pulling image "nope:1")',
      'pod warm-5d8f-x2: Running'
    ]);
  });
});

describe('leases', () => {
  it.each<[string, string]>([
    ['77-2', 'wheelhouse-buildx/lease-77-2'],
    ['local', 'wheelhouse-buildx/lease-local'],
    ['a b/c', 'wheelhouse-buildx/lease-a_b_c'],
    [`${'9'.repeat(80)}`, `wheelhouse-buildx/lease-${'9'.repeat(57)}`]
  ])('run %s → annotation %s', (run, annotation) => {
    expect(leaseAnnotation(run)).toBe(annotation);
  });

  it('renews with a time, drops with null (a merge patch)', () => {
    expect(leasePatch('77-2', at)).toEqual({ metadata: { annotations: { 'wheelhouse-buildx/lease-77-2': '2026-11-24T10:00:00.000Z' } } });
    expect(leasePatch('77-2', null)).toEqual({ metadata: { annotations: { 'wheelhouse-buildx/lease-77-2': null } } });
  });

  it("another run's fresh lease holds the builder; its own, stale or unreadable ones do not", () => {
    const meta: WorkloadMeta = {
      name: 'shared',
      annotations: {
        'wheelhouse-buildx/lease-77-2': '2026-11-24T09:59:30.000Z',
        'wheelhouse-buildx/lease-80-1': '2026-11-24T09:58:00.000Z',
        'wheelhouse-buildx/lease-12-1': '2026-11-24T09:00:00.000Z',
        'wheelhouse-buildx/lease-13-1': 'yesterday',
        'wheelhouse-buildx/created-at': '2026-11-24T09:00:00.000Z'
      }
    };
    expect(heldByOthers(meta, '77-2', at).map((l) => l.run)).toEqual(['80-1']);
    expect(heldByOthers(meta, '80-1', at).map((l) => l.run)).toEqual(['77-2']);
    expect(heldByOthers(meta, '99-1', at).map((l) => l.run)).toEqual(['77-2', '80-1']);
  });
});

describe('a builder of several workloads (one a platform)', () => {
  it('the janitor spares each of them', () => {
    const at = new Date('2026-11-24T10:00:00.000Z');
    const old = (name: string): WorkloadMeta => ({
      name,
      labels: { 'app.kubernetes.io/managed-by': 'wheelhouse-buildx' },
      annotations: { 'wheelhouse-buildx/created-at': '2026-11-24T01:00:00.000Z' }
    });
    const items = [old('b-amd64'), old('b-arm64'), old('abandoned')];
    expect(staleBuilders(items, at, 60, ['b-amd64', 'b-arm64'])).toEqual(['abandoned']);
  });
});
