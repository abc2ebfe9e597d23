// Runs the probe build on the builder and reads what the target's interpreter said.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BuilderRef } from '../builder/record.js';
import { type Exec, run } from '../exec/exec.js';
import { localBuildArgs } from '../wheels/args.js';
import { type PythonInfo, parsePythonInfo, probeDockerfile } from './probe.js';

export async function probePython(
  builder: BuilderRef,
  targetImage: string,
  platform: string,
  workDir: string,
  exec: Exec = run
): Promise<PythonInfo> {
  const dir = path.join(workDir, 'probe');
  await fs.mkdir(path.join(dir, 'context'), { recursive: true });
  const dockerfile = path.join(dir, 'Dockerfile');
  await fs.writeFile(dockerfile, probeDockerfile(targetImage));
  const output = path.join(dir, 'out');
  await exec(
    'docker',
    localBuildArgs({ builder: builder.name, dockerfile, context: path.join(dir, 'context'), contexts: {}, platform, output }),
    {
      env: builder.env,
      silent: true
    }
  );
  return parsePythonInfo(await fs.readFile(path.join(output, 'target.json'), 'utf8'));
}
