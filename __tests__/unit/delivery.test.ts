/**
 * Delivery's pacing and retries, proven against the sandbox's real rate-limit windows over
 * loopback with the real HipChatClient — on a virtual clock shared by delivery and the sandbox,
 * so minute-long windows pass in no time. The clock moves only when every request has been
 * answered and every room is waiting: a discrete-event simulation, not a guess.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HipChatClient } from '../../src/hipchat/client.js';
import { deliver } from '../../src/delivery.js';
import type { Clock, DeliveryPlan, Log, Poster, RoomResult } from '../../src/delivery.js';
import { RESET_JITTER_MS, RESET_MARGIN_MS } from '../../src/retry-policy.js';
import type { NotificationBody } from '../../src/hipchat/types.js';
import type { Room, Sandbox, SandboxOptions } from '../../sandbox/server.ts';
import { PERSONAL_TOKEN, startSandbox } from '../../sandbox/server.ts';

/** Virtual time: `sleep` resolves in time order, and only while no request is in flight. */
class VirtualClock implements Clock {
  t: number;
  busy = 0;
  private sleepers: Array<{ at: number; resolve: () => void }> = [];
  private scheduled = false;
  readonly random: () => number;
  constructor(start: number, random: () => number = () => 0.5) {
    this.t = start;
    this.random = random;
  }
  now = (): number => this.t;
  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.sleepers.push({ at: this.t + Math.max(0, ms), resolve });
      this.kick();
    });
  /** Advances to the earliest sleeper once everything else has settled. */
  kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Two turns of the loop: let answers' continuations start their next request or sleep.
    setImmediate(() =>
      setImmediate(() => {
        this.scheduled = false;
        if (this.busy > 0 || this.sleepers.length === 0) return;
        this.sleepers.sort((a, b) => a.at - b.at);
        const next = this.sleepers.shift()!;
        this.t = Math.max(this.t, next.at);
        next.resolve();
        if (this.sleepers.length > 0) this.kick();
      }),
    );
  }
}

const START = Date.UTC(2026, 10, 28, 12, 0, 0, 400);
const BODY: NotificationBody = {
  message: 'Build failed',
  color: 'red',
  message_format: 'text',
  notify: false,
};
const ROOMS: Room[] = Array.from({ length: 8 }, (_, i) => ({ id: i + 1, name: `R${i + 1}` }));

interface Setup {
  sandbox: Sandbox;
  clock: VirtualClock;
  client: HipChatClient;
  poster: Poster & { maxInFlight: number };
  logs: { info: string[]; warning: string[] };
  log: Log;
  run(plan?: Partial<DeliveryPlan>): Promise<RoomResult[]>;
}

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

async function setup(options: SandboxOptions = {}, timeoutMs = 5_000): Promise<Setup> {
  const clock = new VirtualClock(START);
  const sandbox = await startSandbox({ rooms: ROOMS, ...options, clock });
  const client = new HipChatClient({ server: sandbox.url, timeoutMs, env: {} });
  open.push(
    () => client.close(),
    () => sandbox.close(),
  );
  let inFlight = 0;
  const poster = {
    server: client.server,
    maxInFlight: 0,
    async notify(token: string, room: string, body: NotificationBody, authTest?: boolean) {
      clock.busy++;
      inFlight++;
      poster.maxInFlight = Math.max(poster.maxInFlight, inFlight);
      try {
        return await client.notify(token, room, body, authTest);
      } finally {
        inFlight--;
        clock.busy--;
        clock.kick();
      }
    },
  };
  const logs = { info: [] as string[], warning: [] as string[] };
  const log: Log = {
    info: (m) => logs.info.push(m),
    warning: (m) => logs.warning.push(m),
    debug: () => {},
  };
  const run = (plan: Partial<DeliveryPlan> = {}): Promise<RoomResult[]> =>
    deliver(
      poster,
      {
        token: PERSONAL_TOKEN,
        rooms: ['R1'],
        body: BODY,
        authTest: false,
        dryRun: false,
        maxWaitMs: 600_000,
        startMs: clock.now(),
        ...plan,
      },
      clock,
      log,
    );
  return { sandbox, clock, client, poster, logs, log, run };
}

