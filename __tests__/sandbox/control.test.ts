import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest, Sandbox } from '../../sandbox/server.ts';
import { PERSONAL_TOKEN, startSandbox } from '../../sandbox/server.ts';
import { limits, notify } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ limits: { token: { limit: 5, windowMs: 60_000 } } });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const control = (path: string, init?: RequestInit): Promise<Response> =>
  fetch(`${sandbox.url}/_sandbox${path}`, init);
const post = (path: string, body?: unknown): Promise<Response> =>
  control(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('/_sandbox control endpoints', () => {
  it('describes the sandbox', async () => {
    const info = (await (await control('')).json()) as {
      url: string;
      rooms: unknown[];
      tokens: { token: string }[];
      limits: unknown;
    };
    expect(info.url).toBe(sandbox.url);
    expect(info.rooms).toContainEqual({ id: 2, name: 'Release Notes' });
    expect(info.tokens.map((t) => t.token)).toContain(PERSONAL_TOKEN);
    expect(info.limits).toEqual({
      token: { limit: 5, windowMs: 60_000 },
      room: { limit: 30, windowMs: 60_000 },
      enforce: true,
    });
  });

  it('queues faults over HTTP, lists and drops them', async () => {
    const queued = await post('/faults', [
      { status: 502, html: true },
      { kind: 'reset-before', match: { room: 'Ops' } },
    ]);
    expect(queued.status).toBe(200);
    expect(await queued.json()).toMatchObject({
      queued: 2,
      pending: [{ kind: 'status', status: 502, times: 1 }, { kind: 'reset-before' }],
    });
    expect((await notify(sandbox, 'CI')).status).toBe(502);
    expect(await (await control('/faults')).json()).toEqual([
      { kind: 'reset-before', match: { room: 'Ops' }, times: 1 },
    ]);
    expect((await control('/faults', { method: 'DELETE' })).status).toBe(204);
    expect(sandbox.pendingFaults()).toEqual([]);
  });

  it('rejects malformed faults with a 400 naming the field', async () => {
    const response = await post('/faults', [{ kind: 'delay', ms: -1 }]);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      'invalid fault [0].ms: must be a number of milliseconds ≥ 0',
    );
    expect((await control('/faults', { method: 'POST', body: 'not json' })).status).toBe(400);
  });

  it('lists requests and notifications, and resets', async () => {
    await notify(sandbox, 'CI', { message: 'one' });
    await notify(sandbox, 'Release%20Notes', { message: 'two' });
    const requests = (await (await control('/requests')).json()) as RecordedRequest[];
    expect(requests.map((r) => [r.seq, r.room, r.status])).toEqual([
      [1, 'CI', 204],
      [2, 'Release Notes', 204],
    ]);
    const inRoom = (await (await control('/notifications?room=Release%20Notes')).json()) as {
      message: string;
    }[];
    expect(inRoom.map((n) => n.message)).toEqual(['two']);
    const byId = (await (await control('/notifications?room=1')).json()) as { message: string }[];
    expect(byId.map((n) => n.message)).toEqual(['one']);

    expect((await post('/reset')).status).toBe(204);
    expect(await (await control('/requests')).json()).toEqual([]);
    expect(sandbox.notifications()).toEqual([]);
  });

  it('waits for requests over HTTP', async () => {
    const waiting = control('/requests?wait=2&timeout=5000');
    await notify(sandbox, 'CI');
    await notify(sandbox, 'Ops');
    const requests = (await (await waiting).json()) as RecordedRequest[];
    expect(requests).toHaveLength(2);
    const timedOut = await control('/requests?wait=5&timeout=50');
    expect(timedOut.status).toBe(408);
  });

  it('neither records control calls nor counts them against rate limits', async () => {
    for (let i = 0; i < 6; i += 1) await control('/requests');
    expect(sandbox.requests).toEqual([]);
    expect(limits(await notify(sandbox, 'CI')).remaining).toBe(4);
  });

  it('answers 404 for unknown control calls', async () => {
    const response = await control('/nope');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'POST   /_sandbox/faults',
    );
  });
});

describe('waitForRequests', () => {
  it('resolves once enough requests are finished, and rejects on timeout', async () => {
    const waiting = sandbox.waitForRequests(2, 2_000);
    void notify(sandbox, 'CI');
    void notify(sandbox, 'Ops');
    expect((await waiting).map((r) => r.status)).toEqual([204, 204]);
    await expect(sandbox.waitForRequests(3, 50)).rejects.toThrow(
      /waited 50 ms for 3 request\(s\), 2 finished/,
    );
  });
});
