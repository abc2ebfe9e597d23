#!/usr/bin/env node
import { cli } from '../cli/run.js';
import { MAIN_ADAPTERS } from '../main.js';
import { POST_ADAPTERS } from '../post.js';

process.exit(await cli(process.argv.slice(2), { main: MAIN_ADAPTERS, post: POST_ADAPTERS }));
