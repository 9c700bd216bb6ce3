import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox, SandboxOptions } from '../../sandbox/server.ts';
import { startSandbox } from '../../sandbox/server.ts';
import { errorMessage, limits, manualClock, notify } from './helpers.ts';

const started: Sandbox[] = [];
async function start(options: SandboxOptions): Promise<Sandbox> {
  const sandbox = await startSandbox(options);
  started.push(sandbox);
  return sandbox;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

describe('per-token rate limit', () => {
  it("sends HipChat's defaults on every answer, errors included", async () => {
    const clock = manualClock(1_700_000_000_000);
    const sandbox = await start({ clock });
    const ok = await notify(sandbox, 'CI');
    expect(limits(ok)).toEqual({
      limit: 100,
      remaining: 99,
      reset: 1_700_000_300,
      floodLimit: 30,
      floodRemaining: 29,
      floodReset: 1_700_000_060,
    });
    // A 400 still counts against the token, not against the room (nothing was posted).
    const bad = await notify(sandbox, 'CI', { message: '' });
    expect(limits(bad)).toMatchObject({ remaining: 98, floodRemaining: 29 });
    // auth_test counts against the token too, and leaves flood control alone.
    const test = await notify(sandbox, 'CI', undefined, { query: 'auth_test=true' });
    expect(limits(test)).toMatchObject({ remaining: 97, floodRemaining: 29 });
    // A 401 of an unknown token counts against a window of its own.
    const unknown = await notify(sandbox, 'CI', undefined, { token: 'nope' });
    expect(limits(unknown)).toMatchObject({ limit: 100, remaining: 99 });
  });

  it('answers 429 over the limit, without acting, until exactly the announced reset', async () => {
    const clock = manualClock(1_700_000_000_250);
    const sandbox = await start({ clock, limits: { token: { limit: 2, windowMs: 10_000 } } });
    expect((await notify(sandbox, 'CI', { message: '1' })).status).toBe(204);
    const second = await notify(sandbox, 'CI', { message: '2' });
    expect(limits(second)).toMatchObject({ limit: 2, remaining: 0, reset: 1_700_000_010 });

    const refused = await notify(sandbox, 'CI', { message: '3' });
    expect(refused.status).toBe(429);
    expect(limits(refused)).toMatchObject({ limit: 2, remaining: 0, reset: 1_700_000_010 });
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(await refused.json()).toEqual({
      error: {
        code: 429,
        message: expect.stringMatching(/^You have exceeded the rate limit\./),
        type: 'Too Many Requests',
      },
    });

    clock.t = 1_700_000_010_000 - 1;
    expect((await notify(sandbox, 'CI', { message: '4' })).status).toBe(429);
    clock.t = 1_700_000_010_000;
    const after = await notify(sandbox, 'CI', { message: '5' });
    expect(after.status).toBe(204);
    expect(limits(after)).toMatchObject({ remaining: 1, reset: 1_700_000_020 });
    expect(sandbox.notifications().map((n) => n.message)).toEqual(['1', '2', '5']);
    expect(sandbox.requests.map((r) => r.status)).toEqual([204, 204, 429, 429, 204]);
  });

  it('lets a client that sleeps until the announced reset through (wall clock)', async () => {
    const sandbox = await start({ limits: { token: { limit: 1, windowMs: 1_000 } } });
    expect((await notify(sandbox, 'CI')).status).toBe(204);
    // Back to back, two requests share a window; on a loaded machine the second may come after
    // the first one's window ended and open the next. Then the one after it is refused.
    let refused = await notify(sandbox, 'CI');
    for (let tries = 1; refused.status !== 429 && tries < 5; tries++) {
      refused = await notify(sandbox, 'CI');
    }
    expect(refused.status).toBe(429);
    const reset = limits(refused).reset as number;
    const wait = reset * 1000 - Date.now();
    expect(wait).toBeLessThanOrEqual(2_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
    // setTimeout may fire up to a millisecond early: wait out the last bit exactly.
    while (Date.now() < reset * 1000) await new Promise((resolve) => setImmediate(resolve));
    expect((await notify(sandbox, 'CI')).status).toBe(204);
  });

  it('keeps windows per token', async () => {
    const sandbox = await start({ limits: { token: { limit: 1, windowMs: 60_000 } } });
    sandbox.addToken({ token: 'other', kind: 'personal', scopes: ['send_notification'] });
    expect((await notify(sandbox, 'CI')).status).toBe(204);
    expect((await notify(sandbox, 'CI')).status).toBe(429);
    expect((await notify(sandbox, 'CI', undefined, { token: 'other' })).status).toBe(204);
  });

  it('still sends headers but never refuses with enforcement off', async () => {
    const sandbox = await start({
      limits: { token: { limit: 1, windowMs: 60_000 }, enforce: false },
    });
    expect((await notify(sandbox, 'CI')).status).toBe(204);
    const second = await notify(sandbox, 'CI');
    expect(second.status).toBe(204);
    expect(limits(second)).toMatchObject({ limit: 1, remaining: 0 });
    sandbox.enforceLimits(true);
    expect((await notify(sandbox, 'CI')).status).toBe(429);
  });

  it('forgets windows on reset()', async () => {
    const sandbox = await start({ limits: { token: { limit: 1, windowMs: 60_000 } } });
    await notify(sandbox, 'CI');
    sandbox.reset();
    expect((await notify(sandbox, 'CI')).status).toBe(204);
  });
});

describe('per-room flood control', () => {
  it('answers 429 for the room over its limit while other rooms still accept', async () => {
    const clock = manualClock(1_700_000_000_500);
    const sandbox = await start({ clock, limits: { room: { limit: 2, windowMs: 2_000 } } });
    expect((await notify(sandbox, 'CI')).status).toBe(204);
    expect((await notify(sandbox, '1')).status).toBe(204);
    const refused = await notify(sandbox, 'CI');
    expect(refused.status).toBe(429);
    expect(limits(refused)).toMatchObject({
      floodLimit: 2,
      floodRemaining: 0,
      floodReset: 1_700_000_002,
      remaining: 97,
    });
    expect(await errorMessage(refused)).toMatch(/^You have exceeded the rate limit\. Room 'CI'/);
    expect((await notify(sandbox, 'Ops')).status).toBe(204);

    clock.t = 1_700_000_002_000 - 1;
    expect((await notify(sandbox, 'CI')).status).toBe(429);
    clock.t = 1_700_000_002_000;
    expect((await notify(sandbox, 'CI')).status).toBe(204);
    expect(sandbox.notifications('CI')).toHaveLength(3);
  });
});
