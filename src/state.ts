// The hand-off from main to post: one typed, versioned value, saved whenever it changes so that post
// knows what to save and what to remove even when main failed half-way.
import * as core from '@actions/core';
import type { CacheConfig } from './inputs/config.js';
import type { BuilderRecord } from './builder/record.js';
import type { CachedDir } from './cache/backend.js';

export const STATE_NAME = 'wheelhouse-buildx';
export const STATE_VERSION = 5;

export interface PendingSave {
  readonly entry: CachedDir;
  readonly key: string;
  /** The folder differs from what was restored (so it is worth saving). */
  readonly changed: boolean;
  /**
   * Where the folder waits when main went on to use the entry's folder for another platform (beside it,
   * on the same file system): post moves it back before saving, so the entry is the one a step of that
   * platform alone saves.
   */
  readonly staged?: string;
}

export interface State {
  readonly version: typeof STATE_VERSION;
  /** The cache settings; once main has chosen, `backend` is the one it chose (`actions`, `local` or `none`), never `auto`. */
  cache: Pick<CacheConfig, 'backend' | 'localDir' | 'scope' | 'timeoutSeconds' | 'save'>;
  builder?: BuilderRecord;
  /** Set once the wheel build succeeded (or was not needed): only then are caches saved. */
  saves: PendingSave[];
  /** Files to remove in post, after the builder (secrets written for the build, the kubeconfig). */
  scratch: string[];
}

export function newState(cache: State['cache']): State {
  return { version: STATE_VERSION, cache, saves: [], scratch: [] };
}

export function saveState(state: State): void {
  core.saveState(STATE_NAME, JSON.stringify(state));
}

/** The state main left, or undefined when main did not get far enough (or left another version). */
export function loadState(): State | undefined {
  const raw = core.getState(STATE_NAME);
  if (!raw) return undefined;
  try {
    const state = JSON.parse(raw) as State;
    return state.version === STATE_VERSION ? state : undefined;
  } catch {
    return undefined;
  }
}
