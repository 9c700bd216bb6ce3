/**
 * The people step of a run: before the message, find who it names (lookups through the run's
 * pacing, within half of `max-wait`, cached); after the rooms, the private message. Pure apart
 * from the calls it is given; logs through the `Log` it is given.
 */
import type { Budget } from '../delivery/budget.js';
import type { PrivateMessageResult } from '../delivery/types.js';
import type { MessageFormat } from '../hipchat/types.js';
import { lookupUser, sendPrivateMessage } from './calls.js';
import type { CallContext } from './calls.js';
import { planMention } from './mention.js';
import type { MentionPlan, MentionSettings, RunFacts } from './mention.js';
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
export async function planPeople(
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

/** What the private message needs of the run. */
export interface MessageSettings {
  privateMessage: boolean;
  authTest: boolean;
  dryRun: boolean;
  format: MessageFormat;
}

/**
 * Sends the private message the plan calls for, after the rooms, and returns its result; none
 * when no message is due. When the directory refused the token, the message could not be
 * addressed: that is its failure, with the scope advice.
 */
export async function messagePerson(
  plan: MentionPlan,
  message: string,
  settings: MessageSettings,
  calls: CallContext | undefined,
  log: PeopleLog,
): Promise<PrivateMessageResult | undefined> {
  if (!settings.privateMessage) return undefined;
  const to = plan.messageTo;
  if (to === '') {
    const refused = plan.resolution?.refused;
    if (refused === undefined) return undefined;
    const error = `No private message sent: ${refused}`;
    return { kind: 'private_message', user: '', ok: false, status: null, attempts: 0, error };
  }
  const body = { message, message_format: settings.format, notify: true };
  if (calls === undefined) {
    log.info(`Dry run: a private message would go to ${to}.`);
    return {
      kind: 'private_message',
      user: to,
      ok: true,
      status: null,
      attempts: 0,
      dry_run: true,
    };
  }
  let tested = 0;
  if (settings.authTest) {
    const test = await sendPrivateMessage(calls, to, body, true);
    if (!test.ok) return test;
    log.info(`Private message to ${to}: auth test passed (${test.status}).`);
    if (settings.dryRun) return { ...test, dry_run: true };
    tested = test.attempts;
  }
  const sent = await sendPrivateMessage(calls, to, body, false);
  sent.attempts += tested;
  if (sent.ok) log.info(`Private message to ${to}: delivered (${sent.status}).`);
  return sent;
}
