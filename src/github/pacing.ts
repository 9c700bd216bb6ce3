/**
 * When to retry a GitHub request, and when to give up: pure decisions over an answer's status
 * and headers, a clock reading and the time GitHub may still use.
 *
 * GitHub says how long to wait: `retry-after` (seconds) on secondary limits, and
 * `x-ratelimit-remaining: 0` with `x-ratelimit-reset` (Unix seconds) when the primary limit is
 * used up; a 429 without either means at least a minute (GitHub's documentation). A wait is
 * taken only when it ends in time for the retry to finish before `deadlineMs`; otherwise the
 * answer is the reason to give up. Waits are never shorter than a second (no hot loop) and a
 * request is tried at most `MAX_TRIES` times.
 */
import { parseRetryAfter, readRateInfo } from '../http/rate-headers.js';

/** What to do after an answer. */
export type PaceDecision =
  | { action: 'done' }
  | { action: 'retry'; atMs: number; why: string }
  | { action: 'give-up'; why: string }
  | { action: 'fail' };

/** Tries of one request, the first included. */
export const MAX_TRIES = 3;
/** The shortest wait before a retry. */
export const MIN_WAIT_MS = 1_000;
/** GitHub's advice for a secondary rate limit that names no time. */
export const SECONDARY_WAIT_MS = 60_000;
/** Time a retried request needs at the least, so a wait ending just before the deadline is not taken. */
export const MIN_REQUEST_MS = 1_000;
/** Slack after a reset time, for clock differences. */
const RESET_MARGIN_MS = 1_000;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** When the primary limit's window refills, if this answer says it is used up; else undefined. */
export function exhaustedUntil(headers: Record<string, string>, nowMs: number): number | undefined {
  const { token } = readRateInfo(headers, nowMs);
  if (token.remaining === undefined || token.remaining > 0 || token.resetMs === undefined) {
    return undefined;
  }
  // A reset in the past (clock skew) or implausibly far ahead is no usable hint.
  if (token.resetMs < nowMs - 60_000 || token.resetMs > nowMs + 24 * 3_600_000) return undefined;
  return Math.max(token.resetMs + RESET_MARGIN_MS, nowMs + MIN_WAIT_MS);
}

/** When GitHub says to try again after a rate-limit answer, and why; undefined if it does not. */
function rateLimitedUntil(
  status: number,
  headers: Record<string, string>,
  nowMs: number,
): { atMs: number; why: string } | undefined {
  const retryAt = parseRetryAfter(headers['retry-after'], nowMs);
  if (retryAt !== undefined && retryAt <= nowMs + 24 * 3_600_000) {
    return {
      atMs: Math.max(retryAt, nowMs + MIN_WAIT_MS),
      why: `GitHub answered ${status} with retry-after: ${headers['retry-after']!.slice(0, 40)}`,
    };
  }
  const reset = exhaustedUntil(headers, nowMs);
  if (reset !== undefined) {
    return {
      atMs: reset,
      why: `the token's API rate limit is used up until ${iso(reset - RESET_MARGIN_MS)}`,
    };
  }
  if (status === 429) {
    return { atMs: nowMs + SECONDARY_WAIT_MS, why: 'GitHub answered 429 (secondary rate limit)' };
  }
  return undefined;
}

/**
 * The decision after try number `tries` answered `status` with `headers`, at `nowMs`, when
 * GitHub may be used until `deadlineMs`.
 */
export function pace(
  status: number,
  headers: Record<string, string>,
  tries: number,
  nowMs: number,
  deadlineMs: number,
): PaceDecision {
  if (status < 300) return { action: 'done' };
  const limited =
    status === 403 || status === 429 ? rateLimitedUntil(status, headers, nowMs) : undefined;
  const transient = status === 502 || status === 503 || status === 504 || status === 500;
  if (!limited && !transient) return { action: 'fail' };
  const wait = limited ?? {
    atMs: nowMs + MIN_WAIT_MS * tries,
    why: `GitHub answered ${status}`,
  };
  const fits = wait.atMs + MIN_REQUEST_MS <= deadlineMs;
  // A server error is tried twice; a rate limit, whose wait GitHub names, up to MAX_TRIES.
  if (tries < (limited ? MAX_TRIES : 2) && fits) return { action: 'retry', ...wait };
  if (!limited) return { action: 'fail' };
  const reason = fits
    ? `${wait.why}, and ${MAX_TRIES} tries were made`
    : `${wait.why}: waiting until ${iso(wait.atMs)} would not leave time before the posts (\`max-wait\`)`;
  return { action: 'give-up', why: reason };
}
