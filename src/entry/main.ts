import { MAIN_ADAPTERS, main } from '../main.js';

await main(MAIN_ADAPTERS);
// A cache call abandoned at its deadline may still hold a socket: do not wait for it.
process.exit();
