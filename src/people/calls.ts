/**
 * The HipChat calls about people — a user lookup and a private message — through the run's
 * pacing (the token's window shared with the room posts), the one retry loop and `max-wait`,
 * like every call. Neither ever throws for a failure: a lookup that fails names nobody, a
 * private message that fails is its own result.
 */
import { BudgetExceeded } from '../delivery/budget.js';
import { afterAttempts } from '../delivery/retry-loop.js';
import { pacedCall } from '../delivery/session.js';
import type { Paced, PacedEnd } from '../delivery/session.js';
import type { PrivateMessageResult } from '../delivery/types.js';
import { MAYBE_POSTED } from '../delivery/log-words.js';
import type { SendOptions } from '../hipchat/client.js';
import { hipchatMessage } from '../hipchat/answer-body.js';
import type { HipChatResponse, PrivateMessageBody } from '../hipchat/types.js';
import type { LookupAnswer } from './resolve.js';
import { readDirectoryUser } from './resolve.js';

/** The client calls this module makes (HipChatClient). */
export interface PeopleClient {
  readonly server: string;
  user(token: string, user: string, options?: SendOptions): Promise<HipChatResponse>;
  privateMessage(
    token: string,
    user: string,
    body: PrivateMessageBody,
    authTest?: boolean,
    options?: SendOptions,
  ): Promise<HipChatResponse>;
}

/**
 * What the calls share with the room posts: the session's client, token, window and clock
 * (delivery/session.ts), and a budget (the session's, or a share of it for lookups).
 */
export interface CallContext extends Paced {
  client: PeopleClient;
  token: string;
}

/**
 * Looks `ref` (an email) up in HipChat's directory. 404 is nobody; any other failure (scope,
 * server, transport, `max-wait`) is `failed` with the reason, `refused` when the token may not.
 */
export async function lookupUser(ctx: CallContext, ref: string): Promise<LookupAnswer> {
  const subject = `the user lookup of ${ref}`;
  let end: PacedEnd;
  try {
    end = await pacedCall(ctx, subject, false, (budgetMs) =>
      ctx.client.user(ctx.token, ref, { budgetMs }),
    );
  } catch (error) {
    if (error instanceof BudgetExceeded)
      return { found: false, failed: true, reason: error.message };
    throw error;
  }
  const { response } = end;
  if (end.action === 'done' && response) {
    const user = readDirectoryUser(parseJson(response.body));
    if (user) return { found: true, user };
    return {
      found: false,
      failed: true,
      reason: `the answer (${response.status}) is not a HipChat user.`,
    };
  }
  if (response?.status === 404) return { found: false };
  const refused = response?.status === 401 || response?.status === 403;
  return {
    found: false,
    failed: true,
    refused,
    reason: refused ? scopeAdvice('look users up', 'view_group', response) : whyFailed(end),
  };
}

/**
 * Sends (or with `authTest`, checks) the private message to `to` (an id or `@mention_name`).
 * Returns its result for `results`; never throws for a failure.
 */
export async function sendPrivateMessage(
  ctx: CallContext,
  to: string,
  body: PrivateMessageBody,
  authTest: boolean,
): Promise<PrivateMessageResult> {
  const result: PrivateMessageResult = {
    kind: 'private_message',
    user: to,
    ok: false,
    status: null,
    attempts: 0,
  };
  const subject = `the private message to ${to}`;
  try {
    const end = await pacedCall(ctx, subject, true, (budgetMs) =>
      ctx.client.privateMessage(ctx.token, to, body, authTest, { budgetMs }),
    );
    result.attempts = end.attempts;
    result.status = end.response?.status ?? null;
    if (end.ambiguous) result.possibly_duplicated = true;
    if (end.action === 'done') result.ok = true;
    else {
      const refused = end.response?.status === 401 || end.response?.status === 403;
      const what = authTest ? 'Private message auth test' : 'Private message';
      result.error = refused
        ? `${what} to ${to} refused: ${scopeAdvice('send private messages', 'send_message', end.response)}`
        : `${what} to ${to} failed: ${whyFailed(end)}${end.ambiguous ? MAYBE_POSTED : ''}`;
    }
  } catch (error) {
    if (!(error instanceof BudgetExceeded)) throw error;
    result.error = error.message;
  }
  if (!result.possibly_duplicated) delete result.possibly_duplicated;
  return result;
}

/** Why a call failed, in one line: HipChat's words (quoted and escaped) or the transport's. */
function whyFailed(ended: PacedEnd): string {
  const { end } = ended;
  if (end.action === 'fail' && end.response === undefined && end.result.kind === 'transport') {
    return `${end.result.error.message}${afterAttempts(end.attempts)}`;
  }
  return `HTTP ${ended.response?.status ?? '?'}${quoted(ended.response)}${afterAttempts(ended.attempts)}.`;
}

/** The advice for a token that may not make a call: which scope, and which token kinds have it. */
function scopeAdvice(what: string, scope: string, response: HipChatResponse | undefined): string {
  return (
    `the token may not ${what} (${response?.status ?? '?'}${quoted(response)}): it needs the ` +
    `${scope} scope, which a room notification token never has. Use a personal access token, a ` +
    `user token or an add-on token with ${scope} (and send_notification for the rooms).`
  );
}

/** HipChat's error message as `, HipChat: "…"`, JSON-quoted so no server text can shape a log line. */
function quoted(response: HipChatResponse | undefined): string {
  const said = response === undefined ? undefined : hipchatMessage(response.body);
  return said === undefined ? '' : `, HipChat: ${JSON.stringify(said.slice(0, 200))}`;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
