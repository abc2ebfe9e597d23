// `docker buildx build` argument arrays for the action's own small builds (the target probe and the
// wheel build): a Dockerfile file, named contexts, and a local output folder.
export interface LocalBuild {
  readonly builder: string;
  readonly dockerfile: string;
  /** The (empty) main context. */
  readonly context: string;
  readonly contexts: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, string>>;
  readonly platform?: string;
  readonly output: string;
}

/** How each of the action's own builds starts: `buildx build` on the run's builder, plain progress, a Dockerfile file. */
export function ownBuildArgs(builder: string, dockerfile: string): string[] {
  return ['buildx', 'build', '--builder', builder, '--progress', 'plain', '--file', dockerfile];
}

/** The action's own images and warm-ups carry no attestation: they are not the user's image. */
export const NO_ATTESTATIONS: readonly string[] = ['--provenance=false', '--sbom=false'];

export function localBuildArgs(build: LocalBuild): string[] {
  const args = ownBuildArgs(build.builder, build.dockerfile);
  for (const [name, dir] of Object.entries(build.contexts).sort(([a], [b]) => a.localeCompare(b))) {
    args.push('--build-context', `${name}=${dir}`);
  }
  for (const [id, file] of Object.entries(build.secrets ?? {})) args.push('--secret', `id=${id},src=${file}`);
  if (build.platform) args.push('--platform', build.platform);
  args.push('--output', `type=local,dest=${build.output}`, build.context);
  return args;
}
