// The one way the action runs a program: an argument array (never a shell string), the command line at
// debug level, output streamed to the log unless asked otherwise, and a failure turned into an error
// that carries the tail of stderr.
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Data written to the program's standard input. */
  input?: string;
  /** Keep the program's output out of the log (it is still returned). */
  silent?: boolean;
  /** Return a non-zero exit instead of throwing. */
  allowFailure?: boolean;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The shape of `run`: what a phase that runs programs receives, so that a unit test hands it a fake. */
export type Exec = (program: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

/** The shape of `startDetached`. */
export type Detach = (program: string, args: readonly string[]) => void;

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number,
    readonly stderr: string
  ) {
    super(`${command} failed with exit code ${exitCode}${stderr ? `:\n${tail(stderr, 30)}` : ''}`);
    this.name = 'CommandError';
  }
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export async function run(program: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const shown = [program, ...args].join(' ');
  core.debug(`run: ${shown}`);
  let result: RunResult;
  try {
    result = await getExecOutput(program, [...args], {
      cwd: options.cwd,
      env: options.env ? { ...stringEnv(), ...options.env } : undefined,
      input: options.input === undefined ? undefined : Buffer.from(options.input),
      // @actions/exec would print the command line at info level: keep it at debug, stream the output.
      silent: true,
      listeners: options.silent
        ? {}
        : { stdout: (data: Buffer) => process.stdout.write(data), stderr: (data: Buffer) => process.stdout.write(data) },
      ignoreReturnCode: true
    });
  } catch (error) {
    // the program could not be started (not installed, not executable)
    throw new CommandError(program, 127, error instanceof Error ? error.message : String(error));
  }
  if (result.exitCode !== 0 && !options.allowFailure) {
    throw new CommandError(`${program} ${args.slice(0, 2).join(' ')}`.trim(), result.exitCode, result.stderr || result.stdout);
  }
  return result;
}

/**
 * Starts a program the step does not wait for (nor learns the result of): cleanup that may finish
 * after the step, such as deleting a volume. It is not a child the runner's job cleanup would stop.
 */
export function startDetached(program: string, args: readonly string[]): void {
  core.debug(`start: ${[program, ...args].join(' ')}`);
  try {
    const child = spawn(program, [...args], { detached: true, stdio: 'ignore' });
    child.on('error', (error) => core.debug(`${program}: ${error.message}`));
    child.unref();
  } catch (error) {
    core.debug(`${program}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function stringEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return env;
}
