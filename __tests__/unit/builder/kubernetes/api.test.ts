// The action's own API client reaches the API as client-go does: through the cluster's proxy-url or the
// runner's HTTPS_PROXY (not for NO_PROXY's hosts or loopback), checking the certificate against
// tls-server-name, and running an exec plugin again when its token expires or is refused. Against a real
// HTTPS server and a real CONNECT proxy on 127.0.0.1, with a certificate made by openssl for a name
// that is not the server's address.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { type AddressInfo, type Socket, connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { KubeApi, bypassesProxy, proxyFor } from '../../../../src/builder/kubernetes/api.js';
import type { ApiAccess, Credentials } from '../../../../src/builder/kubernetes/kubeconfig.js';

describe('bypassesProxy (NO_PROXY as Go reads it)', () => {
  it.each<[string, string, string | undefined, boolean]>([
    ['api.example.com', '443', undefined, false],
    ['localhost', '6443', undefined, true],
    ['127.0.0.1', '6443', undefined, true],
    ['[::1]', '6443', undefined, true],
    ['api.example.com', '443', '*', true],
    ['api.example.com', '443', 'example.com', true],
    ['example.com', '443', 'example.com', true],
    ['api.example.com', '443', '.example.com', true],
    ['api.example.com', '443', '*.example.com', true],
    ['api.example.org', '443', 'example.com', false],
    ['notexample.com', '443', 'example.com', false],
    ['api.example.com', '443', 'api.example.com:443', true],
    ['api.example.com', '443', 'api.example.com:6443', false],
    ['10.1.2.3', '443', '10.0.0.0/8', true],
    ['11.1.2.3', '443', '10.0.0.0/8', false],
    ['10.1.2.3', '443', '10.1.2.3', true],
    ['api.example.com', '443', ' foo.com , EXAMPLE.COM ', true]
  ])('%s:%s with NO_PROXY=%s → %s', (host, port, noProxy, expected) => {
    expect(bypassesProxy(host, port, noProxy)).toBe(expected);
  });
});

