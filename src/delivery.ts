/**
 * Delivery: posts one notification to every room, concurrently up to a small bound, pacing on
 * HipChat's rate-limit headers and retrying by the policy in retry-policy.ts. Every room gets
 * its own result; one room's failure never stops another's delivery.
 *
 * Pacing is shared by all rooms of a run: one limiter for the token (`X-Ratelimit-*`: every
 * call with the token counts) and one per room (`X-FloodControl-*`: posts into that room). A
 * request waits while a window it needs is used up, so a run does not provoke the 429s it can
 * foresee; a 429 it could not foresee is waited out until the reset it announces.
 */
import type { HipChatResponse } from './hipchat/client.js';
import {
  TransportError,
  cloudRetiredHint,
  describeHttpError,
  isHipChatCloud,
} from './hipchat/errors.js';
import type { NotificationBody } from './hipchat/types.js';
import { RESET_MARGIN_MS, decide, readRateInfo } from './retry-policy.js';
import type { Decision, LimitName, Outcome, RateInfo, RateWindow } from './retry-policy.js';

/** Time, waiting and chance, injected so tests neither sleep nor guess. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Where delivery writes its progress (a subset of @actions/core). */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

/** The one call delivery needs from the HipChat client. */
export interface Poster {
  readonly server: string;
  notify(
    token: string,
    room: string,
    body: NotificationBody,
    authTest?: boolean,
  ): Promise<HipChatResponse>;
}

/** The outcome for one room, as reported in the `results` output. */
export interface RoomResult {
  room: string;
  ok: boolean;
  /** The last HTTP status, or null when no answer came (or nothing was sent in a dry run). */
  status: number | null;
  /** Requests made for this room, auth test included. */
  attempts: number;
  error?: string;
  /** True when HipChat may have posted although the result is a failure, or posted twice. */
  possibly_duplicated?: boolean;
  /** True when nothing was posted because `dry-run` is set. */
  dry_run?: boolean;
}

/** What to deliver and under which limits. */
export interface DeliveryPlan {
  token: string;
  rooms: string[];
  body: NotificationBody;
  authTest: boolean;
  dryRun: boolean;
  /** The whole run's budget in milliseconds, counted from `startMs`. */
  maxWaitMs: number;
  startMs: number;
  /** Rooms posted at once; they share the token's limit. */
  concurrency?: number;
}

/** How many rooms are posted at once by default: enough to overlap latency, few enough to be polite. */
export const DEFAULT_CONCURRENCY = 4;

/** Raised when the next wait would overrun `max-wait`; the message says which limit and when. */
class BudgetExceeded extends Error {}

const LIMIT_WORDS: Record<LimitName, string> = {
  token: "the token's rate limit (X-Ratelimit)",
  room: "the room's flood control (X-FloodControl)",
  'retry-after': 'the Retry-After the server sent',
  backoff: 'a retry backoff',
};

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

