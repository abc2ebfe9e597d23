import { post } from '../post.js';

await post();
process.exit(0);
