// A typed Kubernetes API client for unit tests: answers from a table of objects by path (a missing path
// is a 404, a path set to an Error fails with it), PATCH merges into the stored object, and every call
// is recorded.
import { KubeApiError, type KubeClient } from '../src/builder/kubernetes/api.js';
import type { ApiAccess } from '../src/builder/kubernetes/kubeconfig.js';

export interface KubeCall {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
}

type Stored = Record<string, unknown>;

function merge(target: Stored, patch: Stored): Stored {
  const out: Stored = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (value && typeof value === 'object' && !Array.isArray(value))
      out[key] = merge((out[key] as Stored | undefined) ?? {}, value as Stored);
    else out[key] = value;
  }
  return out;
}

export class FakeKube implements KubeClient {
  readonly calls: KubeCall[] = [];
  readonly access: ApiAccess = {
    source: 'fake',
    server: 'https://kube.fake',
    ca: undefined,
    insecure: false,
    credentials: { kind: 'none' },
    namespace: undefined
  };

  constructor(readonly objects: Record<string, Stored | Error> = {}) {}

  private answer<T>(path: string): Promise<T> {
    const found = this.objects[path.split('?')[0]!];
    if (found instanceof Error) return Promise.reject(found);
    if (found === undefined) return Promise.reject(new KubeApiError(404, `GET ${path}: 404 not found`));
    return Promise.resolve(found as T);
  }

  get<T>(path: string): Promise<T> {
    this.calls.push({ method: 'GET', path });
    return this.answer<T>(path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    this.calls.push({ method: 'POST', path, body });
    return this.answer<T>(path);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    this.calls.push({ method: 'PATCH', path, body });
    const found = this.objects[path];
    if (found instanceof Error) return Promise.reject(found);
    if (found === undefined) return Promise.reject(new KubeApiError(404, `PATCH ${path}: 404 not found`));
    this.objects[path] = merge(found, body as Stored);
    return Promise.resolve(this.objects[path] as T);
  }

  delete(path: string): Promise<unknown> {
    this.calls.push({ method: 'DELETE', path });
    const found = this.objects[path];
    if (found === undefined) return Promise.reject(new KubeApiError(404, `DELETE ${path}: 404 not found`));
    delete this.objects[path];
    return Promise.resolve({});
  }
}
