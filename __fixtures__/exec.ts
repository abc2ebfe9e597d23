// A typed stand-in for `run` (src/exec/exec.ts) in unit tests: every call is recorded, and each is
// answered by the first rule whose argument prefix it starts with (by default an exit code of 0 and no
// output). A non-zero exit throws a CommandError unless the call allows failure, as `run` does.
import { CommandError, type Exec, type RunOptions, type RunResult } from '../src/exec/exec.js';

export interface ExecCall {
  readonly program: string;
  readonly args: readonly string[];
  readonly options: RunOptions;
}

export interface ExecRule {
  /** The call's program and first arguments, e.g. `['docker', 'buildx', 'create']`. */
  readonly prefix: readonly string[];
  /** A further condition on the call's arguments (the build of one file among several). */
  readonly when?: (args: readonly string[]) => boolean;
  /** What the call returns (defaults: exit code 0, no output). */
  readonly result?: Partial<RunResult>;
  /** Waits for this before answering (a builder that takes its time to boot). */
  readonly until?: Promise<unknown>;
  /** What the program does besides answering (a build writing its local output). */
  readonly effect?: (call: ExecCall) => Promise<void>;
}

export class FakeExec {
  readonly calls: ExecCall[] = [];

  constructor(private readonly rules: readonly ExecRule[] = []) {}

  readonly run: Exec = async (program, args, options = {}) => {
    this.calls.push({ program, args, options });
    const line = [program, ...args];
    const rule = this.rules.find((r) => r.prefix.every((word, i) => line[i] === word) && (r.when?.(args) ?? true));
    if (rule?.until) await rule.until;
    await rule?.effect?.({ program, args, options });
    const result: RunResult = { exitCode: 0, stdout: '', stderr: '', ...rule?.result };
    if (result.exitCode !== 0 && !options.allowFailure) {
      throw new CommandError(`${program} ${args.slice(0, 2).join(' ')}`.trim(), result.exitCode, result.stderr || result.stdout);
    }
    return result;
  };

  /** The argument arrays of the calls whose arguments start with `prefix` (the program left out). */
  argsOf(...prefix: string[]): (readonly string[])[] {
    return this.calls.filter((c) => prefix.every((word, i) => c.args[i] === word)).map((c) => c.args);
  }
}
