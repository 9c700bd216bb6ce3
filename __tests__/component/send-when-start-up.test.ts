/**
 * `send-when`'s start-up cost, in a real Node process: loading send-when.ts must not pull in
 * the GitHub client; looking up the previous run (against a closed port) must.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('start-up cost', () => {
  // A real Node process records every module it resolves: loading send-when must not pull in
  // the GitHub client (github/client.ts); looking up the previous run must (so the probe itself can fail).
  const probe = `
    import { registerHooks } from 'node:module';
    // src/ imports its siblings as .js: run the .ts sources as the preview does.
    const { useSourceImports } = await import(process.argv[2]);
    useSourceImports();
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { seen.push(specifier); return next(specifier, context); } });
    const m = await import(process.argv[1]);
    m.decideSend('changed', 'success', undefined);
    const atLoad = seen.some((s) => s.endsWith('github/client.js'));
    await m.findPreviousRun({ token: 't', apiUrl: 'http://127.0.0.1:9', repository: 'o/r', runId: 1, branch: 'main', timeoutMs: 2000 }).catch(() => {});
    console.log(JSON.stringify({ atLoad, afterLookup: seen.some((s) => s.endsWith('github/client.js')) }));
  `;

  it('loads the GitHub client only when a lookup is made', async () => {
    const file = fileURLToPath(new URL('../../src/send-when/previous-run.ts', import.meta.url));
    const hook = fileURLToPath(new URL('../../scripts/lib/src-imports.ts', import.meta.url));
    const flags = process.features.typescript ? [] : ['--experimental-strip-types'];
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...flags, '--no-warnings', '--input-type=module', '-e', probe, file, hook],
      { timeout: 20_000 },
    );
    expect(JSON.parse(stdout)).toEqual({ atLoad: false, afterLookup: true });
  });
});
