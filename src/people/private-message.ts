/**
 * `private-message`: after the rooms, the message to the person the plan names (or why none
 * went). Pure apart from the calls it is given; logs through the `log` it is given.
 */
import type { PrivateMessageResult } from '../delivery/types.js';
import type { MessageFormat } from '../hipchat/types.js';
import { sendPrivateMessage } from './calls.js';
import type { CallContext } from './calls.js';
import type { MentionPlan } from './mention.js';

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
  log: { info(message: string): void },
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
