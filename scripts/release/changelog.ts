// The CHANGELOG's part of a release: the `[Unreleased]` entries become the version's section, dated, and
// an empty `[Unreleased]` stays on top for what comes next (Keep a Changelog).

export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** The changelog with `version` released on `date` (YYYY-MM-DD); an Error when there is nothing to release. */
export function releaseChangelog(text: string, version: string, date: string): string {
  if (!SEMVER.test(version)) throw new Error(`expected a version such as 1.2.3, got '${version}'`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`expected a date such as 2026-12-07, got '${date}'`);
  if (new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\]`, 'm').test(text))
    throw new Error(`CHANGELOG.md has a section for ${version} already`);
  const head = /^## \[Unreleased\][^\n]*\n/m.exec(text);
  if (!head) throw new Error('CHANGELOG.md has no [Unreleased] section');
  const start = head.index + head[0].length;
  const next = text.slice(start).search(/^## \[/m);
  const body = next < 0 ? text.slice(start) : text.slice(start, start + next);
  if (!/^- /m.test(body)) throw new Error('the [Unreleased] section lists no change: nothing to release');
  return `${text.slice(0, start)}\n## [${version}] - ${date}\n${body.replace(/^\n*/, '\n')}${next < 0 ? '' : text.slice(start + next)}`;
}

/** The section of `version`, without its heading: the release's notes. */
export function releaseNotes(text: string, version: string): string {
  const head = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\][^\\n]*\\n`, 'm').exec(text);
  if (!head) throw new Error(`CHANGELOG.md has no section for ${version}`);
  const rest = text.slice(head.index + head[0].length);
  const next = rest.search(/^## \[/m);
  return (next < 0 ? rest : rest.slice(0, next)).trim();
}

/** The major tag a release moves (`1.4.2` → `v1`). */
export const majorTag = (version: string): string => `v${version.split('.')[0]}`;
