import { POST_ADAPTERS, post } from '../post.js';

await post(POST_ADAPTERS);
process.exit(0);
