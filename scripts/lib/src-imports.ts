/**
 * Lets a script run the action's own `src/` TypeScript, unbundled, under Node 24 type stripping.
 *
 * `src/` is compiled NodeNext code, so it imports its siblings as `./template.js`: files that
 * exist only after a build. Type stripping runs `src/message/template.ts` fine, but Node will not guess
 * that `./template.js` means it. `useSourceImports()` registers a synchronous, in-thread resolve
 * hook (`module.registerHooks`, the successor of the deprecated `module.register`) that maps a
 * relative `.js` import made *from a file under src/* to the `.ts` file beside it, when no `.js`
 * exists. Nothing else is touched: packages, scripts, the sandbox and `.ts` imports resolve as
 * before. No build step, no second copy of the logic, no change to `src/`.
 *
 * ESM links a whole import graph before running any of it, so the hook must be registered
 * before `src/` is reached: call `useSourceImports()` first, then `await import('../src/….ts')`.
 */
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// scripts/lib/ → the repository's src/.
const SRC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const SRC_URL = pathToFileURL(SRC_DIR + path.sep).href;

let registered = false;

/** Registers the `src/` `.js` → `.ts` resolve hook (once per process; later calls do nothing). */
export function useSourceImports(): void {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (parent?.startsWith(SRC_URL) && /^\.\.?\/.*\.js$/.test(specifier)) {
        const js = new URL(specifier, parent);
        const ts = new URL(specifier.replace(/\.js$/, '.ts'), parent);
        if (!existsSync(fileURLToPath(js)) && existsSync(fileURLToPath(ts))) {
          return nextResolve(ts.href, context);
        }
      }
      return nextResolve(specifier, context);
    },
  });
}
