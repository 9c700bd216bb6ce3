/**
 * Delivery: posts one notification to every room, concurrently up to a small bound, pacing on
 * HipChat's rate-limit headers and retrying by the policy in retry-policy.ts. Every room gets
 * its own result; one room's failure never stops another's delivery.
 *
 * Pacing is shared by all rooms of a run: one limiter for the token (`X-Ratelimit-*`: every
 * call with the token counts) and one per room (`X-FloodControl-*`: posts into that room). A
 * request waits while a window it needs is used up, so a run does not provoke the 429s it can
 * foresee; a 429 it could not foresee is waited out until the reset it announces.
 *
 * `max-wait` is the whole run's budget: no request starts once it is spent, and a request
 * under way gets what is left of it when that is less than `timeout`.
 *
 * With add-on credentials, the token is minted here first, under the same retries and budget;
 * when that fails, every room fails with the reason, like any failed delivery.
 */
import type { HipChatResponse, SendOptions } from './hipchat/client.js';
import {
  TransportError,
  cloudRetiredHint,
  describeHttpError,
  isHipChatCloud,
} from './hipchat/errors.js';
import type { NotificationBody, TokenResponse } from './hipchat/types.js';
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

/** The calls delivery needs from the HipChat client (HipChatClient). */
export interface Poster {
  readonly server: string;
  notify(
    token: string,
    room: string,
    body: NotificationBody,
    authTest?: boolean,
    options?: SendOptions,
  ): Promise<HipChatResponse>;
  addonToken(id: string, secret: string, options?: SendOptions): Promise<HipChatResponse>;
}

/** Add-on OAuth credentials: delivery mints a short-lived token with them before posting. */
export interface AddonCredentials {
  id: string;
  secret: string;
  /** Called with the minted token before it is used or logged anywhere: mask it. */
  mask(token: string): void;
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
  /** The token to post with, or add-on credentials to mint one with (only if a request is made). */
  token: string | AddonCredentials;
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

/**
 * Raised when `max-wait` leaves no time for what comes next: a wait that would end at or after
 * it, or a request that would start then. The message says what was being waited for.
 */
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

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The token in a 2xx answer to `POST /v2/oauth/token`, or undefined if there is none. */
function readToken(body: string): TokenResponse | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<TokenResponse> | null;
    return typeof parsed?.access_token === 'string' && parsed.access_token
      ? (parsed as TokenResponse)
      : undefined;
  } catch {
    return undefined;
  }
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
            why: `${key === 'token' ? "the token's" : "the room's"} window is used up (Remaining: 0 until ${iso(s.resetMs!)})`,
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

