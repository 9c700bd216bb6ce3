/**
 * The shapes delivery works with: what it is given (a plan, a poster, a clock, a log) and what
 * it returns (one `RoomResult` per room). Types only, so any module may import them.
 */
import type { SendOptions } from '../hipchat/client.js';
import type { HipChatResponse, NotificationBody, TokenAnswer } from '../hipchat/types.js';

/** Time, waiting and chance, injected so tests neither sleep nor guess. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

/** Where delivery writes its progress (a subset of @actions/core). */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

/** The calls delivery needs from the HipChat client (HipChatClient). */
export interface Poster {
  readonly server: string;
  notify(
    token: string,
    room: string,
    body: NotificationBody,
    authTest?: boolean,
    options?: SendOptions,
  ): Promise<HipChatResponse>;
  addonToken(
    id: string,
    secret: string,
    options?: SendOptions,
    scopes?: readonly string[],
  ): Promise<TokenAnswer>;
}

/** Add-on OAuth credentials: delivery mints a short-lived token with them before posting. */
export interface AddonCredentials {
  id: string;
  secret: string;
  /** Called with the minted token before it is used or logged anywhere: mask it. */
  mask(token: string): void;
  /** Scopes to ask for (default send_notification): more when the run looks users up. */
  scopes?: readonly string[];
}

/** What every entry of the `results` output records of one delivery; field names are public. */
interface DeliveryRecord {
  ok: boolean;
  /** The last HTTP status, or null when no answer came (or nothing was sent in a dry run). */
  status: number | null;
  /** Requests made for this delivery, auth test included. */
  attempts: number;
  error?: string;
  /** True when HipChat may have posted although the result is a failure, or posted twice. */
  possibly_duplicated?: boolean;
  /** True when nothing was posted because `dry-run` is set. */
  dry_run?: boolean;
}

/**
 * The outcome for one room: exactly the record of the `results` output. So `status` here is
 * the HTTP status of the last answer, not a job's status.
 */
export interface RoomResult extends DeliveryRecord {
  room: string;
  /** With `lookup-id`: the notification's id in the room, when it was read back for sure. */
  message_id?: string;
}

/**
 * The outcome of a private message (`private-message: true`), beside the rooms' results in the
 * `results` output. Room entries have no `kind`; this one says what it is, and `user` is the
 * HipChat id or `@mention_name` it went to.
 */
export interface PrivateMessageResult extends DeliveryRecord {
  kind: 'private_message';
  user: string;
}

/** One entry of the `results` output. */
export type DeliveryResult = RoomResult | PrivateMessageResult;

/** What to deliver; the token, pacing and `max-wait` are the session's (session.ts). */
export interface DeliveryPlan {
  rooms: string[];
  body: NotificationBody;
  authTest: boolean;
  dryRun: boolean;
  /** Rooms posted at once; they share the token's limit. */
  concurrency?: number;
}
