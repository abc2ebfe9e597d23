// The Dockerfile as the advisor and the rewrite read it: stages of instructions, each with its line
// numbers, flags and arguments, from dockerfile-ast (the parser behind the Docker language server).
import { DockerfileParser, type Flag as AstFlag, type Instruction as AstInstruction } from 'dockerfile-ast';

export interface Flag {
  readonly name: string;
  /** The value after `=`; null for a bare flag such as `--link`. */
  readonly value: string | null;
  /** `key=value` options of the value (`--mount=type=bind,from=wheelhouse`). */
  readonly options: Readonly<Record<string, string | null>>;
}

export interface Instruction {
  /** First and last line, 1-based. */
  readonly line: number;
  readonly endLine: number;
  /** Upper case: RUN, COPY, … */
  readonly keyword: string;
  readonly flags: readonly Flag[];
  readonly args: readonly string[];
  /** The instruction's text as BuildKit names its step: continuation lines joined, whitespace collapsed. */
  readonly text: string;
  /** A heredoc (`<<EOF`) is part of it. */
  readonly heredoc: boolean;
}

export interface Stage {
  /** BuildKit's name for the stage in its progress: the `AS` name, else `stage-<index>`. */
  readonly label: string;
  readonly name: string | undefined;
  readonly image: string;
  readonly from: Instruction;
  /** The instructions after FROM. */
  readonly steps: readonly Instruction[];
}

export interface ParsedDockerfile {
  readonly lines: readonly string[];
  /** The line continuation character (`\\`, or another set by an `# escape=` directive). */
  readonly escape: string;
  readonly stages: readonly Stage[];
}

/** Joins continuation lines and collapses whitespace, as BuildKit's step names show an instruction. */
export function stepText(source: string): string {
  return source
    .split(/\r?\n/)
    .filter((line) => !/^\s*#/.test(line))
    .map((line) => line.replace(/\\\s*$/, ' '))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function flagOf(flag: AstFlag): Flag {
  const options: Record<string, string | null> = {};
  for (const option of flag.getOptions()) options[option.getName()] = option.getValue();
  return { name: flag.getName(), value: flag.getValue(), options };
}

function flagsOf(instruction: AstInstruction): Flag[] {
  const withFlags = instruction as AstInstruction & { getFlags?: () => AstFlag[] };
  return typeof withFlags.getFlags === 'function' ? withFlags.getFlags().map(flagOf) : [];
}

/** The Dockerfile's stages, or undefined when it has no FROM (it cannot be built). */
export function parseDockerfile(text: string): ParsedDockerfile | undefined {
  const lines = text.split(/\r?\n/);
  const dockerfile = DockerfileParser.parse(text);
  const stages: { label: string; name: string | undefined; image: string; from: Instruction; steps: Instruction[] }[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const range = instruction.getRange();
    const source = lines.slice(range.start.line, range.end.line + 1).join('\n');
    const keyword = instruction.getKeyword().toUpperCase();
    const parsed: Instruction = {
      line: range.start.line + 1,
      endLine: range.end.line + 1,
      keyword,
      flags: flagsOf(instruction),
      args: instruction.getArguments().map((a) => a.getValue()),
      text: stepText(source),
      heredoc: /<<-?["']?[A-Za-z_]/.test(source)
    };
    if (keyword === 'FROM') {
      const words = parsed.args;
      const asAt = words.findIndex((w) => w.toUpperCase() === 'AS');
      const name = asAt > 0 ? words[asAt + 1]?.toLowerCase() : undefined;
      stages.push({ label: name ?? `stage-${stages.length}`, name, image: words[0] ?? '', from: parsed, steps: [] });
    } else {
      stages[stages.length - 1]?.steps.push(parsed);
    }
  }
  return stages.length > 0 ? { lines, escape: dockerfile.getEscapeCharacter(), stages } : undefined;
}

/** The stage that is built: `target`, or the last one. */
export function builtStage(dockerfile: ParsedDockerfile, target?: string): Stage | undefined {
  if (!target) return dockerfile.stages[dockerfile.stages.length - 1];
  return dockerfile.stages.find((s) => s.name === target.toLowerCase());
}

export const flag = (instruction: Instruction, name: string): Flag | undefined => instruction.flags.find((f) => f.name === name);
