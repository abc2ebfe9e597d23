// Runs the image build and reads its metadata.
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BuilderRef } from '../builder/record.js';
import { CommandError, type Exec, run, tail } from '../exec/exec.js';
import type { Config } from '../inputs/config.js';
import { type BuildMetadata, type WheelhouseContexts, cacheImportProblems, imageBuildArgs, parseMetadata } from './args.js';

export class ImageBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageBuildError';
  }
}

export interface BuiltImage {
  readonly metadata: BuildMetadata;
  /** buildx's plain progress. */
  readonly log: string;
}

/** What the image build takes from the run beyond the inputs. */
export interface BuildRun {
  /** The image the last push of the first tag's repository made, by digest (see last-push.ts). */
  readonly lastPush: string | undefined;
  /** The builder's BuildKit takes attestations (0.11 and later). */
  readonly attestations: boolean;
}

export async function buildImage(
  config: Config,
  builder: BuilderRef,
  contexts: WheelhouseContexts,
  workDir: string,
  runFacts: BuildRun,
  file?: string,
  exec: Exec = run
): Promise<BuiltImage> {
  const dir = path.join(workDir, 'build');
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const secretFiles: Record<string, string> = {};
  for (const [i, secret] of config.secrets.entries()) {
    if (!('value' in secret)) continue;
    secretFiles[secret.id] = path.join(dir, `secret-${i}`);
    await fs.writeFile(secretFiles[secret.id]!, secret.value, { mode: 0o600 });
  }
  const metadataFile = path.join(dir, 'metadata.json');
  await fs.rm(metadataFile, { force: true });
  let log = '';
  try {
    const result = await exec(
      'docker',
      imageBuildArgs(config, {
        builder: builder.name,
        contexts,
        metadataFile,
        secretFiles,
        lastPush: runFacts.lastPush,
        attestations: runFacts.attestations,
        file
      }),
      { env: builder.env }
    );
    log = result.stderr + result.stdout;
    for (const problem of cacheImportProblems(log)) {
      if (problem.missing) core.info(`cache-from: ${problem.ref} does not exist yet`);
      else core.warning(`cache-from ${problem.ref} could not be read; built without it: ${problem.reason}`);
    }
  } catch (error) {
    if (error instanceof CommandError) {
      throw new ImageBuildError(`the image build failed:\n${tail(error.stderr, 20)}`);
    }
    throw error;
  } finally {
    await Promise.all(Object.values(secretFiles).map((f) => fs.rm(f, { force: true })));
  }
  const metadata = parseMetadata(await fs.readFile(metadataFile, 'utf8').catch(() => ''));
  core.info(`image: ${metadata.digest ?? 'built (no digest: neither pushed nor loaded)'}`);
  return { metadata, log };
}
