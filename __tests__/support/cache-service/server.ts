// A local stand-in for the GitHub Actions cache service (v2: twirp JSON calls plus blob upload and
// download on signed URLs), spoken to by the real @actions/cache client. Entries live on disk; lookups
// honour exact keys, key prefixes, versions and the scopes in the runtime token; faults can be injected.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Scope, scopesFromToken, signToken } from './token.js';

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/';
const ACCOUNT_PATH = '/devstoreaccount1/cache/';

export type Endpoint = 'GetCacheEntryDownloadURL' | 'CreateCacheEntry' | 'FinalizeCacheEntryUpload' | 'upload' | 'download';

export type Fault =
  | { endpoint: Endpoint | '*'; kind: 'status'; status: number; times?: number }
  | { endpoint: Endpoint | '*'; kind: 'non-json' | 'hang' | 'reset'; times?: number }
  | { endpoint: 'download'; kind: 'truncate' | 'corrupt'; times?: number };

export interface Entry {
  id: number;
  key: string;
  version: string;
  scope: string;
  size: number;
  createdAt: number;
  finalized: boolean;
}

export interface Call {
  endpoint: Endpoint;
  status: number;
  key?: string;
  fault?: Fault['kind'];
  /** Bytes sent (download) or received (upload). */
  bytes?: number;
}

interface Index {
  nextId: number;
  entries: Entry[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
  }
}

export class CacheService {
  readonly calls: Call[] = [];
  private faults: Fault[] = [];
  private index: Index = { nextId: 1, entries: [] };
  private readonly secret = randomBytes(32);
  private readonly sockets = new Set<Socket>();
  private server: http.Server | undefined;
  private baseUrl = '';

  /** Every request (but the control ones) is answered this much later: the round trip of a real cache service (the bench's `--cache-latency`). */
  latencyMs = 0;

  private constructor(readonly dir: string) {}

  /** Starts a service storing its entries under `dir` (kept across restarts) on `host`:`port`. */
  static async start(dir: string, port = 0, host = '127.0.0.1'): Promise<CacheService> {
    const service = new CacheService(dir);
    await fs.mkdir(path.join(dir, 'blobs'), { recursive: true });
    try {
      service.index = JSON.parse(await fs.readFile(path.join(dir, 'index.json'), 'utf8')) as Index;
    } catch {
      // a new store
    }
    await service.listen(port, host);
    return service;
  }

  get url(): string {
    return this.baseUrl;
  }

  /** A runtime token whose `ac` claim carries these scopes (Permission: 1 read, 2 write, 3 both). */
  token(scopes: Scope[]): string {
    return signToken(scopes, this.secret);
  }

