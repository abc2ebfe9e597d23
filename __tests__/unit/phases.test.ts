// Phases: each one's seconds recorded (a phase run twice counts both times), the first that threw named.
import { describe, expect, it } from '@jest/globals';
import { Phases } from '../../src/phases.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Phases', () => {
  it('records each phase’s seconds and returns what it gave', async () => {
    const phases = new Phases();
    const keys = async (): Promise<string> => {
      await pause(30);
      return 'k';
    };
    expect(await phases.run('keys', keys)).toBe('k');
    await phases.run('build', () => pause(10));
    expect(Object.keys(phases.seconds)).toEqual(['keys', 'build']);
    expect(phases.seconds.keys).toBeGreaterThanOrEqual(0.02);
    expect(phases.failed).toBeUndefined();
  });

  it('adds up a phase run twice', async () => {
    const phases = new Phases();
    await phases.run('keys', () => pause(30));
    const once = phases.seconds.keys!;
    await phases.run('keys', () => pause(30));
    expect(phases.seconds.keys).toBeGreaterThanOrEqual(once + 0.02);
  });

  it('names the first phase that threw, rethrows, and still records its time', async () => {
    const phases = new Phases();
    await expect(phases.run('wheels', () => Promise.reject(new Error('pip failed')))).rejects.toThrow('pip failed');
    await expect(phases.run('build', () => Promise.reject(new Error('later')))).rejects.toThrow('later');
    expect(phases.failed).toBe('wheels');
    expect(Object.keys(phases.seconds)).toEqual(['wheels', 'build']);
  });
});
