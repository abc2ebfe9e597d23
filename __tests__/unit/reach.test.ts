// Every module of src/ runs under the unit tests (imported by one, directly or through another), apart
// from the entry files, which only hand the real adapters to main, post and the command line.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));

/** The TypeScript files `file` imports or re-exports by a relative path. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)]
    .map((m) => path.resolve(path.dirname(file), m[1]!).replace(/\.js$/, '.ts'))
    .filter((f) => existsSync(f));
}

describe('the unit tests reach', () => {
  it('every file of src/ but the entry files', () => {
    const reached = new Set<string>();
    const visit = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const imported of importsOf(file)) visit(imported);
    };
    for (const test of files('__tests__/unit').filter((f) => f.endsWith('.ts'))) visit(path.resolve(test));
    const unreached = files('src')
      .filter((f) => f.endsWith('.ts') && !f.startsWith(path.join('src', 'entry')))
      .filter((f) => !reached.has(path.resolve(f)));
    expect(unreached).toEqual([]);
    expect(reached.has(path.resolve('src/main.ts'))).toBe(true);
  });
});
