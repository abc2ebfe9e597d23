#!/usr/bin/env node
import { cli } from '../cli/run.js';

process.exit(await cli(process.argv.slice(2)));
