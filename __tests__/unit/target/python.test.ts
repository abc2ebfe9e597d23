// The target's Python, probed in the target image on the builder (a fake buildx whose build writes what
// the interpreter says) and cached by the image's digest in a real local cache: a first run probes and
// saves, the next finds the answer without waiting for the builder, a moved tag probes again, and an
// image without the platform asked for is one error naming both.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeExec } from '../../../__fixtures__/exec.js';
import { MemoryLog } from '../../../__fixtures__/cache.js';
import { type GuardedCache, guarded } from '../../../src/cache/guard.js';
import { localBackend } from '../../../src/cache/local.js';
import { InputError } from '../../../src/inputs/errors.js';
import type { PythonInfo } from '../../../src/target/probe.js';
import { targetPython } from '../../../src/target/python.js';

const IMAGE = 'registry.example/python:3.11-slim';
const BUILDER = { name: 'b', env: {} };
const CP311: PythonInfo = { implementation: 'cpython', version: [3, 11], libc: ['glibc', '2.36'], musl: false, distributions: ['pip'] };
const digest = (c: string): string => `sha256:${c.repeat(64)}`;

/** What `imagetools inspect --format '{{json .}}'` prints of an index of `platforms`. */
const inspected = (d: string, platforms: string[]): string =>
  JSON.stringify({
    manifest: {
      digest: d,
      manifests: platforms.map((p) => ({ platform: { os: p.split('/')[0], architecture: p.split('/')[1] } }))
    }
  });

/** A buildx whose registry serves IMAGE at `d` for `platforms`, and whose probe build writes CP311. */
function buildx(d: string, platforms = ['linux/amd64', 'linux/arm64']): FakeExec {
  return new FakeExec([
    { prefix: ['docker', 'buildx', 'imagetools', 'inspect'], result: { stdout: inspected(d, platforms) } },
    {
      prefix: ['docker', 'buildx', 'build'],
      effect: async ({ args }) => {
        const out = args[args.indexOf('--output') + 1]!.replace(/^type=local,dest=/, '');
        await fs.mkdir(out, { recursive: true });
        await fs.writeFile(path.join(out, 'target.json'), JSON.stringify(CP311));
      }
    }
  ]);
}

let root: string;
let cache: GuardedCache;
let booted: number;
const ready = async (): Promise<void> => {
  booted++;
};
const home = process.env.HOME;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'target-python-'));
  process.env.HOME = path.join(root, 'home');
  cache = guarded(
    localBackend(path.join(root, 'store'), { repository: 'acme/app', ref: 'refs/heads/main', reads: ['refs/heads/main'] }),
    30,
    new MemoryLog()
  );
  booted = 0;
});

afterEach(async () => {
  process.env.HOME = home;
  await fs.rm(root, { recursive: true, force: true });
});

/** One run's probe, and its save made as post makes it. */
async function probe(exec: FakeExec, platform = 'linux/amd64') {
  const workDir = await fs.mkdtemp(path.join(root, 'work-'));
  const found = await targetPython(BUILDER, IMAGE, platform, workDir, cache, ready, exec.run);
  if (found.save) await cache.save(found.save.entry, found.save.key);
  return found;
}

describe('targetPython', () => {
  it('a first run probes on the builder, for the platform asked, and saves the answer by digest', async () => {
    const exec = buildx(digest('a'));
    const found = await probe(exec, 'linux/arm64');
    expect(found.info).toEqual(CP311);
    expect(found.save?.key).toMatch(/^wheelhouse-probe-v\d+-linux-arm64-[0-9a-f]{16}-a{32}$/);
    expect(booted).toBe(1);
    const build = exec.argsOf('buildx', 'build')[0]!;
    expect(build[build.indexOf('--platform') + 1]).toBe('linux/arm64');
  });

  it('the next run with the same digest reads the saved answer and never waits for the builder', async () => {
    await probe(buildx(digest('a')));
    const again = buildx(digest('a'));
    const found = await probe(again);
    expect(found).toEqual({ info: CP311, save: undefined });
    expect(again.argsOf('buildx', 'build')).toEqual([]);
    expect(booted).toBe(1);
  });

  it('a tag that moved to another digest probes again and saves under the new digest', async () => {
    await probe(buildx(digest('a')));
    const moved = buildx(digest('b'));
    const found = await probe(moved);
    expect(found.save?.key).toMatch(/-b{32}$/);
    expect(moved.argsOf('buildx', 'build')).toHaveLength(1);
  });

  it('a registry that cannot be asked: the probe runs, and nothing is saved (no digest to key it by)', async () => {
    const probing = buildx(digest('a'));
    // the same buildx, whose registry refuses to answer
    const refusing = new FakeExec([
      { prefix: ['docker', 'buildx', 'imagetools', 'inspect'], result: { exitCode: 1, stderr: 'unauthorized' } },
      {
        prefix: ['docker', 'buildx', 'build'],
        effect: async (call) => {
          await probing.run(call.program, call.args, call.options);
        }
      }
    ]);
    const found = await probe(refusing);
    expect(found).toEqual({ info: CP311, save: undefined });
  });

  it('an image without a variant for the platform is one error naming the image and its platforms', async () => {
    const error = await probe(buildx(digest('a'), ['linux/amd64']), 'linux/arm64').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `input 'platforms': the target image ${IMAGE} has no linux/arm64 variant (it is published for linux/amd64): build for one of those, or base the image on one published for linux/arm64`
    );
  });
});
