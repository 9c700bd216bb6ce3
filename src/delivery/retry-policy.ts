/**
 * When to retry, and how long to wait: pure decisions over HipChat's answers and a clock value.
 *
 * Policy (docs/retries-and-rate-limits.md says the same to users):
 * - 2xx: done. 202 is also the "go on" answer of an auth test. But a 2xx that is an HTML page
 *   is not HipChat's (an SSO proxy's login page): a failure, never retried.
 * - 429: wait until the announced reset of the exhausted limit (`X-Ratelimit-Reset`,
 *   `X-FloodControl-Reset`, Unix seconds; the latest when several are spent), or until
 *   `Retry-After` (seconds or an HTTP date) when a proxy sends a later one, plus a margin of
 *   `RESET_MARGIN_MS` and up to `RESET_JITTER_MS` more; exponential backoff with jitter when
 *   there is no usable hint.
 * - 502, 503 and failures before the request was sent (DNS, refused, reset or timeout while
 *   connecting): HipChat did not act; retried with backoff (or `Retry-After`), up to
 *   `MAX_ATTEMPTS` requests. A 502 is what a proxy answers when HipChat refused or reset the
 *   connection (it is restarting); one after a partial answer from HipChat is a residual risk.
 * - 500, 504 (a gateway gave up waiting for a request it had passed on) and a connection that
 *   closed or timed out after the request was sent: HipChat may have acted. A lost failure
 *   alert is worse than a duplicate, so these are retried — but only `AMBIGUOUS_RETRIES`
 *   time(s), and the result says a duplicate is possible.
 * - 400, 401, 403, 404, 405, other 4xx, TLS certificate errors and proxy refusals: never retried.
 */
import { isForeignBody } from '../hipchat/answer-body.js';
import type { TransportError } from '../hipchat/transport-error.js';
import { readRateInfo } from '../http/rate-headers.js';
import type { RateInfo } from '../http/rate-headers.js';

/** Which limit a wait is for; `backoff` when no header said how long. */
export type LimitName = 'token' | 'room' | 'retry-after' | 'backoff';

/** What one attempt produced: an HTTP answer, or a failure without one. */
export type AttemptResult =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string>;
      body?: string;
      truncated?: boolean;
    }
  | { kind: 'transport'; error: TransportError };

/** What to do after an attempt. */
export type Decision =
  | { action: 'done' }
  | { action: 'fail'; ambiguous: boolean }
  | { action: 'retry'; atMs: number; limit: LimitName; why: string; ambiguous: boolean };

/** Waits for a reset end this long after it, so a clock a little behind the server's is covered. */
export const RESET_MARGIN_MS = 50;
/** Up to this much random delay is added on top, so jobs waiting on one reset do not collide. */
export const RESET_JITTER_MS = 100;
/** Backoff without a hint: first wait, growth factor and ceiling. */
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** Attempts of one request for faults that carry no wait hint (5xx, connection failures). */
export const MAX_ATTEMPTS = 6;
/** Retries of a request HipChat may already have acted on (500, 504, lost after sending). */
export const AMBIGUOUS_RETRIES = 1;

/** `why` with the notes on ignored hints, if any. */
function noting(why: string, info: RateInfo): string {
  return info.ignored ? `${why} (${info.ignored.join('; ')})` : why;
}

/** Exponential backoff with jitter ("equal jitter": half fixed, half random). */
export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The instant to retry at for a reset time: never before it, at most margin + jitter after. */
function afterReset(resetMs: number, random: () => number): number {
  return resetMs + RESET_MARGIN_MS + Math.round(random() * RESET_JITTER_MS);
}

/**
 * Windows an answer says are used up (`Remaining: 0`) with a reset still ahead: the next
 * request on them would be refused, so it should wait for the reset instead.
 */
export function exhausted(
  info: RateInfo,
  nowMs: number,
): Array<{ limit: 'token' | 'room'; resetMs: number }> {
  const out: Array<{ limit: 'token' | 'room'; resetMs: number }> = [];
  for (const limit of ['token', 'room'] as const) {
    const w = info[limit];
    if (
      w.remaining !== undefined &&
      w.remaining <= 0 &&
      w.resetMs !== undefined &&
      w.resetMs > nowMs
    ) {
      out.push({ limit, resetMs: w.resetMs });
    }
  }
  return out;
}

/** When to retry a 429, because of which limit, and why. */
function rateLimitedRetry(
  info: RateInfo,
  attempt: number,
  nowMs: number,
  random: () => number,
): { atMs: number; limit: LimitName; why: string } {
  // The limits that say they are spent decide. A 429 that names none gives no usable reset:
  // waiting for an unspent window's reset (the token's could be minutes away) would be a guess.
  const candidates: Array<{ limit: LimitName; resetMs: number }> = exhausted(info, nowMs);
  let best: { atMs: number; limit: LimitName; why: string } | undefined;
  for (const c of candidates) {
    const atMs = afterReset(c.resetMs, random);
    if (!best || atMs > best.atMs) {
      best = {
        atMs,
        limit: c.limit,
        why: `HipChat answered 429 and announced the reset for ${new Date(c.resetMs).toISOString()}`,
      };
    }
  }
  if (
    info.retryAtMs !== undefined &&
    info.retryAtMs > nowMs &&
    (!best || info.retryAtMs > best.atMs)
  ) {
    best = {
      atMs: info.retryAtMs,
      limit: 'retry-after',
      why: 'the server answered 429 with Retry-After',
    };
  }
  if (best) return best;
  // A spent window whose reset is already past by this clock means the runner's clock is ahead
  // of the server's: waiting for that reset again would loop, so back off instead.
  const stale = (['token', 'room'] as const).some(
    (l) => info[l].remaining === 0 && (info[l].resetMs ?? Infinity) <= nowMs,
  );
  return {
    atMs: nowMs + backoffMs(attempt, random),
    limit: 'backoff',
    why: stale
      ? "HipChat answered 429 with a reset that has already passed by this runner's clock (is the clock ahead of the server's?)"
      : 'HipChat answered 429 without a reset time or Retry-After',
  };
}

