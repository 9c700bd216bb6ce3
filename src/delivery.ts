/**
 * Delivery: posts one notification to every room, concurrently up to a small bound, pacing on
 * HipChat's rate-limit headers and retrying by the policy in retry-policy.ts. Every room gets
 * its own result; one room's failure never stops another's delivery.
 */
import type { HipChatResponse } from './hipchat/client.js';
import {
  TransportError,
  cloudRetiredHint,
  describeHttpError,
  isHipChatCloud,
} from './hipchat/errors.js';
import type { NotificationBody } from './hipchat/types.js';
import { decide, exhausted, readRateInfo } from './retry-policy.js';
import type { Decision, LimitName, Outcome } from './retry-policy.js';

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
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function secs(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/**
 * Shared pacing state: the instant before which no request may use a token or a room, learnt
 * from `Remaining: 0` and from 429s. Shared by all rooms of a run, so a spent token limit holds
 * every room back, while one room's flood control holds back only that room.
 */
class Pacer {
  private readonly until = new Map<string, { atMs: number; limit: LimitName }>();

  hold(key: string, atMs: number, limit: LimitName): void {
    const current = this.until.get(key);
    if (!current || current.atMs < atMs) this.until.set(key, { atMs, limit });
  }

  /** The latest hold among the keys, if any lies ahead. */
  next(keys: string[], nowMs: number): { atMs: number; limit: LimitName } | undefined {
    let best: { atMs: number; limit: LimitName } | undefined;
    for (const key of keys) {
      const hold = this.until.get(key);
      if (hold && hold.atMs > nowMs && (!best || hold.atMs > best.atMs)) best = hold;
    }
    return best;
  }
}

/** Posts (or auth-tests) for every room and returns one result per room, in the given order. */
export async function deliver(
  client: Poster,
  plan: DeliveryPlan,
  clock: Clock,
  log: Log,
): Promise<RoomResult[]> {
  const pacer = new Pacer();
  const deadline = plan.startMs + plan.maxWaitMs;
  const tokenKey = 'token';

  async function waitUntil(
    atMs: number,
    limit: LimitName,
    room: string,
    why: string,
  ): Promise<void> {
    const now = clock.now();
    if (atMs <= now) return;
    if (atMs > deadline) {
      const left = Math.max(0, deadline - now);
      const needed = Math.ceil((atMs - plan.startMs) / 1000);
      throw new BudgetExceeded(
        `Gave up on room '${room}': ${LIMIT_WORDS[limit]} allows the next request at ${iso(atMs)}, ${secs(atMs - now)} from now, but \`max-wait\` (${secs(plan.maxWaitMs)}) has ${secs(left)} left (${why}). Raise \`max-wait\` to at least ${needed} or send fewer notifications.`,
      );
    }
    log.info(
      `Room '${room}': waiting ${secs(atMs - now)} until ${iso(atMs)} for ${LIMIT_WORDS[limit]} — ${why}.`,
    );
    await clock.sleep(atMs - now);
  }

  /** One request with its retries. Returns the final answer or throws with a clear message. */
  async function attempt(room: string, authTest: boolean, result: RoomResult): Promise<void> {
    const roomKey = `room:${room}`;
    let ambiguousRetries = 0;
    for (let n = 1; ; n++) {
      const hold = pacer.next([tokenKey, roomKey], clock.now());
      if (hold) await waitUntil(hold.atMs, hold.limit, room, 'its window is used up');

      result.attempts++;
      let outcome: Outcome;
      try {
        const response = await client.notify(plan.token, room, plan.body, authTest);
        outcome = { kind: 'response', status: response.status, headers: response.headers };
        result.status = response.status;
        const now = clock.now();
        const info = readRateInfo(response.headers, now);
        for (const spent of exhausted(info, now)) {
          pacer.hold(spent.limit === 'token' ? tokenKey : roomKey, spent.resetMs, spent.limit);
        }
        const decision = decide(outcome, n, ambiguousRetries, now, clock.random);
        if (decision.action === 'done') return;
        if (decision.action === 'fail') {
          if (decision.ambiguous) result.possibly_duplicated = true;
          throw new Error(
            describeHttpError(response, {
              action: authTest ? 'auth-test' : 'notify',
              room,
              server: client.server,
            }) +
              (n > 1 ? ` (after ${n} attempts)` : '') +
              cloudRetiredHint(client.server),
          );
        }
        if (decision.ambiguous) {
          ambiguousRetries++;
          result.possibly_duplicated = true;
        }
        // A 429 says which window is spent: hold every request sharing it, not only this one.
        const key = decision.limit === 'token' ? tokenKey : roomKey;
        pacer.hold(key, decision.atMs, decision.limit);
        await waitUntil(decision.atMs, decision.limit, room, decision.why);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        result.status = null;
        const now = clock.now();
        // HipChat Cloud is gone for good: retrying only delays the advice to set `server`.
        const decision: Decision = isHipChatCloud(client.server)
          ? { action: 'fail', ambiguous: false }
          : decide({ kind: 'transport', error }, n, ambiguousRetries, now, clock.random);
        if (decision.action === 'done') return;
        if (decision.action === 'fail') {
          if (decision.ambiguous) result.possibly_duplicated = true;
          throw new Error(
            `${error.message}${n > 1 ? ` (after ${n} attempts)` : ''}${cloudRetiredHint(client.server)}`,
          );
        }
        if (decision.ambiguous) {
          ambiguousRetries++;
          result.possibly_duplicated = true;
        }
        await waitUntil(decision.atMs, decision.limit, room, decision.why);
      }
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
      // A retried ambiguous request that then succeeded may have posted twice.
      log.info(
        `Room '${room}': delivered (${result.status}, ${result.attempts} request${result.attempts === 1 ? '' : 's'}).`,
      );
    } catch (error) {
      result.ok = false;
      result.error = (error as Error).message;
      // Waits cut short by `max-wait` against HipChat Cloud need the same advice as any failure.
      if (error instanceof BudgetExceeded) result.error += cloudRetiredHint(client.server);
      if (!result.possibly_duplicated) delete result.possibly_duplicated;
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
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
