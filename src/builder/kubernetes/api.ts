// A thin client of the Kubernetes API for what buildx does not do: access reviews, listing and removing
// the action's builders, a pod's events. JSON over HTTPS with the kubeconfig's credentials, reached as
// client-go reaches it (the cluster's `proxy-url`, else HTTPS_PROXY and NO_PROXY; `tls-server-name`;
// an exec plugin's token run again when it expires); every call has a deadline.
//
// Why not @kubernetes/client-node: its 1.x bundle adds 4.2 MB (measured with ncc) for five calls; 2.x
// needs Node 22.19 (undici 8); and both part from client-go where the action must agree with buildx
// (no HTTPS_PROXY, and a KUBECONFIG list with a name defined twice is refused where client-go takes
// the first).
import { maskSecret } from '../../exec/masks.js';
import { BlockList, isIP } from 'node:net';
import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import https from 'node:https';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { run } from '../../exec/exec.js';
import type { ApiAccess } from './kubeconfig.js';

/** Go's rule (net/http's ProxyFromEnvironment): NO_PROXY's hosts, domains, IPs and CIDRs, and loopback hosts, go direct. */
export function bypassesProxy(host: string, port: string, noProxy: string | undefined): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (name === 'localhost' || (isIP(name) && (name.startsWith('127.') || name === '::1'))) return true;
  for (const raw of (noProxy ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      const [net, bits] = entry.split('/');
      const family = isIP(net ?? '');
      if (!family || !isIP(name) || isIP(name) !== family) continue;
      const list = new BlockList();
      list.addSubnet(net!, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
      if (list.check(name, family === 4 ? 'ipv4' : 'ipv6')) return true;
      continue;
    }
    const m = /^(.*?)(?::(\d+))?$/.exec(entry.startsWith('[') ? entry.replace(/^\[([^\]]+)\]/, '$1') : entry)!;
    const [want, wantPort] = [m[1]!, m[2]];
    if (wantPort && wantPort !== port) continue;
    const domain = want.replace(/^\*?\./, '');
    if (name === domain || (name.endsWith(`.${domain}`) && !isIP(name))) return true;
  }
  return false;
}

/** The proxy the API is reached through: the cluster's `proxy-url`, else the runner's HTTPS_PROXY (HTTP_PROXY for http://). */
export function proxyFor(access: Pick<ApiAccess, 'server' | 'proxyUrl'>, env: NodeJS.ProcessEnv): string | undefined {
  if (access.proxyUrl) return access.proxyUrl;
  const url = new URL(access.server);
  const proxy = url.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!proxy) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return bypassesProxy(url.hostname, port, env.NO_PROXY ?? env.no_proxy) ? undefined : proxy;
}

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
  /** When an exec plugin's credential expires (ms since the epoch). */
  expiresAt?: number;
}

/** An exec plugin's credential is run again this long before it expires. */
const EXPIRY_MARGIN_MS = 10_000;

/** What the action's calls need of the API: KubeApi, or a typed fake in tests. */
export interface KubeClient {
  readonly access: ApiAccess;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<unknown>;
}

export class KubeApi implements KubeClient {
  private identity: Promise<Identity> | undefined;
  private agent: Agent | undefined;

  constructor(
    readonly access: ApiAccess,
    private readonly timeoutMs = 30_000,
    private readonly env: NodeJS.ProcessEnv = process.env
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

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body, 'application/merge-patch+json');
  }

  private async credentials(): Promise<Identity> {
    const current = await this.identity;
    if (current && (current.expiresAt === undefined || current.expiresAt - EXPIRY_MARGIN_MS > Date.now())) return current;
    this.identity = resolveIdentity(this.access).then((identity) => {
      if (identity.token) maskSecret(identity.token);
      if (identity.key) maskSecret(identity.key);
      return identity;
    });
    this.identity.catch(() => (this.identity = undefined));
    return this.identity;
  }

  /** The proxy agent, when the API is reached through one. */
  private proxyAgent(): Agent | undefined {
    const proxy = proxyFor(this.access, this.env);
    if (!proxy) return undefined;
    if (!/^https?:\/\//.test(proxy)) {
      throw new KubeApiError(0, `the proxy ${new URL(proxy).protocol}//… is not one the action's own API calls can use (HTTP or HTTPS)`);
    }
    this.agent ??= this.access.server.startsWith('https:') ? new HttpsProxyAgent({ proxy }) : new HttpProxyAgent({ proxy });
    return this.agent;
  }

  private async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    try {
      return await this.send<T>(method, path, body, contentType);
    } catch (error) {
      // an exec plugin's token the server no longer takes: run the plugin again, once (as client-go does)
      if (!(error instanceof KubeApiError && error.status === 401 && this.access.credentials.kind === 'exec')) throw error;
      this.identity = undefined;
      return this.send<T>(method, path, body, contentType);
    }
  }

  private async send<T>(method: string, path: string, body: unknown, contentType: string): Promise<T> {
    const identity = await this.credentials();
    const agent = this.proxyAgent();
    const url = new URL(this.access.server + path);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent,
          ca: this.access.ca,
          cert: identity.cert,
          key: identity.key,
          servername: this.access.serverName,
          rejectUnauthorized: !this.access.insecure,
          timeout: this.timeoutMs,
          headers: {
            Accept: 'application/json',
            // framed explicitly: Node sends a DELETE's body unframed (no chunking by default), and the
            // API server then reads its bytes as the start of the next request on the kept-alive connection
            ...(payload ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) } : {}),
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
        (
          JSON.parse(out.stdout) as {
            status?: { token?: string; clientCertificateData?: string; clientKeyData?: string; expirationTimestamp?: string };
          }
        ).status ?? {};
      const expiresAt = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : undefined;
      return {
        token: status.token,
        cert: status.clientCertificateData,
        key: status.clientKeyData,
        ...(expiresAt !== undefined && Number.isFinite(expiresAt) ? { expiresAt } : {})
      };
    }
    case 'none':
      return {};
  }
}
