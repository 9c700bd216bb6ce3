import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/hipchat/transport-error.js';
import {
  AMBIGUOUS_RETRIES,
  MAX_ATTEMPTS,
  RESET_JITTER_MS,
  RESET_MARGIN_MS,
  backoffMs,
  decide,
  exhausted,
} from '../../src/delivery/retry-policy.js';
import { parseRetryAfter, readRateInfo } from '../../src/http/rate-headers.js';
import type { AttemptResult } from '../../src/delivery/retry-policy.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0, 400); // 12:00:00.400
const nowSec = Math.floor(NOW / 1000);
const half = () => 0.5;

function response(status: number, headers: Record<string, string> = {}): AttemptResult {
  return { kind: 'response', status, headers };
}

function transport(kind: TransportError['kind'], maybeActed: boolean): AttemptResult {
  return {
    kind: 'transport',
    error: new TransportError(kind, 'X', `${kind} happened.`, maybeActed),
  };
}

describe('readRateInfo', () => {
  it('reads both windows with resets in Unix seconds', () => {
    const info = readRateInfo(
      {
        'x-ratelimit-limit': '100',
        'x-ratelimit-remaining': '99',
        'x-ratelimit-reset': String(nowSec + 300),
        'x-floodcontrol-limit': '30',
        'x-floodcontrol-remaining': '0',
        'x-floodcontrol-reset': String(nowSec + 2),
      },
      NOW,
    );
    expect(info.token).toEqual({ limit: 100, remaining: 99, resetMs: (nowSec + 300) * 1000 });
    expect(info.room).toEqual({ limit: 30, remaining: 0, resetMs: (nowSec + 2) * 1000 });
    expect(exhausted(info, NOW)).toEqual([{ limit: 'room', resetMs: (nowSec + 2) * 1000 }]);
  });

  it('ignores garbage header values', () => {
    const info = readRateInfo({ 'x-ratelimit-reset': 'soon', 'x-ratelimit-remaining': '' }, NOW);
    expect(info.token).toEqual({ limit: undefined, remaining: undefined, resetMs: undefined });
  });
});

