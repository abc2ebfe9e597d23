export const id = 505;
export const ids = [505];
export const modules = {

/***/ 6505:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  parseRequest: () => (/* binding */ parseRequest),
  startGuardServer: () => (/* binding */ startGuardServer),
  verdictLine: () => (/* binding */ verdictLine)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
var external_node_net_default = /*#__PURE__*/__webpack_require__.n(external_node_net_);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(6118);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/cache/tar-guard.ts
// Archives restored from the Actions cache are extracted by @actions/cache with `tar -P` (names kept
// as stored, `..` and absolute ones included). The action puts a guard in front of tar: before an
// extraction, the archive's headers are read (tar-stream, after the compression program tar would
// run), and one with a member outside the action's cache folder, or with a link, is refused (the
// restore then fails with a warning, as any cache fault). Pure parts here.

/**
 * `-xf A [-P] [-C D] [--use-compress-program P | -z]`, as @actions/cache extracts, run in `cwd` (the
 * archive and folder are given resolved from it); undefined: not an extraction of that form (the guard
 * refuses any other extraction).
 */
function extractionOf(args, cwd = process.cwd()) {
    const x = args.indexOf('-xf');
    const given = x >= 0 ? args[x + 1] : undefined;
    if (!given)
        return undefined;
    const archive = external_node_path_default().resolve(cwd, given);
    let workingDir = cwd;
    let compression;
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === '-C')
            workingDir = external_node_path_default().resolve(cwd, args[++i] ?? workingDir);
        else if (arg === '--use-compress-program' || arg === '-I')
            compression = (args[++i] ?? '').split(/\s+/).filter(Boolean);
        else if (arg.startsWith('--use-compress-program='))
            compression = arg
                .slice(arg.indexOf('=') + 1)
                .split(/\s+/)
                .filter(Boolean);
        else if (arg === '-z' || arg === '--gzip')
            compression = 'gzip';
    }
    if (Array.isArray(compression) && compression.length === 0)
        return undefined;
    return { archive, compression, workingDir };
}
const KINDS = { file: '-', 'contiguous-file': '-', directory: 'd', symlink: 'l', link: 'h' };
/** A member as a tar reader's header gives it (tar-stream's `type` names). */
function memberOf(header) {
    return { name: header.name, kind: KINDS[header.type ?? 'file'] ?? '?' };
}
/** What is wrong with an archive's members, if anything. */
function outsideMembers(members, workingDir, root) {
    if (!members)
        return 'the archive cannot be read';
    const base = external_node_path_default().resolve(root);
    for (const { name, kind } of members) {
        if (kind === 'l' || kind === 'h')
            return `'${name}' is a link`;
        if (!['-', 'd'].includes(kind))
            return `'${name}' is not a file or folder`;
        const target = external_node_path_default().resolve(workingDir, name);
        const rel = external_node_path_default().relative(base, target);
        if (rel === '')
            continue;
        if (rel === '..' || rel.startsWith(`..${(external_node_path_default()).sep}`) || external_node_path_default().isAbsolute(rel))
            return `'${name}' is outside ${base}`;
    }
    return undefined;
}

// EXTERNAL MODULE: ./src/cache/tar-shim.ts
var tar_shim = __webpack_require__(7467);
;// CONCATENATED MODULE: ./src/cache/tar-guard-run.ts
// The tar the action puts first on PATH: an extraction's archive is read header by header and checked
// first (tar-guard.ts); everything else goes to the real tar unchanged.