/** Posts straight to the sandbox (outside delivery), e.g. to use up a window first. */
async function prefill(s: Setup, room: string, count = 1): Promise<void> {
  for (let i = 0; i < count; i++) await s.client.notify(PERSONAL_TOKEN, room, BODY);
}

const statuses = (sandbox: Sandbox): Array<number | null> => sandbox.requests.map((r) => r.status);

describe('a 429', () => {
  it('is retried after the reset it announces: never earlier, at most margin + jitter later', async () => {
    const s = await setup({ limits: { room: { limit: 1, windowMs: 60_000 } } });
    await prefill(s, 'R1');
    const [result] = await s.run();
    expect(result).toMatchObject({ ok: true, status: 204, attempts: 2 });
    expect(statuses(s.sandbox)).toEqual([204, 429, 204]);
    const reset = Number(s.sandbox.requests[1]!.responseHeaders!['X-FloodControl-Reset']) * 1000;
    const retriedAt = s.sandbox.requests[2]!.time;
    expect(retriedAt).toBeGreaterThanOrEqual(reset);
    expect(retriedAt - reset).toBeLessThanOrEqual(RESET_MARGIN_MS + RESET_JITTER_MS);
    expect(s.sandbox.notifications('R1')).toHaveLength(2);
    const waits = s.logs.info.filter((m) => m.includes('waiting'));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatch(
      /^Room 'R1': waiting \d+(\.\d)? s, until .*, for the room's flood control \(X-FloodControl\) — HipChat answered 429/,
    );
  });

  it('takes the latest reset when the token and the room are both spent', async () => {
    const s = await setup({
      limits: { room: { limit: 1, windowMs: 10_000 }, token: { limit: 1, windowMs: 60_000 } },
    });
    await prefill(s, 'R1');
    const [result] = await s.run();
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    const refused = s.sandbox.requests[1]!.responseHeaders!;
    expect(Number(refused['X-Ratelimit-Reset'])).toBeGreaterThan(
      Number(refused['X-FloodControl-Reset']),
    );
    expect(s.sandbox.requests[2]!.time).toBeGreaterThanOrEqual(
      Number(refused['X-Ratelimit-Reset']) * 1000,
    );
    expect(s.logs.info.join('\n')).toMatch(/the token's rate limit \(X-Ratelimit\)/);
  });

  it("honours a proxy's Retry-After in seconds and as an HTTP date", async () => {
    for (const value of ['7', '{date+7}']) {
      const s = await setup();
      s.sandbox.script({
        kind: 'status',
        status: 429,
        html: true,
        headers: { 'Retry-After': value },
      });
      const [result] = await s.run();
      expect(result).toMatchObject({ ok: true, attempts: 2 });
      const waited = s.sandbox.requests[1]!.time - s.sandbox.requests[0]!.time;
      expect(waited).toBeGreaterThanOrEqual(6_000);
      expect(waited).toBeLessThanOrEqual(8_000);
      expect(s.logs.info.join('\n')).toMatch(/Retry-After/);
    }
  });

  it('without any hint backs off exponentially with jitter', async () => {
    const s = await setup();
    s.sandbox.script({ kind: 'status', status: 429, html: true, times: 3 });
    const [result] = await s.run();
    expect(result).toMatchObject({ ok: true, attempts: 4 });
    const t = s.sandbox.requests.map((r) => r.time);
    // Equal jitter with random() = 0.5: 750 ms, 1.5 s, 3 s.
    expect([t[1]! - t[0]!, t[2]! - t[1]!, t[3]! - t[2]!]).toEqual([750, 1_500, 3_000]);
  });

  it("backs off instead of looping when the announced reset has passed by this runner's clock", async () => {
    const s = await setup();
    s.sandbox.script({
      kind: 'status',
      status: 429,
      times: 3,
      headers: { 'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': String(START / 1000 - 5) },
    });
    const [result] = await s.run();
    expect(result).toMatchObject({ ok: true, attempts: 4 });
    expect(s.clock.now() - START).toBeGreaterThanOrEqual(5_000);
    expect(s.logs.info.join('\n')).toMatch(/clock ahead/);
  });
});

describe('Remaining: 0', () => {
  it("holds every room until the token's reset instead of provoking a 429, logging the wait once", async () => {
    const s = await setup({ limits: { token: { limit: 2, windowMs: 10_000 } } });
    const results = await s.run({ rooms: ['R1', 'R2', 'R3', 'R4', 'R5'] });
    expect(results.every((r) => r.ok && r.attempts === 1)).toBe(true);
    expect(statuses(s.sandbox)).not.toContain(429);
    for (const room of ['R1', 'R2', 'R3', 'R4', 'R5'])
      expect(s.sandbox.notifications(room)).toHaveLength(1);
    // 2 per window: posts 3–4 right at the first reset, post 5 at the second.
    const times = s.sandbox.requests.map((r) => r.time - START);
    const firstReset = Number(s.sandbox.requests[0]!.responseHeaders!['X-Ratelimit-Reset']) * 1000;
    expect(times.slice(2).every((t) => t + START >= firstReset)).toBe(true);
    expect(times[4]! + START).toBeGreaterThanOrEqual(firstReset + 10_000);
    expect(times[4]! + START - (firstReset + 10_000)).toBeLessThanOrEqual(RESET_MARGIN_MS);
    const waits = s.logs.info.filter((m) => /waiting/i.test(m));
    expect(waits).toHaveLength(2); // one per window, not one per room
    expect(waits[0]).toMatch(/^Waiting .* for the token's rate limit .*no request uses the token/);
  });

  it('holds only the room whose flood control is spent; other rooms go at once', async () => {
    const s = await setup({ limits: { room: { limit: 1, windowMs: 30_000 } } });
    await prefill(s, 'R1');
    const before = s.sandbox.requests.length;
    // The sandbox answered R1's prefill with Remaining 0; delivery only learns it from a 429.
    const results = await s.run({ rooms: ['R1', 'R2'] });
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    const r2 = s.sandbox.requests.slice(before).find((r) => r.room === 'R2')!;
    expect(r2.time - START).toBeLessThan(1_000);
    expect(s.sandbox.notifications('R1')).toHaveLength(2);
  });

  it("of a room is waited out before that room's next post (auth test, then post)", async () => {
    // The auth test does not count against flood control, but shows its state: spent.
    const s = await setup({ limits: { room: { limit: 1, windowMs: 20_000 } } });
    await prefill(s, 'R1');
    const [result] = await s.run({ authTest: true });
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(statuses(s.sandbox)).toEqual([204, 202, 204]);
  });
});

describe('many rooms, one token', () => {
  it('posts rooms concurrently up to the bound, and learns the token window with one request first', async () => {
    const s = await setup({ faults: [{ kind: 'delay', ms: 30, times: 20 }] });
    const rooms = ROOMS.map((r) => r.name);
    const results = await s.run({ rooms, concurrency: 3 });
    expect(results.map((r) => r.room)).toEqual(rooms);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(s.poster.maxInFlight).toBe(3);
    expect(s.sandbox.notifications()).toHaveLength(rooms.length);
  });

  it("one room's failure does not stop the others", async () => {
    const s = await setup();
    const results = await s.run({ rooms: ['R1', 'Nope', 'R2'] });
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ status: 404, attempts: 1 });
  });
});

