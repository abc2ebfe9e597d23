// The warm-up build: a step on the target image for the platform built, no output and no attestation, in
// a context of its own; a warm-up that fails is a note, never an error.
import { describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FakeExec } from '../../../__fixtures__/exec.js';
import { capturedLog, scratchDir } from '../../../__fixtures__/step.js';
import { warmArgs, warmDockerfile, warmUp } from '../../../src/builder/warm.js';

const log = capturedLog();
const scratch = scratchDir('warm');
const BUILDER = { name: 'b', env: { DOCKER_CONFIG: '/cfg' } };

describe('warmArgs', () => {
  it.each([
    ['linux/amd64', ['--platform', 'linux/amd64']],
    ['linux/arm64', ['--platform', 'linux/arm64']]
  ])('%s: builds the context for that platform, with no output and no attestation', (platform, expected) => {
    const args = warmArgs('b', '/w/Dockerfile', '/w/warm-up', platform);
    expect(args.slice(0, 4)).toEqual(['buildx', 'build', '--builder', 'b']);
    expect(args).toEqual(expect.arrayContaining([...expected, '--provenance=false', '--sbom=false']));
    expect(args).not.toContain('--output');
    expect(args).not.toContain('--push');
    expect(args.at(-1)).toBe('/w/warm-up');
  });
});

describe('warmDockerfile', () => {
  it('runs a step on the image, so that it is unpacked and not only pulled', () => {
    expect(warmDockerfile('registry.example/python:3.11')).toBe('FROM registry.example/python:3.11\nRUN ["true"]\n');
  });
});

describe('warmUp', () => {
  it("builds on the run's builder with its environment, from a Dockerfile naming the image", async () => {
    const exec = new FakeExec();
    await warmUp(BUILDER, 'registry.example/python:3.11', 'linux/arm64', scratch(), exec.run);
    const [call] = exec.calls;
    expect(call?.options.env).toEqual({ DOCKER_CONFIG: '/cfg' });
    const file = call!.args[call!.args.indexOf('--file') + 1]!;
    expect(await fs.readFile(file, 'utf8')).toBe(warmDockerfile('registry.example/python:3.11'));
    expect(path.basename(call!.args.at(-1)!)).toBe('warm-up');
    expect(log()).toMatch(/builder: registry\.example\/python:3\.11 \(linux\/arm64\) unpacked in \d+\.\ds/);
  });

  it('a warm-up that fails is a note, and does not reject', async () => {
    const exec = new FakeExec([{ prefix: ['docker', 'buildx', 'build'], result: { exitCode: 1, stderr: 'exec: "true": not found' } }]);
    await expect(warmUp(BUILDER, 'gcr.example/distroless', 'linux/amd64', scratch(), exec.run)).resolves.toBeUndefined();
    expect(log()).toContain('builder: gcr.example/distroless (linux/amd64) was not unpacked ahead');
    expect(log()).not.toContain('::warning::');
  });
});
