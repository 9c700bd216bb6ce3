// GitHub's rate-limit answers as decisions, on a fixed clock: pure, no sockets.
import { describe, expect, it } from 'vitest';
import {
  MAX_TRIES,
  MIN_WAIT_MS,
  SECONDARY_WAIT_MS,
  exhaustedUntil,
  pace,
} from '../../src/github/pacing.js';
import { githubDeadline, postReserveMs } from '../../src/github/wait-share.js';
import { apiUrlOf } from '../../src/github/endpoint.js';
import { serverText } from '../../src/github/errors.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const LATER = NOW + 300_000;
const resetIn = (s: number): string => String(Math.floor(NOW / 1000) + s);

describe('pace', () => {
  it('a success is done; an error without a hint fails at once', () => {
    expect(pace(200, {}, 1, NOW, LATER)).toEqual({ action: 'done' });
    expect(pace(403, {}, 1, NOW, LATER)).toEqual({ action: 'fail' });
    expect(pace(404, {}, 1, NOW, LATER)).toEqual({ action: 'fail' });
    expect(pace(401, { 'retry-after': '5' }, 1, NOW, LATER)).toEqual({ action: 'fail' });
    expect(pace(302, {}, 1, NOW, LATER)).toEqual({ action: 'fail' });
  });

  it('retry-after is waited out when it fits', () => {
    expect(pace(403, { 'retry-after': '7' }, 1, NOW, LATER)).toMatchObject({
      action: 'retry',
      atMs: NOW + 7_000,
    });
    expect(pace(429, { 'retry-after': '7' }, 2, NOW, LATER)).toMatchObject({ action: 'retry' });
  });

  it('never waits less than a second (no hot loop), and stops after MAX_TRIES', () => {
    expect(pace(429, { 'retry-after': '0' }, 1, NOW, LATER)).toMatchObject({
      action: 'retry',
      atMs: NOW + MIN_WAIT_MS,
    });
    expect(pace(429, { 'retry-after': '0' }, MAX_TRIES, NOW, LATER)).toMatchObject({
      action: 'give-up',
      why: expect.stringContaining(`${MAX_TRIES} tries were made`),
    });
  });

  it('a used-up primary limit waits for its reset, or gives up when that is past the deadline', () => {
    const used = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(10) };
    expect(pace(403, used, 1, NOW, LATER)).toMatchObject({ action: 'retry', atMs: NOW + 11_000 });
    const decision = pace(403, used, 1, NOW, NOW + 5_000);
    expect(decision).toMatchObject({ action: 'give-up' });
    expect((decision as { why: string }).why).toMatch(
      /rate limit is used up until 2026-12-01T12:00:10Z: waiting until .* would not leave time before the posts/,
    );
  });

  it("a 429 without hints waits GitHub's minute, if the budget allows", () => {
    expect(pace(429, {}, 1, NOW, LATER)).toMatchObject({
      action: 'retry',
      atMs: NOW + SECONDARY_WAIT_MS,
    });
    expect(pace(429, {}, 1, NOW, NOW + 30_000)).toMatchObject({ action: 'give-up' });
  });

  it('absurd headers are no hint: negative, garbage, days ahead', () => {
    for (const value of ['-5', 'soon', '99999999999', '1e9']) {
      expect(pace(403, { 'retry-after': value }, 1, NOW, LATER), value).toEqual({ action: 'fail' });
    }
    const farReset = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(3 * 86_400) };
    expect(pace(403, farReset, 1, NOW, LATER)).toEqual({ action: 'fail' });
    expect(exhaustedUntil({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'x' }, NOW)).toBe(
      undefined,
    );
  });

  it('a server error is tried twice, when the budget allows', () => {
    expect(pace(502, {}, 1, NOW, LATER)).toMatchObject({ action: 'retry', atMs: NOW + 1_000 });
    expect(pace(502, {}, 2, NOW, LATER)).toEqual({ action: 'fail' });
    expect(pace(503, {}, 1, NOW, NOW + 1_500)).toEqual({ action: 'fail' });
  });
});

describe('exhaustedUntil', () => {
  it('holds the next request only when remaining is 0', () => {
    expect(
      exhaustedUntil({ 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': resetIn(9) }, NOW),
    ).toBeUndefined();
    expect(
      exhaustedUntil({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(9) }, NOW),
    ).toBe(NOW + 10_000);
  });
});

describe('the budget GitHub gets', () => {
  it('keeps one timeout for the posts, or half of max-wait when that is less', () => {
    expect(postReserveMs(300_000, 30_000)).toBe(30_000);
    expect(postReserveMs(4_000, 30_000)).toBe(2_000);
    expect(githubDeadline(NOW, 4_000, 30_000)).toBe(NOW + 2_000);
    expect(githubDeadline(NOW, 300_000, 30_000)).toBe(NOW + 270_000);
  });
});

describe('apiUrlOf', () => {
  it('takes GITHUB_API_URL, else GHES from GITHUB_SERVER_URL, else github.com', () => {
    expect(apiUrlOf({ GITHUB_API_URL: 'https://ghe.example/api/v3/' })).toBe(
      'https://ghe.example/api/v3',
    );
    expect(apiUrlOf({ GITHUB_SERVER_URL: 'https://ghe.example' })).toBe(
      'https://ghe.example/api/v3',
    );
    expect(apiUrlOf({ GITHUB_SERVER_URL: 'https://github.com' })).toBe('https://api.github.com');
    expect(apiUrlOf({})).toBe('https://api.github.com');
  });
});

describe('serverText', () => {
  it('breaks workflow commands and line breaks, and cuts', () => {
    expect(serverText('a\r\n::error::b\u2028c')).toBe('a : :error: :b c');
    expect(serverText('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
