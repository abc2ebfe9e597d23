// The preflight asks the API, per permission, whether the runner's identity has it: everything granted
// goes on; a missing permission is one error with the Role to apply; an API the action cannot reach
// rejects with a network error (status 0), which the builder setup turns into a warning.
import { describe, expect, it } from '@jest/globals';
import { requiredPermissions } from '../../../../src/builder/kubernetes/access.js';
import { KubeApiError } from '../../../../src/builder/kubernetes/api.js';
import { PermissionError, preflight } from '../../../../src/builder/kubernetes/preflight.js';
import { FakeKube } from '../../../../__fixtures__/kube.js';

const REVIEWS = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const WHO = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const PERMISSIONS = requiredPermissions({ workload: 'deployments', janitor: true });

/** A client whose reviews answer `allowed` unless the asked verb/resource is in `denied`. */
function reviewing(denied: readonly string[]): FakeKube {
  const kube = new FakeKube({ [WHO]: { status: { userInfo: { username: 'system:serviceaccount:arc:runner' } } } });
  kube.post = <T>(path: string, body: unknown): Promise<T> => {
    kube.calls.push({ method: 'POST', path, body });
    if (path === WHO) return Promise.resolve(kube.objects[WHO] as T);
    const attrs = (body as { spec: { resourceAttributes: { verb: string; resource: string; subresource: string } } }).spec
      .resourceAttributes;
    const id = `${attrs.verb} ${attrs.resource}${attrs.subresource ? `/${attrs.subresource}` : ''}`;
    return Promise.resolve({ status: { allowed: !denied.includes(id) } } as T);
  };
  return kube;
}

describe('preflight', () => {
  it('asks one review per permission and goes on when all are granted', async () => {
    const kube = reviewing([]);
    await preflight(kube, 'ci', PERMISSIONS);
    expect(kube.calls.filter((c) => c.path === REVIEWS)).toHaveLength(PERMISSIONS.length);
  });

  it('goes on without an optional permission (the lease, events)', async () => {
    await expect(preflight(reviewing(['patch deployments', 'list events']), 'ci', PERMISSIONS)).resolves.toBeUndefined();
  });

  it('a missing permission is one error naming it, with the Role bound to the identity', async () => {
    const error = await preflight(reviewing(['create pods/exec']), 'ci', PERMISSIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect((error as Error).message).toContain(
      'the Kubernetes identity system:serviceaccount:arc:runner lacks permissions in namespace ci:'
    );
    expect((error as Error).message).toContain('  - create pods/exec (buildx talks to BuildKit through exec)');
    expect((error as Error).message).toContain('kind: ServiceAccount\n    name: runner\n    namespace: arc');
  });

  it('an API the action cannot reach rejects with a network error (status 0)', async () => {
    const kube = new FakeKube({ [REVIEWS]: new KubeApiError(0, 'connect ETIMEDOUT 10.0.0.1:443') });
    await expect(preflight(kube, 'ci', PERMISSIONS)).rejects.toMatchObject({ status: 0 });
  });
});
