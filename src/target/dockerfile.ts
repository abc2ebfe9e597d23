// Reads the Dockerfile far enough to name the image the built stage starts from: stages, global ARG
// defaults and build-args, following `FROM <stage>` to its base.

interface Stage {
  name: string | undefined;
  image: string;
}

function instructions(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    // as in BuildKit's parser, comment and blank lines neither end nor continue an instruction
    if (line === '' || line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    out.push((pending + line).trim());
    pending = '';
  }
  if (pending.trim()) out.push(pending.trim());
  return out;
}

function substitute(value: string, vars: Map<string, string>): string | undefined {
  let unresolved = false;
  const result = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, braced, fallback, bare) => {
    const name = (braced ?? bare) as string;
    const v = vars.get(name) ?? (fallback as string | undefined);
    if (v === undefined || v === '') unresolved = true;
    return v ?? '';
  });
  return unresolved ? undefined : result;
}

/**
 * The base image of the stage that is built (`target`, or the last stage), or undefined when it cannot
 * be determined (an ARG without a value, `scratch`, no FROM).
 */
export function baseImage(dockerfile: string, target?: string, buildArgs: readonly string[] = []): string | undefined {
  const vars = new Map<string, string>();
  const given = new Map(buildArgs.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  const stages: Stage[] = [];
  for (const line of instructions(dockerfile)) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const upper = keyword.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      for (const decl of rest) {
        const eq = decl.indexOf('=');
        const name = eq < 0 ? decl : decl.slice(0, eq);
        const value = given.get(name) ?? (eq < 0 ? undefined : decl.slice(eq + 1).replace(/^["']|["']$/g, ''));
        if (value !== undefined) vars.set(name, value);
      }
    } else if (upper === 'FROM') {
      const words = rest.filter((w) => !w.startsWith('--'));
      const image = words[0];
      if (!image) return undefined;
      const asIndex = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({ image, name: asIndex > 0 ? words[asIndex + 1]?.toLowerCase() : undefined });
    }
  }
  let stage = target ? stages.find((s) => s.name === target.toLowerCase()) : stages[stages.length - 1];
  for (let hops = 0; stage && hops < stages.length; hops++) {
    const image = substitute(stage.image, vars);
    if (!image || image === 'scratch') return undefined;
    const previous = stages.find((s) => s.name === image.toLowerCase() && s !== stage);
    if (!previous) return image;
    stage = previous;
  }
  return undefined;
}

/**
 * The image wheels are built in when none is named: for a `-slim` tag, the same tag without `-slim`. A
 * digest pins the slim image only, so a slim tag with a digest gives the full tag without it (the full
 * image's digest is another one); a digest alone is kept.
 */
export function defaultWheelImage(target: string): string {
  const [named = target] = target.split('@');
  const at = named.lastIndexOf(':');
  if (at < 0 || named.slice(at).includes('/')) return target;
  const full = named.slice(0, at) + named.slice(at).replace(/-slim(?=-|$)/, '');
  return full === named ? target : full;
}
