// parseList: one item a line, and for some inputs also comma-separated; blanks and stray separators vanish.
import { describe, expect, it } from '@jest/globals';
import { parseList } from '../../../src/inputs/lists.js';

describe('parseList', () => {
  it.each<[string, boolean, string[]]>([
    ['', true, []],
    ['', false, []],
    ['\n\n  \n', true, []],
    [',,, ,', true, []],
    ['a', true, ['a']],
    ['a,b', true, ['a', 'b']],
    ['a,b', false, ['a,b']],
    [' a , b ,\n c ', true, ['a', 'b', 'c']],
    [' a , b \n c ', false, ['a , b', 'c']],
    ['a\r\nb\r\n', true, ['a', 'b']],
    ['a\r\nb\r\n', false, ['a', 'b']],
    [',a,,b,', true, ['a', 'b']],
    ['"x,y",z', true, ['x,y', 'z']],
    ['"x,y",z', false, ['"x,y",z']],
    ['type=registry,ref=r\n\ntype=inline', false, ['type=registry,ref=r', 'type=inline']]
  ])('%j (commas %s) → %j', (value, commas, expected) => {
    expect(parseList(value, { commas })).toEqual(expected);
  });
});
