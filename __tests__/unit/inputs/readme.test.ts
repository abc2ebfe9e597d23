// The README's Inputs table documents every input action.yml declares, each with where it stands
// against build-push-action / setup-buildx-action (or that it is this action's own).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { declaredInputs } from '../../../__fixtures__/inputs.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const table = readme.slice(readme.indexOf('## Inputs\n'), readme.indexOf('## Outputs\n'));

/** Each row's input names (a row may name several: `a`, `b`) and its last column. */
function rows(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of table.split('\n').filter((l) => l.startsWith('| `'))) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const peer = cells[cells.length - 2] ?? '';
    for (const m of (cells[1] ?? '').matchAll(/`([a-z-]+)`/g)) out.set(m[1]!, peer);
  }
  return out;
}

describe('README inputs table', () => {
  it('has five columns, the last saying where each input stands against the peers', () => {
    expect(table).toContain('| Name | Type | Default | Description | As in the peers |');
  });

  it.each([...declaredInputs().keys()])('documents %s, with its peer column', (input) => {
    const peer = rows().get(input);
    expect([input, peer && /build-push-action|setup-buildx-action|setup-uv|this action only/.test(peer)]).toEqual([input, true]);
  });

  it('documents no input action.yml lacks', () => {
    const declared = new Set(declaredInputs().keys());
    expect([...rows().keys()].filter((name) => !declared.has(name))).toEqual([]);
  });
});
