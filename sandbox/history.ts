/**
 * A room's history, as `GET /v2/room/{id_or_name}/history/latest` (scope `view_messages`)
 * answers it: the notifications the sandbox delivered and the messages a test put in the room
 * (people's messages, other integrations' notifications), newest last. Private messages are
 * never in a room's history. Pure: the store is a list the server keeps.
 */

import { randomUUID } from 'node:crypto';
import type { Room } from './defaults.ts';
import type { User } from './users.ts';

/** The scope reading a room's history needs. */
export const VIEW_MESSAGES = 'view_messages';

/** HipChat's default and largest `max-results` for the history calls. */
export const DEFAULT_MAX_RESULTS = 75;
export const MAX_MAX_RESULTS = 1000;

/** One message of a room's history. */
export interface HistoryItem {
  /** A UUID, as HipChat's message ids are. */
  id: string;
  roomId: number;
  /** Epoch ms, from the sandbox clock. */
  time: number;
  /** `notification` (an integration's, the action's), `message` (a person's). */
  type: 'notification' | 'message';
  /** A notification's `from` label; a person's message names the user. */
  from: string | User;
  message: string;
  messageFormat: 'html' | 'text';
  color?: string;
  card?: Record<string, unknown>;
  /** The id of the message it is attached to, when `attach_to` named one in the same room. */
  attachedTo?: string;
}

/** A message a test puts into a room (`sandbox.addHistory`, `POST /_sandbox/history`). */
export interface HistorySeed {
  type?: 'notification' | 'message';
  /** A notification's label, or a person's user id, email or `@mention`. */
  from?: string;
  message: string;
  messageFormat?: 'html' | 'text';
  color?: string;
  /** When it was posted (epoch ms or ISO text); default now. */
  date?: number | string;
  card?: Record<string, unknown>;
  attachTo?: string;
}

/** A new id, as HipChat's: a UUID (36 characters). */
export function newMessageId(): string {
  return randomUUID();
}

/** The query of a history call, or the 400 HipChat answers for it. */
export type HistoryQuery = { maxResults: number; notBefore?: string } | { problem: string };

/** Reads `max-results` (1–1000, default 75) and `not-before` (a message id). */
export function readHistoryQuery(query: URLSearchParams): HistoryQuery {
  const raw = query.get('max-results');
  let maxResults = DEFAULT_MAX_RESULTS;
  if (raw !== null) {
    maxResults = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(maxResults >= 1 && maxResults <= MAX_MAX_RESULTS)) {
      return {
        problem: `max-results: must be an integer from 1 to ${MAX_MAX_RESULTS}, got ${JSON.stringify(raw.slice(0, 40))}`,
      };
    }
  }
  const notBefore = query.get('not-before') ?? undefined;
  return notBefore === undefined ? { maxResults } : { maxResults, notBefore };
}

/**
 * The latest `maxResults` messages of `room`, oldest first; with `notBefore`, none older than
 * that message. Undefined when `notBefore` names no message of the room.
 */
export function latest(
  items: readonly HistoryItem[],
  room: Room,
  maxResults: number,
  notBefore?: string,
): HistoryItem[] | undefined {
  let own = items.filter((item) => item.roomId === room.id);
  if (notBefore !== undefined) {
    const from = own.findIndex((item) => item.id === notBefore);
    if (from < 0) return undefined;
    own = own.slice(from);
  }
  return own.slice(-maxResults);
}

/** An item in HipChat's shape: `from` a string for notifications, a user object for people. */
export function historyJson(item: HistoryItem, baseUrl: string): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: item.id,
    date: isoMicro(item.time),
    type: item.type,
    from:
      typeof item.from === 'string'
        ? item.from
        : {
            id: item.from.id,
            name: item.from.name,
            mention_name: item.from.mention_name,
            links: { self: `${baseUrl}/v2/user/${item.from.id}` },
          },
    message: item.message,
    message_format: item.messageFormat,
    mentions: [],
  };
  if (item.color !== undefined) json.color = item.color;
  // Client libraries model `card` loosely; the sandbox gives it back as it was sent.
  if (item.card !== undefined) json.card = item.card;
  return json;
}

/** HipChat's dates: ISO 8601 with microseconds and an offset (`…T12:00:00.123000+00:00`). */
function isoMicro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** The time of a seed: epoch ms, or ISO text; undefined when it is neither. */
export function seedTime(date: number | string | undefined, now: number): number | undefined {
  if (date === undefined) return now;
  const ms = typeof date === 'number' ? date : Date.parse(date);
  return Number.isFinite(ms) ? ms : undefined;
}