/** The archive's members from their headers (pax and GNU long names read as tar reads them); throws on a malformed archive. */
async function readMembers(extraction, env) {
    const members = [];
    const reader = (0,tar_stream.extract)();
    reader.on('entry', (header, stream, next) => {
        members.push(memberOf(header));
        stream.on('end', next);
        stream.resume();
    });
    let source = (0,external_node_fs_.createReadStream)(extraction.archive);
    const steps = [];
    if (extraction.compression === 'gzip')
        source = source.pipe((0,external_node_zlib_.createGunzip)());
    else if (extraction.compression) {
        // the program tar itself would run, as tar runs it: `PROG -d`, the archive on its input
        const [program, ...args] = extraction.compression;
        const child = (0,external_node_child_process_.spawn)(program, [...args, '-d'], { stdio: ['pipe', 'pipe', 'inherit'], env });
        steps.push((0,promises_.pipeline)(source, child.stdin), new Promise((resolve, reject) => {
            child.on('error', reject);
            child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${program} -d exited with ${code}`))));
        }));
        source = child.stdout;
    }
    await Promise.all([(0,promises_.pipeline)(source, reader), ...steps]);
    return members;
}
/**
 * Why an extraction must not run, or undefined when it may: its archive's members are read first. `cwd`
 * is the folder tar runs in (where a relative archive or `-C` is read from). A refusal is also written
 * where TAR_REPORT says (the backend reads it after a restore).
 */
async function refusalOf(args, cwd, env) {
    const root = env[tar_shim/* TAR_ROOT */.hQ];
    if (!root)
        return 'the tar guard has no root, and nothing is run unchecked';
    const extraction = extractionOf(args, cwd);
    if (!extraction) {
        // an extraction in a form the guard does not read (`-x -f`, `--extract`): refused, never run unchecked
        return args.some(tar_shim/* mayExtract */.DU) ? `refusing an extraction the guard cannot check: tar ${args.join(' ')}` : undefined;
    }
    const members = await readMembers(extraction, env).catch((error) => {
        process.stderr.write(`wheelhouse-buildx: the archive cannot be read: ${error instanceof Error ? error.message : String(error)}\n`);
        return undefined;
    });
    const problem = outsideMembers(members, extraction.workingDir, root);
    if (!problem)
        return undefined;
    const report = env[tar_shim/* TAR_REPORT */.vO];
    if (report)
        (0,external_node_fs_.writeFileSync)(report, problem);
    return `refusing to extract the cache archive: ${problem}`;
}
async function guardTar(args, env = process.env) {
    const tar = env[REAL_TAR];
    if (!tar) {
        process.stderr.write('wheelhouse-buildx: the tar guard has no real tar\n');
        return 2;
    }
    // without a root, refusalOf refuses whatever the arguments
    const refused = await refusalOf(args, process.cwd(), env);
    if (refused) {
        process.stderr.write(`wheelhouse-buildx: ${refused}\n`);
        return 2;
    }
    return spawnSync(tar, args, { stdio: 'inherit' }).status ?? 2;
}

;// CONCATENATED MODULE: ./src/cache/tar-guard-server.ts
// The tar guard answered by the step's own process: the shim on PATH (bash) sends an extraction's
// arguments and folder over a loopback connection, this process reads the archive's headers
// (refusalOf) and answers; a request and an answer carry the token the shim was written with, and tar
// runs only on an answer with it.
// It spares a node process a restore (about 0.1 s each, several on the way to an exact hit's build).



/**
 * A request: NUL-terminated fields, the token, the number of arguments, the folder tar runs in, then the
 * arguments (bash's `printf '%s\0' TOKEN "$#" "$PWD" "$@"`). Undefined until the last field has arrived.
 */
function parseRequest(data) {
    const fields = data.toString('utf8').split('\0');
    fields.pop(); // what follows the last NUL: an unfinished field, or nothing
    const count = Number(fields[1]);
    if (fields.length < 3 || fields[1] === '' || !Number.isInteger(count) || count < 0)
        return undefined;
    if (fields.length < count + 3)
        return undefined;
    return { token: fields[0], cwd: fields[2], args: fields.slice(3, count + 3) };
}
/** The answer line: `ok <token>`, or why the extraction is refused (on one line). */
function verdictLine(refusal, token) {
    return refusal === undefined ? `ok ${token}\n` : `${refusal.replace(/[\r\n]+/g, ' ')}\n`;
}
/** Listens on 127.0.0.1 (a free port); the server does not keep the process alive. */
async function startGuardServer(env = process.env) {
    const token = (0,external_node_crypto_.randomBytes)(16).toString('hex');
    let checked = 0;
    const server = external_node_net_default().createServer((socket) => {
        let data = Buffer.alloc(0);
        socket.on('error', () => socket.destroy());
        socket.on('data', (chunk) => {
            data = Buffer.concat([data, chunk]);
            const request = parseRequest(data);
            if (!request)
                return;
            socket.pause();
            // only the shims written with the token are answered: nothing else on this machine has an
            // archive read (and its member names told) by this process
            if (request.token !== token) {
                socket.destroy();
                return;
            }
            checked++;
            refusalOf(request.args, request.cwd, env)
                .catch((error) => `the tar guard failed: ${error instanceof Error ? error.message : String(error)}`)
                .then((refusal) => socket.end(verdictLine(refusal, token)));
        });
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
    });
    server.unref();
    const address = server.address();
    if (address === null || typeof address === 'string')
        throw new Error('the tar guard has no port');
    return {
        port: address.port,
        token,
        get checked() {
            return checked;
        },
        close: () => server.close()
    };
}


/***/ })

};
