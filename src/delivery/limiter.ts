/**
 * The run's pacing state machine, shared by all rooms of a run: one window for the token
 * (`X-Ratelimit-*`: every call with the token counts) and one per room (`X-FloodControl-*`:
 * posts into that room). Pure: it is told the time and the answers' rate-limit headers, and
 * says what holds a request back; the waiting itself is the caller's.
 */
import { RESET_MARGIN_MS } from './retry-policy.js';
import type { LimitName } from './retry-policy.js';
import type { RateInfo, RateWindow } from '../http/rate-headers.js';
import { whose } from './log-words.js';
import { iso } from '../text/times.js';

/** A limiter key: the token's window, or one room's. */
export type Key = 'token' | `room:${string}`;

/** What the run knows about one window, and the requests using it that await an answer. */
interface WindowState {
  limit?: number;
  remaining?: number;
  /** Epoch ms at which the server said the window refills. */
  resetMs?: number;
  inFlight: number;
  /** A wait imposed by a 429 or Retry-After on everything using this key. */
  hold?: { atMs: number; limit: LimitName; why: string };
}

/** Why a request may not go yet: a time to wait for, or an answer in flight to wait for. */
export type Blocker =
  | { kind: 'time'; key: Key; atMs: number; limit: LimitName; why: string }
  | { kind: 'answer'; key: Key };

/**
 * The run's shared pacing state. A window whose `Remaining` is used up (counting requests in
 * flight) holds back every request that needs it until its reset; after the reset, as many go
 * as its `Limit` allows. A window whose limits no answer has told yet holds nothing back beyond
 * the run's concurrency: waiting for a first answer would make every run with several rooms
 * wait a round trip (or a whole `timeout` on a slow server) before the other rooms start, and
 * a server that sends no rate-limit headers would be posted one room at a time for good. The
 * price is that when another job has already spent the token's window, the first few requests
 * (at most the concurrency) earn a 429 each, which is waited out until the reset it announces.
 */
export class Limiter {
  private readonly states = new Map<Key, WindowState>();
  private wakers: Array<() => void> = [];

  private state(key: Key): WindowState {
    let state = this.states.get(key);
    if (!state) {
      state = { inFlight: 0 };
      this.states.set(key, state);
    }
    return state;
  }

  /** What holds a request needing `keys` back at `nowMs`, the latest time first. */
  blocker(keys: readonly Key[], nowMs: number): Blocker | undefined {
    let late: Extract<Blocker, { kind: 'time' }> | undefined;
    let answer: Key | undefined;
    for (const key of keys) {
      const s = this.state(key);
      const limit: LimitName = key === 'token' ? 'token' : 'room';
      if (s.hold && s.hold.atMs > nowMs && (!late || s.hold.atMs > late.atMs)) {
        late = { kind: 'time', key, ...s.hold };
      }
      // The window counts as current until a margin after its reset, for clock differences.
      const current = s.resetMs !== undefined && nowMs < s.resetMs + RESET_MARGIN_MS;
      const capacity = current ? (s.remaining ?? Infinity) : (s.limit ?? Infinity);
      if (capacity - s.inFlight > 0) continue;
      if (s.inFlight > 0) {
        answer ??= key; // an answer will say how much is left
      } else if (current) {
        const atMs = s.resetMs! + RESET_MARGIN_MS;
        if (!late || atMs > late.atMs) {
          late = {
            kind: 'time',
            key,
            atMs,
            limit,
            why: `${whose(key)} window is used up (Remaining: 0 until ${iso(s.resetMs!)})`,
          };
        }
      }
    }
    if (late) return late;
    return answer ? { kind: 'answer', key: answer } : undefined;
  }

  acquire(keys: readonly Key[]): void {
    for (const key of keys) this.state(key).inFlight++;
  }

  /** Ends a request: learns from the answer's headers (if any) and wakes waiting requests. */
  release(keys: readonly Key[], room: Key, info: RateInfo | undefined): void {
    for (const key of keys) this.state(key).inFlight--;
    if (info) {
      this.learn('token', info.token);
      this.learn(room, info.room);
    }
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }

  /** Resolves at the next answer. */
  nextAnswer(): Promise<void> {
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  /** Holds every request using `key` until `atMs`. */
  hold(key: Key, atMs: number, limit: LimitName, why: string): void {
    const s = this.state(key);
    if (!s.hold || s.hold.atMs < atMs) s.hold = { atMs, limit, why };
  }

  /** Takes in a window as announced; answers may arrive out of order, so never goes back. */
  private learn(key: Key, window: RateWindow): void {
    if (window.resetMs === undefined) return;
    const s = this.state(key);
    if (window.limit !== undefined) s.limit = window.limit;
    if (s.resetMs === undefined || window.resetMs > s.resetMs) {
      s.resetMs = window.resetMs;
      s.remaining = window.remaining;
    } else if (window.resetMs === s.resetMs && window.remaining !== undefined) {
      s.remaining = Math.min(s.remaining ?? Infinity, window.remaining);
    }
  }
}

/** The windows a request needs: an auth test counts against the token only, a post the room's too. */
export function keysFor(room: string, authTest: boolean): Key[] {
  return authTest ? ['token'] : ['token', `room:${room}`];
}
