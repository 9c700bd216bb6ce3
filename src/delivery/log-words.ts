/** How delivery's log lines and failures name limits, windows and a possible duplicate. */
import type { LimitName } from './retry-policy.js';

/** Each limit as a log line names it. */
export const LIMIT_WORDS: Readonly<Record<LimitName, string>> = {
  token: "the token's rate limit (X-Ratelimit)",
  room: "the room's flood control (X-FloodControl)",
  'retry-after': 'the Retry-After the server sent',
  backoff: 'a retry backoff',
};

/** Appended to a failure after a request HipChat may have acted on. */
export const MAYBE_POSTED = ' HipChat may have posted it anyway: check the room before re-running.';

/**
 * A retry's reason as a wait's log line says it: what happened, without the advice on what to
 * do about it. That advice is said once, in the room's failure, if it comes to that.
 */
export function withoutAdvice(why: string): string {
  const cut =
    /^(.*?\([A-Z][A-Z0-9_]+\))[.:] .*?(; (?:nothing was posted|HipChat may have posted it).*)$/s.exec(
      why,
    );
  return cut ? `${cut[1]}${cut[2]}` : why;
}

/** `the token's` or `the room's`, for a window's key. */
export function whose(key: string): string {
  return key === 'token' ? "the token's" : "the room's";
}