  /** The variables the runner sets for the v2 cache service. */
  env(scopes: Scope[] = [{ Scope: 'refs/heads/main', Permission: 3 }]): Record<string, string> {
    return {
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: `${this.baseUrl}/`,
      ACTIONS_RUNTIME_TOKEN: this.token(scopes)
    };
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  entries(): Entry[] {
    return this.index.entries.map((e) => ({ ...e }));
  }

  async blob(id: number): Promise<Buffer> {
    return fs.readFile(this.blobPath(id));
  }

  /** Replaces an entry's archive: how the fault cases spoil a saved wheelhouse. */
  async replaceBlob(id: number, data: Buffer): Promise<void> {
    await fs.writeFile(this.blobPath(id), data);
    const entry = this.index.entries.find((e) => e.id === id);
    if (entry) entry.size = data.length;
    await this.persist();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async listen(port: number, host: string): Promise<void> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ code: 'internal', msg: String(error) }));
        } else {
          res.destroy();
        }
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.server = server;
    this.baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
  }

  private takeFault(endpoint: Endpoint): Fault | undefined {
    const i = this.faults.findIndex((f) => f.endpoint === endpoint || f.endpoint === '*');
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    if (fault.times !== undefined && --fault.times <= 0) this.faults.splice(i, 1);
    return fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname.startsWith('/_control/')) return this.control(url, req, res);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    let endpoint: Endpoint;
    if (req.method === 'POST' && url.pathname.startsWith(TWIRP_PREFIX)) {
      endpoint = url.pathname.slice(TWIRP_PREFIX.length) as Endpoint;
    } else if (req.method === 'PUT' && url.pathname.startsWith(ACCOUNT_PATH)) {
      endpoint = 'upload';
    } else if (req.method === 'GET' && url.pathname.startsWith('/download/')) {
      endpoint = 'download';
    } else {
      return this.reply(res, { status: 0 }, 404, { code: 'not_found', msg: 'no route' });
    }
    const call: Call = { endpoint, status: 0 };
    this.calls.push(call);
    const fault = this.takeFault(endpoint);
    if (fault) {
      call.fault = fault.kind;
      if (fault.kind === 'hang') return; // the socket stays open until stop()
      if (fault.kind === 'reset') return void req.socket.destroy();
      if (fault.kind === 'status') {
        const headers: Record<string, string> = fault.status === 429 ? { 'Retry-After': '1' } : {};
        return this.reply(res, call, fault.status, { code: 'unavailable', msg: 'injected fault' }, headers);
      }
      if (fault.kind === 'non-json') {
        call.status = 200;
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return void res.end('<html><body>upstream proxy error</body></html>');
      }
    }
    try {
      if (endpoint === 'upload') return await this.upload(url, req, res, call);
      if (endpoint === 'download') return await this.download(url, res, call, fault?.kind);
      const scopes = this.authorize(req);
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      call.key = typeof body.key === 'string' ? body.key : undefined;
      switch (endpoint) {
        case 'GetCacheEntryDownloadURL':
          return this.reply(res, call, 200, this.lookup(scopes, body));
        case 'CreateCacheEntry':
          return this.reply(res, call, 200, await this.create(scopes, body));
        case 'FinalizeCacheEntryUpload':
          return this.reply(res, call, 200, await this.finalize(scopes, body));
        default:
          throw new HttpError(404, 'bad_route', `no method ${String(endpoint)}`);
      }
    } catch (error) {
      if (error instanceof HttpError) {
        return this.reply(res, call, error.status, { code: error.code, msg: error.message });
      }
      throw error;
    }
  }

  private reply(
    res: http.ServerResponse,
    call: Pick<Call, 'status'>,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
  ): void {
    call.status = status;
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private authorize(req: http.IncomingMessage): Scope[] {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const scopes = scopesFromToken(token, this.secret);
    if (!scopes) throw new HttpError(401, 'unauthenticated', 'missing or invalid runtime token');
    return scopes;
  }

  private lookup(scopes: Scope[], body: Record<string, unknown>): object {
    const key = requireString(body, 'key');
    const version = requireString(body, 'version');
    const restoreKeys = Array.isArray(body.restore_keys) ? body.restore_keys.map(String) : [];
    const keys = [key, ...restoreKeys];
    keys.forEach(checkKey);
    const readable = scopes.filter((s) => (s.Permission & 1) !== 0);
    if (readable.length === 0) throw new HttpError(403, 'permission_denied', 'cache read denied: no readable scope');
    for (const scope of readable) {
      const candidates = this.index.entries
        .filter((e) => e.finalized && e.scope === scope.Scope && e.version === version)
        .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
      for (const k of keys) {
        const hit = candidates.find((e) => e.key === k) ?? candidates.find((e) => e.key.startsWith(k));
        if (hit) {
          return {
            ok: true,
            signed_download_url: `${this.baseUrl}/download/${hit.id}?sig=${this.sign(`download:${hit.id}`)}`,
            matched_key: hit.key
          };
        }
      }
    }
    return { ok: false };
  }

  private writableScope(scopes: Scope[]): string | undefined {
    return scopes.find((s) => (s.Permission & 2) !== 0)?.Scope;
  }

  private async create(scopes: Scope[], body: Record<string, unknown>): Promise<object> {
    const key = requireString(body, 'key');
    const version = requireString(body, 'version');
    checkKey(key);
    const scope = this.writableScope(scopes);
    if (!scope) return { ok: false, message: 'cache write denied: the token has no writable scope' };
    if (this.index.entries.some((e) => e.scope === scope && e.key === key && e.version === version)) {
      throw new HttpError(409, 'already_exists', `an entry with key ${key} exists`);
    }
    const entry: Entry = { id: this.index.nextId++, key, version, scope, size: 0, createdAt: Date.now(), finalized: false };
    this.index.entries.push(entry);
    await this.persist();
    return {
      ok: true,
      signed_upload_url: `${this.baseUrl}${ACCOUNT_PATH}${entry.id}?sig=${this.sign(`upload:${entry.id}`)}`
    };
  }

  private async finalize(scopes: Scope[], body: Record<string, unknown>): Promise<object> {
    const key = requireString(body, 'key');
    const version = requireString(body, 'version');
    const size = Number(body.size_bytes);
    const scope = this.writableScope(scopes);
    const entry = this.index.entries.find((e) => !e.finalized && e.scope === scope && e.key === key && e.version === version);
    if (!entry) return { ok: false, message: `no reserved entry for key ${key}` };
    const stored = await fs.stat(this.blobPath(entry.id)).then(
      (s) => s.size,
      () => -1
    );
    if (stored !== size) return { ok: false, message: `uploaded ${stored} bytes, finalize says ${size}` };
    entry.size = size;
    entry.finalized = true;
    await this.persist();
    return { ok: true, entry_id: String(entry.id) };
  }

  private entryFor(url: URL, action: string, segment: string): Entry {
    const id = Number(segment);
    const entry = this.index.entries.find((e) => e.id === id);
    if (!entry || !this.verify(`${action}:${id}`, url.searchParams.get('sig') ?? '')) {
      throw new HttpError(403, 'AuthenticationFailed', 'bad signature');
    }
    return entry;
  }

  private async upload(url: URL, req: http.IncomingMessage, res: http.ServerResponse, call: Call): Promise<void> {
    let entry: Entry;
    try {
      entry = this.entryFor(url, 'upload', url.pathname.slice(ACCOUNT_PATH.length));
    } catch (error) {
      req.resume();
      if (error instanceof HttpError) return this.reply(res, call, error.status, { code: error.code });
      throw error;
    }
    if (entry.finalized) {
      req.resume();
      return this.reply(res, call, 409, { code: 'BlobImmutable' });
    }
    const comp = url.searchParams.get('comp');
    const blocks = `${this.blobPath(entry.id)}.blocks`;
    if (comp === 'block') {
      const blockId = Buffer.from(url.searchParams.get('blockid') ?? '', 'base64').toString('hex');
      await fs.mkdir(blocks, { recursive: true });
      await pipeline(req, createWriteStream(path.join(blocks, blockId)));
    } else if (comp === 'blocklist') {
      const xml = await readBody(req);
      const ids = [...xml.matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)</g)].map((m) =>
        Buffer.from(m[1] ?? '', 'base64').toString('hex')
      );
      const out = createWriteStream(this.blobPath(entry.id));
      for (const id of ids) {
        await pipeline(createReadStream(path.join(blocks, id)), out, { end: false });
      }
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      await fs.rm(blocks, { recursive: true, force: true });
    } else {
      await pipeline(req, createWriteStream(this.blobPath(entry.id)));
    }
    call.status = 201;
    if (comp !== 'blocklist') call.bytes = Number(req.headers['content-length'] ?? 0);
    res.writeHead(201, {
      ETag: `"0x${entry.id.toString(16)}"`,
      'Last-Modified': new Date().toUTCString(),
      'x-ms-request-id': randomBytes(8).toString('hex'),
      'x-ms-version': '2024-11-04',
      'x-ms-request-server-encrypted': 'true'
    });
    res.end();
  }

  private async download(url: URL, res: http.ServerResponse, call: Call, fault?: Fault['kind']): Promise<void> {
    const entry = this.entryFor(url, 'download', url.pathname.slice('/download/'.length));
    const data = await this.blob(entry.id);
    call.key = entry.key;
    call.status = 200;
    call.bytes = data.length;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(data.length) });
    if (fault === 'truncate') {
      res.write(data.subarray(0, Math.floor(data.length / 2)));
      return void res.destroy();
    }
    if (fault === 'corrupt') {
      const bad = Buffer.from(data);
      for (let i = Math.floor(bad.length / 3); i < bad.length; i += 7) bad[i] = (bad[i] ?? 0) ^ 0xff;
      return void res.end(bad);
    }
    res.end(data);
  }

  private async control(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (url.pathname === '/_control/faults' && req.method === 'POST') {
      this.inject(JSON.parse(await readBody(req)) as Fault);
      return this.reply(res, { status: 0 }, 200, { ok: true });
    }
    if (url.pathname === '/_control/faults' && req.method === 'DELETE') {
      this.clearFaults();
      return this.reply(res, { status: 0 }, 200, { ok: true });
    }
    if (url.pathname === '/_control/entries') return this.reply(res, { status: 0 }, 200, this.entries());
    return this.reply(res, { status: 0 }, 404, { code: 'not_found' });
  }

  private blobPath(id: number): string {
    return path.join(this.dir, 'blobs', String(id));
  }

  private async persist(): Promise<void> {
    const file = path.join(this.dir, 'index.json');
    await fs.writeFile(`${file}.tmp`, JSON.stringify(this.index, null, 1));
    await fs.rename(`${file}.tmp`, file);
  }

  private sign(what: string): string {
    return createHmac('sha256', this.secret).update(what).digest('hex');
  }

  private verify(what: string, sig: string): boolean {
    const expected = Buffer.from(this.sign(what));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw new HttpError(400, 'invalid_argument', `${field} is required`);
  return value;
}

function checkKey(key: string): void {
  if (key.length > 512 || key.includes(',')) throw new HttpError(400, 'invalid_argument', `invalid key: ${key}`);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
