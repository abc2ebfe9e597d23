// What the runner's identity must be allowed in the builder's namespace, and the Role that grants it
// (pure). buildx's kubernetes driver creates the Deployment (a StatefulSet with a persistent volume
// claim) and ConfigMaps, lists the pods and execs `buildctl dial-stdio` in them; the action lists its
// builders for the janitor and reads a failed pod's events.
import type { WorkloadKind } from '../../inputs/kubernetes.js';

export interface Permission {
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly verb: string;
  /** What needs it, for the error message. */
  readonly why: string;
  /** Worth granting, but the action works without it (the Role includes it; the preflight does not fail on it). */
  readonly optional?: boolean;
}

export interface AccessNeeds {
  /** What buildx makes for the builder. */
  readonly workload: WorkloadKind;
  /** The janitor lists deployments. */
  readonly janitor: boolean;
}

export function requiredPermissions(needs: AccessNeeds): Permission[] {
  const workload = needs.workload;
  const perms: Permission[] = [
    { group: 'apps', resource: workload, verb: 'get', why: 'buildx finds the builder' },
    { group: 'apps', resource: workload, verb: 'create', why: 'buildx creates the builder' },
    { group: 'apps', resource: workload, verb: 'delete', why: 'post removes the builder' },
    { group: '', resource: 'configmaps', verb: 'create', why: 'buildx stores the BuildKit configuration' },
    { group: '', resource: 'configmaps', verb: 'update', why: 'buildx updates the BuildKit configuration' },
    { group: '', resource: 'configmaps', verb: 'delete', why: 'post removes the BuildKit configuration' },
    { group: '', resource: 'pods', verb: 'list', why: 'buildx finds the BuildKit pods' },
    { group: '', resource: 'pods', subresource: 'exec', verb: 'create', why: 'buildx talks to BuildKit through exec' }
  ];
  if (needs.janitor) perms.push({ group: 'apps', resource: workload, verb: 'list', why: 'the janitor finds stale builders' });
  perms.push({
    group: 'apps',
    resource: workload,
    verb: 'patch',
    why: "main renews this run's lease on the builder, so that no janitor or other job removes it while it builds",
    optional: true
  });
  perms.push({
    group: '',
    resource: 'events',
    verb: 'list',
    why: "a builder that does not start is explained by its pod's events",
    optional: true
  });
  return perms;
}

/** `pods/exec create` and the like: how a permission reads in messages. */
export function describePermission(p: Permission): string {
  const resource = p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
  return `${p.verb} ${p.group ? `${resource}.${p.group}` : resource}`;
}

export interface Subject {
  readonly kind: 'ServiceAccount' | 'User' | 'Group';
  readonly name: string;
  readonly namespace?: string;
}

/** `system:serviceaccount:ns:name` → a ServiceAccount subject; any other user name → a User. */
export function subjectOf(username: string | undefined): Subject | undefined {
  if (!username) return undefined;
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  if (sa) return { kind: 'ServiceAccount', namespace: sa[1]!, name: sa[2]! };
  return { kind: 'User', name: username };
}

/** The minimal Role (and its RoleBinding, when the subject is known) as YAML to `kubectl apply`. */
export function roleYaml(
  namespace: string,
  permissions: readonly Permission[],
  subject: Subject | undefined,
  name = 'wheelhouse-buildx'
): string {
  const rules = new Map<string, { group: string; resource: string; verbs: string[] }>();
  for (const p of permissions) {
    const resource = p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
    const id = `${p.group}|${resource}`;
    const rule = rules.get(id) ?? { group: p.group, resource, verbs: [] };
    if (!rule.verbs.includes(p.verb)) rule.verbs.push(p.verb);
    rules.set(id, rule);
  }
  const lines = [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: Role',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'rules:'
  ];
  for (const r of rules.values()) {
    lines.push(
      `  - apiGroups: ["${r.group}"]`,
      `    resources: ["${r.resource}"]`,
      `    verbs: [${r.verbs.map((v) => `"${v}"`).join(', ')}]`
    );
  }
  lines.push(
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: RoleBinding',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'roleRef:',
    '  apiGroup: rbac.authorization.k8s.io',
    '  kind: Role',
    `  name: ${name}`,
    'subjects:'
  );
  if (!subject) {
    lines.push(
      "  # the runner's identity, e.g.:",
      '  - kind: ServiceAccount',
      '    name: <runner service account>',
      `    namespace: ${namespace}`
    );
  } else if (subject.kind === 'ServiceAccount') {
    lines.push('  - kind: ServiceAccount', `    name: ${subject.name}`, `    namespace: ${subject.namespace ?? namespace}`);
  } else {
    lines.push(`  - kind: ${subject.kind}`, `    name: "${subject.name}"`, '    apiGroup: rbac.authorization.k8s.io');
  }
  return lines.join('\n');
}
