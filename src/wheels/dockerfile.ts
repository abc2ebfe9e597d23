// The wheel build: a Dockerfile run in the wheel image (the target's distribution and Python, with
// compilers) that builds exactly the wheels the dependency set needs into a fresh folder, taking the
// ones already in the restored wheelhouse from there. No input reaches its commands: the requirement
// lines travel as files in a named context (or, with credentials, as a secret).
import { pythonCheckStep } from '../target/probe.js';
import { RUNTIME_FILE, RUNTIME_SCRIPT } from './runtime.js';

export const CONTEXTS = {
  inputs: 'wheel-inputs',
  previous: 'wheelhouse-previous',
  pipCache: 'pip-cache-previous'
} as const;

export const PRIVATE_SECRET = 'wheelhouse-pip-private';

export interface WheelBuildPlan {
  readonly wheelImage: string;
  /** The target's Python tag (e.g. cp311): the wheel image must run the same. */
  readonly pythonTag: string;
  /** The target's C library (`glibc2.36`, `musl`): the wheel image's must not be newer, nor of the other family. */
  readonly libc?: string;
  readonly wheelPackages: readonly string[];
  /** Take binary wheels only (`--only-binary :all:`): for a first attempt in an image without compilers. */
  readonly onlyBinary?: boolean;
  readonly hasConstraints: boolean;
  readonly hasPrivate: boolean;
  readonly pipCache: boolean;
  /**
   * The fetch before the whole set (see offline.ts): `checked`, lines with hashes from `checked.txt`;
   * `missing`, pins from `missing.txt`; `offline`, the whole set is resolved offline first.
   */
  readonly fetch?: { readonly checked: boolean; readonly missing: boolean; readonly offline: boolean };
}

/** The pins the wheelhouse lacks, in the wheel-inputs context; fetched into MISSING_DIR. */
export const MISSING_FILE = 'missing.txt';
/** The lines with hashes the wheelhouse lacks; fetched into MISSING_DIR in hash-checking mode. */
export const CHECKED_FILE = 'checked.txt';
const MISSING_DIR = '/out/missing';

export function wheelDockerfile(plan: WheelBuildPlan): string {
  const lines = [`FROM ${plan.wheelImage} AS build`, pythonCheckStep(plan.pythonTag, plan.libc)];
  lines.push('ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_INPUT=1');
  if (plan.wheelPackages.length > 0) {
    lines.push(
      `RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${plan.wheelPackages.join(' ')} && rm -rf /var/lib/apt/lists/*`
    );
  }
  if (plan.pipCache) lines.push(`COPY --from=${CONTEXTS.pipCache} / /root/.cache/pip/`);
  const mounts = [
    `--mount=type=bind,from=${CONTEXTS.inputs},target=/wheel-inputs`,
    `--mount=type=bind,from=${CONTEXTS.previous},target=/wheelhouse-previous`
  ];
  if (plan.hasPrivate) mounts.push(`--mount=type=secret,id=${PRIVATE_SECRET},required=true`);
  const pip = (wheelDir: string, index: boolean, requirements: string, checked = false): string =>
    [
      'python3 -m pip wheel',
      `--wheel-dir ${wheelDir}`,
      // hash-checking mode takes no wheel the wheelhouse compiled, and needs every requirement hashed
      checked ? '--no-deps' : '--find-links /wheelhouse-previous',
      index ? (plan.fetch && !checked ? `--find-links ${MISSING_DIR}` : '') : `--no-index --find-links ${MISSING_DIR}`,
      plan.onlyBinary ? '--only-binary :all:' : '',
      plan.pipCache ? '--cache-dir /root/.cache/pip' : '--no-cache-dir',
      `-r /wheel-inputs/${requirements}`,
      plan.hasConstraints && !checked ? '-c /wheel-inputs/constraints.txt' : ''
    ]
      .filter(Boolean)
      .join(' ');
  const online = pip('/out/wheelhouse', true, 'requirements.txt');
  let command = online;
  if (plan.fetch) {
    // the lines the wheelhouse lacks from the index (a failure there is the build's failure), then the
    // whole set offline; only when that cannot be resolved offline, the whole set against the index
    const fetch = [
      plan.fetch.checked ? pip(MISSING_DIR, true, CHECKED_FILE, true) : '',
      plan.fetch.missing ? pip(MISSING_DIR, true, MISSING_FILE) : ''
    ].filter(Boolean);
    const whole = plan.fetch.offline
      ? `{ ${pip('/out/wheelhouse', false, 'requirements.txt')} || ` +
        `{ echo 'wheelhouse-buildx: not every requirement resolves from the wheelhouse; resolving against the index'; rm -rf /out/wheelhouse/*; ${online}; }; }`
      : online;
    command = [`mkdir -p ${MISSING_DIR}`, ...fetch, whole].join(' && ');
  }
  // pip's HTTP cache only holds files the wheelhouse has kept: pruned before the cache is saved (its
  // built-wheel cache stays)
  const prune = plan.pipCache ? ' && rm -rf /root/.cache/pip/http /root/.cache/pip/http-v2' : '';
  lines.push(`RUN ${mounts.join(' ')} \\\n    mkdir -p /out/wheelhouse /root/.cache/pip && ${command}${prune}`);
  // the system libraries the wheels built here load, traced to their packages (see runtime.ts)
  lines.push(
    `RUN --mount=type=bind,from=${CONTEXTS.inputs},target=/wheel-inputs python3 /wheel-inputs/${RUNTIME_SCRIPT} /out/wheelhouse /out/${RUNTIME_FILE}`
  );
  lines.push('FROM scratch');
  lines.push('COPY --from=build /out/wheelhouse /wheelhouse');
  lines.push(`COPY --from=build /out/${RUNTIME_FILE} /${RUNTIME_FILE}`);
  if (plan.pipCache) lines.push('COPY --from=build /root/.cache/pip /pip-cache');
  return `${lines.join('\n')}\n`;
}

/** The files of the wheel-inputs context: requirement lines without credentials, and the private ones apart. */
export function wheelInputs(
  requirements: readonly { text: string }[],
  constraints: readonly { text: string }[],
  options: readonly { text: string }[],
  hasCredentials: (text: string) => boolean
): { requirements: string; constraints: string; private: string } {
  const all = [...options, ...requirements];
  const open = all.filter((l) => !hasCredentials(l.text)).map((l) => l.text);
  const secret = all.filter((l) => hasCredentials(l.text)).map((l) => l.text);
  const head = secret.length > 0 ? [`-r /run/secrets/${PRIVATE_SECRET}`] : [];
  return {
    requirements: [...head, ...open, ''].join('\n'),
    constraints: constraints.length > 0 ? [...constraints.map((l) => l.text), ''].join('\n') : '',
    private: secret.length > 0 ? [...secret, ''].join('\n') : ''
  };
}
