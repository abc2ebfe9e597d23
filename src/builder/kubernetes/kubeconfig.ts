// How to reach the Kubernetes API, read the way buildx's kubernetes driver (client-go) reads it: a kubeconfig's
// current context, or the pod's service account. Pure: files are read through the given reader.
import path from 'node:path';
import { parse } from 'yaml';

export type Credentials =
  | { readonly kind: 'certificate'; readonly cert: string; readonly key: string }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'token-file'; readonly file: string }
  | { readonly kind: 'exec'; readonly command: string; readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> }
  | { readonly kind: 'none' };

export interface ApiAccess {
  /** Where it came from, for messages: a kubeconfig path or 'in-cluster'. */
  readonly source: string;
  readonly server: string;
  /** PEM of the CA that signed the server's certificate; undefined: the system's. */
  readonly ca: string | undefined;
  readonly insecure: boolean;
  readonly credentials: Credentials;
  /** The context's namespace (the pod's own in-cluster); undefined: 'default'. */
  readonly namespace: string | undefined;
}

export type ReadFile = (file: string) => string;

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

type Raw = Record<string, unknown>;

const record = (value: unknown): Raw => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function find(list: unknown, name: string | undefined, field: string, what: string): Raw {
  const entries: unknown[] = Array.isArray(list) ? list : [];
  const entry = entries.find((e) => record(e).name === name);
  if (!entry) throw new KubeconfigError(`the kubeconfig has no ${what} '${name ?? ''}'`);
  return record(record(entry)[field]);
}

/** Reads a kubeconfig's current context (or `context`); relative file references are relative to `file`. */
export function parseKubeconfig(content: string, file: string, read: ReadFile, context?: string): ApiAccess {
  let doc: Raw;
  try {
    doc = record(parse(content));
  } catch (error) {
    throw new KubeconfigError(`the kubeconfig is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const dir = path.dirname(file);
  const local = (p: string): string => (path.isAbsolute(p) ? p : path.join(dir, p));
  const dataOrFile = (data: unknown, ref: unknown): string | undefined => {
    const d = text(data);
    if (d) return Buffer.from(d, 'base64').toString('utf8');
    const f = text(ref);
    return f ? read(local(f)) : undefined;
  };

  const contextName = context ?? text(doc['current-context']);
  if (!contextName) throw new KubeconfigError('the kubeconfig has no current-context');
  const ctx = find(doc.contexts, contextName, 'context', 'context');
  const cluster = find(doc.clusters, text(ctx.cluster), 'cluster', 'cluster');
  const user = text(ctx.user) ? find(doc.users, text(ctx.user), 'user', 'user') : {};
  const server = text(cluster.server);
  if (!server) throw new KubeconfigError(`cluster '${text(ctx.cluster) ?? ''}' has no server`);

  let credentials: Credentials = { kind: 'none' };
  const cert = dataOrFile(user['client-certificate-data'], user['client-certificate']);
  const key = dataOrFile(user['client-key-data'], user['client-key']);
  const exec = record(user.exec);
  if (cert && key) credentials = { kind: 'certificate', cert, key };
  else if (text(user.token)) credentials = { kind: 'token', token: text(user.token)! };
  else if (text(user.tokenFile)) credentials = { kind: 'token-file', file: local(text(user.tokenFile)!) };
  else if (text(exec.command)) {
    const env: Record<string, string> = {};
    for (const e of Array.isArray(exec.env) ? exec.env : []) {
      const name = text(record(e).name);
      if (name) env[name] = String(record(e).value ?? '');
    }
    const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
    credentials = { kind: 'exec', command: text(exec.command)!, args, env };
  }

  return {
    source: file,
    server: server.replace(/\/+$/, ''),
    ca: dataOrFile(cluster['certificate-authority-data'], cluster['certificate-authority']),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    credentials,
    namespace: text(ctx.namespace)
  };
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The pod's service account, as client-go's in-cluster config reads it; undefined outside a pod. */
export function inClusterAccess(env: NodeJS.ProcessEnv, read: ReadFile): ApiAccess | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return undefined;
  let namespace: string | undefined;
  let ca: string | undefined;
  try {
    read(path.join(SERVICE_ACCOUNT_DIR, 'token'));
    ca = read(path.join(SERVICE_ACCOUNT_DIR, 'ca.crt'));
    namespace = read(path.join(SERVICE_ACCOUNT_DIR, 'namespace')).trim() || undefined;
  } catch {
    return undefined;
  }
  return {
    source: 'in-cluster',
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca,
    insecure: false,
    credentials: { kind: 'token-file', file: path.join(SERVICE_ACCOUNT_DIR, 'token') },
    namespace
  };
}

/**
 * The kubeconfig files buildx would read, in order: the first of KUBECONFIG's list, else ~/.kube/config.
 * (client-go merges a KUBECONFIG list; the current context is nearly always in its first file.)
 */
export function kubeconfigCandidates(env: NodeJS.ProcessEnv, home: string): string[] {
  const list = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  return list.length > 0 ? list : [path.join(home, '.kube', 'config')];
}

const SECRET_FIELDS = new Set([
  'token',
  'client-key-data',
  'client-certificate-data',
  'password',
  'client-secret',
  'id-token',
  'refresh-token',
  'access-token'
]);

/**
 * The values of a kubeconfig that must never show in a log (masked before anything runs): tokens, keys
 * and passwords wherever they sit (a user, an auth provider's config), and the values of an exec
 * plugin's `env`. YAML or JSON (JSON is YAML); content that is neither is searched line by line. Not
 * the whole content: its ordinary lines (`kind: Config`) would be masked everywhere. Values shorter
 * than 8 characters (4 for exec env values) are left: masking them would hide ordinary words.
 */
export function kubeconfigSecrets(content: string): string[] {
  const found: string[] = [];
  let doc: unknown;
  try {
    doc = parse(content);
  } catch {
    doc = undefined;
  }
  // line by line too: a document the parser reads only in part still has its secrets found
  const line = /^[ \t]*-?[ \t]*"?([a-z-]+)"?[ \t]*:[ \t]*["']?([^"'\n]+?)["']?[ \t]*,?[ \t]*$/gm;
  for (const m of content.matchAll(line)) if (SECRET_FIELDS.has(m[1]!) && m[2]!.length >= 8) found.push(m[2]!);
  const walk = (value: unknown, key: string | undefined): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, key === 'env' ? 'env' : undefined);
      return;
    }
    if (!value || typeof value !== 'object') {
      if (typeof value === 'string' && key && SECRET_FIELDS.has(key) && value.length >= 8) found.push(value);
      return;
    }
    const entries = Object.entries(value as Raw);
    // an exec plugin's env entry: { name, value }
    const envValue = key === 'env' ? (value as Raw).value : undefined;
    if (typeof envValue === 'string' && envValue.length >= 4) found.push(envValue);
    for (const [k, v] of entries) walk(v, k);
  };
  walk(doc, undefined);
  return [...new Set(found)];
}
