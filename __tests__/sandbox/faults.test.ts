import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../../sandbox/server.ts';
import { startSandbox } from '../../sandbox/server.ts';
import { limits, manualClock, networkError, notify } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());
/** Sandboxes a test started for itself. */
const after: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(after.splice(0).map((close) => close()));
});

const RESET_CODES = ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'];

describe('status faults', () => {
  it('answers the scripted status without acting, with HipChat headers and error body', async () => {
    sandbox.script({ kind: 'status', status: 500 });
    const response = await notify(sandbox, 'CI');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: 500, message: 'Internal Server Error', type: 'Internal Server Error' },
    });
    // Rate-limit headers are present but the faulted call was not counted.
    expect(limits(response)).toMatchObject({ limit: 100, remaining: 100, floodRemaining: 30 });
    expect(sandbox.notifications()).toEqual([]);
    expect(sandbox.requests[0]).toMatchObject({
      status: 500,
      acted: false,
      fault: { kind: 'status', status: 500 },
    });
    // The fault was consumed: the next call is normal.
    expect((await notify(sandbox, 'CI')).status).toBe(204);
  });

  it('acts first when asked: a 500 after the notification was delivered', async () => {
    sandbox.script({ kind: 'status', status: 500, acted: true });
    expect((await notify(sandbox, 'CI', { message: 'once' })).status).toBe(500);
    expect(sandbox.notifications().map((n) => n.message)).toEqual(['once']);
    expect(sandbox.requests[0]).toMatchObject({ status: 500, acted: true });
  });

  it("answers a proxy's HTML error page without HipChat headers", async () => {
    sandbox.script({ kind: 'status', status: 502, html: true });
    const response = await notify(sandbox, 'CI');
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('server')).toBe('nginx');
    expect(response.headers.get('x-ratelimit-limit')).toBeNull();
    expect(await response.text()).toContain('<center><h1>502 Bad Gateway</h1></center>');
  });

  it('sends a scripted 429 with Retry-After and a near reset by default', async () => {
    // The sandbox's own clock decides the reset, not the test's: a clock of its own, held at
    // x.995 s, where "now" read a moment apart would round to another second.
    const clock = manualClock(1_700_000_000_995);
    const sandbox = await startSandbox({ clock });
    after.push(() => sandbox.close());
    sandbox.script([
      { kind: 'status', status: 429, headers: { 'Retry-After': '2' } },
      {
        kind: 'status',
        status: 429,
        headers: { 'retry-after': '{date+3}', 'X-Ratelimit-Reset': '{now+5}' },
      },
    ]);
    const first = await notify(sandbox, 'CI');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(limits(first).remaining).toBe(0);
    // Rounded up: the reset is never earlier than a second from now.
    expect(limits(first).reset).toBe(1_700_000_002);

    clock.t += 10; // the next second began: 1_700_000_001.005
    const second = await notify(sandbox, 'CI');
    expect(second.headers.get('retry-after')).toBe(new Date(1_700_000_005_000).toUTCString());
    expect(limits(second).reset).toBe(1_700_000_007);
    expect(sandbox.requests.map((r) => r.time)).toEqual([1_700_000_000_995, 1_700_000_001_005]);
    expect(sandbox.notifications()).toEqual([]);
  });

  it('sends custom bodies as text or JSON, and overrides headers', async () => {
    sandbox.script([
      { kind: 'status', status: 503, body: 'upstream down' },
      {
        kind: 'status',
        status: 400,
        body: { error: { code: 400, message: 'custom', type: 'Bad Request' } },
      },
      { kind: 'status', status: 200, headers: { 'X-Ratelimit-Remaining': '7' } },
    ]);
    const text = await notify(sandbox, 'CI');
    expect([text.status, text.headers.get('content-type'), await text.text()]).toEqual([
      503,
      'text/plain; charset=utf-8',
      'upstream down',
    ]);
    const json = await notify(sandbox, 'CI');
    expect(await json.json()).toEqual({
      error: { code: 400, message: 'custom', type: 'Bad Request' },
    });
    const ok = await notify(sandbox, 'CI');
    expect([ok.status, await ok.text(), limits(ok).remaining]).toEqual([200, '', 7]);
  });
});

