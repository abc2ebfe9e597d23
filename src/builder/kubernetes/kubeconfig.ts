// How to reach the Kubernetes API, read the way buildx's kubernetes driver (client-go) reads it: a kubeconfig's
// current context (several files merged as client-go merges a KUBECONFIG list), or the pod's service
// account. Pure: files are read through the given reader.
import path from 'node:path';
import { parse } from 'yaml';

export type Credentials =
  | { readonly kind: 'certificate'; readonly cert: string; readonly key: string }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'token-file'; readonly file: string }
  | { readonly kind: 'exec'; readonly command: string; readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> }
  | { readonly kind: 'none' };

export interface ApiAccess {
  /** Where it came from, for messages: kubeconfig paths or 'in-cluster'. */
  readonly source: string;
  readonly server: string;
  /** PEM of the CA that signed the server's certificate; undefined: the system's. */
  readonly ca: string | undefined;
  readonly insecure: boolean;
  /** The name the server's certificate is checked against (`tls-server-name`), when not the server's host. */
  readonly serverName?: string | undefined;
  /** The cluster's own proxy (`proxy-url`); undefined: the runner's HTTPS_PROXY, as client-go takes it. */
  readonly proxyUrl?: string | undefined;
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

/** One kubeconfig file, parsed. */
interface Loaded {
  readonly doc: Raw;
  readonly file: string;
}

/** A named entry of the merged files, with the folder its relative paths are read from (its own file's). */
interface Found {
  readonly value: Raw;
  readonly dir: string;
}

/** The first file's entry of that name wins, as client-go merges a KUBECONFIG list. */
function find(loaded: readonly Loaded[], list: 'clusters' | 'users' | 'contexts', name: string | undefined, what: string): Found {
  for (const { doc, file } of loaded) {
    const entries: unknown[] = Array.isArray(doc[list]) ? (doc[list] as unknown[]) : [];
    const entry = entries.find((e) => record(e).name === name);
    if (entry) return { value: record(record(entry)[list.slice(0, -1)]), dir: path.dirname(file) };
  }
  throw new KubeconfigError(`the kubeconfig has no ${what} '${name ?? ''}'`);
}

function load(content: string, file: string): Loaded {
  try {
    return { doc: record(parse(content)), file };
  } catch (error) {
    throw new KubeconfigError(
      `the kubeconfig ${file} is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`
    );
  }
}

/** Reads a kubeconfig's current context (or `context`); relative file references are relative to `file`. */
export function parseKubeconfig(content: string, file: string, read: ReadFile, context?: string): ApiAccess {
  return parseKubeconfigs([{ content, file }], read, context);
}

/**
 * Reads the current context of several kubeconfig files merged as client-go merges a KUBECONFIG list:
 * the first file that sets `current-context` sets it, the first definition of a cluster, user or
 * context by its name is the one taken, and each entry's relative paths are read from its own file's
 * folder.
 */
export function parseKubeconfigs(files: readonly { content: string; file: string }[], read: ReadFile, context?: string): ApiAccess {
  const loaded = files.map((f) => load(f.content, f.file));
  const contextName = context ?? loaded.map((l) => text(l.doc['current-context'])).find(Boolean);
  if (!contextName) throw new KubeconfigError('the kubeconfig has no current-context');
  const ctx = find(loaded, 'contexts', contextName, 'context').value;
  const cluster = find(loaded, 'clusters', text(ctx.cluster), 'cluster');
  const user = text(ctx.user) ? find(loaded, 'users', text(ctx.user), 'user') : { value: {}, dir: '' };
  const dataOrFile = (entry: Found, data: unknown, ref: unknown): string | undefined => {
    const d = text(data);
    if (d) return Buffer.from(d, 'base64').toString('utf8');
    const f = text(ref);
    return f ? read(path.isAbsolute(f) ? f : path.join(entry.dir, f)) : undefined;
  };
  const server = text(cluster.value.server);
  if (!server) throw new KubeconfigError(`cluster '${text(ctx.cluster) ?? ''}' has no server`);

  let credentials: Credentials = { kind: 'none' };
  const u = user.value;
  const cert = dataOrFile(user, u['client-certificate-data'], u['client-certificate']);
  const key = dataOrFile(user, u['client-key-data'], u['client-key']);
  const exec = record(u.exec);
  if (cert && key) credentials = { kind: 'certificate', cert, key };
  else if (text(u.token)) credentials = { kind: 'token', token: text(u.token)! };
  else if (text(u.tokenFile)) {
    const file = text(u.tokenFile)!;
    credentials = { kind: 'token-file', file: path.isAbsolute(file) ? file : path.join(user.dir, file) };
  } else if (text(exec.command)) {
    const env: Record<string, string> = {};
    for (const e of Array.isArray(exec.env) ? exec.env : []) {
      const name = text(record(e).name);
      if (name) env[name] = String(record(e).value ?? '');
    }
    const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
    credentials = { kind: 'exec', command: text(exec.command)!, args, env };
  }

  return {
    source: files.map((f) => f.file).join(', '),
    server: server.replace(/\/+$/, ''),
    ca: dataOrFile(cluster, cluster.value['certificate-authority-data'], cluster.value['certificate-authority']),
    insecure: cluster.value['insecure-skip-tls-verify'] === true,
    serverName: text(cluster.value['tls-server-name']),
    proxyUrl: text(cluster.value['proxy-url']),
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

/** The kubeconfig files buildx would read, in order: KUBECONFIG's list (merged), else ~/.kube/config. */
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
