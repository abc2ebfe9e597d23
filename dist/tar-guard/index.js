import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ // The require scope
/******/ var __nccwpck_require__ = {};
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_namespaceObject);
;// CONCATENATED MODULE: ./src/cache/tar-guard.ts
// Archives restored from the Actions cache are extracted by @actions/cache with `tar -P` (names kept
// as stored, `..` and absolute ones included). The action puts a guard in front of tar: before an
// extraction, the archive is listed, and one with a member outside the action's cache folder, or with
// a link, is refused (the restore then fails with a warning, as any cache fault). Pure parts here.

/**
 * The listing form of an extraction's arguments (`-xf A … -C D` → `-tvf A … --numeric-owner
 * --quoting-style=escape`); undefined: not an extraction. Numeric owners leave no free text before the
 * name (an owner or group name may hold spaces), and escaped names hold no newline.
 */
function listingArgs(args) {
    const x = args.indexOf('-xf');
    if (x < 0)
        return undefined;
    const list = [];
    let workingDir = process.cwd();
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === '-C') {
            workingDir = args[++i] ?? workingDir;
            continue;
        }
        list.push(i === x ? '-tvf' : arg);
    }
    return { list: [...list, '--numeric-owner', '--quoting-style=escape'], workingDir };
}
/** `mode uid/gid size date time name`: every column before the name is of a fixed shape. */
const LINE = /^([-a-zA-Z])[-a-zA-Z]{9} \d+\/\d+ +(?:\d+|\d+, *\d+) \d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)? (.+)$/;
/**
 * GNU tar's `-tv --numeric-owner` lines (C locale); undefined when any line does not read so, and the
 * archive is then refused. A link's name keeps its ` -> target` (links are refused whatever their name).
 */
function parseListing(text) {
    const members = [];
    for (const line of text.split('\n').filter((l) => l !== '')) {
        const m = LINE.exec(line);
        if (!m)
            return undefined;
        members.push({ kind: m[1], name: m[2] });
    }
    return members;
}
/** What is wrong with an archive's members, if anything. */
function outsideMembers(members, workingDir, root) {
    if (!members)
        return 'the listing is not readable';
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

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/cache/tar-shim.ts
// Installs the tar guard for this process: a `tar` (and a `gtar`, which @actions/cache prefers on
// macOS, when there is one) first on PATH that runs the guard entry (dist/tar-guard) with the real
// program's path and the folder archives may write to.




const REAL_TAR = 'WHEELHOUSE_BUILDX_REAL_TAR';
const TAR_ROOT = 'WHEELHOUSE_BUILDX_TAR_ROOT';
/**
 * The arguments that may ask tar to extract, as `case` patterns: `-x…`, a cluster of short options with
 * an `x` (`-zxf`), `--extract`, `--get`. An argument matching none never reaches the guard.
 */
const EXTRACTION_PATTERNS = (/* unused pure expression or super */ null && (`-x*|-[!-]*x*|--extract|--extract=*|--get`));
/** Whether an argument matches EXTRACTION_PATTERNS (the guard refuses an extraction it cannot list). */
function mayExtract(arg) {
    return /^-x|^-[^-][^\s]*x|^--extract(=|$)|^--get$/.test(arg);
}
/** Where the guard writes why it refused an archive (the backend reads it after a restore). */
const TAR_REPORT = 'WHEELHOUSE_BUILDX_TAR_REPORT';
function findOnPath(program, env) {
    for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
        const candidate = path.join(dir, program);
        try {
            accessSync(candidate, constants.X_OK);
            return candidate;
        }
        catch {
            // not here
        }
    }
    return undefined;
}
/** Returns false (and changes nothing) when there is no tar to guard or no guard to run. */
function installTarGuard(guardScript, root, env = process.env) {
    if (env[TAR_ROOT])
        return true;
    const programs = ['tar', 'gtar'].flatMap((name) => {
        const real = findOnPath(name, env);
        return real ? [{ name, real }] : [];
    });
    if (!programs.some((p) => p.name === 'tar'))
        return false;
    try {
        accessSync(guardScript, constants.R_OK);
    }
    catch {
        return false;
    }
    const dir = path.join(env.RUNNER_TEMP || os.tmpdir(), `wheelhouse-buildx-tar-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
    for (const { name, real } of programs) {
        // only an extraction goes through the guard; anything else (`--version`, creating an archive) runs
        // the real program at once, without starting node
        const script = [
            '#!/bin/sh',
            `${REAL_TAR}=${quote(real)}`,
            `export ${REAL_TAR}`,
            'for arg in "$@"; do',
            '  case "$arg" in',
            `    ${EXTRACTION_PATTERNS}) exec ${quote(process.execPath)} ${quote(guardScript)} "$@" ;;`,
            '  esac',
            'done',
            `exec "$${REAL_TAR}" "$@"`,
            ''
        ];
        writeFileSync(path.join(dir, name), script.join('\n'), { mode: 0o755 });
    }
    env[TAR_ROOT] = root;
    env[TAR_REPORT] = path.join(dir, 'refused');
    env.PATH = `${dir}${path.delimiter}${env.PATH ?? ''}`;
    return true;
}

;// CONCATENATED MODULE: ./src/cache/tar-guard-run.ts
// The tar the action puts first on PATH: extractions are listed and checked first (tar-guard.ts);
// everything else goes to the real tar unchanged.




function guardTar(args, env = process.env) {
    const tar = env[REAL_TAR];
    const root = env[TAR_ROOT];
    if (!tar || !root) {
        process.stderr.write('wheelhouse-buildx: the tar guard has no real tar or root\n');
        return 2;
    }
    const extraction = listingArgs(args);
    if (!extraction && args.some(mayExtract)) {
        // an extraction in a form the guard does not list (`-x -f`, `--extract`): refused, never run unchecked
        process.stderr.write(`wheelhouse-buildx: refusing an extraction the guard cannot check: tar ${args.join(' ')}\n`);
        return 2;
    }
    if (extraction) {
        // one listing, in the C locale so that its columns read the same everywhere
        const listing = (0,external_node_child_process_namespaceObject.spawnSync)(tar, extraction.list, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...env, LC_ALL: 'C' } });
        if (listing.status !== 0) {
            process.stderr.write(`wheelhouse-buildx: the archive cannot be listed: ${listing.stderr.trim()}\n`);
            return 2;
        }
        const problem = outsideMembers(parseListing(listing.stdout), extraction.workingDir, root);
        if (problem) {
            process.stderr.write(`wheelhouse-buildx: refusing to extract the cache archive: ${problem}\n`);
            const report = env[TAR_REPORT];
            if (report)
                (0,external_node_fs_namespaceObject.writeFileSync)(report, problem);
            return 2;
        }
    }
    return (0,external_node_child_process_namespaceObject.spawnSync)(tar, args, { stdio: 'inherit' }).status ?? 2;
}

;// CONCATENATED MODULE: ./src/entry/tar-guard.ts

process.exit(guardTar(process.argv.slice(2)));

