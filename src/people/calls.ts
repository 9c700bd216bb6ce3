/**
 * The HipChat calls about people — a user lookup and a private message — through the run's
 * pacing (the token's window shared with the room posts), the one retry loop and `max-wait`,
 * like every call. Neither ever throws for a failure: a lookup that fails names nobody, a
 * private message that fails is its own result.
 */
import { BudgetExceeded } from '../delivery/budget.js';
import type { Budget, Waiting } from '../delivery/budget.js';
import type { Key, Limiter } from '../delivery/limiter.js';
import { admit, holdFor } from '../delivery/post.js';
import { afterAttempts, retryLoop } from '../delivery/retry-loop.js';
import type { LoopEnd } from '../delivery/retry-loop.js';
import type { Clock, PrivateMessageResult } from '../delivery/types.js';
import { LIMIT_WORDS, MAYBE_POSTED } from '../delivery/words.js';
import type { SendOptions } from '../hipchat/client.js';
import { hipchatMessage } from '../hipchat/answer.js';
import type { HipChatResponse, PrivateMessageBody } from '../hipchat/types.js';
import { readRateInfo } from '../http/rate-headers.js';
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

/** What the calls share with the room posts. */
export interface CallContext {
  client: PeopleClient;
  token: string;
  limiter: Limiter;
  budget: Budget;
  clock: Clock;
}

/** A user call counts against the token's window only: it posts into no room. */
const KEYS: readonly Key[] = ['token'];
const NO_ROOM: Key = 'room:';

/**
 * Looks `ref` (an email) up in HipChat's directory. 404 is nobody; any other failure (scope,
 * server, transport, `max-wait`) is `failed` with the reason, `refused` when the token may not.
 */
export async function lookupUser(ctx: CallContext, ref: string): Promise<LookupAnswer> {
  const subject = `the user lookup of ${ref}`;
  let end: Ended;
  try {
    end = await call(ctx, subject, false, (budgetMs) =>
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
    const end = await call(ctx, subject, true, (budgetMs) =>
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

type Ended = {
  action: 'done' | 'fail';
  response?: HipChatResponse;
  attempts: number;
  ambiguous: boolean;
  end: LoopEnd<HipChatResponse>;
};

/** One call with its retries, paced on the token's window, inside `max-wait`. */
async function call(
  ctx: CallContext,
  subject: string,
  countAmbiguous: boolean,
  send: (budgetMs: number) => Promise<HipChatResponse>,
): Promise<Ended> {
  const { limiter, budget, clock } = ctx;
  const waiting: Waiting = {};
  let attempts = 0;
  let ambiguous = false;
  const end = await retryLoop(clock, {
    admit: async () => {
      const budgetMs = await admit(ctx, KEYS, subject, attempts > 0, waiting);
      attempts++;
      return budgetMs;
    },
    send: async (budgetMs) => {
      try {
        const response = await send(budgetMs);
        limiter.release(KEYS, NO_ROOM, readRateInfo(response.headers, clock.now()));
        return response;
      } catch (error) {
        limiter.release(KEYS, NO_ROOM, undefined);
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

/** Why a call failed, in one line: HipChat's words (quoted and escaped) or the transport's. */
function whyFailed(ended: Ended): string {
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
