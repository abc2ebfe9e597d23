// Image references as the inputs give them.

/** The repository of an image reference: without its tag and digest (`reg:5000/app:v1` → `reg:5000/app`). */
export function repositoryOf(ref: string): string {
  const name = ref.split('@')[0]!;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? name.slice(0, colon) : name;
}
