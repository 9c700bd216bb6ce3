/**
 * How much of `max-wait` the GitHub API may use. The alert is what the step is for, so the
 * posts keep a reserve: one `timeout`, or half of `max-wait` when that is smaller. GitHub gets
 * the rest, and each of its requests `min(timeout, what is left of that)` (client.ts), so a
 * GitHub that hangs costs at most `max-wait - reserve` and the step still ends within
 * `max-wait`.
 */

/** The reserve kept for the posts, in milliseconds. */
export function postReserveMs(maxWaitMs: number, timeoutMs: number): number {
  return Math.min(timeoutMs, maxWaitMs / 2);
}

/** Epoch ms after which no GitHub request may run, for a run that started at `startMs`. */
export function githubDeadline(startMs: number, maxWaitMs: number, timeoutMs: number): number {
  return startMs + maxWaitMs - postReserveMs(maxWaitMs, timeoutMs);
}
