// One log group per phase, with its duration recorded for the `timings` output and the summary (a phase
// run twice counts both times).
import * as core from '@actions/core';

export class Phases {
  readonly seconds: Record<string, number> = {};
  /** The first phase that threw, for the summary of a failed run. */
  failed: string | undefined;

  async run<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await core.group(name, work);
    } catch (error) {
      this.failed ??= name;
      throw error;
    } finally {
      this.seconds[name] = Math.round(((this.seconds[name] ?? 0) * 1000 + performance.now() - started) / 10) / 100;
    }
  }
}
