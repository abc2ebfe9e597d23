// buildx's own account of a build, read from its plain progress: which steps ran, which were CACHED,
// what each pulled and unpacked, what each context sent, and how long each took.
export interface Vertex {
  readonly id: number;
  /** As buildx prints it: `[stage-0 3/5] RUN ...`, `[internal] load build context`, ... */
  readonly name: string;
  readonly cached: boolean;
  /** The step printed output of its own: it ran (a RUN whose command was executed). */
  readonly output: boolean;
  readonly seconds: number | undefined;
  /** Layers pulled for this vertex (each blob counted once, at its full size). */
  readonly pulledBytes: number;
  readonly unpackSeconds: number;
  /** Bytes a local context (`transferring <name>: ...`) sent to BuildKit. */
  readonly sentBytes: number;
  readonly error: boolean;
}

const UNITS: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** A size as buildx prints it (go-units' decimal form: 93B, 1.2kB, 228.06MB). */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKMGT]?B)$/.exec(text);
  return m ? Math.round(Number(m[1]) * (UNITS[m[2]!] ?? 1)) : 0;
}

interface Draft {
  name: string;
  cached: boolean;
  output: boolean;
  seconds: number | undefined;
  blobs: Map<string, number>;
  unpackSeconds: number;
  sentBytes: number;
  error: boolean;
}

/** The vertices of a `--progress plain` log, in the order they first appear. */
export function parseProgress(log: string): Vertex[] {
  const drafts = new Map<number, Draft>();
  for (const raw of log.split('\n')) {
    const m = /^#(\d+) (.*)$/.exec(raw.trimEnd());
    if (!m) continue;
    const id = Number(m[1]);
    const rest = m[2]!;
    const draft = drafts.get(id);
    if (!draft) {
      drafts.set(id, {
        name: rest,
        cached: false,
        output: false,
        seconds: undefined,
        blobs: new Map(),
        unpackSeconds: 0,
        sentBytes: 0,
        error: false
      });
      continue;
    }
    if (rest === draft.name) continue; // buildx prints a vertex's name again when its output resumes
    const done = /^DONE (\d+(?:\.\d+)?)s$/.exec(rest);
    const blob = /^(sha256:[0-9a-f]{64}) \S+ \/ (\S+)/.exec(rest);
    const extracted = /^extracting sha256:[0-9a-f]{64} (\d+(?:\.\d+)?)s done$/.exec(rest);
    const sent = /^transferring [^:]+: (\S+)(?: \d+(?:\.\d+)?s)? done$/.exec(rest);
    if (rest === 'CACHED') draft.cached = true;
    else if (done) draft.seconds = Math.max(draft.seconds ?? 0, Number(done[1]));
    else if (/^(?:ERROR|CANCELED)\b/.test(rest)) draft.error = true;
    else if (blob) draft.blobs.set(blob[1]!, parseSize(blob[2]!));
    else if (extracted) draft.unpackSeconds += Number(extracted[1]);
    else if (sent) draft.sentBytes = Math.max(draft.sentBytes, parseSize(sent[1]!));
    else if (/^\d+\.\d+ /.test(rest)) draft.output = true;
  }
  return [...drafts].map(([id, d]) => ({
    id,
    name: d.name,
    cached: d.cached,
    output: d.output,
    seconds: d.seconds,
    pulledBytes: [...d.blobs.values()].reduce((a, b) => a + b, 0),
    unpackSeconds: Math.round(d.unpackSeconds * 10) / 10,
    sentBytes: d.sentBytes,
    error: d.error
  }));
}

/** The vertex of a Dockerfile step: `[<stage label> i/n] <step text>`, whitespace collapsed. */
export function vertexOf(vertices: readonly Vertex[], stageLabel: string, stepText: string): Vertex | undefined {
  const wanted = stepText.replace(/\s+/g, ' ').trim();
  return vertices.find((v) => {
    const m = /^\[(\S+) \d+\/\d+\] (.*)$/.exec(v.name);
    return m !== null && m[1] === stageLabel && m[2]!.replace(/\s+/g, ' ').trim() === wanted;
  });
}
