/**
 * `lookup-id`: after the rooms are posted, one request per delivered room reads the room's
 * latest history and finds this run's notification in it (match.ts), for the `message-id`
 * output and each room's `message_id`. Loaded only when `lookup-id` is on.
 *
 * The request goes through the run's pacing (the token's window the posts used, and
 * `max-wait`), like every call of the run. It is one request, never retried: the notification
 * is delivered already, and a lookup that cannot be made or read is no id and one notice —
 * never a failed step. A token that may not read history is one warning naming the scope.
 */
import { BudgetExceeded } from '../delivery/budget.js';
import type { Budget, Waiting } from '../delivery/budget.js';
import type { Key, Limiter } from '../delivery/limiter.js';
import { mapBounded } from '../delivery/map-bounded.js';
import { admit, holdFor } from '../delivery/post.js';
import { decide } from '../delivery/retry-policy.js';
import type { Clock, Log, RoomResult } from '../delivery/types.js';
import type { SendOptions } from '../hipchat/client.js';
import { hipchatMessage, quotable } from '../hipchat/answer-body.js';
import { TransportError } from '../hipchat/transport-error.js';
import type { HipChatResponse } from '../hipchat/types.js';
import { readRateInfo } from '../http/rate-headers.js';
import { findOurs } from './match.js';
import type { MatchResult, Ours } from './match.js';

/** Messages asked for: ours was posted moments ago, so it is among the latest few. */
export const HISTORY_RESULTS = 25;

/** The most of a history answer read: 25 messages of up to 10,000 characters fit. */
export const MAX_HISTORY_BYTES = 1024 * 1024;

/** Rooms looked up at once. */
const CONCURRENCY = 4;

/** A history request counts against the token's window only: it posts into no room. */
const KEYS: readonly Key[] = ['token'];
const NO_ROOM: Key = 'room:';

/** The client call this module makes (HipChatClient). */
export interface HistoryClient {
  readonly server: string;
  history(
    token: string,
    room: string,
    maxResults: number,
    authTest?: boolean,
    options?: SendOptions,
  ): Promise<HipChatResponse>;
}

/** What the lookups share with the posts of the run. */
export interface LookupContext {
  client: HistoryClient;
  token: string;
  limiter: Limiter;
  budget: Budget;
  clock: Clock;
  log: Log & { notice(message: string): void };
  /** When the step started, on the runner's clock: the window ours was posted in. */
  startMs: number;
}

/** The scope advice, said once however many rooms refuse. */
const SCOPE_ADVICE =
  'needs the view_messages scope, which a room notification token never has: use a personal access token, a user token or an add-on token with view_messages (and send_notification) to get `message-id`.';

/**
 * Looks up the id of `ours` in every room it was delivered to; sets `message_id` on those
 * results and returns the results unchanged otherwise. Never throws for a failure.
 */
export async function lookUpIds(
  ctx: LookupContext,
  results: RoomResult[],
  ours: Ours,
): Promise<void> {
  const delivered = results.filter((r) => r.ok && !r.dry_run);
  let refused = false;
  await mapBounded(delivered, CONCURRENCY, async (result) => {
    const found = await lookUp(ctx, result.room, ours);
    if ('id' in found) {
      result.message_id = found.id;
      ctx.log.info(
        `Room '${result.room}': message id ${found.id} (read back from the room's history).`,
      );
    } else if ('refused' in found) {
      if (!refused)
        ctx.log.warning(
          `\`lookup-id\`: ${found.refused} ${SCOPE_ADVICE} The notification was delivered; no id is given.`,
        );
      refused = true;
    } else {
      ctx.log.notice(
        `\`lookup-id\`: room '${result.room}': no message id: ${found.reason} The notification was delivered.`,
      );
    }
  });
}

/**
 * With `auth-test` in a dry run: whether the token may read each room's history (nothing is
 * read). A refusal is one warning; the rooms' notifications are not held back by it.
 */
export async function authTestHistory(ctx: LookupContext, rooms: readonly string[]): Promise<void> {
  let refused = false;
  await mapBounded(rooms, CONCURRENCY, async (room) => {
    const answer = await request(ctx, room, true);
    if ('refused' in answer) {
      if (!refused) ctx.log.warning(`\`lookup-id\`: ${answer.refused} ${SCOPE_ADVICE}`);
      refused = true;
    } else if ('reason' in answer) {
      ctx.log.notice(
        `\`lookup-id\`: room '${room}': the history auth test could not be made: ${answer.reason}`,
      );
    } else {
      ctx.log.info(`Room '${room}': history auth test passed (${answer.response.status}).`);
    }
  });
}

type Answer =
  { response: HipChatResponse; answeredMs: number } | { refused: string } | { reason: string };

async function lookUp(
  ctx: LookupContext,
  room: string,
  ours: Ours,
): Promise<MatchResult | { refused: string }> {
  const answer = await request(ctx, room, false);
  if (!('response' in answer)) return answer;
  return findOurs(answer.response, ours, { startMs: ctx.startMs, answeredMs: answer.answeredMs });
}

/** One paced request, no retry: its 2xx answer, a refusal (401/403), or why there is none. */
async function request(ctx: LookupContext, room: string, authTest: boolean): Promise<Answer> {
  const { client, limiter, clock } = ctx;
  const subject = `the history lookup of room '${room}'`;
  const waiting: Waiting = {};
  let response: HipChatResponse;
  try {
    const budgetMs = await admit(ctx, KEYS, subject, false, waiting);
    try {
      response = await client.history(ctx.token, room, HISTORY_RESULTS, authTest, {
        budgetMs,
        maxBodyBytes: MAX_HISTORY_BYTES,
      });
    } catch (error) {
      limiter.release(KEYS, NO_ROOM, undefined);
      throw error;
    }
    limiter.release(KEYS, NO_ROOM, readRateInfo(response.headers, clock.now()));
  } catch (error) {
    if (error instanceof BudgetExceeded || error instanceof TransportError) {
      return { reason: error.message.replace(/\.?$/, '.') };
    }
    throw error;
  }
  return judge(ctx, room, response);
}

/** What the answer means for the lookup; a 429 also holds the token's window for the others. */
function judge(ctx: LookupContext, room: string, response: HipChatResponse): Answer {
  const { status } = response;
  const said = hipchatMessage(response.body);
  const quoted = said === undefined ? '' : `, HipChat: ${JSON.stringify(quotable(said, 200))}`;
  if (status === 401 || status === 403) {
    return {
      refused: `the token may not read the history of room '${room}' (${status}${quoted}): it`,
    };
  }
  if (status >= 200 && status < 300) return { response, answeredMs: ctx.clock.now() };
  if (status === 429) {
    const { headers, body, truncated } = response;
    const result = { kind: 'response' as const, status, headers, body, truncated };
    const decision = decide(result, 1, 0, ctx.clock.now(), ctx.clock.random);
    if (decision.action === 'retry') holdFor(ctx.limiter, decision, NO_ROOM);
    return { reason: `HipChat answered 429 (rate limited${quoted}); the lookup is not repeated.` };
  }
  return { reason: `HipChat answered ${status}${quoted}.` };
}
