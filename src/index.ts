/** Entry point of the bundle: the only side effect at import is running the action. */
import { run } from './main.js';

await run();