describe('max-wait', () => {
  it('fails at once, naming the limit, its reset time and how to raise max-wait', async () => {
    const s = await setup({ limits: { room: { limit: 1, windowMs: 60_000 } } });
    await prefill(s, 'R1');
    const t0 = s.clock.now();
    const [result] = await s.run({ maxWaitMs: 5_000 });
    expect(s.clock.now()).toBe(t0); // no sleep at all
    expect(result!.ok).toBe(false);
    expect(result!.error).toMatch(
      /^Gave up on room 'R1': the room's flood control \(X-FloodControl\) allows the next request at 2026-11-28T12:01:00\.\d+Z, .* but `max-wait` \(5\.0 s\) has 5\.0 s left .*Raise `max-wait` to at least 6\d/,
    );
    expect(s.sandbox.requests).toHaveLength(2);
  });

  it('counts the whole run: waits that fit are taken, the one that does not fails', async () => {
    const s = await setup();
    s.sandbox.script({ kind: 'status', status: 503, times: 10 });
    const [result] = await s.run({ maxWaitMs: 4_000 });
    expect(result!.ok).toBe(false);
    expect(result!.error).toMatch(/a retry backoff .* `max-wait` \(4\.0 s\)/);
    expect(s.clock.now() - START).toBeLessThanOrEqual(4_000);
  });
});

