// What `docker buildx inspect` says of a builder that the action needs: its first platform.
export function firstPlatform(inspectOutput: string): string | undefined {
  const line = inspectOutput.split('\n').find((l) => /^\s*Platforms:/.test(l));
  const first = line?.replace(/^\s*Platforms:\s*/, '').split(',')[0]?.trim().replace(/\*$/, '');
  return first || undefined;
}
