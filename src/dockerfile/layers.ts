// The per-package form of the dependency layers: each wheel is installed in a stage of its own (on the
// target's image, with pip, into an empty root) and copied into the image with `COPY --link`, so that a
// changed pin rebuilds and pushes one layer, and no step runs on top of the dependency layers (nothing
// below them is pulled or unpacked). Wheels under 1 MiB share a layer with the others of their project's
// first letter: every stage costs BuildKit time on every build, even when all are cached (about 40 ms
// a step here, so 42 stages made a no-change build 4 s slower), and it keeps the image far below the
// layer limit. Projects the image already has (pip, setuptools) are installed by pip in the image
// itself, which replaces the old version instead of shadowing it.
import { wheelName } from '../wheels/generation.js';
import type { SizedWheel } from '../wheels/inventory.js';

export interface PackageLayer {
  /** The stage's name: `wheel-<project>`, or `wheels-<letter>` for a group of small ones. */
  readonly stage: string;
  readonly wheels: readonly string[];
}

export interface LayerPlan {
  readonly layers: readonly PackageLayer[];
  /** Wheels of projects the image already has: installed in the image by pip. */
  readonly onImage: readonly string[];
}

/** Wheels at least this big have a layer of their own; smaller ones share one by first letter. */
export const BIG_WHEEL = 1024 * 1024;

export function planLayers(wheels: readonly SizedWheel[], imageHas: readonly string[]): LayerPlan {
  const has = new Set(imageHas);
  const sorted = [...wheels].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const onImage = sorted.filter((w) => has.has(wheelName(w.file).project)).map((w) => w.file);
  const layered = sorted.filter((w) => !has.has(wheelName(w.file).project));
  const layers = new Map<string, string[]>();
  for (const w of layered) {
    const project = wheelName(w.file).project;
    const stage = w.bytes >= BIG_WHEEL ? `wheel-${project}` : `wheels-${project[0] ?? '_'}`;
    layers.set(stage, [...(layers.get(stage) ?? []), w.file]);
  }
  return { layers: [...layers].map(([stage, files]) => ({ stage, wheels: files })), onImage };
}

/** The bind mounts of a stage's wheels, each mounted by itself (its own checksum keys the step) under `/wheels`. */
export const wheelMounts = (wheels: readonly string[], wheelhouse: string): string[] =>
  wheels.map((w) => `--mount=type=bind,from=${wheelhouse},source=${w},target=/wheels/${w}`);
