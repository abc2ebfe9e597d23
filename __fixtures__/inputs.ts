// A typed stand-in for @actions/core's getInput: inputs from a Record, checked against the inputs
// action.yml declares, and optionally with action.yml's defaults filled in the way the runner does.
import { readFileSync } from 'node:fs';
import type { GetInput } from '../src/inputs/config.js';
import { InputError } from '../src/inputs/errors.js';

/** The inputs action.yml declares, with their defaults ('' when none). */
export function declaredInputs(): ReadonlyMap<string, string> {
  const text = readFileSync(new URL('../action.yml', import.meta.url), 'utf8');
  const inputs = new Map<string, string>();
  let inInputs = false;
  let current: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      inInputs = line.startsWith('inputs:');
      current = undefined;
      continue;
    }
    if (!inInputs) continue;
    const name = /^ {2}([a-z][a-z0-9-]*):\s*$/.exec(line)?.[1];
    if (name) {
      current = name;
      inputs.set(name, '');
      continue;
    }
    const fallback = /^ {4}default:\s*(.*)$/.exec(line)?.[1];
    if (current && fallback !== undefined) inputs.set(current, unquote(fallback.trim()));
  }
  return inputs;
}

function unquote(value: string): string {
  return /^'.*'$|^".*"$/.test(value) ? value.slice(1, -1) : value;
}

export interface FakeInputOptions {
  /** Fill inputs not given with action.yml's defaults, as the runner does (default false: ''). */
  readonly defaults?: boolean;
}

export interface FakeGetInput extends GetInput {
  /** Every input name asked for, in order. */
  readonly asked: string[];
}

/**
 * A getInput that answers from `values`. Naming an input action.yml does not declare (in `values`
 * or in a call) throws, so a typo cannot pass silently as an empty input.
 */
export function fakeGetInput(values: Readonly<Record<string, string>>, options: FakeInputOptions = {}): FakeGetInput {
  const declared = declaredInputs();
  for (const name of Object.keys(values)) {
    if (!declared.has(name)) throw new Error(`fakeGetInput: '${name}' is not an input of action.yml`);
  }
  const asked: string[] = [];
  const getInput = (name: string): string => {
    asked.push(name);
    if (!declared.has(name)) throw new Error(`getInput('${name}'): not an input of action.yml`);
    return values[name] ?? (options.defaults ? (declared.get(name) ?? '') : '');
  };
  return Object.assign(getInput, { asked });
}

/** The InputError `read` throws; anything else it throws is rethrown, and accepting the input is an error. */
export function inputErrorOf(read: () => unknown, what: string): InputError {
  try {
    read();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`readConfig accepted ${what}`);
}
