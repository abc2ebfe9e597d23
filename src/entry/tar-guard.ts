import { guardTar } from '../cache/tar-guard-run.js';

process.exit(guardTar(process.argv.slice(2)));
