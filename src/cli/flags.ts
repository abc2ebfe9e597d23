// Command-line flags → the action's inputs: `--name value`, `--name=value`, and `--flag` for true.
export function flagsToInputs(argv: readonly string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--') || arg === '--') throw new Error(`unexpected argument '${arg}': flags are --input-name value`);
    const eq = arg.indexOf('=');
    if (eq > 0) {
      inputs[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else if (i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('--')) {
      inputs[arg.slice(2)] = argv[++i] ?? '';
    } else {
      inputs[arg.slice(2)] = 'true';
    }
  }
  return inputs;
}

export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]));
}