describe('faults', () => {
  it.each([502, 503, 504])('retries %i (HipChat did not act) and delivers once', async (status) => {
    const s = await setup();
    s.sandbox.script({ kind: 'status', status, html: true, times: 2 });
    const [result] = await s.run();
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(result!.possibly_duplicated).toBeUndefined();
    expect(s.sandbox.notifications()).toHaveLength(1);
  });

  it('holds every room for the Retry-After of a 503', async () => {
    const s = await setup();
    s.sandbox.script({
      kind: 'status',
      status: 503,
      headers: { 'Retry-After': '20' },
      match: { room: 'R1' },
    });
    const results = await s.run({ rooms: ['R1', 'R2'], concurrency: 1 });
    expect(results.every((r) => r.ok)).toBe(true);
    const r2 = s.sandbox.requests.find((r) => r.room === 'R2')!;
    expect(r2.time - START).toBeGreaterThanOrEqual(20_000);
  });

  it.each([400, 401, 403, 404, 405])('never retries %i', async (status) => {
    const s = await setup();
    s.sandbox.script({ kind: 'status', status });
    const [result] = await s.run();
    expect(result).toMatchObject({ ok: false, status, attempts: 1 });
    expect(s.sandbox.requests).toHaveLength(1);
  });

  it('retries a reset after the request was sent once, flagged: the runner cannot tell whether HipChat acted', async () => {
    const s = await setup();
    s.sandbox.script({ kind: 'reset-before' });
    const [result] = await s.run();
    expect(result).toMatchObject({ ok: true, attempts: 2, possibly_duplicated: true });
    expect(s.sandbox.notifications()).toHaveLength(1);
  });

  it('retries a 500 once, flagged as a possible duplicate, and warns', async () => {
    const s = await setup();
    s.sandbox.script({ kind: 'status', status: 500, acted: true });
    const [result] = await s.run();
    expect(result).toMatchObject({ ok: true, attempts: 2, possibly_duplicated: true });
    expect(s.sandbox.notifications()).toHaveLength(2); // the documented trade-off
    expect(s.logs.warning.join('\n')).toMatch(/may have been posted twice/);
  });

  it('gives up after the one ambiguous retry, saying HipChat may have posted', async () => {
    const s = await setup();
    s.sandbox.script({ kind: 'status', status: 500, times: 2 });
    const [result] = await s.run();
    expect(result).toMatchObject({ ok: false, attempts: 2, possibly_duplicated: true });
    expect(result!.error).toMatch(/\(500, .*after 2 attempts.*may have posted it anyway/);
  });

  it('treats a silent server as a timeout after sending: one retry, then a clear failure', async () => {
    const s = await setup({ faults: [{ kind: 'silent', times: 2 }] }, 300);
    const [result] = await s.run();
    expect(result).toMatchObject({
      ok: false,
      status: null,
      attempts: 2,
      possibly_duplicated: true,
    });
    expect(result!.error).toMatch(/did not answer within the `timeout` \(0\.3 s\)/);
  });
});
