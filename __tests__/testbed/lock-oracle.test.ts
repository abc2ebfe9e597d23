// Lock files read as their own tools install them. Each project of __fixtures__/locks was locked by the
// real tool (uv, Poetry 1.8, Poetry 2, pdm, pipenv; scripts/lock-fixtures.sh), which also wrote what it
// installs for the default group (`installs.txt`, its own export). The projects have an extra asked of
// a dependency (requests[socks]), an optional extra of the project (web) and a dev group (both must stay
// out), a platform marker (colorama on Windows), and, where the tool forks, versions per Python range
// (numpy, requests, urllib3). For every target below, the packages the action's requirements select must
// be the ones the tool's export selects: markers are evaluated by Python's own `packaging`. The hashes
// each pin carries (which the wheel build has pip check) must be the ones the tool's export with hashes
// gives that pin (`hashes.txt`).
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readDependencies } from '../../src/keys/discover.js';
import { normalizeName } from '../../src/keys/model.js';
import { repoRoot } from '../support/testbed.js';

const LOCKS = path.join(repoRoot, '__fixtures__', 'locks');

/** Targets: Linux x86_64 at each Python, and Windows at one (the platform marker must hold there). */
const TARGETS = [
  ...['3.9.20', '3.10.15', '3.11.10', '3.12.7', '3.13.0'].map((v) => ({
    label: `linux cp${v.split('.').slice(0, 2).join('')}`,
    python: v,
    windows: false
  })),
  { label: 'windows cp312', python: '3.12.7', windows: true }
];

/** For each target, the `name==version` (or `name` when unpinned) of the lines whose marker holds there, as `packaging` says. */
function selected(lines: readonly string[]): Record<string, string[]> {
  const script = `
import json, sys
try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name
lines, targets = json.load(sys.stdin)
out = {}
for t in targets:
    v = t["python"]
    env = {"python_version": ".".join(v.split(".")[:2]), "python_full_version": v, "implementation_name": "cpython",
           "implementation_version": v, "platform_python_implementation": "CPython", "extra": ""}
    env.update({"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"} if t["windows"] else
               {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"})
    picked = set()
    for line in lines:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(env):
            pins = [s.version for s in req.specifier if s.operator == "=="]
            picked.add(canonicalize_name(req.name) + ("==" + pins[0] if pins else ""))
    out[t["label"]] = sorted(picked)
print(json.dumps(out))
`;
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify([lines, TARGETS]), encoding: 'utf8' })) as Record<
    string,
    string[]
  >;
}

describe.each([
  ['uv', 'uv.lock'],
  ['poetry-1.8', 'poetry.lock'],
  ['poetry-2', 'poetry.lock'],
  ['pdm', 'pdm.lock'],
  ['pipenv', 'Pipfile.lock']
])('%s: the action reads %s as the tool installs it', (project, lock) => {
  const dir = path.join(LOCKS, project);

  it('selects the same packages at each version for every target', async () => {
    const set = await readDependencies(dir, [path.join(dir, lock)]);
    const ours = selected(set.requirements.map((r) => r.text.replace(/ --hash=\S+/g, '')));
    const theirs = selected(readFileSync(path.join(dir, 'installs.txt'), 'utf8').split('\n').filter(Boolean));
    expect(ours).toEqual(theirs);
    // the projects' own extra and dev group stay out, the extra asked of requests is in
    for (const packages of Object.values(ours)) {
      expect(packages.filter((p) => /^(flask|pytest|iniconfig)\b/.test(p))).toEqual([]);
      expect(packages.some((p) => p.startsWith('pysocks=='))).toBe(true);
    }
  });

  it("gives each pin the hashes the tool's own export gives it", async () => {
    const set = await readDependencies(dir, [path.join(dir, lock)]);
    const ours = hashesByPin(set.requirements.map((r) => r.text));
    const theirs = hashesByPin(readFileSync(path.join(dir, 'hashes.txt'), 'utf8').split('\n').filter(Boolean));
    expect(Object.keys(theirs).length).toBeGreaterThan(5);
    // every pin the tool installs somewhere has its hashes; ours may hold a pin more (one the tool's
    // export leaves out on the platform it ran on), which must carry hashes too
    for (const [pin, hashes] of Object.entries(theirs)) expect([pin, ours[pin]]).toEqual([pin, hashes]);
    for (const [pin, hashes] of Object.entries(ours)) expect([pin, hashes.length > 0]).toEqual([pin, true]);
  });
});

/** `name==version` (normalized name) → its sorted `--hash` values, from requirement lines with hashes. */
function hashesByPin(lines: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of lines) {
    const pin = /^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?\s*==\s*([^\s;]+)/.exec(line);
    if (!pin) continue;
    const key = `${normalizeName(pin[1]!)}==${pin[2]}`;
    out[key] = [...new Set([...(out[key] ?? []), ...[...line.matchAll(/--hash[= ](\S+)/g)].map((m) => m[1]!)])].sort();
  }
  return out;
}
