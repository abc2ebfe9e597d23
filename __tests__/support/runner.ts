// Runs a bundled JavaScript action the way the Actions runner does: `node <main>` then `node <post>`,
// with INPUT_* variables, the file commands (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY) and the
// state of main handed to post as STATE_* variables.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseFileCommands } from '../../src/cli/file-commands.js';

export interface StepResult {
  exitCode: number;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
  /** stdout, each line prefixed with the seconds since the step started when it arrived. */
  timed: string;
  warnings: string[];
  errors: string[];
  seconds: number;
}

export interface ActionRun {
  main: StepResult;
  post: StepResult;
}

export interface RunOptions {
  /** The action's folder: holds action.yml and the bundles it names. */
  actionDir: string;
  /** GITHUB_WORKSPACE; the steps run in it. */
  workspace: string;
  /** RUNNER_TEMP (made if missing; the file commands live here too). */
  runnerTemp: string;
  inputs?: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** Echo the steps' output while they run. */
  echo?: boolean;
  /** Called after main, before post: to look at what main left running. */
  betweenSteps?: (main: StepResult) => Promise<void>;
  /**
   * Runs while main does; `cancel` does what the runner does to a cancelled job's step: SIGINT to the
   * step's processes (its process group), SIGKILL a few seconds later.
   */
  whileMain?: (cancel: () => void) => Promise<void>;
  /**
   * Where a step runs: by default `node <script>` here, with this process's environment and `vars`;
   * a runner elsewhere (a pod) gets the script, the step's own variables and the working directory.
   */
  spawnStep?: (script: string, vars: Record<string, string>, cwd: string) => { program: string; args: string[] };
}

/** The entries action.yml names under `runs:` (main, post). */
export async function actionEntries(actionDir: string): Promise<{ main: string; post?: string }> {
  const yml = await fs.readFile(path.join(actionDir, 'action.yml'), 'utf8');
  const entry = (name: string): string | undefined => new RegExp(`^\\s+${name}:\\s*['"]?([^'"\\s]+)`, 'm').exec(yml)?.[1];
  const main = entry('main');
  if (!main) throw new Error(`${actionDir}/action.yml names no main entry`);
  const post = entry('post');
  return post ? { main, post } : { main };
}

function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]));
}

async function runStep(
  script: string,
  opts: RunOptions,
  stepEnv: Record<string, string>,
  files: { output: string; state: string; summary: string },
  whileRunning?: RunOptions['whileMain']
): Promise<StepResult> {
  await Promise.all(Object.values(files).map((f) => fs.writeFile(f, '')));
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) vars[k] = v;
  Object.assign(vars, {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: opts.workspace,
    RUNNER_TEMP: opts.runnerTemp,
    // the runner's tool cache sits beside its temp folder: as new as the runner, as on a hosted runner
    RUNNER_TOOL_CACHE: path.join(path.dirname(opts.runnerTemp), 'tool-cache'),
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ACTION_PATH: opts.actionDir,
    ...stepEnv
  });
  const started = Date.now();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  const { program, args } = opts.spawnStep?.(script, vars, opts.workspace) ?? { program: process.execPath, args: [script] };
  if (!opts.spawnStep) Object.assign(env, vars);
  const child = spawn(program, args, { cwd: opts.workspace, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const group = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const watching = whileRunning?.(() => {
    group('SIGINT');
    setTimeout(() => group('SIGKILL'), 5000).unref();
  });
  let stdout = '';
  let stderr = '';
  let timed = '';
  let lineStart = true;
  child.stdout.on('data', (d: Buffer) => {
    const at = ((Date.now() - started) / 1000).toFixed(3).padStart(7);
    for (const piece of d.toString().split(/(?<=\n)/)) {
      timed += lineStart ? `${at} ${piece}` : piece;
      lineStart = piece.endsWith('\n');
    }
    stdout += d.toString();
    if (opts.echo) process.stdout.write(d);
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (opts.echo) process.stderr.write(d);
  });
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  await watching;
  const commands = (kind: string): string[] =>
    [...stdout.matchAll(new RegExp(`^::${kind}(?: [^:]*)?::(.*)$`, 'gm'))].map((m) => (m[1] ?? '').replace(/%0A/g, '\n'));
  return {
    exitCode,
    outputs: parseFileCommands(await fs.readFile(files.output, 'utf8')),
    state: parseFileCommands(await fs.readFile(files.state, 'utf8')),
    summary: await fs.readFile(files.summary, 'utf8'),
    stdout,
    stderr,
    timed,
    warnings: commands('warning'),
    errors: commands('error'),
    seconds: (Date.now() - started) / 1000
  };
}

/** Runs main, then post (always, as the runner does for an action whose main started). */
export async function runAction(opts: RunOptions): Promise<ActionRun> {
  const entries = await actionEntries(opts.actionDir);
  const commands = path.join(opts.runnerTemp, '_runner_file_commands');
  await fs.mkdir(commands, { recursive: true });
  const files = (step: string): { output: string; state: string; summary: string } => ({
    output: path.join(commands, `${step}-output`),
    state: path.join(commands, `${step}-state`),
    summary: path.join(commands, `${step}-summary`)
  });
  const inputs = inputEnv(opts.inputs ?? {});
  const main = await runStep(path.join(opts.actionDir, entries.main), opts, inputs, files('main'), opts.whileMain);
  if (!entries.post) throw new Error('the action has no post entry');
  if (opts.betweenSteps) await opts.betweenSteps(main);
  const stateEnv = Object.fromEntries(Object.entries(main.state).map(([k, v]) => [`STATE_${k}`, v]));
  const post = await runStep(path.join(opts.actionDir, entries.post), opts, { ...inputs, ...stateEnv }, files('post'));
  return { main, post };
}