function secs(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** A limiter key: the token's window, or one room's. */
type Key = 'token' | `room:${string}`;

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
type Blocker =
  { kind: 'time'; key: Key; atMs: number; limit: LimitName; why: string } | { kind: 'answer' };

/**
 * The run's shared pacing state. A window whose `Remaining` is used up (counting requests in
 * flight) holds back every request that needs it until its reset; a window never seen, or past
 * its reset with no limit known, lets one request through to learn it.
 */
class Limiter {
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
    let answer = false;
    for (const key of keys) {
      const s = this.state(key);
      const limit: LimitName = key === 'token' ? 'token' : 'room';
      if (s.hold && s.hold.atMs > nowMs && (!late || s.hold.atMs > late.atMs)) {
        late = { kind: 'time', key, ...s.hold };
      }
      // The window counts as current until a margin after its reset, for clock differences.
      const current = s.resetMs !== undefined && nowMs < s.resetMs + RESET_MARGIN_MS;
      const capacity = current ? (s.remaining ?? 1) : (s.limit ?? 1);
      if (capacity - s.inFlight > 0) continue;
      if (s.inFlight > 0) {
        answer = true; // an answer will say how much is left
      } else if (current) {
        const atMs = s.resetMs! + RESET_MARGIN_MS;
        if (!late || atMs > late.atMs) {
          late = {
            kind: 'time',
            key,
            atMs,
            limit,
            why: `${key === 'token' ? "the token's" : "the room's"} window is used up (Remaining: 0 until ${iso(s.resetMs!)})`,
          };
        }
      }
    }
    if (late) return late;
    return answer ? { kind: 'answer' } : undefined;
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

/** Posts (or auth-tests) for every room and returns one result per room, in the given order. */
export async function deliver(
  client: Poster,
  plan: DeliveryPlan,
  clock: Clock,
  log: Log,
): Promise<RoomResult[]> {
  const limiter = new Limiter();
  const deadline = plan.startMs + plan.maxWaitMs;
  /** Waits already logged (by key and time), so a wait many rooms share is logged once. */
  const logged = new Set<string>();

  /** Sleeps until `atMs` (never less: a timer may fire a little early), within the budget. */
  async function waitUntil(
    atMs: number,
    limit: LimitName,
    room: string,
    why: string,
    logKey?: string,
  ): Promise<void> {
    const now = clock.now();
    if (atMs <= now) return;
    if (atMs > deadline) {
      const left = Math.max(0, deadline - now);
      const needed = Math.ceil((atMs - plan.startMs) / 1000);
      throw new BudgetExceeded(
        `Gave up on room '${room}': ${LIMIT_WORDS[limit]} allows the next request at ${iso(atMs)}, ${secs(atMs - now)} from now, but \`max-wait\` (${secs(plan.maxWaitMs)}) has ${secs(left)} left (${why}). Raise \`max-wait\` to at least ${needed} (seconds) to wait it out, or send fewer notifications with this token or to this room.`,
      );
    }
    if (logKey === undefined || !logged.has(logKey)) {
      if (logKey !== undefined) logged.add(logKey);
      const wait = `waiting ${secs(atMs - now)}, until ${iso(atMs)}, for ${LIMIT_WORDS[limit]} — ${why}`;
      // A token-wide wait holds every room: say so once, not once per room.
      log.info(
        logKey?.startsWith('token@')
          ? `${wait.charAt(0).toUpperCase()}${wait.slice(1)} (room '${room}'); no request uses the token before then.`
          : `Room '${room}': ${wait}.`,
      );
    }
    for (let t = clock.now(); t < atMs; t = clock.now()) await clock.sleep(atMs - t);
  }

  /** Waits until every window the request needs allows it, then counts it as in flight. */
  async function admit(keys: readonly Key[], room: string): Promise<void> {
    for (;;) {
      const blocker = limiter.blocker(keys, clock.now());
      if (!blocker) break;
      if (blocker.kind === 'answer') await limiter.nextAnswer();
      else {
        const logKey = `${blocker.key === 'token' ? 'token' : blocker.key}@${blocker.atMs}`;
        await waitUntil(blocker.atMs, blocker.limit, room, blocker.why, logKey);
      }
    }
    limiter.acquire(keys);
  }

  /** One request with its retries. Returns once it succeeded, or throws with a clear message. */
  async function attempt(room: string, authTest: boolean, result: RoomResult): Promise<void> {
    const roomKey: Key = `room:${room}`;
    // An auth test counts against the token only; a post against the room's flood control too.
    const keys: Key[] = authTest ? ['token'] : ['token', roomKey];
    let ambiguousRetries = 0;
    for (let n = 1; ; n++) {
      await admit(keys, room);
      result.attempts++;
      let outcome: Outcome;
      let response: HipChatResponse | undefined;
      try {
        response = await client.notify(plan.token, room, plan.body, authTest);
        outcome = { kind: 'response', status: response.status, headers: response.headers };
        result.status = response.status;
      } catch (error) {
        limiter.release(keys, roomKey, undefined);
        if (!(error instanceof TransportError)) throw error;
        outcome = { kind: 'transport', error };
        result.status = null;
      }
      const now = clock.now();
      if (response) limiter.release(keys, roomKey, readRateInfo(response.headers, now));
      // HipChat Cloud is gone for good: retrying a failed connection only delays the advice.
      const decision: Decision =
        outcome.kind === 'transport' && isHipChatCloud(client.server)
          ? { action: 'fail', ambiguous: false }
          : decide(outcome, n, ambiguousRetries, now, clock.random);
      if (decision.action === 'done') return;
      if (decision.action === 'fail') {
        if (decision.ambiguous) result.possibly_duplicated = true;
        const after = n > 1 ? ` (after ${n} attempts)` : '';
        const maybe = decision.ambiguous
          ? ' HipChat may have posted it anyway: check the room before re-running.'
          : '';
        throw new Error(
          response
            ? `${describeHttpError(response, {
                action: authTest ? 'auth-test' : 'notify',
                room,
                server: client.server,
              })}${after}${maybe}${cloudRetiredHint(client.server)}`
            : `Room '${room}': ${(outcome as { error: TransportError }).error.message}${after}${maybe}${cloudRetiredHint(client.server)}`,
        );
      }
      if (decision.ambiguous) {
        ambiguousRetries++;
        result.possibly_duplicated = true;
      }
      // A 429 (or Retry-After) speaks for the window, not only this request: hold all users.
      let logKey: string | undefined;
      if (decision.limit === 'token' || decision.limit === 'retry-after') {
        limiter.hold('token', decision.atMs, decision.limit, decision.why);
        logKey = `token@${decision.atMs}`;
      } else if (decision.limit === 'room') {
        limiter.hold(roomKey, decision.atMs, decision.limit, decision.why);
        logKey = `${roomKey}@${decision.atMs}`;
      }
      await waitUntil(decision.atMs, decision.limit, room, decision.why, logKey);
    }
  }

  async function one(room: string): Promise<RoomResult> {
    const result: RoomResult = { room, ok: false, status: null, attempts: 0 };
    try {
      if (plan.authTest) {
        await attempt(room, true, result);
        log.info(`Room '${room}': auth test passed (${result.status}).`);
      }
      if (plan.dryRun) {
        result.ok = true;
        result.dry_run = true;
        log.info(`Room '${room}': dry run, nothing posted.`);
        return result;
      }
      await attempt(room, false, result);
      result.ok = true;
      log.info(
        `Room '${room}': delivered (${result.status}, ${result.attempts} request${result.attempts === 1 ? '' : 's'}).`,
      );
      if (result.possibly_duplicated) {
        log.warning(
          `Room '${room}': the notification may have been posted twice. A request HipChat may have acted on (an error 500, or a connection lost after the request was sent) was retried so that the notification is not lost.`,
        );
      }
    } catch (error) {
      result.ok = false;
      result.error = (error as Error).message;
      // Waits cut short by `max-wait` against HipChat Cloud need the same advice as any failure.
      if (error instanceof BudgetExceeded) result.error += cloudRetiredHint(client.server);
    }
    if (!result.possibly_duplicated) delete result.possibly_duplicated;
    return result;
  }

  return mapBounded(plan.rooms, plan.concurrency ?? DEFAULT_CONCURRENCY, one);
}

/** Maps with at most `limit` calls in flight; results keep the input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
