// The advisor's findings with what this build measured at each line, from buildx's progress.
import { type Advice, stageChain } from '../dockerfile/advice.js';
import type { ParsedDockerfile, Stage } from '../dockerfile/parse.js';
import { type Vertex, vertexOf } from './progress.js';

export interface AdviceLine {
  readonly line: number;
  readonly instruction: string;
  /** What the step cost in this build. */
  readonly measured: string;
  readonly problem: string;
  readonly fix: string;
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

function stepCost(vertex: Vertex | undefined): string {
  if (!vertex) return 'not in this build';
  if (vertex.cached) return 'cached';
  const pulled =
    vertex.pulledBytes > 0 ? `, its layers pulled (${mb(vertex.pulledBytes)}, ${vertex.unpackSeconds.toFixed(1)} s unpacking)` : '';
  return `ran ${(vertex.seconds ?? 0).toFixed(1)} s${pulled}`;
}

/** Layers pulled by the steps before `line` in the stages that make the image. */
function pulledBelow(chain: readonly Stage[], vertices: readonly Vertex[], line: number): { bytes: number; seconds: number } {
  let bytes = 0;
  let seconds = 0;
  for (const stage of chain) {
    for (const step of [stage.from, ...stage.steps]) {
      if (step.line >= line) continue;
      const v =
        step === stage.from ? vertices.find((x) => x.name.startsWith(`[${stage.label} 1/`)) : vertexOf(vertices, stage.label, step.text);
      bytes += v?.pulledBytes ?? 0;
      seconds += v?.unpackSeconds ?? 0;
    }
  }
  return { bytes, seconds };
}

export function measureAdvice(
  advice: readonly Advice[],
  dockerfile: ParsedDockerfile,
  stage: Stage,
  vertices: readonly Vertex[]
): AdviceLine[] {
  const chain = stageChain(dockerfile, stage);
  return advice.map((a) => {
    const home = chain.find((s) => s.steps.includes(a.step)) ?? stage;
    const vertex = vertexOf(vertices, home.label, a.step.text);
    let measured = stepCost(vertex);
    if (a.kind === 'copy-without-link' && vertex && !vertex.cached) {
      const below = pulledBelow(chain, vertices, a.step.line);
      measured +=
        below.bytes > 0
          ? `, after ${mb(below.bytes)} of layers below it were pulled and unpacked (${below.seconds.toFixed(1)} s)`
          : '; the layers below it were on this builder already (a fresh one pulls them)';
    }
    return { line: a.step.line, instruction: a.step.text, measured, problem: a.problem, fix: a.fix };
  });
}