/**
 * Decides what follows an attempt. `attempt` counts from 1; `ambiguousRetries` is how many
 * retries of possibly-acted requests this request has already used.
 */
export function decide(
  outcome: AttemptResult,
  attempt: number,
  ambiguousRetries: number,
  nowMs: number,
  random: () => number,
): Decision {
  if (outcome.kind === 'transport') {
    return afterTransportFailure(outcome.error, attempt, ambiguousRetries, nowMs, random);
  }
  const { status, headers } = outcome;
  if (status >= 200 && status < 300) {
    // A login page (or "Please log in" as text) that says 200 is not HipChat's answer: nothing
    // reached HipChat, and asking again gets the same page. Anything else with a 2xx status is
    // delivered, whatever happened to the body after the status line.
    return isForeignBody(headers, outcome.body ?? '', outcome.truncated)
      ? { action: 'fail', ambiguous: false }
      : { action: 'done' };
  }
  return afterRefusal(status, headers, attempt, ambiguousRetries, nowMs, random);
}

/** What follows a request that got no HTTP answer. */
function afterTransportFailure(
  error: TransportError,
  attempt: number,
  ambiguousRetries: number,
  nowMs: number,
  random: () => number,
): Decision {
  // A certificate this runner does not trust, or a proxy that refuses: the same next time.
  if (error.kind === 'tls' || error.kind === 'proxy' || error.kind === 'local') {
    return { action: 'fail', ambiguous: false };
  }
  // The server had the whole request and was answering: sending it again would post twice.
  if (error.kind === 'answer-cut') return { action: 'fail', ambiguous: true };
  if (error.maybeActed) {
    if (ambiguousRetries >= AMBIGUOUS_RETRIES || attempt >= MAX_ATTEMPTS) {
      return { action: 'fail', ambiguous: true };
    }
    return {
      action: 'retry',
      atMs: nowMs + backoffMs(attempt, random),
      limit: 'backoff',
      why: `${error.message.replace(/\.$/, '')}; HipChat may have posted it, so it is retried once so the notification is not lost (a duplicate is possible)`,
      ambiguous: true,
    };
  }
  if (attempt >= MAX_ATTEMPTS) return { action: 'fail', ambiguous: false };
  return {
    action: 'retry',
    atMs: nowMs + backoffMs(attempt, random),
    limit: 'backoff',
    why: `${error.message.replace(/\.$/, '')}; nothing was posted, so the retry cannot post twice`,
    ambiguous: false,
  };
}

/** What follows an answer that is not success: 429, 5xx, or a refusal. */
function afterRefusal(
  status: number,
  headers: Record<string, string>,
  attempt: number,
  ambiguousRetries: number,
  nowMs: number,
  random: () => number,
): Decision {
  const info = readRateInfo(headers, nowMs);
  const hinted = info.retryAtMs !== undefined && info.retryAtMs > nowMs;
  const next = (): { atMs: number; limit: LimitName } =>
    hinted
      ? { atMs: info.retryAtMs!, limit: 'retry-after' }
      : { atMs: nowMs + backoffMs(attempt, random), limit: 'backoff' };
  if (status === 429) {
    const { atMs, limit, why } = rateLimitedRetry(info, attempt, nowMs, random);
    return { action: 'retry', atMs, limit, why: noting(why, info), ambiguous: false };
  }
  if (status === 502 || status === 503) {
    if (attempt >= MAX_ATTEMPTS) return { action: 'fail', ambiguous: false };
    return {
      action: 'retry',
      ...next(),
      why: noting(
        `the server answered ${status}${hinted ? ' with Retry-After' : ''}; it did not act, so the retry cannot post twice`,
        info,
      ),
      ambiguous: false,
    };
  }
  if (status === 500 || status === 504) {
    if (ambiguousRetries >= AMBIGUOUS_RETRIES || attempt >= MAX_ATTEMPTS) {
      return { action: 'fail', ambiguous: true };
    }
    const what =
      status === 500
        ? 'HipChat answered 500 and may have posted anyway'
        : 'a gateway answered 504: it passed the request on and gave up waiting, so HipChat may have posted it';
    return {
      action: 'retry',
      ...next(),
      why: noting(
        `${what}; retrying once so the notification is not lost (a duplicate is possible)`,
        info,
      ),
      ambiguous: true,
    };
  }
  return { action: 'fail', ambiguous: false };
}
