// Values masked in the log: registered with the runner (`::add-mask::`) and kept, so that text the action
// writes where the runner does not mask (the job summary) is scrubbed of them too.
import * as core from '@actions/core';

const masked = new Set<string>();

export function maskSecret(value: string): void {
  if (!value) return;
  masked.add(value);
  core.setSecret(value);
}

/** The text with every masked value replaced by `***`, longest first (a value may hold a shorter one). */
export function scrubMasked(text: string): string {
  let out = text;
  for (const value of [...masked].sort((a, b) => b.length - a.length)) out = out.split(value).join('***');
  return out;
}
