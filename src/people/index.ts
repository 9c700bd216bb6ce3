/**
 * The people feature across a run, `mention: author` and `private-message`: before the
 * message, who it names (lookups within half of `max-wait`, cached); after the rooms, the
 * private message (private-message.ts). Calls go through the run's HipChat session (its client,
 * token and pacing, shared with the room posts), so this module does no I/O of its own.
 */
import { Budget } from '../delivery/budget.js';
import type { Session } from '../delivery/session.js';
import type { Log, Poster, PrivateMessageResult } from '../delivery/types.js';
import { lookupUser } from './calls.js';
import type { CallContext, PeopleClient } from './calls.js';
import { planMention, wantsAuthor } from './mention.js';
import type { MentionPlan, MentionSettings, RunFacts } from './mention.js';
import { messagePerson } from './private-message.js';
import type { MessageSettings } from './private-message.js';
import { cachedLookup } from './resolve.js';
import type { Lookup } from './resolve.js';

/** Where the step writes: progress, and the notices that say why nobody was pinged. */
export interface PeopleLog {
  info(message: string): void;
  notice(message: string): void;
}

/** The scopes a run's token needs beyond send_notification (asked for with add-on credentials). */
export function peopleScopes(
  settings: Pick<MentionSettings, 'mention' | 'privateMessage'>,
): string[] {
  const scopes: string[] = [];
  if (settings.mention === 'author' || settings.privateMessage) scopes.push('view_group');
  if (settings.privateMessage) scopes.push('send_message');
  return scopes;
}

/**
 * Plans who the message names. `calls` is why no request can be made (a dry run without
 * auth-test, no add-on token) when nobody can be looked up. `lookupBudget` is the share of `max-wait`
 * lookups may use, so the room notification always keeps the rest.
 */
async function planPeople(
  settings: MentionSettings,
  facts: RunFacts,
  calls: CallContext | string,
  lookupBudget: Budget,
  log: PeopleLog,
): Promise<MentionPlan> {
  const lookup: Lookup =
    typeof calls === 'string'
      ? () => Promise.resolve({ found: false, failed: true, reason: calls })
      : cachedLookup((ref) => lookupUser({ ...calls, budget: lookupBudget }, ref));
  const plan = await planMention(settings, facts, lookup);
  for (const line of plan.info) log.info(line);
  for (const line of plan.notices) log.notice(line);
  return plan;
}

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
