// The build secrets, from the three inputs build-push-action users know (`secrets`, `secret-files`,
// `secret-envs`). No message quotes a `secrets` item: its value is the secret.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError, checkArgument } from './errors.js';
import { parseQuotedList } from './lists.js';

/**
 * A build secret, as build-push-action takes them: a value (`secrets: id=value`, written to a 0600 file
 * for the build), a file (`secret-files: id=path`, or Docker's `id=…,src=…` in `secrets`) or a variable
 * of the runner (`secret-envs: id=NAME`, or `id=…,env=…`).
 */
export type BuildSecret =
  | { readonly id: string; readonly value: string }
  | { readonly id: string; readonly file: string }
  | { readonly id: string; readonly env: string };

const SECRET_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * The three secret inputs. No message quotes a `secrets` item (its value is the secret): an item is
 * named by its place in the list and, when it has one, its id.
 */
export function readSecrets(getInput: (name: string) => string, workspace: string): BuildSecret[] {
  const items = (name: string): string[] => {
    try {
      return parseQuotedList(getInput(name));
    } catch (error) {
      throw new InputError(name, error instanceof Error ? error.message : String(error));
    }
  };
  const pair = (name: string, item: string, n: number, expected: string): [string, string] => {
    const at = item.indexOf('=');
    const id = at > 0 ? item.slice(0, at).trim() : '';
    const rest = at > 0 ? item.slice(at + 1) : '';
    if (!SECRET_ID.test(id) || !rest) {
      const which = SECRET_ID.test(id) ? `item ${n} (id ${id})` : `item ${n}`;
      throw new InputError(name, `${which} is not ${expected}${name === 'secrets' ? ' (its value is not shown)' : ''}`);
    }
    return [id, rest];
  };
  const secrets: BuildSecret[] = [];
  // a file as docker takes it: relative to the step's folder, the workspace; it must be there
  const fileSecret = (name: string, id: string, file: string): BuildSecret => {
    const resolved = path.resolve(workspace, file);
    if (!existsSync(resolved)) throw new InputError(name, `the file of secret ${id} does not exist: ${resolved}`);
    return { id, file: resolved };
  };
  items('secrets').forEach((item, i) => {
    const docker = dockerSecret(item);
    if (docker) {
      secrets.push('file' in docker ? fileSecret('secrets', docker.id, docker.file) : docker);
      return;
    }
    const [id, value] = pair('secrets', item, i + 1, 'id=value');
    secrets.push({ id, value });
  });
  items('secret-files').forEach((item, i) => {
    const [id, file] = pair('secret-files', item, i + 1, 'id=path');
    checkArgument('secret-files', file, /^[^,]+$/, 'a path without commas');
    secrets.push(fileSecret('secret-files', id, file));
  });
  items('secret-envs').forEach((item, i) => {
    const [id, env] = pair('secret-envs', item, i + 1, 'id=VARIABLE');
    checkArgument('secret-envs', env, /^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable');
    secrets.push({ id, env });
  });
  const ids = secrets.map((s) => s.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new InputError('secrets', `secret ${twice} is given twice`);
  return secrets;
}

/**
 * Docker's own form, `id=…,src=…` (or `source=`) or `id=…,env=…` (with an optional `type=file|env`):
 * taken only when every field is one of these keys and the id is a valid one, so a value that merely
 * holds commas stays a value.
 */
export function dockerSecret(item: string): { id: string; file: string } | { id: string; env: string } | undefined {
  const fields = new Map<string, string>();
  for (const field of item.split(',')) {
    const at = field.indexOf('=');
    const key = field.slice(0, at).trim();
    if (at <= 0 || fields.has(key) || !['id', 'src', 'source', 'env', 'type'].includes(key)) return undefined;
    fields.set(key, field.slice(at + 1).trim());
  }
  const id = fields.get('id');
  const file = fields.get('src') ?? fields.get('source');
  const env = fields.get('env');
  const type = fields.get('type');
  if (!id || !SECRET_ID.test(id) || (file === undefined) === (env === undefined)) return undefined;
  if (file !== undefined && file && (type === undefined || type === 'file')) return { id, file };
  if (env !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(env) && (type === undefined || type === 'env')) return { id, env };
  return undefined;
}

/**
 * What to mask of the secrets given as values: each value, and each line of a multi-line one (a log
 * line holds one line of it at most) when it is long enough not to hide common text.
 */
export function secretMasks(secrets: readonly BuildSecret[]): string[] {
  const masks = new Set<string>();
  for (const secret of secrets) {
    if (!('value' in secret)) continue;
    masks.add(secret.value);
    for (const line of secret.value.split(/\r?\n/)) if (line.trim().length >= 4) masks.add(line.trim());
  }
  return [...masks];
}

/**
 * `github-token` as BuildKit takes a Git token: the secret `GIT_AUTH_TOKEN.<host>` for the GitHub server's
 * host, which authenticates the Dockerfile's Git sources there (`ADD https://github.com/acme/lib.git`).
 * None when no token is given or the secrets already hold a Git token for that host or for every host.
 */
export function gitAuthSecret(
  token: string | undefined,
  secrets: readonly BuildSecret[],
  serverUrl: string | undefined
): BuildSecret | undefined {
  if (!token) return undefined;
  const host = new URL(serverUrl || 'https://github.com').host;
  const id = `GIT_AUTH_TOKEN.${host}`;
  if (secrets.some((s) => s.id === 'GIT_AUTH_TOKEN' || s.id === id)) return undefined;
  return { id, value: token };
}
