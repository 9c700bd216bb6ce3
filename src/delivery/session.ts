/**
 * The run's HipChat session: the one owner of the run's token and of its pacing. Every HipChat
 * call of a run — the room posts (index.ts), user lookups and the private message (people/), and
 * any later call about a room or a person — goes through one session, so that:
 *
 * - the token is minted at most once per run (with add-on credentials, at the first call that
 *   needs it, under the run's retries and `max-wait`; a failure is remembered, not retried by the
 *   next caller, and every later call fails with the same reason);
 * - every call counts against the same view of the token's window (`limiter`) and the same
 *   `max-wait` (`budget`), so calls of different kinds never provoke each other's 429s.
 *
 * A new kind of call needs no token or pacing of its own: take the client and the token from the
 * session and make the call through `request()` (or `pacedCall()` with a `Paced` of your own
 * budget, as the lookups do with half of `max-wait`).
 */
import { Budget } from './budget.js';
import type { Waiting } from './budget.js';
import { Limiter } from './limiter.js';
import type { Key } from './limiter.js';
import { mintToken } from './mint.js';
import { admit, holdFor } from './post.js';
import { retryLoop } from './retry-loop.js';
import type { LoopEnd } from './retry-loop.js';
import type { AddonCredentials, Clock, Log, Poster } from './types.js';
import { LIMIT_WORDS } from './log-words.js';
import type { HipChatResponse } from '../hipchat/types.js';
import { readRateInfo } from '../http/rate-headers.js';

/** What a session is opened with. */
export interface SessionOptions<C extends Poster> {
  /** The server's base URL (for messages when the run makes no request). */
  server: string;
  /**
   * Makes the client, once, at its first use; undefined when the run makes no request at all
   * (a dry run without `auth-test`).
   */
  connect: (() => C) | undefined;
  /** A ready token, or add-on credentials to mint one with (with every scope the run needs). */
  auth: string | AddonCredentials;
  /** When the run started (epoch ms), and its whole budget from then, `max-wait` (ms). */
  startMs: number;
  maxWaitMs: number;
  clock: Clock;
  log: Log;
}

/** The run's token, or why there is none (the add-on token could not be minted). */
export type TokenOrReason = string | { error: string };

/** What a paced call needs: the token's window, the budget it may spend, and time. */
export interface Paced {
  limiter: Limiter;
  budget: Budget;
  clock: Clock;
}

/** How a paced call ended: done or failed, with its last answer and what it cost. */
export interface PacedEnd {
  action: 'done' | 'fail';
  response?: HipChatResponse;
  attempts: number;
  /** Whether a request HipChat may have acted on was sent again, or failed. */
  ambiguous: boolean;
  end: LoopEnd<HipChatResponse>;
}

/** A call that is not a room post counts against the token's window only. */
const TOKEN_ONLY: readonly Key[] = ['token'];
const NO_ROOM: Key = 'room:';

/** One run's HipChat session; `C` is the client type its callers need. */
export class Session<C extends Poster = Poster> {
  /** The token's and the rooms' windows, shared by every call of the run. */
  readonly limiter = new Limiter();
  /** `max-wait`: no call starts once it is spent. */
  readonly budget: Budget;
  readonly clock: Clock;
  readonly #options: SessionOptions<C>;
  #client: C | undefined;
  #token: Promise<TokenOrReason> | undefined;

  constructor(options: SessionOptions<C>) {
    this.#options = options;
    this.clock = options.clock;
    this.budget = new Budget(options.startMs, options.maxWaitMs, options.clock, options.log);
  }

  /** When the run started and how long it may take (`max-wait`), for budgets of a share of it. */
  get window(): { startMs: number; maxWaitMs: number } {
    return { startMs: this.#options.startMs, maxWaitMs: this.#options.maxWaitMs };
  }

  /** The client, made at the first call; undefined when the run makes no request. */
  client(): C | undefined {
    const connect = this.#options.connect;
    return connect ? (this.#client ??= connect()) : undefined;
  }

  /** The client to post with, or a stand-in that refuses when the run makes no request. */
  poster(): Poster {
    return this.client() ?? offline(this.#options.server);
  }

  /**
   * The run's token: the given one, or the add-on token, minted (and masked) at the first call
   * and never again. Every caller gets the same answer, a failure's reason included.
   */
  token(): Promise<TokenOrReason> {
    const { auth, log } = this.#options;
    if (typeof auth === 'string') return Promise.resolve(auth);
    this.#token ??= mintToken(this.poster(), auth, this.budget, this.clock, log);
    return this.#token;
  }

  /**
   * One call that is not a room post (a lookup, a message, a room's history), with its retries,
   * paced on the token's window, inside `max-wait`. `send` makes the request with what
   * `max-wait` leaves it. Throws `BudgetExceeded` when time runs out; never for a failure.
   */
  request(
    subject: string,
    send: (budgetMs: number) => Promise<HipChatResponse>,
    options: { countAmbiguous: boolean },
  ): Promise<PacedEnd> {
    return pacedCall(this, subject, options.countAmbiguous, send);
  }
}

/**
 * One call with its retries, paced on the token's window of `paced`, inside its budget. What
 * `Session.request` does, for a caller that spends a budget of its own (a share of `max-wait`).
 */
export async function pacedCall(
  paced: Paced,
  subject: string,
  countAmbiguous: boolean,
  send: (budgetMs: number) => Promise<HipChatResponse>,
): Promise<PacedEnd> {
  const { limiter, budget, clock } = paced;
  const waiting: Waiting = {};
  let attempts = 0;
  let ambiguous = false;
  const end = await retryLoop(clock, {
    admit: async () => {
      const budgetMs = await admit(paced, TOKEN_ONLY, subject, attempts > 0, waiting);
      attempts++;
      return budgetMs;
    },
    send: async (budgetMs) => {
      try {
        const response = await send(budgetMs);
        limiter.release(TOKEN_ONLY, NO_ROOM, readRateInfo(response.headers, clock.now()));
        return response;
      } catch (error) {
        limiter.release(TOKEN_ONLY, NO_ROOM, undefined);
        throw error;
      }
    },
    countAmbiguous,
    retry: async (decision) => {
      if (decision.ambiguous) ambiguous = true;
      const logKey = holdFor(limiter, decision, NO_ROOM);
      waiting.for = `${LIMIT_WORDS[decision.limit]} (${decision.why})`;
      await budget.waitUntil(decision.atMs, decision.limit, subject, decision.why, logKey);
    },
  });
  if (end.action === 'fail' && end.ambiguous) ambiguous = true;
  return { action: end.action, response: end.response, attempts: end.attempts, ambiguous, end };
}

/** Stands in for the client in a dry run without auth-test, where no request is made. */
function offline(server: string): Poster {
  const refuse = (): Promise<never> =>
    Promise.reject(new Error('A dry run without auth-test makes no request.'));
  return { server, notify: refuse, addonToken: refuse };
}
