/**
 * The rate-limit headers of an HTTP answer, read for both APIs: `Retry-After` (delay seconds or
 * an HTTP date) and the `X-Ratelimit-*` / `X-FloodControl-*` windows, with implausible times
 * dropped and said. Pure; the retry policies of HipChat (delivery/) and GitHub (github/) decide
 * what to do with them.
 */

/** One rate-limit window as announced in headers. `resetMs` is absolute (epoch ms). */
export interface RateWindow {
  limit?: number;
  remaining?: number;
  resetMs?: number;
}

/** The limits an answer announced. */
export interface RateInfo {
  /** `X-Ratelimit-*`: the token's window. */
  token: RateWindow;
  /** `X-FloodControl-*`: the room's window. */
  room: RateWindow;
  /** `Retry-After`, as an absolute time (epoch ms). */
  retryAtMs?: number;
  /** Hints that were ignored as implausible, as sentences for the log (`X-Ratelimit-Reset …`). */
  ignored?: string[];
}

/**
 * How far from now a reset or `Retry-After` may lie to be believed. HipChat's windows are five
 * minutes at most; a hint beyond a day (or before it) is garbage — a value in milliseconds
 * where seconds belong, a typo, an attack — and waiting for it would crash the date maths or
 * hold the run for years. Such a hint is ignored, and the log says so.
 */
export const MAX_HINT_MS = 24 * 60 * 60 * 1000;

function int(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/** A header value fit to quote in a log line: short visible ASCII, else a description. */
function shown(value: string): string {
  return /^[\x20-\x7e]{1,40}$/.test(value) ? `'${value.replace(/::/g, ': :')}'` : '(unreadable)';
}

/** `ms` when it lies within `MAX_HINT_MS` of `nowMs`, else undefined and a note in `ignored`. */
function plausible(
  ms: number | undefined,
  nowMs: number,
  name: string,
  raw: string | undefined,
  ignored: string[],
): number | undefined {
  if (ms === undefined) return undefined;
  if (Number.isFinite(ms) && Math.abs(ms - nowMs) <= MAX_HINT_MS) return ms;
  ignored.push(`ignored ${name} ${shown(raw ?? '')}: not a time within a day of now`);
  return undefined;
}

function readWindow(
  headers: Record<string, string>,
  prefix: string,
  nowMs: number,
  ignored: string[],
): RateWindow {
  const raw = headers[`${prefix}-reset`];
  const reset = int(raw);
  const name = prefix === 'x-ratelimit' ? 'X-Ratelimit-Reset' : 'X-FloodControl-Reset';
  return {
    limit: int(headers[`${prefix}-limit`]),
    remaining: int(headers[`${prefix}-remaining`]),
    resetMs: plausible(reset === undefined ? undefined : reset * 1000, nowMs, name, raw, ignored),
  };
}

/** Parses `Retry-After` (delay seconds or an HTTP date) into an absolute time. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const seconds = int(value);
  if (seconds !== undefined) return seconds >= 0 ? nowMs + seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}

/** Reads the rate-limit headers of an answer (names lower-cased), dropping implausible times. */
export function readRateInfo(headers: Record<string, string>, nowMs: number): RateInfo {
  const ignored: string[] = [];
  const info: RateInfo = {
    token: readWindow(headers, 'x-ratelimit', nowMs, ignored),
    room: readWindow(headers, 'x-floodcontrol', nowMs, ignored),
    retryAtMs: plausible(
      parseRetryAfter(headers['retry-after'], nowMs),
      nowMs,
      'Retry-After',
      headers['retry-after'],
      ignored,
    ),
  };
  if (ignored.length > 0) info.ignored = ignored;
  return info;
}
