// A typed stand-in for the docker CLI as the whole step meets it (buildx's version, a builder created and
// booted, the registry's answers, the probe, the wheel build and the image build), on FakeExec's rules.
// Its builds do what the real ones leave behind: the probe writes what the target's Python says, the
// wheel build brings out one wheel a pin of its requirements, the image build writes its metadata file.
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PythonInfo } from '../src/target/probe.js';
import { type ExecRule, FakeExec } from './exec.js';

export const IMAGE_DIGEST = `sha256:${'d'.repeat(64)}`;
export const TARGET_DIGEST = `sha256:${'a'.repeat(64)}`;
export const CP311: PythonInfo = {
  implementation: 'cpython',
  version: [3, 11],
  libc: ['glibc', '2.36'],
  musl: false,
  distributions: ['pip', 'setuptools']
};

const INSPECT = readFileSync(new URL('./buildx/inspect-docker-container.txt', import.meta.url), 'utf8');

export interface DockerScript {
  /** The wheel build fails, printing this (pip's output). */
  readonly wheelBuildFails?: string;
  /** The image build fails, printing this. */
  readonly imageBuildFails?: string;
  /** `docker buildx inspect <name>` finds these builders (a `builder` input naming one is reused). */
  readonly builders?: readonly string[];
  /** Waits for this before `inspect --bootstrap` answers (a builder still booting). */
  readonly bootUntil?: Promise<unknown>;
}

/** The values after `flag` in an argument list. */
export const flagValues = (args: readonly string[], flag: string): string[] => args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));

/** The folder a named context points to, in a build's arguments. */
const contextDir = (args: readonly string[], name: string): string | undefined =>
  flagValues(args, '--build-context')
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);

const isWheelhousePush = (args: readonly string[]): boolean =>
  flagValues(args, '--file').some((f) => path.basename(f) === 'wheelhouse-image.Dockerfile');

const isWarmUp = (args: readonly string[]): boolean => path.basename(args.at(-1) ?? '') === 'warm-up';

const localOutput = (args: readonly string[]): string => flagValues(args, '--output')[0]!.replace(/^type=local,dest=/, '');

/** `name==version` lines as wheel file names (pure wheels, as pip names them). */
export function wheelsOf(requirements: string): string[] {
  return requirements
    .split('\n')
    .map((line) => /^([A-Za-z0-9._-]+)==([^\s;#]+)/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, name, version]) => `${name!.replace(/[-.]+/g, '_').toLowerCase()}-${version}-py3-none-any.whl`);
}

/** An empty zip archive whose comment names the wheel: a wheel file as the wheelhouse's checks read one. */
export function emptyWheel(name: string): Buffer {
  const comment = Buffer.from(name);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([end, comment]);
}

export class FakeDocker extends FakeExec {
  constructor(script: DockerScript = {}) {
    super(rules(script));
  }

  /** The wheel builds run (builds with the wheel inputs as a named context). */
  get wheelBuilds(): (readonly string[])[] {
    return this.argsOf('buildx', 'build').filter((a) => contextDir(a, 'wheel-inputs') !== undefined);
  }

  /** The probe builds run (local output, no named context). */
  get probeBuilds(): (readonly string[])[] {
    return this.argsOf('buildx', 'build').filter((a) => a.includes('--output') && !a.includes('--build-context'));
  }

  /** The warm-up builds run (the target image unpacked ahead of the image build). */
  get warmUps(): (readonly string[])[] {
    return this.argsOf('buildx', 'build').filter(isWarmUp);
  }

  /** The app's image builds run (those writing a metadata file, but for the wheelhouse's own images). */
  get imageBuilds(): (readonly string[])[] {
    return this.argsOf('buildx', 'build').filter((a) => a.includes('--metadata-file') && !isWheelhousePush(a));
  }

  /** The wheelhouse's own images pushed. */
  get wheelhousePushes(): (readonly string[])[] {
    return this.argsOf('buildx', 'build').filter(isWheelhousePush);
  }
}

function rules(script: DockerScript): ExecRule[] {
  const builders = new Set(script.builders ?? []);
  return [
    { prefix: ['docker', 'buildx', 'version'], result: { stdout: 'github.com/docker/buildx v0.19.3 48d6a39\n' } },
    {
      prefix: ['docker', 'buildx', 'inspect'],
      when: (args) => args.includes('--bootstrap'),
      until: script.bootUntil,
      result: { stdout: INSPECT }
    },
    {
      // a builder looked up by name: found when the script has it
      prefix: ['docker', 'buildx', 'inspect'],
      when: (args) => !builders.has(args.at(-1)!),
      result: { exitCode: 1, stderr: 'ERROR: no builder found' }
    },
    {
      // the registry: the target image by digest, for two platforms; no wheelhouse image is there
      prefix: ['docker', 'buildx', 'imagetools', 'inspect'],
      when: (args) => args.includes('--raw'),
      result: { exitCode: 1, stderr: 'ERROR: not found' }
    },
    {
      prefix: ['docker', 'buildx', 'imagetools', 'inspect'],
      result: {
        stdout: JSON.stringify({
          manifest: {
            digest: TARGET_DIGEST,
            manifests: [{ platform: { os: 'linux', architecture: 'amd64' } }, { platform: { os: 'linux', architecture: 'arm64' } }]
          }
        })
      }
    },
    {
      prefix: ['docker', 'buildx', 'build'],
      when: (args) => contextDir(args, 'wheel-inputs') !== undefined,
      result: script.wheelBuildFails === undefined ? {} : { exitCode: 1, stderr: script.wheelBuildFails },
      effect: async ({ args }) => {
        if (script.wheelBuildFails !== undefined) return;
        const requirements = await fs.readFile(path.join(contextDir(args, 'wheel-inputs')!, 'requirements.txt'), 'utf8');
        const out = path.join(localOutput(args), 'wheelhouse');
        await fs.mkdir(out, { recursive: true });
        for (const wheel of wheelsOf(requirements)) await fs.writeFile(path.join(out, wheel), emptyWheel(wheel));
        await fs.mkdir(path.join(localOutput(args), 'pip-cache'), { recursive: true });
        await fs.writeFile(path.join(localOutput(args), 'pip-cache', 'http'), requirements);
      }
    },
    {
      prefix: ['docker', 'buildx', 'build'],
      when: (args) => args.includes('--metadata-file'),
      result: script.imageBuildFails === undefined ? {} : { exitCode: 1, stderr: script.imageBuildFails },
      effect: async ({ args }) => {
        if (script.imageBuildFails !== undefined) return;
        await fs.writeFile(flagValues(args, '--metadata-file')[0]!, JSON.stringify({ 'containerimage.digest': IMAGE_DIGEST }));
      }
    },
    {
      // the warm-up: a build without output, unpacking the target image
      prefix: ['docker', 'buildx', 'build'],
      when: isWarmUp
    },
    {
      // the probe
      prefix: ['docker', 'buildx', 'build'],
      effect: async ({ args }) => {
        await fs.mkdir(localOutput(args), { recursive: true });
        await fs.writeFile(path.join(localOutput(args), 'target.json'), JSON.stringify(CP311));
      }
    }
  ];
}
