/**
 * Delivery's pacing and retries, proven against the sandbox's real rate-limit windows over
 * loopback with the real HipChatClient — on a virtual clock shared by delivery and the sandbox,
 * so minute-long windows pass in no time. The clock moves only when every request has been
 * answered and every room is waiting: a discrete-event simulation, not a guess.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HipChatClient } from '../../src/hipchat/client.js';
import type { SendOptions } from '../../src/hipchat/client.js';
import { deliver } from '../../src/delivery/index.js';
import { Session } from '../../src/delivery/session.js';
import { systemClock } from '../../src/delivery/clock.js';
import type {
  AddonCredentials,
  Clock,
  DeliveryPlan,
  Log,
  Poster,
  RoomResult,
} from '../../src/delivery/types.js';
import { RESET_JITTER_MS, RESET_MARGIN_MS } from '../../src/delivery/retry-policy.js';
import type { NotificationBody } from '../../src/hipchat/types.js';
import type { Room, Sandbox, SandboxOptions } from '../../sandbox/server.ts';
import {
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  PERSONAL_TOKEN,
  startSandbox,
} from '../../sandbox/server.ts';

/** What a test delivers: the rooms' plan, and the token and budget of the run's session. */
type TestPlan = DeliveryPlan & {
  token: string | AddonCredentials;
  startMs: number;
  maxWaitMs: number;
};

/** Delivers `plan` through a session of its own over `poster`, as a run does. */
function deliverWith(
  poster: Poster,
  plan: TestPlan,
  clock: Clock,
  log: Log,
): Promise<RoomResult[]> {
  const { token, startMs, maxWaitMs, ...rooms } = plan;
  const session = new Session({
    server: poster.server,
    connect: () => poster,
    auth: token,
    startMs,
    maxWaitMs,
    clock,
    log,
  });
  return deliver(session, rooms, log);
}

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
  poster: Poster & {
    maxInFlight: number;
    beforeFirstAnswer: number;
    budgets: Array<number | undefined>;
  };
  logs: { info: string[]; warning: string[] };
  log: Log;
  run(plan?: Partial<TestPlan>): Promise<RoomResult[]>;
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
  let answered = false;
  /** Runs a request with the virtual clock held still: time passes only between requests. */
  async function busy<T>(request: () => Promise<T>): Promise<T> {
    clock.busy++;
    inFlight++;
    poster.maxInFlight = Math.max(poster.maxInFlight, inFlight);
    if (!answered) poster.beforeFirstAnswer = Math.max(poster.beforeFirstAnswer, inFlight);
    try {
      return await request();
    } finally {
      answered = true;
      inFlight--;
      clock.busy--;
      clock.kick();
    }
  }
  const poster = {
    server: client.server,
    maxInFlight: 0,
    /** The most requests in flight before any had ended. */
    beforeFirstAnswer: 0,
    budgets: [] as Array<number | undefined>,
    notify(
      token: string,
      room: string,
      body: NotificationBody,
      authTest?: boolean,
      options?: SendOptions,
    ) {
      poster.budgets.push(options?.budgetMs);
      return busy(() => client.notify(token, room, body, authTest, options));
    },
    addonToken(id: string, secret: string, options?: SendOptions) {
      poster.budgets.push(options?.budgetMs);
      return busy(() => client.addonToken(id, secret, options));
    },
  };
  const logs = { info: [] as string[], warning: [] as string[] };
  const log: Log = {
    info: (m) => logs.info.push(m),
    warning: (m) => logs.warning.push(m),
    debug: () => {},
  };
  const run = (plan: Partial<TestPlan> = {}): Promise<RoomResult[]> =>
    deliverWith(
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
    // Two at a time against a window of two: the first two answers show the window spent.
    const results = await s.run({ rooms: ['R1', 'R2', 'R3', 'R4', 'R5'], concurrency: 2 });
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
  it('posts rooms concurrently up to the bound from the start, without waiting for a first answer', async () => {
    const s = await setup({ faults: [{ kind: 'delay', ms: 30, times: 20 }] });
    const rooms = ROOMS.map((r) => r.name);
    const results = await s.run({ rooms, concurrency: 3 });
    expect(results.map((r) => r.room)).toEqual(rooms);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(s.poster.maxInFlight).toBe(3);
    expect(s.poster.beforeFirstAnswer).toBe(3);
    expect(s.sandbox.notifications()).toHaveLength(rooms.length);
  });

  it('keeps posting up to the bound when the server sends no rate-limit headers', async () => {
    // A HipChat-compatible endpoint (or a proxy) without X-Ratelimit headers: nothing to learn,
    // so nothing may hold the rooms to one at a time.
    const s = await setup({
      faults: [{ kind: 'status', status: 204, body: '', html: true, times: 20 }],
    });
    const results = await s.run({ rooms: ROOMS.map((r) => r.name), concurrency: 4 });
    expect(results.every((r) => r.ok && r.attempts === 1)).toBe(true);
    expect(s.sandbox.requests.every((r) => !r.responseHeaders!['X-Ratelimit-Limit'])).toBe(true);
    expect(s.poster.beforeFirstAnswer).toBe(4);
  });

  it("pays at most the bound in 429s when another job already spent the token's window", async () => {
    const s = await setup({ limits: { token: { limit: 2, windowMs: 10_000 } } });
    await prefill(s, 'R8', 2);
    const before = s.sandbox.requests.length;
    const results = await s.run({ rooms: ['R1', 'R2', 'R3', 'R4', 'R5'], concurrency: 4 });
    expect(results.every((r) => r.ok)).toBe(true);
    const mine = s.sandbox.requests.slice(before);
    // The first four went together and were refused; after that, every wait was foreseen.
    expect(mine.slice(0, 4).map((r) => r.status)).toEqual([429, 429, 429, 429]);
    expect(mine.slice(4).map((r) => r.status)).not.toContain(429);
    for (const room of ['R1', 'R2', 'R3', 'R4', 'R5'])
      expect(s.sandbox.notifications(room)).toHaveLength(1);
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
    expect(result!.error).toMatch(
      /a retry backoff .* `max-wait` \(4\.0 s\).*Raise `max-wait` to at least \d+ \(seconds\) to allow the retry\.$/,
    );
    expect(s.clock.now() - START).toBeLessThanOrEqual(4_000);
  });

  it('starts no request at the deadline: a wait that ends exactly there gives up instead', async () => {
    const s = await setup();
    s.sandbox.script({ kind: 'status', status: 503, times: 10 });
    // The first backoff is 750 ms with random() = 0.5: it would end on the deadline.
    const [result] = await s.run({ maxWaitMs: 750 });
    expect(s.sandbox.requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, status: 503, attempts: 1 });
    expect(result!.error).toMatch(/^Gave up on room 'R1': a retry backoff allows the next request/);
    expect(s.clock.now()).toBe(START);
  });

  it('starts no request once the budget is spent, saying what each room was waiting for', async () => {
    const s = await setup();
    // The whole budget went before delivery began (e.g. on a slow send-when check).
    const results = await s.run({
      rooms: ['R1', 'R2', 'R3'],
      concurrency: 2,
      startMs: START - 1_000,
      maxWaitMs: 1_000,
    });
    expect(s.sandbox.requests).toEqual([]);
    expect(results.map((r) => [r.ok, r.status, r.attempts])).toEqual([
      [false, null, 0],
      [false, null, 0],
      [false, null, 0],
    ]);
    expect(results[0]!.error).toBe(
      "Gave up on room 'R1': `max-wait` (1.0 s) ran out before its request could start. Raise `max-wait` to give the run more time.",
    );
    expect(results[2]!.error).toBe(
      "Gave up on room 'R3': `max-wait` (1.0 s) ran out before its request could start, while it waited for its turn (rooms are posted 2 at a time). Raise `max-wait` to give the run more time.",
    );
  });

  it('gives each request what is left of the budget when that is less than `timeout`', async () => {
    const s = await setup();
    s.sandbox.script({ kind: 'status', status: 503 });
    const [result] = await s.run({ maxWaitMs: 2_000 });
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    // 2 s at the start; 750 ms later (the backoff), 1.25 s.
    expect(s.poster.budgets).toEqual([2_000, 1_250]);
  });

  it('says HipChat may have posted when the budget ends the retry of a possibly-acted request', async () => {
    const s = await setup();
    s.sandbox.script({ kind: 'status', status: 500, acted: true });
    const [result] = await s.run({ maxWaitMs: 500 });
    expect(result).toMatchObject({ ok: false, attempts: 1, possibly_duplicated: true });
    expect(result!.error).toMatch(
      /^Gave up on room 'R1': a retry backoff .* HipChat may have posted it anyway: check the room before re-running\.$/,
    );
  });
});

