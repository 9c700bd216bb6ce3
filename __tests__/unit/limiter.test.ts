/**
 * The pacing state machine (src/delivery/limiter.ts) as plain code: the time is a number the
 * test moves, the answers' rate-limit headers are read by the real `readRateInfo`.
 */
import { describe, expect, it } from 'vitest';
import { Limiter, keysFor } from '../../src/delivery/limiter.js';
import type { Key } from '../../src/delivery/limiter.js';
import { RESET_MARGIN_MS } from '../../src/delivery/retry-policy.js';
import { readRateInfo } from '../../src/http/rate-headers.js';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const RESET = T0 + 60_000;
const ROOM: Key = 'room:CI';
const POST = keysFor('CI', false);

/** An answer's headers: the token's window, and optionally the room's. */
function answer(token: { limit: number; remaining: number; reset: number }, room?: typeof token) {
  const headers: Record<string, string> = {
    'x-ratelimit-limit': String(token.limit),
    'x-ratelimit-remaining': String(token.remaining),
    'x-ratelimit-reset': String(token.reset / 1000),
  };
  if (room) {
    headers['x-floodcontrol-limit'] = String(room.limit);
    headers['x-floodcontrol-remaining'] = String(room.remaining);
    headers['x-floodcontrol-reset'] = String(room.reset / 1000);
  }
  return readRateInfo(headers, T0);
}

/** One request on `keys`, answered with `info`. */
function roundTrip(
  limiter: Limiter,
  keys: readonly Key[],
  info = answer({ limit: 100, remaining: 99, reset: RESET }),
) {
  limiter.acquire(keys);
  limiter.release(keys, ROOM, info);
}

describe('Limiter', () => {
  it('holds nothing back while no answer has told the limits', () => {
    const limiter = new Limiter();
    expect(limiter.blocker(POST, T0)).toBeUndefined();
    // Not even with requests in flight: the run's concurrency is the only bound then.
    limiter.acquire(POST);
    limiter.acquire(POST);
    expect(limiter.blocker(POST, T0)).toBeUndefined();
  });

  it('a used-up window holds requests until a margin after its reset, then lets them go', () => {
    const limiter = new Limiter();
    roundTrip(limiter, POST, answer({ limit: 100, remaining: 0, reset: RESET }));
    expect(limiter.blocker(POST, T0)).toEqual({
      kind: 'time',
      key: 'token',
      atMs: RESET + RESET_MARGIN_MS,
      limit: 'token',
      why: "the token's window is used up (Remaining: 0 until 2026-11-28T12:01:00Z)",
    });
    expect(limiter.blocker(POST, RESET + RESET_MARGIN_MS - 1)?.kind).toBe('time');
    expect(limiter.blocker(POST, RESET + RESET_MARGIN_MS)).toBeUndefined();
  });

  it("the room's flood control holds posts to that room only, not auth tests", () => {
    const limiter = new Limiter();
    const info = answer(
      { limit: 100, remaining: 50, reset: RESET },
      { limit: 30, remaining: 0, reset: T0 + 5_000 },
    );
    roundTrip(limiter, POST, info);
    expect(limiter.blocker(POST, T0)).toMatchObject({ kind: 'time', key: ROOM, limit: 'room' });
    expect(limiter.blocker(keysFor('CI', true), T0)).toBeUndefined();
    expect(limiter.blocker(keysFor('Ops', false), T0)).toBeUndefined();
  });

  it('waits for an answer when the requests in flight may use up what is left', async () => {
    const limiter = new Limiter();
    roundTrip(limiter, POST, answer({ limit: 100, remaining: 1, reset: RESET }));
    limiter.acquire(POST);
    expect(limiter.blocker(POST, T0)).toEqual({ kind: 'answer', key: 'token' });
    let woken = false;
    const next = limiter.nextAnswer().then(() => (woken = true));
    await Promise.resolve();
    expect(woken).toBe(false);
    limiter.release(POST, ROOM, answer({ limit: 100, remaining: 5, reset: RESET }));
    await next;
    expect(woken).toBe(true);
    expect(limiter.blocker(POST, T0)).toBeUndefined();
  });

  it('a hold (a 429, a Retry-After) keeps every user of the key back; the later time wins', () => {
    const limiter = new Limiter();
    limiter.hold('token', T0 + 2_000, 'retry-after', 'the server answered 429 with Retry-After');
    limiter.hold('token', T0 + 1_000, 'token', 'earlier');
    expect(limiter.blocker(POST, T0)).toEqual({
      kind: 'time',
      key: 'token',
      atMs: T0 + 2_000,
      limit: 'retry-after',
      why: 'the server answered 429 with Retry-After',
    });
    expect(limiter.blocker(POST, T0 + 2_000)).toBeUndefined();
  });

  it('never goes back to an older window when answers arrive out of order', () => {
    const limiter = new Limiter();
    roundTrip(limiter, POST, answer({ limit: 100, remaining: 0, reset: RESET + 60_000 }));
    // An answer about the window before: ignored.
    roundTrip(limiter, POST, answer({ limit: 100, remaining: 80, reset: RESET }));
    expect(limiter.blocker(POST, T0)).toMatchObject({ atMs: RESET + 60_000 + RESET_MARGIN_MS });
    // The same window: the lowest Remaining stands.
    const same = new Limiter();
    roundTrip(same, POST, answer({ limit: 100, remaining: 0, reset: RESET }));
    roundTrip(same, POST, answer({ limit: 100, remaining: 3, reset: RESET }));
    expect(same.blocker(POST, T0)?.kind).toBe('time');
  });
});

describe('keysFor', () => {
  it('an auth test counts against the token only; a post against the room too', () => {
    expect(keysFor('CI', true)).toEqual(['token']);
    expect(keysFor('CI', false)).toEqual(['token', 'room:CI']);
  });
});