describe('parseRetryAfter', () => {
  it('takes delay seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', NOW)).toBe(NOW + 3000);
    expect(parseRetryAfter(new Date(NOW + 5000).toUTCString(), NOW)).toBe(
      Math.floor((NOW + 5000) / 1000) * 1000,
    );
    expect(parseRetryAfter('later', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe('decide', () => {
  it('is done on any 2xx, including an auth test 202', () => {
    for (const status of [200, 202, 204])
      expect(decide(response(status), 1, 0, NOW, half)).toEqual({ action: 'done' });
    const accepted: AttemptResult = {
      kind: 'response',
      status: 202,
      headers: { 'content-type': 'application/json' },
      body: '{"success":{"code":202,"type":"Accepted"}}',
    };
    expect(decide(accepted, 1, 0, NOW, half)).toEqual({ action: 'done' });
  });

  it('fails a 2xx that is an HTML page (an SSO login page), without retrying it', () => {
    const page = '<!DOCTYPE html><html><head><title>Sign in</title></head></html>';
    const labelled: AttemptResult = {
      kind: 'response',
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: page,
    };
    const unlabelled: AttemptResult = { kind: 'response', status: 200, headers: {}, body: page };
    for (const outcome of [labelled, unlabelled])
      expect(decide(outcome, 1, 0, NOW, half)).toEqual({ action: 'fail', ambiguous: false });
  });

  it.each([400, 401, 403, 404, 405, 409, 413, 422])('never retries %i', (status) => {
    expect(decide(response(status), 1, 0, NOW, half)).toEqual({ action: 'fail', ambiguous: false });
  });

  it('waits a 429 out until the spent window resets — never earlier, at most margin + jitter later', () => {
    const reset = (nowSec + 2) * 1000;
    const headers = {
      'x-floodcontrol-remaining': '0',
      'x-floodcontrol-reset': String(nowSec + 2),
      'x-ratelimit-remaining': '50',
      'x-ratelimit-reset': String(nowSec + 290),
    };
    const early = decide(response(429, headers), 1, 0, NOW, () => 0);
    const late = decide(response(429, headers), 1, 0, NOW, () => 1);
    expect(early).toMatchObject({ action: 'retry', limit: 'room', atMs: reset + RESET_MARGIN_MS });
    expect(late).toMatchObject({ atMs: reset + RESET_MARGIN_MS + RESET_JITTER_MS });
    expect(RESET_MARGIN_MS + RESET_JITTER_MS).toBeLessThan(300);
  });

  it('takes the latest reset when both windows are spent', () => {
    const d = decide(
      response(429, {
        'x-floodcontrol-remaining': '0',
        'x-floodcontrol-reset': String(nowSec + 2),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(nowSec + 40),
      }),
      1,
      0,
      NOW,
      () => 0,
    );
    expect(d).toMatchObject({
      action: 'retry',
      limit: 'token',
      atMs: (nowSec + 40) * 1000 + RESET_MARGIN_MS,
    });
  });

  it('honours a later Retry-After from a proxy', () => {
    const d = decide(
      response(429, {
        'retry-after': '10',
        'x-floodcontrol-remaining': '0',
        'x-floodcontrol-reset': String(nowSec + 2),
      }),
      1,
      0,
      NOW,
      () => 0,
    );
    expect(d).toMatchObject({ action: 'retry', limit: 'retry-after', atMs: NOW + 10_000 });
  });

  it('backs off exponentially with jitter when a 429 gives no hint', () => {
    const first = decide(response(429), 1, 0, NOW, () => 0);
    const third = decide(response(429), 3, 0, NOW, () => 1);
    expect(first).toMatchObject({ action: 'retry', limit: 'backoff', atMs: NOW + 500 });
    expect(third).toMatchObject({ atMs: NOW + 4000 });
  });

  it('retries 502/503 (nothing reached HipChat) with backoff up to MAX_ATTEMPTS', () => {
    for (const status of [502, 503]) {
      expect(decide(response(status), 1, 0, NOW, half)).toMatchObject({
        action: 'retry',
        ambiguous: false,
      });
      expect(decide(response(status), MAX_ATTEMPTS, 0, NOW, half)).toEqual({
        action: 'fail',
        ambiguous: false,
      });
    }
    expect(decide(response(503, { 'retry-after': '7' }), 1, 0, NOW, half)).toMatchObject({
      limit: 'retry-after',
      atMs: NOW + 7000,
    });
  });

  it.each([500, 504])(
    'retries a %i once only, flagging a possible duplicate (HipChat may have acted)',
    (status) => {
      expect(decide(response(status), 1, 0, NOW, half)).toMatchObject({
        action: 'retry',
        ambiguous: true,
      });
      expect(decide(response(status), 2, AMBIGUOUS_RETRIES, NOW, half)).toEqual({
        action: 'fail',
        ambiguous: true,
      });
    },
  );

  it('says why a 504 may have been acted on: a gateway passed it on and gave up waiting', () => {
    const d = decide(response(504, { 'retry-after': '3' }), 1, 0, NOW, half);
    expect(d).toMatchObject({ action: 'retry', limit: 'retry-after', atMs: NOW + 3000 });
    expect((d as { why: string }).why).toMatch(/504: it passed the request on .*may have posted/);
  });

  it('retries connection failures that happened before sending, without limit on ambiguity', () => {
    for (const kind of ['dns', 'refused', 'connect-timeout', 'unreachable'] as const) {
      expect(decide(transport(kind, false), 1, AMBIGUOUS_RETRIES, NOW, half)).toMatchObject({
        action: 'retry',
        ambiguous: false,
      });
    }
  });

  it('retries a reset or timeout after sending once, flagged ambiguous', () => {
    expect(decide(transport('reset', true), 1, 0, NOW, half)).toMatchObject({
      action: 'retry',
      ambiguous: true,
    });
    expect(decide(transport('timeout', true), 2, 1, NOW, half)).toEqual({
      action: 'fail',
      ambiguous: true,
    });
  });

  it('does not guess from the reset of a window that is not spent: backs off instead', () => {
    // A 429 whose headers show no spent window (a proxy's, or a server's own accounting):
    // the token's reset could be minutes away and is no reason to wait.
    const d = decide(
      response(429, {
        'x-ratelimit-remaining': '90',
        'x-ratelimit-reset': String(nowSec + 290),
        'x-floodcontrol-remaining': '12',
        'x-floodcontrol-reset': String(nowSec + 40),
      }),
      1,
      0,
      NOW,
      () => 0,
    );
    expect(d).toMatchObject({ action: 'retry', limit: 'backoff', atMs: NOW + 500 });
  });

  it("backs off when the spent window's reset has already passed by this clock (skew)", () => {
    const d = decide(
      response(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSec - 3) }),
      2,
      0,
      NOW,
      () => 0,
    );
    expect(d).toMatchObject({ action: 'retry', limit: 'backoff', atMs: NOW + 1000 });
    expect((d as { why: string }).why).toMatch(/clock ahead/);
  });

  it('never retries a proxy that refuses (407, 403)', () => {
    expect(decide(transport('proxy', false), 1, 0, NOW, half)).toEqual({
      action: 'fail',
      ambiguous: false,
    });
  });

  it('never retries TLS certificate errors', () => {
    expect(decide(transport('tls', false), 1, 0, NOW, half)).toEqual({
      action: 'fail',
      ambiguous: false,
    });
  });
});

describe('backoffMs', () => {
  it('doubles up to a ceiling, half fixed and half random', () => {
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(1, () => 1)).toBe(1000);
    expect(backoffMs(2, () => 0)).toBe(1000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
  });
});
