// Before anything is created: does the runner's identity have what buildx and the action need in the
// namespace? Asked with SelfSubjectAccessReviews; a missing permission fails the step with the Role to apply.
import * as core from '@actions/core';
import type { KubeClient } from './api.js';
import { type Permission, describePermission, roleYaml, subjectOf } from './access.js';

interface AccessReview {
  status?: { allowed?: boolean; reason?: string };
}

interface SelfSubjectReview {
  status?: { userInfo?: { username?: string } };
}

export class PermissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermissionError';
  }
}

async function allowed(api: KubeClient, namespace: string, p: Permission): Promise<boolean> {
  const review = await api.post<AccessReview>('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: { namespace, verb: p.verb, group: p.group, resource: p.resource, subresource: p.subresource ?? '' } }
  });
  return review.status?.allowed === true;
}

/** Who the API says we are (`system:serviceaccount:ns:name`, a user); undefined if it will not say. */
async function whoAmI(api: KubeClient): Promise<string | undefined> {
  const review = await api
    .post<SelfSubjectReview>('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview'
    })
    .catch(() => undefined);
  return review?.status?.userInfo?.username;
}

export async function preflight(api: KubeClient, namespace: string, permissions: readonly Permission[]): Promise<void> {
  const answers = await Promise.all(permissions.map(async (p) => ({ p, ok: await allowed(api, namespace, p) })));
  const missing = answers.filter((a) => !a.ok && !a.p.optional).map((a) => a.p);
  for (const a of answers.filter((x) => !x.ok && x.p.optional)) {
    core.info(`preflight: ${describePermission(a.p)} is not granted (${a.p.why}); going on without it`);
  }
  if (missing.length === 0) {
    core.info(
      `preflight: the ${permissions.length - answers.filter((a) => !a.ok).length} permissions the builder needs in namespace ${namespace} are granted`
    );
    return;
  }
  const user = await whoAmI(api);
  throw new PermissionError(
    [
      `the Kubernetes identity ${user ?? 'of this runner'} lacks permissions in namespace ${namespace}:`,
      ...missing.map((p) => `  - ${describePermission(p)} (${p.why})`),
      'Apply this Role and RoleBinding (kubectl apply -f -), then run the job again:',
      roleYaml(namespace, permissions, subjectOf(user))
    ].join('\n')
  );
}
