/** Entry point of the bundle: the only side effect at import is running the action. */
import { run } from './main.js';

// Not `await run()`: the bundle is CommonJS (CONTRIBUTING.md: Keeping start-up fast), which has no top-level await.
// run() never rejects, and the pending work keeps the process alive until it is done.
void run();
