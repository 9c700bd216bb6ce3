import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter, parseRate, windowEnd } from '../../sandbox/limits.ts';
import { manualClock } from './helpers.ts';

describe('windowEnd', () => {
  it('ends a window windowMs after the whole second of its first call', () => {
    expect(windowEnd(1_000_250, 10_000)).toBe(1_010_000);
    expect(windowEnd(1_000_999, 10_000)).toBe(1_010_000);
    expect(windowEnd(1_000_000, 10_000)).toBe(1_010_000);
    expect(windowEnd(1_000_001, 1_500)).toBe(1_002_000);
  });
});

describe('FixedWindowLimiter', () => {
  it('counts down remaining and announces the reset in whole Unix seconds', () => {
    const clock = manualClock(1_700_000_000_250);
    const limiter = new FixedWindowLimiter({ limit: 3, windowMs: 10_000 }, clock);
    const states = [limiter.hit('a'), limiter.hit('a'), limiter.hit('a'), limiter.hit('a')];
    expect(states.map((s) => s.remaining)).toEqual([2, 1, 0, 0]);
    expect(states.map((s) => s.allowed)).toEqual([true, true, true, false]);
    expect(new Set(states.map((s) => s.reset))).toEqual(new Set([1_700_000_010]));
    expect(states[0]?.limit).toBe(3);
  });

  it('refuses 1 ms before the announced reset and refills exactly at it', () => {
    const clock = manualClock(1_700_000_000_999);
    const limiter = new FixedWindowLimiter({ limit: 1, windowMs: 2_000 }, clock);
    expect(limiter.hit('a').allowed).toBe(true);
    const refused = limiter.hit('a');
    expect(refused.allowed).toBe(false);
    expect(refused.reset).toBe(1_700_000_002);

    clock.t = refused.reset * 1000 - 1;
    expect(limiter.hit('a').allowed).toBe(false);
    clock.t = refused.reset * 1000;
    const refilled = limiter.hit('a');
    expect(refilled).toMatchObject({ allowed: true, remaining: 0, count: 1 });
    expect(refilled.reset).toBe(1_700_000_004);
  });

  it('gives a client that returns just after a reset a full window, whatever the millisecond', () => {
    const clock = manualClock(10_000);
    const limiter = new FixedWindowLimiter({ limit: 1, windowMs: 2_000 }, clock);
    expect(limiter.hit('a').reset).toBe(12);
    for (const late of [0, 1, 50, 300, 999]) {
      limiter.clear();
      limiter.hit('a');
      clock.t = 12_000 + late;
      expect(limiter.hit('a')).toMatchObject({ allowed: true, reset: 14 });
      clock.t = 10_000;
    }
  });

  it('keeps separate windows per key', () => {
    const limiter = new FixedWindowLimiter({ limit: 1, windowMs: 60_000 }, manualClock(0));
    expect(limiter.hit('a').allowed).toBe(true);
    expect(limiter.hit('a').allowed).toBe(false);
    expect(limiter.hit('b').allowed).toBe(true);
  });

  it('peeks without counting, and a fresh key shows a full window', () => {
    const clock = manualClock(10_000);
    const limiter = new FixedWindowLimiter({ limit: 2, windowMs: 5_000 }, clock);
    expect(limiter.peek('a')).toMatchObject({ remaining: 2, reset: 15, count: 0 });
    limiter.hit('a');
    expect(limiter.peek('a')).toMatchObject({ remaining: 1, count: 1 });
    expect(limiter.peek('a')).toMatchObject({ remaining: 1, count: 1 });
  });

  it('forgets windows on clear()', () => {
    const limiter = new FixedWindowLimiter({ limit: 1, windowMs: 60_000 }, manualClock(0));
    limiter.hit('a');
    limiter.clear();
    expect(limiter.hit('a').allowed).toBe(true);
  });

  it('rejects nonsense limits', () => {
    expect(() => new FixedWindowLimiter({ limit: 0, windowMs: 1000 })).toThrow(/≥ 1/);
    expect(() => new FixedWindowLimiter({ limit: 1, windowMs: 0 })).toThrow(/> 0/);
  });
});

describe('parseRate', () => {
  it.each([
    ['5/10s', { limit: 5, windowMs: 10_000 }],
    ['3/2s', { limit: 3, windowMs: 2_000 }],
    ['30/1m', { limit: 30, windowMs: 60_000 }],
    ['100/5min', { limit: 100, windowMs: 300_000 }],
    ['10/s', { limit: 10, windowMs: 1_000 }],
    ['4/500ms', { limit: 4, windowMs: 500 }],
    ['2/1h', { limit: 2, windowMs: 3_600_000 }],
    ['7/3', { limit: 7, windowMs: 3_000 }],
  ])('parses %s', (text, spec) => {
    expect(parseRate(text)).toEqual(spec);
  });

  it.each(['5', '5/', 'x/10s', '0/10s', '5/0s', '5/10y'])('rejects %s', (text) => {
    expect(() => parseRate(text)).toThrow(/invalid rate/);
  });
});