describe('proxyFor', () => {
  const env = { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.internal' };
  it.each<[string, Partial<ApiAccess>, NodeJS.ProcessEnv, string | undefined]>([
    ['the runner HTTPS_PROXY', { server: 'https://api.eks.example:443' }, env, 'http://proxy.corp:3128'],
    ['lower-case https_proxy', { server: 'https://api.eks.example' }, { https_proxy: 'http://p:1' }, 'http://p:1'],
    ['NO_PROXY holds the host', { server: 'https://k8s.internal' }, env, undefined],
    ['no proxy set', { server: 'https://api.eks.example' }, {}, undefined],
    [
      "the cluster's proxy-url before the runner's",
      { server: 'https://k8s.internal', proxyUrl: 'http://cluster-proxy:8080' },
      env,
      'http://cluster-proxy:8080'
    ]
  ])('%s', (_, access, e, expected) => {
    expect(proxyFor({ server: 'https://x', ...access }, e)).toBe(expected);
  });
});

describe('KubeApi against a real HTTPS server', () => {
  let dir: string;
  let cert: string;
  let server: https.Server;
  let port: number;
  let proxy: http.Server;
  let proxyPort: number;
  const tunnels: string[] = [];
  const sockets: Socket[] = [];
  /** Tokens the server takes; every request's Authorization is recorded. */
  let accepted = new Set<string>(['good-token']);
  const seen: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kube-api-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=api.internal.test',
        '-addext',
        'subjectAltName=DNS:api.internal.test',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem')
      ],
      { stdio: 'ignore' }
    );
    cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    server = https.createServer({ cert, key: readFileSync(path.join(dir, 'key.pem')) }, (req, res) => {
      const auth = req.headers.authorization ?? '';
      seen.push(auth);
      if (!accepted.has(auth.replace(/^Bearer /, ''))) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Status', message: 'Unauthorized' }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: req.url, method: req.method }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    // a CONNECT proxy that tunnels every host it is asked for to the server above
    proxy = http.createServer((_, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client, head) => {
      tunnels.push(req.url ?? '');
      sockets.push(client as Socket);
      const upstream = connect(port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.push(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyPort = (proxy.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    server.closeAllConnections();
    proxy.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => proxy.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const access = (over: Partial<ApiAccess> = {}, credentials: Credentials = { kind: 'token', token: 'good-token' }): ApiAccess => ({
    source: 'test',
    server: `https://127.0.0.1:${port}`,
    ca: cert,
    insecure: false,
    credentials,
    namespace: undefined,
    ...over
  });

  it("checks the certificate against tls-server-name when the server's address is not its name", async () => {
    await expect(new KubeApi(access({ serverName: 'api.internal.test' }), 5000, {}).get('/version')).resolves.toEqual({
      path: '/version',
      method: 'GET'
    });
    await expect(new KubeApi(access(), 5000, {}).get('/version')).rejects.toThrow(/IP: 127\.0\.0\.1 is not in the cert's list/);
  });

  it("goes through the cluster's proxy-url", async () => {
    tunnels.length = 0;
    const api = new KubeApi(access({ serverName: 'api.internal.test', proxyUrl: `http://127.0.0.1:${proxyPort}` }), 5000, {});
    await expect(api.get('/api')).resolves.toMatchObject({ path: '/api' });
    expect(tunnels).toEqual([`127.0.0.1:${port}`]);
  });

  it("goes through the runner's HTTPS_PROXY for a named server, and sends a PATCH as a merge patch", async () => {
    tunnels.length = 0;
    const api = new KubeApi(access({ server: `https://api.internal.test:${port}` }), 5000, {
      HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`
    });
    await expect(api.patch('/apis/apps/v1/x', { metadata: {} })).resolves.toEqual({ path: '/apis/apps/v1/x', method: 'PATCH' });
    expect(tunnels).toEqual([`api.internal.test:${port}`]);
  });

  it('refuses a SOCKS proxy with a message (the preflight then goes on without the API)', async () => {
    const api = new KubeApi(access({ proxyUrl: 'socks5://127.0.0.1:1080' }), 5000, {});
    await expect(api.get('/api')).rejects.toThrow("the proxy socks5://… is not one the action's own API calls can use");
  });

  /** An exec plugin (as `aws eks get-token`) that hands out tok-1, tok-2, … expiring in `seconds`. */
  function plugin(seconds: number): Credentials {
    const counter = path.join(dir, `count-${seconds}`);
    writeFileSync(counter, '0');
    const script = path.join(dir, `plugin-${seconds}.cjs`);
    writeFileSync(
      script,
      `const fs = require('fs'); const n = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1;
fs.writeFileSync(${JSON.stringify(counter)}, String(n));
console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential',
  status: { token: 'tok-' + n, expirationTimestamp: new Date(Date.now() + ${seconds} * 1000).toISOString() } }));`
    );
    return { kind: 'exec', command: process.execPath, args: [script], env: {} };
  }

  it('runs an exec plugin once while its token is good, and again when it expires or the server refuses it', async () => {
    accepted = new Set(['tok-1', 'tok-2', 'tok-3']);
    seen.length = 0;
    const lasting = new KubeApi(access({ serverName: 'api.internal.test' }, plugin(900)), 5000, {});
    await lasting.get('/a');
    await lasting.get('/b');
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-1']);

    seen.length = 0;
    // expires within the margin: each call gets a fresh token
    const expiring = new KubeApi(access({ serverName: 'api.internal.test' }, plugin(5)), 5000, {});
    await expiring.get('/a');
    await expiring.get('/b');
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-2']);

    seen.length = 0;
    accepted = new Set(['tok-2']);
    // the server no longer takes tok-1 (revoked, clock skew): the plugin runs again, the call is made once more
    const refused = new KubeApi(access({ serverName: 'api.internal.test' }, plugin(900)), 5000, {});
    await expect(refused.get('/c')).resolves.toMatchObject({ path: '/c' });
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });
});
