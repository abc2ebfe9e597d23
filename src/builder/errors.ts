// A builder that cannot be set up fails the step with one clear message (what is missing, how to fix it).
export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}
