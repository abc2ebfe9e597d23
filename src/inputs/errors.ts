// Bad input fails the step with one clear message naming the input and what was expected.
export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string
  ) {
    super(`input '${input}': ${problem}`);
    this.name = 'InputError';
  }
}

/** Values that become command arguments: one line, no leading dash, and the expected shape. */
export function checkArgument(input: string, value: string, shape: RegExp, expected: string): void {
  if (/[\r\n\0]/.test(value)) throw new InputError(input, `'${value}' contains a line break`);
  if (value.startsWith('-')) throw new InputError(input, `'${value}' starts with '-'; expected ${expected}`);
  if (!shape.test(value)) throw new InputError(input, `'${value}' is not ${expected}`);
}
