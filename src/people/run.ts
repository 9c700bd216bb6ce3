/**
 * `mention: author` and `private-message` across a run: the token (minted first, with the
 * scopes they need, when add-on credentials are given and someone is to be looked up), the
 * lookups before the message, the private message after the rooms. The client and the logs are
 * given, so this module does no I/O of its own.
 */
import { Budget } from '../delivery/budget.js';
import type { Pacing } from '../delivery/index.js';
import { mintToken } from '../delivery/mint.js';
import type {
  AddonCredentials,
  Clock,
  Log,
  Poster,
  PrivateMessageResult,
} from '../delivery/types.js';
import type { Inputs } from '../inputs/inputs.js';
import type { CallContext, PeopleClient } from './calls.js';
import { wantsAuthor } from './mention.js';
import type { MentionPlan, MentionSettings, RunFacts } from './mention.js';
import { messagePerson, peopleScopes, planPeople } from './step.js';
import type { PeopleLog } from './step.js';

/** The people side of one run; `plan` before the message is built, `message` after the rooms. */
export class People {
  readonly #inputs: Inputs;
  readonly #settings: MentionSettings;
  readonly #connect: (() => PeopleClient & Poster) | undefined;
  readonly #shared: Pacing;
  readonly #clock: Clock;
  readonly #log: Log & PeopleLog;
  #plan: MentionPlan | undefined;
  #calls: CallContext | undefined;
  /** The token delivery posts with: a ready one, or add-on credentials it mints with. */
  token: string | AddonCredentials;

  /**
   * @param connect makes (once) the client; undefined when the run makes no request (a dry
   *   run without auth-test)
   * @param shared the run's pacing, shared with the room posts
   * @param mask masks a minted token before anything else sees it
   */
  constructor(
    inputs: Inputs,
    connect: (() => PeopleClient & Poster) | undefined,
    shared: Pacing,
    mask: (secret: string) => void,
    log: Log & PeopleLog,
    clock: Clock,
  ) {
    const { mention, privateMessage, format, users, auth } = inputs;
    this.#inputs = inputs;
    this.#settings = { mention, privateMessage, format, users };
    this.#connect = connect;
    this.#shared = shared;
    this.#log = log;
    this.#clock = clock;
    // Add-on credentials: delivery mints the token (masked at once), retried like a post; when
    // it cannot, every room fails with the reason, under `fail-on-error` like any failure.
    const scopes = ['send_notification', ...peopleScopes(this.#settings)];
    this.token =
      auth.kind === 'token' ? auth.token : { id: auth.id, secret: auth.secret, mask, scopes };
  }

  /** Who the message names. HipChat is asked only on a failure, when a request may be made. */
  async plan(facts: RunFacts, startMs: number): Promise<MentionPlan> {
    let calls: CallContext | string = 'a dry run without `auth-test` makes no request.';
    if (wantsAuthor(this.#settings, facts.outcome) && this.#connect !== undefined) {
      calls = await this.#callContext(this.#connect());
    }
    // Lookups may use half of `max-wait`: the room notification always keeps the other half.
    const half = Math.floor(this.#inputs.maxWaitMs / 2);
    const lookupBudget = new Budget(startMs, half, this.#clock, this.#log);
    this.#plan = await planPeople(this.#settings, facts, calls, lookupBudget, this.#log);
    return this.#plan;
  }

  /** Sends the private message the plan calls for (after the rooms); its result, if any. */
  async message(text: string): Promise<PrivateMessageResult | undefined> {
    if (this.#plan === undefined) return undefined;
    const { privateMessage, authTest, dryRun, format } = this.#inputs;
    const settings = { privateMessage, authTest, dryRun, format };
    return messagePerson(this.#plan, text, settings, this.#calls, this.#log);
  }

  /** The calls' context, minting the add-on token first; or why no call can be made. */
  async #callContext(client: PeopleClient & Poster): Promise<CallContext | string> {
    if (typeof this.token !== 'string') {
      const { budget } = this.#shared;
      const minted = await mintToken(client, this.token, budget, this.#clock, this.#log);
      // Delivery will try again and report the reason for every room.
      if (typeof minted !== 'string') return `no add-on token: ${minted.error}`;
      this.token = minted;
    }
    this.#calls = { client, token: this.token, ...this.#shared, clock: this.#clock };
    return this.#calls;
  }
}
