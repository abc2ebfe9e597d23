// A thin client of the Kubernetes API for what buildx does not do: access reviews, listing and removing
// the action's builders, a pod's events. JSON over HTTPS with the kubeconfig's credentials; every call
// has a deadline.
import { maskSecret } from '../../exec/masks.js';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { run } from '../../exec/exec.js';
import type { ApiAccess } from './kubeconfig.js';

export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

interface Identity {
  token?: string;
  cert?: string;
  key?: string;
}

export class KubeApi {
  private identity: Promise<Identity> | undefined;

  constructor(
    readonly access: ApiAccess,
    private readonly timeoutMs = 30_000
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  delete(path: string): Promise<unknown> {
    return this.request('DELETE', path, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
  }

  private credentials(): Promise<Identity> {
    this.identity ??= resolveIdentity(this.access).then((identity) => {
      if (identity.token) maskSecret(identity.token);
      if (identity.key) maskSecret(identity.key);
      return identity;
    });
    return this.identity;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const identity = await this.credentials();
    const url = new URL(this.access.server + path);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          ca: this.access.ca,
          cert: identity.cert,
          key: identity.key,
          rejectUnauthorized: !this.access.insecure,
          timeout: this.timeoutMs,
          headers: {
            Accept: 'application/json',
            // framed explicitly: Node sends a DELETE's body unframed (no chunking by default), and the
            // API server then reads its bytes as the start of the next request on the kept-alive connection
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
            ...(identity.token ? { Authorization: `Bearer ${identity.token}` } : {})
          }
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (data += chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              try {
                resolve(JSON.parse(data) as T);
              } catch {
                reject(new KubeApiError(status, `${method} ${path}: the answer is not JSON`));
              }
              return;
            }
            let message = data.trim().slice(0, 300);
            try {
              message = (JSON.parse(data) as { message?: string }).message ?? message;
            } catch {
              // not a Status object: keep the text
            }
            reject(new KubeApiError(status, `${method} ${path}: ${status} ${message}`));
          });
        }
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${path}: no answer from ${this.access.server} within ${this.timeoutMs / 1000}s`))
      );
      req.on('error', (error) => reject(error instanceof KubeApiError ? error : new KubeApiError(0, error.message)));
      req.end(payload);
    });
  }
}

async function resolveIdentity(access: ApiAccess): Promise<Identity> {
  const c = access.credentials;
  switch (c.kind) {
    case 'certificate':
      return { cert: c.cert, key: c.key };
    case 'token':
      return { token: c.token };
    case 'token-file':
      return { token: readFileSync(c.file, 'utf8').trim() };
    case 'exec': {
      // client.authentication.k8s.io ExecCredential, as `aws eks get-token` prints it
      const out = await run(c.command, c.args, { silent: true, env: { ...c.env } });
      const status =
        (JSON.parse(out.stdout) as { status?: { token?: string; clientCertificateData?: string; clientKeyData?: string } }).status ?? {};
      return { token: status.token, cert: status.clientCertificateData, key: status.clientKeyData };
    }
    case 'none':
      return {};
  }
}