describe('max-wait on the wall clock', () => {
  it('bounds a run of many rooms against a silent server: no request after the deadline', async () => {
    const sandbox = await startSandbox({ rooms: ROOMS, faults: [{ kind: 'silent', times: 100 }] });
    const client = new HipChatClient({ server: sandbox.url, timeoutMs: 2_000, env: {} });
    open.push(
      () => client.close(),
      () => sandbox.close(),
    );
    const rooms = ROOMS.map((r) => r.name);
    const startMs = Date.now();
    const maxWaitMs = 2_500;
    // random() = 1: each backoff takes its longest (1 s), so after a 2 s timeout the retry
    // could only start after the deadline: it is given up at once.
    const results = await deliverWith(
      client,
      {
        token: PERSONAL_TOKEN,
        rooms,
        body: BODY,
        authTest: false,
        dryRun: false,
        maxWaitMs,
        startMs,
      },
      { ...systemClock, random: () => 1 },
      { info: () => {}, warning: () => {}, debug: () => {} },
    );
    const elapsed = Date.now() - startMs;
    // Ends at `max-wait` (about 2.5 s); the bound leaves a loaded machine room to spare.
    expect(elapsed).toBeLessThan(maxWaitMs + 2_000);
    expect(sandbox.requests).toHaveLength(rooms.length); // one each, none after the deadline
    expect(results.every((r) => !r.ok && r.attempts === 1 && r.possibly_duplicated)).toBe(true);
    for (const r of results.slice(0, 4)) {
      expect(r.error).toMatch(
        /^Gave up on room 'R\d': a retry backoff .*did not answer within the `timeout` \(2 s\)/,
      );
    }
    // The second four started when the first four timed out, with 0.5 s of the budget left.
    for (const r of results.slice(4)) {
      expect(r.error).toMatch(/did not answer within the 0\.\d s that `max-wait` had left/);
    }
  });
});

