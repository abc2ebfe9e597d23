// Unpacking the target image on the builder ahead of the image build. An install step runs on the
// target image's file system, so a build whose wheelhouse changed waits for BuildKit to pull and unpack
// that image (seconds for a slim image, more for a full one) before its first `pip install`. A small
// build of its own on the same builder starts that work as soon as the builder is up, while the wheels
// are fetched or built; the image build then finds the image unpacked. An exact hit runs no install
// step, so it warms nothing.
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BuilderRef } from './record.js';
import { type Exec, run } from '../exec/exec.js';
import { NO_ATTESTATIONS, ownBuildArgs } from '../wheels/args.js';

/** The warm-up's Dockerfile: a step that runs on the image, so that BuildKit unpacks it (not only pulls it). */
export function warmDockerfile(image: string): string {
  return `FROM ${image}\nRUN ["true"]\n`;
}

/**
 * `buildx build` of the warm-up: no output (the result stays in the builder's cache), no attestation,
 * for the platform the image build builds.
 */
export function warmArgs(builder: string, dockerfile: string, context: string, platform: string): string[] {
  return [...ownBuildArgs(builder, dockerfile), '--platform', platform, ...NO_ATTESTATIONS, context];
}

/**
 * Unpacks `image` for `platform` on the builder. Never rejects: a warm-up that fails (an image without
 * `true`, a builder that went away) only leaves the image build to unpack the image itself.
 */
export async function warmUp(builder: BuilderRef, image: string, platform: string, workDir: string, exec: Exec = run): Promise<void> {
  const dir = path.join(workDir, `warm-${platform.replace(/[^A-Za-z0-9]+/g, '-')}`);
  const context = path.join(dir, 'warm-up');
  const started = performance.now();
  try {
    await fs.mkdir(context, { recursive: true });
    const dockerfile = path.join(dir, 'Dockerfile');
    await fs.writeFile(dockerfile, warmDockerfile(image));
    core.info(`builder: unpacking ${image} (${platform}) for the install steps while the wheels are made`);
    await exec('docker', warmArgs(builder.name, dockerfile, context, platform), { silent: true, env: { ...builder.env } });
    core.info(`builder: ${image} (${platform}) unpacked in ${((performance.now() - started) / 1000).toFixed(1)}s`);
  } catch (error) {
    core.info(
      `builder: ${image} (${platform}) was not unpacked ahead (${(error instanceof Error ? error.message : String(error)).split('\n')[0]}); the image build unpacks it`
    );
  }
}
