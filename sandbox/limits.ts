/**
 * Fixed-window rate limiting, as HipChat announces it: a limit, the requests left, and the
 * Unix second at which the window refills.
 */

/** A source of the current time in ms, injectable so windows can be tested without sleeping. */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** `limit` requests per `windowMs` milliseconds. */
export interface WindowSpec {
  limit: number;
  windowMs: number;
}

/** The state of one key's window after (or, for `peek`, without) a request. */
export interface WindowState {
  limit: number;
  /** Requests left in the window, never negative. */
  remaining: number;
  /** Unix time in whole seconds at which the window refills: the `*-Reset` header. */
  reset: number;
  /** Requests counted in the window so far, refused ones included. */
  count: number;
  /** Whether the request fits in the limit (always true for `peek`). */
  allowed: boolean;
}

/**
 * When a window opened by a call at `nowMs` ends. A window starts on the whole second of its
 * first call and lasts `windowMs` rounded up to whole seconds, so the integer `Reset` header is
 * exactly the instant the window refills: a client that waits until `reset * 1000` and retries
 * is accepted, one that retries even 1 ms earlier is refused.
 *
 * Starting on the whole second (not at the call's millisecond, rounded up at the end) keeps a
 * window's length independent of where in a second its first call fell: a client that comes
 * back 50 ms after a reset gets a window ending `windowMs` after that reset, not `windowMs` plus
 * up to a second more. At HipChat's minute windows that second hardly shows; at the scaled-down
 * windows of tests and benchmarks (2 s) it would add half a window to every honoured reset.
 */
export function windowEnd(nowMs: number, windowMs: number): number {
  return (Math.floor(nowMs / 1000) + Math.ceil(windowMs / 1000)) * 1000;
}

interface Window {
  count: number;
  endMs: number;
}

/**
 * Per-key fixed windows. A key's window opens with its first request (on that request's whole
 * second, see {@link windowEnd}) and refills all at once at its end; a request refused inside a window still counts, which a fixed window cannot
 * observe (the window ends at the same instant either way).
 */
export class FixedWindowLimiter {
  readonly spec: WindowSpec;
  readonly #clock: Clock;
  readonly #windows = new Map<string, Window>();

  constructor(spec: WindowSpec, clock: Clock = systemClock) {
    if (!Number.isInteger(spec.limit) || spec.limit < 1) {
      throw new RangeError(`rate limit must be a whole number ≥ 1, got ${spec.limit}`);
    }
    if (!Number.isFinite(spec.windowMs) || spec.windowMs <= 0) {
      throw new RangeError(`rate-limit window must be > 0 ms, got ${spec.windowMs}`);
    }
    this.spec = { limit: spec.limit, windowMs: spec.windowMs };
    this.#clock = clock;
  }

  /** Counts one request against `key` and says whether it fits. */
  hit(key: string): WindowState {
    const now = this.#clock.now();
    let window = this.#windows.get(key);
    if (window === undefined || now >= window.endMs) {
      this.#prune(now);
      window = { count: 0, endMs: windowEnd(now, this.spec.windowMs) };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return this.#state(window, window.count <= this.spec.limit);
  }

  /** The state of `key`'s window without counting a request (for headers of uncounted calls). */
  peek(key: string): WindowState {
    const now = this.#clock.now();
    const window = this.#windows.get(key);
    if (window === undefined || now >= window.endMs) {
      return this.#state({ count: 0, endMs: windowEnd(now, this.spec.windowMs) }, true);
    }
    return this.#state(window, true);
  }

  /** Forgets every window. */
  clear(): void {
    this.#windows.clear();
  }

  #state(window: Window, allowed: boolean): WindowState {
    return {
      limit: this.spec.limit,
      remaining: Math.max(0, this.spec.limit - window.count),
      reset: window.endMs / 1000,
      count: window.count,
      allowed,
    };
  }

  /** Drops ended windows once the map grows, so random tokens cannot grow it forever. */
  #prune(now: number): void {
    if (this.#windows.size < 1000) return;
    for (const [key, window] of this.#windows) {
      if (now >= window.endMs) this.#windows.delete(key);
    }
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * Parses a rate such as `5/10s`, `30/1m`, `100/5min`, `3/500ms` or `10/s`; a bare duration is
 * in seconds (`5/10`). Throws a message naming the accepted forms.
 */
export function parseRate(text: string): WindowSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)?\s*(ms|s|min|m|h)?\s*$/.exec(text);
  if (match === null || (match[2] === undefined && match[3] === undefined)) {
    throw new Error(`invalid rate '${text}': expected <count>/<duration>, e.g. 5/10s, 30/1m`);
  }
  const amount = match[2] === undefined ? 1 : Number(match[2]);
  const windowMs = amount * (UNIT_MS[match[3] ?? 's'] ?? 1000);
  const limit = Number(match[1]);
  if (limit < 1 || windowMs <= 0) {
    throw new Error(`invalid rate '${text}': count and duration must be greater than 0`);
  }
  return { limit, windowMs };
}
