/**
 * One room's delivery: the auth test (if asked), then the post, each with its retries, paced by
 * the run's shared limiter and within its budget. Every room gets its own result; one room's
 * failure never stops another's.
 */
import { describeHttpError } from '../hipchat/http-advice.js';
import { TransportError } from '../hipchat/transport-error.js';
import type { HipChatResponse } from '../hipchat/types.js';
import { readRateInfo } from '../http/rate-headers.js';
import { BudgetExceeded } from './budget.js';
import type { Budget, Waiting } from './budget.js';
import { keysFor } from './limiter.js';
import type { Key, Limiter } from './limiter.js';
import { afterAttempts, retryLoop } from './retry-loop.js';
import type { LoopEnd, Retry } from './retry-loop.js';
import type { Clock, DeliveryPlan, Log, Poster, RoomResult } from './types.js';
import { LIMIT_WORDS, MAYBE_POSTED, whose } from './log-words.js';

/** What every room of a run shares. */
export interface RoomContext {
  client: Poster;
  plan: DeliveryPlan;
  limiter: Limiter;
  budget: Budget;
  clock: Clock;
  log: Log;
  concurrency: number;
}

/** Delivers to one room (the `index`-th) and returns its result; never throws for a failure. */
export async function deliverToRoom(
  ctx: RoomContext,
  token: string,
  room: string,
  index: number,
): Promise<RoomResult> {
  const { plan, log, concurrency } = ctx;
  const result: RoomResult = { room, ok: false, status: null, attempts: 0 };
  // Rooms after the first `concurrency` start when an earlier room is done: that is a wait.
  const waiting: Waiting = {
    for: index >= concurrency ? `its turn (rooms are posted ${concurrency} at a time)` : undefined,
  };
  try {
    if (plan.authTest) {
      await request(ctx, token, room, true, result, waiting);
      log.info(`Room '${room}': auth test passed (${result.status}).`);
    }
    if (plan.dryRun) {
      result.ok = true;
      result.dry_run = true;
      log.info(`Room '${room}': dry run, nothing posted.`);
      return result;
    }
    await request(ctx, token, room, false, result, waiting);
    result.ok = true;
    logDelivered(log, result);
  } catch (error) {
    result.ok = false;
    result.error = (error as Error).message;
    if (error instanceof BudgetExceeded) {
      // Out of time after a request HipChat may have acted on: say so, as a failed retry does.
      if (result.possibly_duplicated) result.error += MAYBE_POSTED;
    }
    logFailed(log, result);
  }
  if (!result.possibly_duplicated) delete result.possibly_duplicated;
  return result;
}

/** Said when the room fails, as `delivered` is; why, with what to do, is the run's error. */
function logFailed(log: Log, result: RoomResult): void {
  const { room, status, attempts } = result;
  const what =
    attempts === 0
      ? 'no request made'
      : `${status ?? 'no answer'}, ${attempts} request${attempts === 1 ? '' : 's'}`;
  log.info(`Room '${room}': failed (${what}).`);
}

function logDelivered(log: Log, result: RoomResult): void {
  const { room, status, attempts } = result;
  log.info(
    `Room '${room}': delivered (${status}, ${attempts} request${attempts === 1 ? '' : 's'}).`,
  );
  if (result.possibly_duplicated) {
    log.warning(
      `Room '${room}': the notification may have been posted twice. A request HipChat may have ` +
        'acted on (an error 500 or 504, or a connection lost after the request was sent) was ' +
        'retried so that the notification is not lost.',
    );
  }
}

/** One request with its retries. Returns once it succeeded, or throws with a clear message. */
async function request(
  ctx: RoomContext,
  token: string,
  room: string,
  authTest: boolean,
  result: RoomResult,
  waiting: Waiting,
): Promise<void> {
  const { client, plan, limiter, budget, clock } = ctx;
  const subject = `room '${room}'`;
  const roomKey: Key = `room:${room}`;
  const keys = keysFor(room, authTest);
  const end = await retryLoop(clock, {
    admit: async () => {
      const budgetMs = await admit(ctx, keys, subject, result.attempts > 0, waiting);
      result.attempts++;
      return budgetMs;
    },
    send: async (budgetMs) => {
      let response: HipChatResponse;
      try {
        response = await client.notify(token, room, plan.body, authTest, { budgetMs });
      } catch (error) {
        limiter.release(keys, roomKey, undefined);
        if (error instanceof TransportError) result.status = null;
        throw error;
      }
      result.status = response.status;
      limiter.release(keys, roomKey, readRateInfo(response.headers, clock.now()));
      return response;
    },
    countAmbiguous: true,
    retry: async (decision) => {
      if (decision.ambiguous) result.possibly_duplicated = true;
      const logKey = holdFor(limiter, decision, roomKey);
      waiting.for = `${LIMIT_WORDS[decision.limit]} (${decision.why})`;
      await budget.waitUntil(decision.atMs, decision.limit, subject, decision.why, logKey);
    },
  });
  if (end.action === 'done') return;
  if (end.ambiguous) result.possibly_duplicated = true;
  throw new Error(failureText(client.server, room, authTest, end));
}

/**
 * A 429 (or Retry-After) speaks for the window, not only this request: every request using
 * it is held. Returns the key under which the wait is logged (once for all who share it).
 */
export function holdFor(limiter: Limiter, decision: Retry, roomKey: Key): string | undefined {
  if (decision.limit === 'token' || decision.limit === 'retry-after') {
    limiter.hold('token', decision.atMs, decision.limit, decision.why);
    return `token@${decision.atMs}`;
  }
  if (decision.limit === 'room') {
    limiter.hold(roomKey, decision.atMs, decision.limit, decision.why);
    return `${roomKey}@${decision.atMs}`;
  }
  return undefined;
}

/**
 * Waits until every window the request needs allows it, then counts it as in flight.
 * Returns what `max-wait` leaves the request.
 */
export async function admit(
  ctx: Pick<RoomContext, 'limiter' | 'budget' | 'clock'>,
  keys: readonly Key[],
  subject: string,
  next: boolean,
  waiting: Waiting,
): Promise<number> {
  const { limiter, budget, clock } = ctx;
  for (;;) {
    const blocker = limiter.blocker(keys, clock.now());
    if (!blocker) break;
    if (blocker.kind === 'answer') {
      waiting.for = `answers to the requests in flight (${whose(blocker.key)} window has room for no more until they come)`;
      await limiter.nextAnswer();
    } else {
      waiting.for = `${LIMIT_WORDS[blocker.limit]} (${blocker.why})`;
      const logKey = `${blocker.key}@${blocker.atMs}`;
      await budget.waitUntil(blocker.atMs, blocker.limit, subject, blocker.why, logKey);
    }
  }
  const budgetMs = budget.left(subject, next, waiting.for);
  limiter.acquire(keys);
  return budgetMs;
}

function failureText(
  server: string,
  room: string,
  authTest: boolean,
  end: Extract<LoopEnd<HipChatResponse>, { action: 'fail' }>,
): string {
  const after = afterAttempts(end.attempts);
  const maybe = end.ambiguous ? MAYBE_POSTED : '';
  if (end.response) {
    const action = authTest ? 'auth-test' : 'notify';
    return `${describeHttpError(end.response, { action, room, server })}${after}${maybe}`;
  }
  const message = end.result.kind === 'transport' ? end.result.error.message : '';
  return `Room '${room}': ${message}${after}${maybe}`;
}
