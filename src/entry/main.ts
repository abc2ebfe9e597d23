import { main } from '../main.js';

await main();
// A cache call abandoned at its deadline may still hold a socket: do not wait for it.
process.exit();
