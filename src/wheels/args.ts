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

export function localBuildArgs(build: LocalBuild): string[] {
  const args = ['buildx', 'build', '--builder', build.builder, '--progress', 'plain', '--file', build.dockerfile];
  for (const [name, dir] of Object.entries(build.contexts).sort(([a], [b]) => a.localeCompare(b))) {
    args.push('--build-context', `${name}=${dir}`);
  }
  for (const [id, file] of Object.entries(build.secrets ?? {})) args.push('--secret', `id=${id},src=${file}`);
  if (build.platform) args.push('--platform', build.platform);
  args.push('--output', `type=local,dest=${build.output}`, build.context);
  return args;
}
