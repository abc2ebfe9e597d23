// The tar guard answered by the step's own process: the shim on PATH (bash) sends an extraction's
// arguments and folder over a loopback connection, this process reads the archive's headers
// (refusalOf) and answers; a request and an answer carry the token the shim was written with, and tar
// runs only on an answer with it.
// It spares a node process a restore (about 0.1 s each, several on the way to an exact hit's build).
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { refusalOf } from './tar-guard-run.js';

/** Where the shim reaches the guard, and the token its answers carry. */
export interface GuardServer {
  readonly port: number;
  readonly token: string;
  /** The extractions checked so far. */
  readonly checked: number;
  close(): void;
}

/**
 * A request: NUL-terminated fields, the token, the number of arguments, the folder tar runs in, then the
 * arguments (bash's `printf '%s\0' TOKEN "$#" "$PWD" "$@"`). Undefined until the last field has arrived.
 */
export function parseRequest(data: Buffer): { token: string; cwd: string; args: string[] } | undefined {
  const fields = data.toString('utf8').split('\0');
  fields.pop(); // what follows the last NUL: an unfinished field, or nothing
  const count = Number(fields[1]);
  if (fields.length < 3 || fields[1] === '' || !Number.isInteger(count) || count < 0) return undefined;
  if (fields.length < count + 3) return undefined;
  return { token: fields[0]!, cwd: fields[2]!, args: fields.slice(3, count + 3) };
}

/** The answer line: `ok <token>`, or why the extraction is refused (on one line). */
export function verdictLine(refusal: string | undefined, token: string): string {
  return refusal === undefined ? `ok ${token}\n` : `${refusal.replace(/[\r\n]+/g, ' ')}\n`;
}

/** Listens on 127.0.0.1 (a free port); the server does not keep the process alive. */
export async function startGuardServer(env: NodeJS.ProcessEnv = process.env): Promise<GuardServer> {
  const token = randomBytes(16).toString('hex');
  let checked = 0;
  const server = net.createServer((socket) => {
    let data = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const request = parseRequest(data);
      if (!request) return;
      socket.pause();
      // only the shims written with the token are answered: nothing else on this machine has an
      // archive read (and its member names told) by this process
      if (request.token !== token) {
        socket.destroy();
        return;
      }
      checked++;
      refusalOf(request.args, request.cwd, env)
        .catch((error: unknown) => `the tar guard failed: ${error instanceof Error ? error.message : String(error)}`)
        .then((refusal) => socket.end(verdictLine(refusal, token)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the tar guard has no port');
  return {
    port: address.port,
    token,
    get checked() {
      return checked;
    },
    close: () => server.close()
  };
}
