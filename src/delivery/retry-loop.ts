/**
 * The one retry loop, shared by minting the add-on token and by posting: admit a request,
 * make it, turn what came back into an `AttemptResult`, ask the retry policy, and either end or
 * wait and go again. What differs between the two (pacing, what a retry means) comes in as
 * steps.
 */
import { TransportError } from '../hipchat/transport-error.js';
import type { HipChatResponse } from '../hipchat/types.js';
import { decide } from './retry-policy.js';
import type { AttemptResult, Decision } from './retry-policy.js';
import type { Clock } from './types.js';

/** A decision to try again, at a time and for a reason. */
export type Retry = Extract<Decision, { action: 'retry' }>;

/** What the loop does in each round; `R` is the answer's type. */
export interface RetrySteps<R extends HipChatResponse> {
  /** Waits for the request's turn; returns what `max-wait` leaves it (ms). `n` counts from 1. */
  admit(n: number): Promise<number>;
  /** Makes the request; rejects with a `TransportError` when no answer came. */
  send(budgetMs: number): Promise<R>;
  /**
   * Whether retries of requests HipChat may have acted on count against the policy's limit of
   * such retries: a post's do; a token request's do not, since asking for a token posts nothing.
   */
  countAmbiguous: boolean;
  /** Waits before the next round (the retry's time, pacing holds, log lines). */
  retry(decision: Retry, result: AttemptResult): Promise<void>;
}

/** How the loop ended: done with an answer, or failed with the last result. */
export type LoopEnd<R> =
  | { action: 'done'; response: R; attempts: number }
  | {
      action: 'fail';
      ambiguous: boolean;
      result: AttemptResult;
      response: R | undefined;
      attempts: number;
    };

/** Runs rounds until the policy says done or fail. Waits may throw (`BudgetExceeded`). */
export async function retryLoop<R extends HipChatResponse>(
  clock: Clock,
  steps: RetrySteps<R>,
): Promise<LoopEnd<R>> {
  let ambiguousRetries = 0;
  for (let n = 1; ; n++) {
    const budgetMs = await steps.admit(n);
    const { result, response } = await attemptOnce(() => steps.send(budgetMs));
    const decision = decide(result, n, ambiguousRetries, clock.now(), clock.random);
    if (decision.action === 'done') return { action: 'done', response: response!, attempts: n };
    if (decision.action === 'fail') {
      return { action: 'fail', ambiguous: decision.ambiguous, result, response, attempts: n };
    }
    if (decision.ambiguous && steps.countAmbiguous) ambiguousRetries++;
    await steps.retry(decision, result);
  }
}

/** One request as an `AttemptResult`: its answer, or the transport failure. Other errors throw. */
async function attemptOnce<R extends HipChatResponse>(
  send: () => Promise<R>,
): Promise<{ result: AttemptResult; response?: R }> {
  try {
    const response = await send();
    const { status, headers, body, truncated } = response;
    return { result: { kind: 'response', status, headers, body, truncated }, response };
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    return { result: { kind: 'transport', error } };
  }
}

/** ` (after 3 attempts)` for a failure after retries, '' after the first. */
export function afterAttempts(n: number): string {
  return n > 1 ? ` (after ${n} attempts)` : '';
}
