// The tar guard answered by the step's own process: the bash shim sends an extraction to the server
// over /dev/tcp, and the real tar runs only on an answer with the shim's token. Real bash, GNU tar and
// zstd, archives made as @actions/cache makes them.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type GuardServer, parseRequest, startGuardServer, verdictLine } from '../../../src/cache/tar-guard-server.js';
import { TAR_REPORT, TAR_ROOT, installTarGuard, shimScript } from '../../../src/cache/tar-shim.js';

describe('parseRequest', () => {
  const nul = (...fields: string[]): Buffer => Buffer.from(fields.map((f) => `${f}\0`).join(''));
  it.each<[string, Buffer, ReturnType<typeof parseRequest>]>([
    ['a whole request', nul('t0k', '2', '/w', '-xf', 'a b.tar'), { token: 't0k', cwd: '/w', args: ['-xf', 'a b.tar'] }],
    ['no arguments', nul('t0k', '0', '/w'), { token: 't0k', cwd: '/w', args: [] }],
    ['an argument still to come', nul('t0k', '2', '/w', '-xf'), undefined],
    ['a field cut short', Buffer.from('t0k\x002\x00/w\x00-xf\x00a b.t'), undefined],
    ['nothing yet', Buffer.alloc(0), undefined],
    ['a count that is not one', nul('t0k', 'x', '/w'), undefined],
    ['no count', nul('t0k', '', '/w'), undefined]
  ])('%s', (_, data, expected) => {
    expect(parseRequest(data)).toEqual(expected);
  });
});

describe('verdictLine', () => {
  it('answers ok with the token, or the refusal on one line', () => {
    expect(verdictLine(undefined, 'abc')).toBe('ok abc\n');
    expect(verdictLine("refusing to extract the cache archive: 'a\nb' is a link", 'abc')).toBe(
      "refusing to extract the cache archive: 'a b' is a link\n"
    );
  });
});

describe('an extraction checked by the step’s own process', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'tar-guard-server-'));
  const root = path.join(work, 'home', '.cache', 'wheelhouse-buildx');
  const workspace = path.join(work, 'w', 'o', 'r', 'k');
  mkdirSync(root, { recursive: true });
  mkdirSync(workspace, { recursive: true });
  const tar = execFileSync('sh', ['-c', 'command -v tar'], { encoding: 'utf8' }).trim();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, RUNNER_TEMP: work };
  let server: GuardServer;
  let shim: string;

  const archiveOf = (name: string, folder: string, files: Record<string, string>): string => {
    const dir = path.join(root, folder);
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
    const archive = path.join(work, name);
    execFileSync(tar, [
      '--posix',
      '-cf',
      archive,
      '-P',
      '-C',
      workspace,
      path.relative(workspace, dir),
      '--use-compress-program',
      'zstdmt'
    ]);
    rmSync(dir, { recursive: true });
    return archive;
  };
  // run apart from this process's event loop: the server answering is in this process
  const extract = (archive: string, tarPath = shim): Promise<{ status: number; stderr: string }> =>
    new Promise((resolve) => {
      execFile(tarPath, ['-xf', archive, '-P', '-C', workspace, '--use-compress-program', 'unzstd'], { env }, (error, _, stderr) =>
        resolve({ status: error ? Number(error.code) : 0, stderr })
      );
    });

  afterAll(() => server?.close());

  it('installs a bash shim that asks the server, with the root and report for it', async () => {
    server = await startGuardServer(env);
    expect(installTarGuard(path.join(work, 'no-guard-entry.js'), root, env, server)).toBe(true);
    shim = path.join(env.PATH!.split(path.delimiter)[0]!, 'tar');
    const text = readFileSync(shim, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^#!\/.*bash$/);
    expect(text).toContain(`/dev/tcp/127.0.0.1/${server.port}`);
    expect(env[TAR_ROOT]).toBe(root);
  });

  it('extracts an archive of the cache folder once the server has read it', async () => {
    const archive = archiveOf('good.tzst', 'wheelhouse', { 'a b.whl': 'wheel' });
    const before = server.checked;
    const run = await extract(archive);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(root, 'wheelhouse', 'a b.whl'), 'utf8')).toBe('wheel');
    expect(server.checked).toBe(before + 1);
  });

  it('refuses an archive with a link: tar does not run, the report says why', async () => {
    mkdirSync(path.join(root, 'linked'), { recursive: true });
    execFileSync('ln', ['-sf', '/etc/passwd', path.join(root, 'linked', 'evil.whl')]);
    const archive = archiveOf('link.tzst', 'linked', {});
    const run = await extract(archive);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      "wheelhouse-buildx: refusing to extract the cache archive: '../../../../home/.cache/wheelhouse-buildx/linked/evil.whl' is a link"
    );
    expect(existsSync(path.join(root, 'linked'))).toBe(false);
    expect(readFileSync(env[TAR_REPORT]!, 'utf8')).toContain('is a link');
  });

  it('runs anything but an extraction at once, without asking', () => {
    const before = server.checked;
    expect(spawnSync(shim, ['--version'], { encoding: 'utf8', env }).stdout).toMatch(/tar/);
    expect(server.checked).toBe(before);
  });

  it('refuses when its request does not carry the token, or nothing answers', async () => {
    const archive = archiveOf('good2.tzst', 'wheelhouse', { 'c.whl': 'wheel' });
    const bash = readFileSync(shim, 'utf8').split('\n')[0]!.slice(2);
    const other = path.join(work, 'other-token-tar');
    writeFileSync(other, shimScript(tar, { kind: 'server', bash, port: server.port, token: 'not-the-token' }), { mode: 0o700 });
    const before = server.checked;
    const refused = await extract(archive, other);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('wheelhouse-buildx: the tar guard did not answer');
    expect(server.checked).toBe(before); // a request without the token has nothing read
    expect(existsSync(path.join(root, 'wheelhouse', 'c.whl'))).toBe(false);
    const gone = await startGuardServer(env);
    gone.close();
    const unanswered = path.join(work, 'unanswered-tar');
    writeFileSync(unanswered, shimScript(tar, { kind: 'server', bash, port: gone.port, token: gone.token }), { mode: 0o700 });
    const run = await extract(archive, unanswered);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('wheelhouse-buildx: the tar guard did not answer');
    expect(existsSync(path.join(root, 'wheelhouse', 'c.whl'))).toBe(false);
  });

  it('falls back to the guard entry in node when there is no bash to reach the server', () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'tar-guard-nobash-'));
    execFileSync('ln', ['-s', tar, path.join(bin, 'tar')]);
    const guard = path.join(bin, 'guard.js');
    writeFileSync(guard, '');
    const bare: NodeJS.ProcessEnv = { PATH: bin, RUNNER_TEMP: bin };
    expect(installTarGuard(guard, root, bare, server)).toBe(true);
    const text = readFileSync(path.join(bare.PATH!.split(path.delimiter)[0]!, 'tar'), 'utf8');
    expect(text.split('\n')[0]).toBe('#!/bin/sh');
    expect(text).toContain(`'${guard}' "$@"`);
  });
});
