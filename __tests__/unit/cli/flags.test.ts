// The command-line entry: flags become the inputs the runner would pass, and the runner's file commands
// (outputs, state) are read back the way the runner writes them.
import { describe, expect, it } from '@jest/globals';
import { parseFileCommands } from '../../../src/cli/file-commands.js';
import { flagsToInputs, inputEnv } from '../../../src/cli/flags.js';

describe('flagsToInputs', () => {
  it.each<[string, string[], Record<string, string>]>([
    ['a value after the flag', ['--tags', 'reg/app:1'], { tags: 'reg/app:1' }],
    ['a value after =', ['--build-args=A=1'], { 'build-args': 'A=1' }],
    ['a flag alone is true', ['--push', '--load'], { push: 'true', load: 'true' }],
    ['an empty value after =', ['--cache-suffix='], { 'cache-suffix': '' }],
    ['a flag before another flag is true', ['--push', '--tags', 't'], { push: 'true', tags: 't' }]
  ])('%s', (_, argv, inputs) => {
    expect(flagsToInputs(argv)).toEqual(inputs);
  });

  it.each([['positional'], ['-t'], ['--']])('refuses %s', (arg) => {
    expect(() => flagsToInputs([arg])).toThrow(`unexpected argument '${arg}': flags are --input-name value`);
  });

  it('names each input as the runner does: INPUT_ and upper case', () => {
    expect(inputEnv({ 'cache-backend': 'local', tags: 'a' })).toEqual({ 'INPUT_CACHE-BACKEND': 'local', INPUT_TAGS: 'a' });
  });
});

describe('parseFileCommands', () => {
  it.each<[string, string, Record<string, string>]>([
    ['name=value lines', 'digest=sha256:abc\ncache-hit=true\n', { digest: 'sha256:abc', 'cache-hit': 'true' }],
    ['a value holding =', 'build-args=A=1\n', { 'build-args': 'A=1' }],
    [
      'a heredoc block, several lines',
      'wheelhouse-key<<ghadelimiter_1\nkey-amd64\nkey-arm64\nghadelimiter_1\nname=b\n',
      { 'wheelhouse-key': 'key-amd64\nkey-arm64', name: 'b' }
    ],
    ['an empty file', '', {}]
  ])('%s', (_, text, parsed) => {
    expect(parseFileCommands(text)).toEqual(parsed);
  });
});