describe('connection faults', () => {
  it('reset-before: the connection drops and nothing is delivered', async () => {
    sandbox.script({ kind: 'reset-before' });
    expect(RESET_CODES).toContain(await networkError(notify(sandbox, 'CI')));
    expect(sandbox.notifications()).toEqual([]);
    expect(sandbox.requests[0]).toMatchObject({
      status: null,
      acted: false,
      done: true,
      fault: { kind: 'reset-before' },
    });
    expect((await notify(sandbox, 'CI')).status).toBe(204);
  });

  it('reset-after: the notification is delivered, then the connection drops', async () => {
    sandbox.script({ kind: 'reset-after' });
    expect(RESET_CODES).toContain(
      await networkError(notify(sandbox, 'CI', { message: 'lost answer' })),
    );
    expect(sandbox.notifications().map((n) => n.message)).toEqual(['lost answer']);
    expect(sandbox.requests[0]).toMatchObject({ status: null, acted: true });
  });

  it('delay: answers normally after the delay', async () => {
    sandbox.script({ kind: 'delay', ms: 300 });
    const started = Date.now();
    const response = await notify(sandbox, 'CI');
    expect(response.status).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(sandbox.notifications()).toHaveLength(1);
  });

  it('delay with actFirst: delivered at once, answered late', async () => {
    sandbox.script({ kind: 'delay', ms: 400, actFirst: true });
    let answered = false;
    const pending = notify(sandbox, 'CI').then((r) => {
      answered = true;
      return r;
    });
    await vi.waitFor(() => expect(sandbox.notifications()).toHaveLength(1), {
      timeout: 300,
      interval: 10,
    });
    expect(answered).toBe(false);
    expect((await pending).status).toBe(204);
  });

  it('delay: a client that gives up still gets its notification delivered (the server had it)', async () => {
    sandbox.script({ kind: 'delay', ms: 300 });
    const error = await notify(sandbox, 'CI', undefined, { signal: AbortSignal.timeout(50) }).catch(
      (e: Error) => e.name,
    );
    expect(error).toBe('TimeoutError');
    const [request] = await sandbox.waitForRequests(1, 2_000);
    expect(request).toMatchObject({ status: 204, acted: true, clientAborted: true });
    expect(sandbox.notifications()).toHaveLength(1);
  });

  it('silent: never answers, acting only if asked', async () => {
    sandbox.script([{ kind: 'silent' }, { kind: 'silent', acted: true }]);
    for (const message of ['quiet', 'quiet but delivered']) {
      const failed = await notify(
        sandbox,
        'CI',
        { message },
        { signal: AbortSignal.timeout(150) },
      ).catch((e: Error) => e.name);
      expect(failed).toBe('TimeoutError');
    }
    expect(sandbox.requests.map((r) => [r.status, r.acted, r.done])).toEqual([
      [null, false, true],
      [null, true, true],
    ]);
    expect(sandbox.notifications().map((n) => n.message)).toEqual(['quiet but delivered']);
  });
});

describe('matching and queueing', () => {
  it('applies a fault only to matching requests, in queue order, `times` times', async () => {
    sandbox.script([
      { kind: 'status', status: 503, match: { room: 'Ops' }, times: 2 },
      { kind: 'status', status: 502, match: { authTest: true } },
      { kind: 'status', status: 500, match: { path: '/oauth/token', method: 'post' } },
    ]);
    expect((await notify(sandbox, 'CI')).status).toBe(204);
    expect((await notify(sandbox, '3')).status).toBe(503);
    expect((await notify(sandbox, 'CI', undefined, { query: 'auth_test=true' })).status).toBe(502);
    expect((await notify(sandbox, 'Ops')).status).toBe(503);
    expect((await notify(sandbox, 'Ops')).status).toBe(204);
    expect(sandbox.pendingFaults()).toEqual([expect.objectContaining({ status: 500, times: 1 })]);
    expect((await fetch(`${sandbox.url}/v2/oauth/token`, { method: 'POST' })).status).toBe(500);
    expect(sandbox.pendingFaults()).toEqual([]);
  });

  it('rejects malformed faults where they are scripted', () => {
    expect(() => sandbox.script({ kind: 'explode' } as never)).toThrow(/kind: must be one of/);
    expect(() => sandbox.script({ kind: 'delay' } as never)).toThrow(/\[0\]\.ms/);
    expect(() => sandbox.script({ kind: 'status', status: 200, times: 0 })).toThrow(/times/);
  });

  it('takes faults from the options', async () => {
    const other = await startSandbox({ faults: [{ kind: 'status', status: 502, html: true }] });
    try {
      expect((await notify(other, 'CI')).status).toBe(502);
    } finally {
      await other.close();
    }
  });

  it('reset() drops queued faults and lets go of silent requests', async () => {
    sandbox.script([{ kind: 'silent' }, { kind: 'status', status: 500 }]);
    const pending = networkError(notify(sandbox, 'CI'));
    await sandbox.waitForRequests(1, 2_000);
    sandbox.reset();
    expect(RESET_CODES).toContain(await pending);
    expect(sandbox.requests).toEqual([]);
    expect((await notify(sandbox, 'CI')).status).toBe(204);
  });
});

describe('close()', () => {
  it('closes promptly with a silent request and a delayed one pending', async () => {
    const other = await startSandbox({
      faults: [{ kind: 'silent' }, { kind: 'delay', ms: 60_000 }],
    });
    const silent = networkError(notify(other, 'CI'));
    const delayed = networkError(notify(other, 'Ops'));
    await vi.waitFor(() => expect(other.requests).toHaveLength(2), {
      timeout: 2_000,
      interval: 10,
    });
    const started = Date.now();
    await other.close();
    // Far below the 60 s delay (and a silent request never ends by itself): generous for a
    // loaded machine.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(RESET_CODES).toContain(await silent);
    expect(RESET_CODES).toContain(await delayed);
    expect(other.notifications()).toEqual([]);
    await expect(fetch(`${other.url}/v2/room/CI/notification`)).rejects.toThrow();
  });
});
