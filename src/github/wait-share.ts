/**
 * How much of `max-wait` the GitHub API may use. The alert is what the step is for, so the
 * posts keep a reserve: one `timeout`, or half of `max-wait` when that is smaller. GitHub gets
 * the rest, and each of its requests `min(timeout, what is left of that)` (client.ts), so a
 * GitHub that hangs costs at most `max-wait - reserve` and the step still ends within
 * `max-wait`.
 */
import { apiUrlOf } from './endpoint.js';

/** The reserve kept for the posts, in milliseconds. */
export function postReserveMs(maxWaitMs: number, timeoutMs: number): number {
  return Math.min(timeoutMs, maxWaitMs / 2);
}

/** Epoch ms after which no GitHub request may run, for a run that started at `startMs`. */
export function githubDeadline(startMs: number, maxWaitMs: number, timeoutMs: number): number {
  return startMs + maxWaitMs - postReserveMs(maxWaitMs, timeoutMs);
}

/** What a run's GitHub lookups are given: the token and the run's share of `max-wait`. */
export interface RunGitHubSettings {
  githubToken: string;
  timeoutMs: number;
  maxWaitMs: number;
}

/**
 * The client options every GitHub lookup of a run uses (whole run, commits, send-when): this
 * runner's API, the token, and a deadline that leaves the posts their reserve. One place, so no
 * lookup can forget the reserve.
 */
export function runClientOptions(
  settings: RunGitHubSettings,
  env: Record<string, string | undefined>,
  startMs: number,
  info: (message: string) => void,
): { apiUrl: string; token: string; timeoutMs: number; deadlineMs: number; info: typeof info } {
  return {
    apiUrl: apiUrlOf(env),
    token: settings.githubToken,
    timeoutMs: settings.timeoutMs,
    deadlineMs: githubDeadline(startMs, settings.maxWaitMs, settings.timeoutMs),
    info,
  };
}
