// pyproject.toml: only its dependency table enters the wheelhouse and the key (a version bump of the
// project itself changes neither).
import { parse } from 'smol-toml';
import { DependencyError, type DependencySet } from './model.js';
import { normalizeRequirement } from './requirements.js';

export function readPyproject(content: string, display: string, set: DependencySet): DependencySet {
  let doc: Record<string, unknown>;
  try {
    doc = parse(content) as Record<string, unknown>;
  } catch (error) {
    throw new DependencyError(`${display}: not valid TOML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
  const project = doc.project as Record<string, unknown> | undefined;
  const deps = project?.dependencies;
  if (deps === undefined) {
    const poetry = (doc.tool as Record<string, Record<string, unknown>> | undefined)?.poetry;
    if (poetry?.dependencies) {
      throw new DependencyError(`${display}: Poetry's dependency table needs its poetry.lock next to it`);
    }
    set.files.push(display);
    return set;
  }
  if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) {
    throw new DependencyError(`${display}: project.dependencies must be a list of strings`);
  }
  set.files.push(display);
  deps.forEach((d: string, i) => {
    set.requirements.push(normalizeRequirement(d, `${display}:project.dependencies[${i}]`));
  });
  return set;
}
