// One job on a fresh runner with the test bed's inputs, which must end without an error.
import { expect } from '@jest/globals';
import type { CacheService } from './cache-service/server.js';
import { runOnFreshRunner, testbedInputs } from './scenario.js';

export async function cleanRun(
  root: string,
  workspace: string,
  service: CacheService,
  tag: string,
  extra: Record<string, string> = {}
): Promise<Awaited<ReturnType<typeof runOnFreshRunner>>> {
  const result = await runOnFreshRunner(root, workspace, { ...testbedInputs(tag), ...extra }, service);
  expect(result.main.errors).toEqual([]);
  expect(result.main.exitCode).toBe(0);
  return result;
}
