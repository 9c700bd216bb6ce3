/**
 * `mention: author` and `private-message` across a run: the lookups before the message, the
 * private message after the rooms. Calls go through the run's HipChat session (its client,
 * token and pacing, shared with the room posts), so this module does no I/O of its own.
 */
import { Budget } from '../delivery/budget.js';
import type { Session } from '../delivery/session.js';
import type { Log, Poster, PrivateMessageResult } from '../delivery/types.js';
import type { CallContext, PeopleClient } from './calls.js';
import { wantsAuthor } from './mention.js';
import type { MentionPlan, MentionSettings, RunFacts } from './mention.js';
import { messagePerson, planPeople } from './step.js';
import type { MessageSettings, PeopleLog } from './step.js';

/** The settings the people side of a run reads (mapped from the inputs by main.ts). */
export type PeopleSettings = MentionSettings & MessageSettings;

/** The people side of one run; `plan` before the message is built, `message` after the rooms. */
export class People {
  readonly #settings: PeopleSettings;
  readonly #session: Session<PeopleClient & Poster>;
  readonly #log: Log & PeopleLog;
  #plan: MentionPlan | undefined;
  #calls: CallContext | undefined;

  /** @param session the run's HipChat session: client, token and pacing, shared with the rooms */
  constructor(
    settings: PeopleSettings,
    session: Session<PeopleClient & Poster>,
    log: Log & PeopleLog,
  ) {
    this.#settings = settings;
    this.#session = session;
    this.#log = log;
  }

  /** Who the message names. HipChat is asked only on a failure, when a request may be made. */
  async plan(facts: RunFacts): Promise<MentionPlan> {
    let calls: CallContext | string = 'a dry run without `auth-test` makes no request.';
    if (wantsAuthor(this.#settings, facts.outcome) && this.#session.client() !== undefined) {
      calls = await this.#callContext();
    }
    // Lookups may use half of `max-wait`: the room notification always keeps the other half.
    const { startMs, maxWaitMs } = this.#session.window;
    const half = Math.floor(maxWaitMs / 2);
    const lookupBudget = new Budget(startMs, half, this.#session.clock, this.#log);
    this.#plan = await planPeople(this.#settings, facts, calls, lookupBudget, this.#log);
    return this.#plan;
  }

  /** Sends the private message the plan calls for (after the rooms); its result, if any. */
  async message(text: string): Promise<PrivateMessageResult | undefined> {
    if (this.#plan === undefined) return undefined;
    return messagePerson(this.#plan, text, this.#settings, this.#calls, this.#log);
  }

  /** The calls' context from the session (its token minted first if need be); or why none. */
  async #callContext(): Promise<CallContext | string> {
    const session = this.#session;
    const client = session.client()!;
    const token = await session.token();
    // Every room then fails with the same reason (the session does not ask twice).
    if (typeof token !== 'string') return `no add-on token: ${token.error}`;
    const { limiter, budget, clock } = session;
    this.#calls = { client, token, limiter, budget, clock };
    return this.#calls;
  }
}