/** Posts (or auth-tests) for every room and returns one result per room, in the given order. */
export async function deliver(
  client: Poster,
  plan: DeliveryPlan,
  clock: Clock,
  log: Log,
): Promise<RoomResult[]> {
  const limiter = new Limiter();
  const deadline = plan.startMs + plan.maxWaitMs;
  const concurrency = Math.max(1, plan.concurrency ?? DEFAULT_CONCURRENCY);
  /** Waits already logged (by key and time), so a wait many rooms share is logged once. */
  const logged = new Set<string>();

  /**
   * The retry policy's decision — except that a failed connection to HipChat Cloud is not
   * retried: it is gone for good, and retrying only delays the advice to set `server`.
   */
  function decideNext(
    outcome: Outcome,
    n: number,
    ambiguousRetries: number,
    now: number,
  ): Decision {
    if (outcome.kind === 'transport' && isHipChatCloud(client.server)) {
      return { action: 'fail', ambiguous: false };
    }
    return decide(outcome, n, ambiguousRetries, now, clock.random);
  }

  /**
   * Sleeps until `atMs` (never less: a timer may fire a little early), within the budget.
   * `subject` is what waits, as in "room 'CI'" or "the add-on token request".
   */
  async function waitUntil(
    atMs: number,
    limit: LimitName,
    subject: string,
    why: string,
    logKey?: string,
  ): Promise<void> {
    const now = clock.now();
    if (atMs <= now) return;
    // A wait that ends at the deadline would leave no time for the request it waits for.
    if (atMs >= deadline) {
      const left = Math.max(0, deadline - now);
      // Beyond the wait, so that some time is left for the request itself.
      const needed = Math.floor((atMs - plan.startMs) / 1000) + 1;
      const advice =
        limit === 'backoff'
          ? `Raise \`max-wait\` to at least ${needed} (seconds) to allow the retry.`
          : `Raise \`max-wait\` to at least ${needed} (seconds) to wait it out, or send fewer notifications with this token or to this room.`;
      throw new BudgetExceeded(
        `Gave up on ${subject}: ${LIMIT_WORDS[limit]} allows the next request at ${iso(atMs)}, ${secs(atMs - now)} from now, but \`max-wait\` (${secs(plan.maxWaitMs)}) has ${secs(left)} left (${why}). ${advice}`,
      );
    }
    if (logKey === undefined || !logged.has(logKey)) {
      if (logKey !== undefined) logged.add(logKey);
      const wait = `waiting ${secs(atMs - now)}, until ${iso(atMs)}, for ${LIMIT_WORDS[limit]} — ${why}`;
      // A token-wide wait holds every room: say so once, not once per room.
      log.info(
        logKey?.startsWith('token@')
          ? `${capitalise(wait)} (${subject}); no request uses the token before then.`
          : `${capitalise(subject)}: ${wait}.`,
      );
    }
    for (let t = clock.now(); t < atMs; t = clock.now()) await clock.sleep(atMs - t);
  }

  /**
   * What `max-wait` has left for a request about to start; none (at or after the deadline)
   * gives up instead, naming what the request was waiting for until then.
   */
  function budgetLeft(subject: string, next: boolean, waitingFor: string | undefined): number {
    const left = deadline - clock.now();
    if (left > 0) return left;
    throw new BudgetExceeded(
      `Gave up on ${subject}: \`max-wait\` (${secs(plan.maxWaitMs)}) ran out before ${next ? 'its next request' : 'its request'} could start${waitingFor ? `, while it waited for ${waitingFor}` : ''}. Raise \`max-wait\` to give the run more time.`,
    );
  }

  /** What one request waits for, so that running out of time can say so. */
  interface Waiting {
    for?: string;
  }

  /**
   * Waits until every window the request needs allows it, then counts it as in flight.
   * Returns what `max-wait` leaves the request.
   */
  async function admit(
    keys: readonly Key[],
    subject: string,
    next: boolean,
    waiting: Waiting,
  ): Promise<number> {
    for (;;) {
      const blocker = limiter.blocker(keys, clock.now());
      if (!blocker) break;
      if (blocker.kind === 'answer') {
        waiting.for = `answers to the requests in flight (${blocker.key === 'token' ? "the token's" : "the room's"} window has room for no more until they come)`;
        await limiter.nextAnswer();
      } else {
        waiting.for = `${LIMIT_WORDS[blocker.limit]} (${blocker.why})`;
        const logKey = `${blocker.key === 'token' ? 'token' : blocker.key}@${blocker.atMs}`;
        await waitUntil(blocker.atMs, blocker.limit, subject, blocker.why, logKey);
      }
    }
    const budgetMs = budgetLeft(subject, next, waiting.for);
    limiter.acquire(keys);
    return budgetMs;
  }

  /**
   * Mints the add-on token. Asking for a token posts nothing, so whatever the policy would
   * retry is retried here even where HipChat may have acted (500, 504, a lost answer).
   * Returns the token, or the reason there is none.
   */
  async function mint(credentials: AddonCredentials): Promise<string | { error: string }> {
    const subject = 'the add-on token request';
    const hint = cloudRetiredHint(client.server);
    const waiting: Waiting = {};
    try {
      for (let n = 1; ; n++) {
        const budgetMs = budgetLeft(subject, n > 1, waiting.for);
        let outcome: Outcome;
        let response: HipChatResponse | undefined;
        try {
          response = await client.addonToken(credentials.id, credentials.secret, { budgetMs });
          outcome = {
            kind: 'response',
            status: response.status,
            headers: response.headers,
            body: response.body,
          };
        } catch (error) {
          if (!(error instanceof TransportError)) throw error;
          outcome = { kind: 'transport', error };
        }
        const after = n > 1 ? ` (after ${n} attempts)` : '';
        const decision = decideNext(outcome, n, 0, clock.now());
        if (decision.action === 'done') {
          const minted = readToken(response!.body);
          if (!minted) {
            return {
              error: `HipChat answered the add-on token request (POST ${client.server}/v2/oauth/token) with ${response!.status} but no access_token: is \`server\` really a HipChat server?${hint}`,
            };
          }
          credentials.mask(minted.access_token);
          log.info(
            `Obtained an add-on token (scope: ${minted.scope || 'send_notification'}; valid ${Math.round((minted.expires_in || 0) / 60)} min).`,
          );
          return minted.access_token;
        }
        if (decision.action === 'fail') {
          return {
            error:
              outcome.kind === 'response'
                ? `${describeHttpError(response!, { action: 'token', server: client.server })}${after}${hint}`
                : `Could not obtain an add-on token: ${outcome.error.message}${after}${hint}`,
          };
        }
        const why = decision.ambiguous
          ? `${outcome.kind === 'response' ? `the server answered ${outcome.status}` : outcome.error.message.replace(/\.$/, '')}; asking for a token posts nothing, so it is asked again`
          : decision.why;
        waiting.for = `${LIMIT_WORDS[decision.limit]} (${why})`;
        await waitUntil(decision.atMs, decision.limit, subject, why);
      }
    } catch (error) {
      if (error instanceof BudgetExceeded) return { error: `${error.message}${hint}` };
      throw error;
    }
  }

  /** One request with its retries. Returns once it succeeded, or throws with a clear message. */
  async function attempt(
    token: string,
    room: string,
    authTest: boolean,
    result: RoomResult,
    waiting: Waiting,
  ): Promise<void> {
    const subject = `room '${room}'`;
    const roomKey: Key = `room:${room}`;
    // An auth test counts against the token only; a post against the room's flood control too.
    const keys: Key[] = authTest ? ['token'] : ['token', roomKey];
    let ambiguousRetries = 0;
    for (let n = 1; ; n++) {
      const budgetMs = await admit(keys, subject, result.attempts > 0, waiting);
      result.attempts++;
      let outcome: Outcome;
      let response: HipChatResponse | undefined;
      try {
        response = await client.notify(token, room, plan.body, authTest, { budgetMs });
        outcome = {
          kind: 'response',
          status: response.status,
          headers: response.headers,
          body: response.body,
        };
        result.status = response.status;
      } catch (error) {
        limiter.release(keys, roomKey, undefined);
        if (!(error instanceof TransportError)) throw error;
        outcome = { kind: 'transport', error };
        result.status = null;
      }
      const now = clock.now();
      if (response) limiter.release(keys, roomKey, readRateInfo(response.headers, now));
      const decision = decideNext(outcome, n, ambiguousRetries, now);
      if (decision.action === 'done') return;
      if (decision.action === 'fail') {
        if (decision.ambiguous) result.possibly_duplicated = true;
        const after = n > 1 ? ` (after ${n} attempts)` : '';
        const maybe = decision.ambiguous ? MAYBE_POSTED : '';
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
      waiting.for = `${LIMIT_WORDS[decision.limit]} (${decision.why})`;
      await waitUntil(decision.atMs, decision.limit, subject, decision.why, logKey);
    }
  }

  async function one(token: string, room: string, index: number): Promise<RoomResult> {
    const result: RoomResult = { room, ok: false, status: null, attempts: 0 };
    // Rooms after the first `concurrency` start when an earlier room is done: that is a wait.
    const waiting: Waiting = {
      for:
        index >= concurrency ? `its turn (rooms are posted ${concurrency} at a time)` : undefined,
    };
    try {
      if (plan.authTest) {
        await attempt(token, room, true, result, waiting);
        log.info(`Room '${room}': auth test passed (${result.status}).`);
      }
      if (plan.dryRun) {
        result.ok = true;
        result.dry_run = true;
        log.info(`Room '${room}': dry run, nothing posted.`);
        return result;
      }
      await attempt(token, room, false, result, waiting);
      result.ok = true;
      log.info(
        `Room '${room}': delivered (${result.status}, ${result.attempts} request${result.attempts === 1 ? '' : 's'}).`,
      );
      if (result.possibly_duplicated) {
        log.warning(
          `Room '${room}': the notification may have been posted twice. A request HipChat may have acted on (an error 500 or 504, or a connection lost after the request was sent) was retried so that the notification is not lost.`,
        );
      }
    } catch (error) {
      result.ok = false;
      result.error = (error as Error).message;
      if (error instanceof BudgetExceeded) {
        // Out of time after a request HipChat may have acted on: say so, as a failed retry does.
        if (result.possibly_duplicated) result.error += MAYBE_POSTED;
        // Waits cut short by `max-wait` against HipChat Cloud need the same advice as any failure.
        result.error += cloudRetiredHint(client.server);
      }
    }
    if (!result.possibly_duplicated) delete result.possibly_duplicated;
    return result;
  }

  // Only a run that makes a request needs a token (a dry run without auth test makes none).
  let token = '';
  if (typeof plan.token === 'string') token = plan.token;
  else if (!plan.dryRun || plan.authTest) {
    const minted = await mint(plan.token);
    if (typeof minted !== 'string') {
      // Nothing can be posted without it: every room fails with the reason, like a delivery.
      return plan.rooms.map((room) => ({
        room,
        ok: false,
        status: null,
        attempts: 0,
        error: minted.error,
      }));
    }
    token = minted;
  }
  return mapBounded(plan.rooms, concurrency, (room, index) => one(token, room, index));
}

const MAYBE_POSTED = ' HipChat may have posted it anyway: check the room before re-running.';

/** Maps with at most `limit` calls in flight; results keep the input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
