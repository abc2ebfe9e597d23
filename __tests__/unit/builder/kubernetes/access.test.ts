// The permissions a runner needs in the builder's namespace, and the Role printed when some are missing.
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { describePermission, requiredPermissions, roleYaml, subjectOf } from '../../../../src/builder/kubernetes/access.js';

const described = (opts: Parameters<typeof requiredPermissions>[0]): string[] =>
  requiredPermissions(opts)
    .filter((p) => !p.optional)
    .map(describePermission);

describe('requiredPermissions', () => {
  it("is what buildx's kubernetes driver calls, for a Deployment", () => {
    expect(described({ workload: 'deployments', janitor: false })).toEqual([
      'get deployments.apps',
      'create deployments.apps',
      'delete deployments.apps',
      'create configmaps',
      'update configmaps',
      'delete configmaps',
      'list pods',
      'create pods/exec'
    ]);
  });

  it('asks for statefulsets when a persistent volume claim is requested', () => {
    const perms = described({ workload: 'statefulsets', janitor: false });
    expect(perms.filter((p) => p.includes('apps'))).toEqual([
      'get statefulsets.apps',
      'create statefulsets.apps',
      'delete statefulsets.apps'
    ]);
  });

  it('adds list for the janitor', () => {
    expect(described({ workload: 'deployments', janitor: true })).toContain('list deployments.apps');
  });

  it("marks the lease and reading events optional (the lease guards against others' removals, events explain a builder that did not start)", () => {
    const optional = requiredPermissions({ workload: 'deployments', janitor: false }).filter((p) => p.optional);
    expect(optional.map(describePermission)).toEqual(['patch deployments.apps', 'list events']);
  });
});

describe('subjectOf', () => {
  it.each([
    ['system:serviceaccount:arc-runners:runner', { kind: 'ServiceAccount', namespace: 'arc-runners', name: 'runner' }],
    ['arn:aws:iam::123:role/ci', { kind: 'User', name: 'arn:aws:iam::123:role/ci' }],
    [undefined, undefined]
  ])('%s', (user, subject) => {
    expect(subjectOf(user)).toEqual(subject);
  });
});

describe('roleYaml', () => {
  const perms = requiredPermissions({ workload: 'deployments', janitor: true });

  it('is a Role and RoleBinding kubectl can apply, one rule per resource', () => {
    const [role, binding] = roleYaml('ci', perms, { kind: 'ServiceAccount', namespace: 'arc', name: 'runner' })
      .split('\n---\n')
      .map((doc) => parse(doc) as Record<string, unknown>);
    expect(role).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'wheelhouse-buildx', namespace: 'ci' },
      rules: [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'create', 'delete', 'list', 'patch'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'update', 'delete'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
        { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
        { apiGroups: [''], resources: ['events'], verbs: ['list'] }
      ]
    });
    expect(binding).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'wheelhouse-buildx', namespace: 'ci' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'wheelhouse-buildx' },
      subjects: [{ kind: 'ServiceAccount', name: 'runner', namespace: 'arc' }]
    });
  });

  it('binds a user by name, and leaves a placeholder when the identity is unknown', () => {
    const user = parse(roleYaml('ci', perms, { kind: 'User', name: 'arn:aws:iam::1:role/ci' }).split('\n---\n')[1]!) as {
      subjects: unknown[];
    };
    expect(user.subjects).toEqual([{ kind: 'User', name: 'arn:aws:iam::1:role/ci', apiGroup: 'rbac.authorization.k8s.io' }]);
    const unknown = roleYaml('ci', perms, undefined);
    expect(unknown).toContain("# the runner's identity");
    expect((parse(unknown.split('\n---\n')[1]!) as { subjects: unknown[] }).subjects).toEqual([
      { kind: 'ServiceAccount', name: '<runner service account>', namespace: 'ci' }
    ]);
  });
});
