// Poetry's version constraints (`^1.2`, `~1.2.3`, `>=1 <2`, `1.*`, `a || b`) as PEP 440 specifiers, so
// that a lock entry can be matched to the constraint that asked for it (with @renovatebot/pep440) and a
// `python = "<3.10"` restriction can become a marker pip evaluates.
import { satisfies } from '@renovatebot/pep440';

/** One comparator: `>=`, `<`, `==`, `!=`, `~=`, `===`, `<=`, `>` and a version (`1.2.*` with == and !=). */
type Comparator = readonly [op: string, version: string];

/** `^` and `~` ranges as their lower and upper bounds. */
function expand(op: '^' | '~', version: string): Comparator[] {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10));
  if (parts.some((p) => Number.isNaN(p))) return [['>=', version]];
  let upper: number[];
  if (op === '~') {
    // ~1 → <2; ~1.2 and ~1.2.3 → <1.3
    upper = parts.length === 1 ? [parts[0]! + 1] : [parts[0]!, parts[1]! + 1];
  } else {
    // ^ bumps the first non-zero part (^0.0.3 → <0.0.4, ^0.2 → <0.3, ^1.2 → <2)
    const first = parts.findIndex((p) => p !== 0);
    const at = first === -1 ? parts.length - 1 : first;
    upper = [...parts.slice(0, at), parts[at]! + 1];
  }
  return [
    ['>=', version],
    ['<', upper.join('.')]
  ];
}

/**
 * A Poetry constraint as alternatives (`||`), each a list of comparators that must all hold. Empty
 * alternatives: any version (`*` or nothing). Undefined: a shape this does not read.
 */
export function poetryConstraint(constraint: string): Comparator[][] | undefined {
  const alternatives: Comparator[][] = [];
  for (const alternative of constraint.split('||')) {
    const comparators: Comparator[] = [];
    const text = alternative.trim();
    if (text === '' || text === '*') return [];
    for (const token of text.split(/\s*,\s*|\s+(?=[<>=!~^])/).filter(Boolean)) {
      const m = /^(\^|~=|~|===|==|!=|<=|>=|<|>|=)?\s*([0-9A-Za-z.*+!-]+)$/.exec(token.trim());
      if (!m) return undefined;
      const op = m[1] ?? '==';
      const version = m[2]!;
      if (op === '^' || op === '~') comparators.push(...expand(op, version));
      else comparators.push([op === '=' ? '==' : op, version]);
    }
    alternatives.push(comparators);
  }
  return alternatives;
}

/** Whether `version` satisfies a Poetry constraint; true when the constraint is not one this reads. */
export function satisfiesPoetry(version: string, constraint: string | undefined): boolean {
  if (!constraint) return true;
  const alternatives = poetryConstraint(constraint);
  if (!alternatives || alternatives.length === 0) return true;
  return alternatives.some((comparators) => satisfies(version, comparators.map(([op, v]) => `${op}${v}`).join(',')));
}

/** A Poetry `python = "…"` restriction as a marker (undefined: any Python, or a shape this does not read). */
export function pythonMarker(constraint: string | undefined): string | undefined {
  if (!constraint) return undefined;
  const alternatives = poetryConstraint(constraint);
  if (!alternatives || alternatives.length === 0) return undefined;
  const clause = (comparators: Comparator[]): string =>
    comparators
      .map(([op, v]) => (v.includes('*') ? `python_version ${op} "${v.replace(/\.\*$/, '')}"` : `python_full_version ${op} "${v}"`))
      .join(' and ');
  return alternatives.length === 1 ? clause(alternatives[0]!) : alternatives.map((c) => `(${clause(c)})`).join(' or ');
}
