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