describe('faults', () => {
  it.each([502, 503])('retries %i (HipChat did not act) and delivers once', async (status) => {
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

  it('retries a 504 once, flagged: the gateway passed the request on, HipChat may have acted', async () => {
    const s = await setup();
    s.sandbox.script({ kind: 'status', status: 504, html: true, acted: true });
    const [result] = await s.run();
    expect(result).toMatchObject({ ok: true, attempts: 2, possibly_duplicated: true });
    expect(s.sandbox.notifications()).toHaveLength(2);
    expect(s.logs.info.join('\n')).toMatch(/a gateway answered 504/);
    expect(s.logs.warning.join('\n')).toMatch(/may have been posted twice.*500 or 504/);
  });

  it('fails a 2xx that is a login page, at once: the alert must not count as delivered', async () => {
    const s = await setup();
    s.sandbox.script({
      kind: 'status',
      status: 200,
      body: '<!DOCTYPE html><html><head><title>Sign in</title></head></html>',
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
    });
    const [result] = await s.run();
    expect(result).toMatchObject({ ok: false, status: 200, attempts: 1 });
    expect(result!.possibly_duplicated).toBeUndefined();
    expect(result!.error).toMatch(
      /^Room 'R1': the server answered 200 with an HTML page \("Sign in"\) — an SSO\/login proxy/,
    );
    expect(s.sandbox.requests).toHaveLength(1);
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

describe('the add-on token', () => {
  const minted: string[] = [];
  const credentials = {
    id: OAUTH_CLIENT_ID,
    secret: OAUTH_CLIENT_SECRET,
    mask: (token: string) => minted.push(token),
  };
  const tokenRequests = (sandbox: Sandbox) =>
    sandbox.requests.filter((r) => r.path === '/v2/oauth/token');

  it('is minted first, masked, and posted with', async () => {
    minted.length = 0;
    const s = await setup();
    const results = await s.run({ token: credentials, rooms: ['R1', 'R2'] });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(minted).toHaveLength(1);
    expect(s.sandbox.notifications().map((n) => n.token)).toEqual([minted[0], minted[0]]);
    expect(s.logs.info[0]).toMatch(/^Obtained an add-on token \(scope: send_notification; valid/);
  });

  it.each([
    ['503', { kind: 'status', status: 503 }],
    ['504', { kind: 'status', status: 504, html: true }],
    ['500, twice (asking again posts nothing)', { kind: 'status', status: 500, times: 2 }],
    ['a lost answer', { kind: 'reset-after' }],
    ['429 with a reset', { kind: 'status', status: 429 }],
  ] as const)('is asked for again after %s, within the budget', async (_name, fault) => {
    const s = await setup();
    s.sandbox.script({ ...fault, match: { path: '/oauth/token' } });
    const [result] = await s.run({ token: { ...credentials, mask: () => {} } });
    expect(result).toMatchObject({ ok: true, attempts: 1 });
    const asked = tokenRequests(s.sandbox);
    expect(asked.at(-1)!.status).toBe(200);
    expect(asked.length).toBeGreaterThan(1);
    expect(s.logs.info.join('\n')).toMatch(/^The add-on token request: waiting /m);
  });

  it('when refused, fails every room with the reason, like a delivery (not retried)', async () => {
    const s = await setup();
    const results = await s.run({
      token: { ...credentials, secret: 'wrong', mask: () => {} },
      rooms: ['R1', 'R2'],
    });
    expect(tokenRequests(s.sandbox)).toHaveLength(1);
    expect(s.sandbox.requests).toHaveLength(1);
    for (const [i, result] of results.entries()) {
      expect(result).toMatchObject({ room: `R${i + 1}`, ok: false, status: null, attempts: 0 });
      expect(result.error).toMatch(/^HipChat refused the add-on credentials \(401, /);
    }
  });

  it('when the budget runs out, every room says so', async () => {
    const s = await setup();
    s.sandbox.script({ kind: 'status', status: 503, times: 10, match: { path: '/oauth/token' } });
    const results = await s.run({
      token: { ...credentials, mask: () => {} },
      rooms: ['R1', 'R2'],
      maxWaitMs: 3_000,
    });
    expect(s.sandbox.notifications()).toEqual([]);
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, attempts: 0 });
      expect(result.error).toMatch(
        /^Gave up on the add-on token request: a retry backoff allows the next request at .*`max-wait` \(3\.0 s\).*the server answered 503/,
      );
    }
  });

  it('is not asked for in a dry run without auth test, which makes no request', async () => {
    const s = await setup();
    const [result] = await s.run({ token: credentials, dryRun: true });
    expect(result).toMatchObject({ ok: true, dry_run: true });
    expect(s.sandbox.requests).toEqual([]);
  });
});
