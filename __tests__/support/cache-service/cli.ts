// Starts the cache service stand-in by hand: `npx tsx __tests__/support/cache-service/cli.ts [DIR] [PORT]`.
// Prints the variables to export so that @actions/cache (and the action) talk to it.
import { CacheService } from './server.js';

const dir = process.argv[2] ?? '/tmp/wheelhouse-cache-service';
const port = Number(process.argv[3] ?? 0);
const service = await CacheService.start(dir, port);
for (const [name, value] of Object.entries(service.env())) console.log(`export ${name}=${value}`);
console.error(`cache service on ${service.url}, entries in ${dir}; faults: POST ${service.url}/_control/faults`);
const stop = (): void => void service.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
