// The image build against a fake buildx: a secret given as a value reaches buildx as a file of mode 0600
// that is gone once the build ends (also when it fails), the digest comes from the metadata file, a
// cache-from image that does not exist yet is a note while one that cannot be read is a warning, and a
// failed build is one error with buildx's last lines.
import { describe, expect, it } from '@jest/globals';
import { existsSync, promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { FakeExec } from '../../../__fixtures__/exec.js';
import { fakeGetInput } from '../../../__fixtures__/inputs.js';
import { ImageBuildError, buildImage } from '../../../src/build/build.js';
import { type Config, readConfig } from '../../../src/inputs/config.js';
import { capturedLog, scratchDir } from '../../../__fixtures__/step.js';

const DIGEST = `sha256:${'d'.repeat(64)}`;
const RUN = { lastPush: undefined, attestations: true };
const CONTEXTS = { wheelhouse: '/w/wheelhouse', base: '/w/base' };

const log = capturedLog();
const scratch = scratchDir('build');

const config = (values: Record<string, string> = {}): Config =>
  readConfig(fakeGetInput({ context: '__fixtures__/platforms-app', tags: 'registry.example/app:1', push: 'true', ...values }), {
    GITHUB_WORKSPACE: process.cwd()
  });

/** The value after `flag` in the build's arguments. */
const after = (args: readonly string[], flag: string): string[] => args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));

/** A buildx whose build writes the metadata file and prints `log`, having seen the secret files as they were. */
function buildx(log = '', seen: { mode?: number; text?: string } = {}): FakeExec {
  return new FakeExec([
    {
      prefix: ['docker', 'buildx', 'build'],
      result: { stderr: log },
      effect: async ({ args }) => {
        const secret = after(args, '--secret').find((s) => s.startsWith('id=token,'));
        if (secret) {
          const file = secret.replace(/^id=token,src=/, '');
          seen.mode = statSync(file).mode & 0o777;
          seen.text = await fs.readFile(file, 'utf8');
        }
        await fs.writeFile(after(args, '--metadata-file')[0]!, JSON.stringify({ 'containerimage.digest': DIGEST }));
      }
    }
  ]);
}

/** The image build of the inputs `values` with `exec` as buildx. */
const build = (exec: FakeExec, values: Record<string, string> = {}) =>
  buildImage(config(values), { name: 'b', env: {} }, CONTEXTS, scratch(), RUN, undefined, exec.run);

describe('buildImage', () => {
  it('a secret value reaches buildx as a file only its owner reads, removed once the build ends; the digest from the metadata', async () => {
    const seen: { mode?: number; text?: string } = {};
    const exec = buildx('', seen);
    const built = await build(exec, { secrets: 'token=s3cr3t' });
    expect(built.metadata.digest).toBe(DIGEST);
    expect(seen).toEqual({ mode: 0o600, text: 's3cr3t' });
    const file = after(exec.argsOf('buildx', 'build')[0]!, '--secret')[0]!.replace(/^id=token,src=/, '');
    expect(existsSync(file)).toBe(false);
    // the value itself is on no command line
    expect(exec.calls.some((c) => c.args.some((a) => a.includes('s3cr3t')))).toBe(false);
    expect(log()).toContain(`image: ${DIGEST}`);
  });

  it('a cache-from image that does not exist yet is a note; one that cannot be read is a warning', async () => {
    const progress = [
      '#6 importing cache manifest from registry.example/app:latest',
      '#6 ERROR: failed to configure registry cache importer: registry.example/app:latest: not found',
      '#7 importing cache manifest from 127.0.0.1:9/x:latest',
      '#7 ERROR: failed to configure registry cache importer: dial tcp 127.0.0.1:9: connect: connection refused'
    ].join('\n');
    await build(buildx(progress));
    const out = log();
    expect(out).toContain('cache-from: registry.example/app:latest does not exist yet');
    expect(out).toContain('::warning::cache-from 127.0.0.1:9/x:latest could not be read; built without it: dial tcp 127.0.0.1:9');
  });

  it('a failed build is one error with the last lines of buildx, and the secret files are gone', async () => {
    const exec = new FakeExec([
      {
        prefix: ['docker', 'buildx', 'build'],
        result: { exitCode: 1, stderr: 'ERROR: failed to solve: process "/bin/sh -c false" did not complete' }
      }
    ]);
    const error = await build(exec, { secrets: 'token=s3cr3t' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageBuildError);
    expect((error as Error).message).toBe('the image build failed:\nERROR: failed to solve: process "/bin/sh -c false" did not complete');
    expect(await fs.readdir(path.join(scratch(), 'build'))).toEqual([]);
  });
});
