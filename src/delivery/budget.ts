/**
 * `max-wait`, the whole run's budget: no request starts once it is spent, no wait is begun
 * that would end at or after it, and every wait is logged once, however many rooms share it.
 */
import type { LimitName } from './retry-policy.js';
import type { Clock, Log } from './types.js';
import { LIMIT_WORDS, withoutAdvice } from './log-words.js';
import { capitalise } from '../text/case.js';
import { iso, secs } from '../text/times.js';

/**
 * Raised when `max-wait` leaves no time for what comes next: a wait that would end at or after
 * it, or a request that would start then. The message says what was being waited for.
 */
export class BudgetExceeded extends Error {}

/** What one request waits for, so that running out of time can say so. */
export interface Waiting {
  for?: string;
}

/** The run's deadline, and the waits within it. */
export class Budget {
  readonly #clock: Clock;
  readonly #log: Log;
  readonly #startMs: number;
  readonly #maxWaitMs: number;
  /** Waits already logged (by key and time), so a wait many rooms share is logged once. */
  readonly #logged = new Set<string>();

  constructor(startMs: number, maxWaitMs: number, clock: Clock, log: Log) {
    this.#startMs = startMs;
    this.#maxWaitMs = maxWaitMs;
    this.#clock = clock;
    this.#log = log;
  }

  get deadline(): number {
    return this.#startMs + this.#maxWaitMs;
  }

  /**
   * Sleeps until `atMs` (never less: a timer may fire a little early), within the budget.
   * `subject` is what waits, as in "room 'CI'" or "the add-on token request". Throws
   * `BudgetExceeded` when the wait would end at or after the deadline.
   */
  async waitUntil(
    atMs: number,
    limit: LimitName,
    subject: string,
    why: string,
    logKey?: string,
  ): Promise<void> {
    const now = this.#clock.now();
    if (atMs <= now) return;
    // A wait that ends at the deadline would leave no time for the request it waits for.
    if (atMs >= this.deadline) throw this.#tooLate(atMs, now, limit, subject, why);
    if (logKey === undefined || !this.#logged.has(logKey)) {
      if (logKey !== undefined) this.#logged.add(logKey);
      this.#log.info(waitLine(atMs - now, atMs, limit, subject, why, logKey));
    }
    for (let t = this.#clock.now(); t < atMs; t = this.#clock.now()) {
      await this.#clock.sleep(atMs - t);
    }
  }

  /**
   * What `max-wait` has left for a request about to start; none (at or after the deadline)
   * gives up instead, naming what the request was waiting for until then.
   */
  left(subject: string, next: boolean, waitingFor: string | undefined): number {
    const left = this.deadline - this.#clock.now();
    if (left > 0) return left;
    const which = next ? 'its next request' : 'its request';
    const waited = waitingFor ? `, while it waited for ${waitingFor}` : '';
    throw new BudgetExceeded(
      `Gave up on ${subject}: \`max-wait\` (${secs(this.#maxWaitMs)}) ran out before ${which} ` +
        `could start${waited}. Raise \`max-wait\` to give the run more time.`,
    );
  }

  #tooLate(
    atMs: number,
    now: number,
    limit: LimitName,
    subject: string,
    why: string,
  ): BudgetExceeded {
    const left = Math.max(0, this.deadline - now);
    // Beyond the wait, so that some time is left for the request itself.
    const needed = Math.floor((atMs - this.#startMs) / 1000) + 1;
    const raise = `Raise \`max-wait\` to at least ${needed} (seconds)`;
    const advice =
      limit === 'backoff'
        ? `${raise} to allow the retry.`
        : `${raise} to wait it out, or send fewer notifications with this token or to this room.`;
    return new BudgetExceeded(
      `Gave up on ${subject}: ${LIMIT_WORDS[limit]} allows the next request at ${iso(atMs)}, ` +
        `${secs(atMs - now)} from now, but \`max-wait\` (${secs(this.#maxWaitMs)}) has ` +
        `${secs(left)} left (${why}). ${advice}`,
    );
  }
}

/** The log line of a wait. A token-wide wait holds every room: it says so once, not per room. */
function waitLine(
  ms: number,
  atMs: number,
  limit: LimitName,
  subject: string,
  why: string,
  logKey: string | undefined,
): string {
  const wait = `waiting ${secs(ms)}, until ${iso(atMs)}, for ${LIMIT_WORDS[limit]} — ${withoutAdvice(why)}`;
  return logKey?.startsWith('token@')
    ? `${capitalise(wait)} (${subject}); no request uses the token before then.`
    : `${capitalise(subject)}: ${wait}.`;
}
