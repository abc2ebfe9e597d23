// Runs a workflow with nektos/act on the host (`-P ubuntu-latest=-self-hosted`), its own cache server
// off and the runtime variables pointing at the cache service stand-in.
import { execFileSync, spawn } from 'node:child_process';
import { testbed } from './testbed.js';

export interface WorkflowRun {
  exitCode: number;
  log: string;
}

export interface WorkflowOptions {
  workspace: string;
  /** Workflow file relative to the workspace. */
  workflow: string;
  event?: string;
  /** The cache service: ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN for the steps (act sets them itself
   * only when its artifact server runs). */
  cache?: { url: string; token: string };
  /** Variables made available to the steps (`--env`). */
  env?: Record<string, string>;
  /** The `vars` context (`--var`). */
  vars?: Record<string, string>;
  /** Variables of act's own process (e.g. HOME, where act keeps its workspaces). */
  processEnv?: Record<string, string>;
  echo?: boolean;
}

export async function runWorkflow(opts: WorkflowOptions): Promise<WorkflowRun> {
  const args = [
    opts.event ?? 'push',
    '-W',
    opts.workflow,
    '-P',
    'ubuntu-latest=-self-hosted',
    '--no-cache-server',
    '--pull=false',
    '--action-offline-mode'
  ];
  const stepEnv: Record<string, string> = { ...opts.env };
  if (opts.cache) {
    Object.assign(stepEnv, {
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: opts.cache.url,
      ACTIONS_RUNTIME_TOKEN: opts.cache.token
    });
  }
  for (const [k, v] of Object.entries(stepEnv)) args.push('--env', `${k}=${v}`);
  for (const [k, v] of Object.entries(opts.vars ?? {})) args.push('--var', `${k}=${v}`);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('ACTIONS_') && !k.startsWith('GITHUB_') && !k.startsWith('INPUT_')) env[k] = v;
  }
  env.ACT_DISABLE_VERSION_CHECK = '1';
  Object.assign(env, opts.processEnv);
  const child = spawn(testbed.act, args, { cwd: opts.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const collect = (d: Buffer): void => {
    log += d.toString();
    if (opts.echo) process.stdout.write(d);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  return { exitCode, log };
}

/** act reads the repository's git metadata: make `dir` a repository with everything committed. */
export function commitAll(dir: string): void {
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=wheelhouse-buildx', '-c', 'user.email=tests@wheelhouse-buildx.invalid', 'commit', '-qm', 'workspace');
}
