/**
 * What a plain delivery loads, from the committed bundle as the runner runs it: none of the
 * Node built-ins the bundle defers (CONTRIBUTING.md: Keeping start-up fast) — `node:crypto`,
 * `node:http2`, `node:assert`, `fs.promises` — and they load where a run does need them (a
 * card's id). Read from `process.moduleLoadList` at exit: which modules, not how fast.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PERSONAL_TOKEN, ROOM_CI } from '../../sandbox/server.ts';
import { step, useSandbox } from './helpers.ts';

const sandbox = useSandbox(undefined, { resetEach: true });
const dir = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The built-in modules a delivery with these inputs loaded (names as Node lists them). */
async function loadedBy(inputs: Record<string, string>): Promise<string[]> {
  const list = path.join(dir, `modules-${Math.random().toString(36).slice(2)}.json`);
  const preload = path.join(dir, 'list-modules.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)));\n`,
  );
  const result = await step(sandbox, {
    with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, ...inputs },
    env: { NODE_OPTIONS: `--require ${JSON.stringify(preload)}` },
  });
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
  expect(sandbox.notifications()).toHaveLength(1);
  return JSON.parse(readFileSync(list, 'utf8')) as string[];
}

const DEFERRED = ['crypto', 'http2', 'assert', 'fs/promises'];
const builtin = (name: string): RegExp => new RegExp(`^NativeModule ${name.replace('/', '\\/')}$`);

describe('a plain delivery', () => {
  it('loads none of the built-ins the bundle defers', async () => {
    const loaded = await loadedBy({});
    expect(loaded.some((m) => m === 'NativeModule fs')).toBe(true); // the list is real
    for (const name of DEFERRED) expect(loaded.filter((m) => builtin(name).test(m))).toEqual([]);
  });

  it('a card loads Web Crypto for its id, when it is sent', async () => {
    const loaded = await loadedBy({ card: 'true' });
    expect(loaded.some((m) => /^NativeModule internal\/crypto\//.test(m))).toBe(true);
    expect(sandbox.notifications()[0]!.card?.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
