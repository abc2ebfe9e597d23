import { guardTar } from '../cache/tar-guard-run.js';

process.exit(await guardTar(process.argv.slice(2)));
