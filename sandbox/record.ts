/** The sandbox's record of what it received and what it delivered, for exactly-once assertions. */

import type { IncomingHttpHeaders } from 'node:http';
import type { Fault } from './faults.ts';
import type { NormalizedNotification } from './notification-schema.ts';
import type { NormalizedPrivateMessage } from './users.ts';
import type { HistoryItem } from './history.ts';

/** How the request presented its token. */
export type TokenSource = 'header' | 'query' | 'basic';

/** One API request as received (control calls under `/_sandbox/` are not recorded). */
export interface RecordedRequest {
  /** 1, 2, 3… in order of arrival; restarts at `reset()`. */
  seq: number;
  /** Arrival time in ms, from the sandbox clock. */
  time: number;
  method: string;
  /** The raw path, still percent-encoded (`/v2/room/Release%20Notes/notification`). */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** JSON or form body as parsed, undefined when absent or unparsable. */
  body: unknown;
  /** Bearer token (or `auth_token`, or OAuth client id for Basic auth), null if none. */
  token: string | null;
  tokenSource: TokenSource | null;
  /** True if `?auth_token=` was in the URL: the action must never do this. */
  authTokenInQuery: boolean;
  /** The room path segment, percent-decoded (`Release Notes`), null off room routes. */
  room: string | null;
  /** The id of the room it resolved to, null if none. */
  roomId: number | null;
  /** The user path segment (`/v2/user/{id_or_email}`), percent-decoded; null off user routes. */
  user: string | null;
  /** The id of the user it resolved to, null if none. */
  userId: number | null;
  authTest: boolean;
  /** Status answered; null while pending, and for resets and silent faults (no answer). */
  status: number | null;
  /** Headers answered (as sent, e.g. `X-FloodControl-Reset`); null while pending or unanswered. */
  responseHeaders: Record<string, string> | null;
  /** Whether the request took effect (notification delivered, token minted). */
  acted: boolean;
  /** The scripted fault applied, if any. */
  fault: Fault | null;
  /** The error message answered (or that would have been), if any. */
  error: string | null;
  /** Whether the sandbox has finished with it: answered, reset, or gone silent. */
  done: boolean;
  /** Whether the client closed the connection before the sandbox answered. */
  clientAborted: boolean;
}

/** A notification the sandbox delivered into a room. */
export interface DeliveredNotification extends NormalizedNotification {
  /** 1, 2, 3… in order of delivery. */
  seq: number;
  /** The {@link RecordedRequest.seq} that delivered it. */
  requestSeq: number;
  time: number;
  roomId: number;
  roomName: string;
  /** The JSON body as received. */
  body: Record<string, unknown>;
  token: string;
  /** The id the sandbox gave it in the room's history (a UUID, as HipChat's). */
  id: string;
  /**
   * The id of the message it is shown under: `attach_to` when that names a message of the same
   * room. Otherwise HipChat renders it unattached, and this is absent (`attachTo` keeps what
   * was asked).
   */
  attachedTo?: string;
}

/** A private message the sandbox delivered to a user (`POST /v2/user/{id_or_email}/message`). */
export interface DeliveredPrivateMessage extends NormalizedPrivateMessage {
  /** 1, 2, 3… in order of delivery. */
  seq: number;
  /** The {@link RecordedRequest.seq} that delivered it. */
  requestSeq: number;
  time: number;
  userId: number;
  email: string;
  mentionName: string;
  /** The JSON body as received. */
  body: Record<string, unknown>;
  token: string;
}

interface Waiter {
  count: number;
  resolve: (requests: RecordedRequest[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Keeps requests and deliveries in order and wakes up whoever waits for them. */
export class Recorder {
  readonly requests: RecordedRequest[] = [];
  readonly notifications: DeliveredNotification[] = [];
  readonly privateMessages: DeliveredPrivateMessage[] = [];
  /** Every room's history, oldest first: delivered notifications and seeded messages. */
  readonly history: HistoryItem[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #onDone: ((request: RecordedRequest) => void) | undefined;

  constructor(onDone?: (request: RecordedRequest) => void) {
    this.#onDone = onDone;
  }

  /** Records a request on arrival. */
  begin(
    fields: Omit<
      RecordedRequest,
      'seq' | 'status' | 'responseHeaders' | 'acted' | 'fault' | 'error' | 'done' | 'clientAborted'
    >,
  ): RecordedRequest {
    const request: RecordedRequest = {
      seq: this.requests.length + 1,
      ...fields,
      status: null,
      responseHeaders: null,
      acted: false,
      fault: null,
      error: null,
      done: false,
      clientAborted: false,
    };
    this.requests.push(request);
    return request;
  }

  /**
   * Records a delivered notification and puts it into its room's history, attached to the
   * message `attach_to` names when that message is in the same room.
   */
  deliver(fields: Omit<DeliveredNotification, 'seq' | 'attachedTo'>): DeliveredNotification {
    const parent =
      fields.attachTo === undefined
        ? undefined
        : this.history.find((item) => item.id === fields.attachTo && item.roomId === fields.roomId);
    const notification: DeliveredNotification = {
      seq: this.notifications.length + 1,
      ...fields,
      ...(parent ? { attachedTo: parent.id } : {}),
    };
    this.notifications.push(notification);
    this.history.push({
      id: fields.id,
      roomId: fields.roomId,
      time: fields.time,
      type: 'notification',
      // HipChat shows a notification without a label under the token's name; '' stands in.
      from: fields.from ?? '',
      message: fields.message,
      messageFormat: fields.messageFormat,
      color: fields.color,
      ...(fields.card ? { card: fields.card } : {}),
      ...(parent ? { attachedTo: parent.id } : {}),
    });
    return notification;
  }

  /** Records a delivered private message. */
  deliverPrivate(fields: Omit<DeliveredPrivateMessage, 'seq'>): DeliveredPrivateMessage {
    const message = { seq: this.privateMessages.length + 1, ...fields };
    this.privateMessages.push(message);
    return message;
  }

  /** Marks a request finished with `status` (null: no answer) and wakes waiters. */
  finish(request: RecordedRequest, status: number | null): void {
    if (request.done) return;
    request.status = status;
    request.done = true;
    // A request from before a reset() is no longer in the record: nobody waits for it.
    if (!this.requests.includes(request)) return;
    this.#onDone?.(request);
    const finished = this.#finished();
    for (const waiter of this.#waiters) {
      if (finished.length >= waiter.count) {
        this.#waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(finished);
      }
    }
  }

  /** Resolves with the finished requests once at least `count` are finished. */
  waitFor(count: number, timeoutMs: number): Promise<RecordedRequest[]> {
    const finished = this.#finished();
    if (finished.length >= count) return Promise.resolve(finished);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(
            new Error(
              `sandbox: waited ${timeoutMs} ms for ${count} request(s), ` +
                `${this.#finished().length} finished`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  /** Forgets every request and delivery. */
  clear(): void {
    this.requests.length = 0;
    this.notifications.length = 0;
    this.privateMessages.length = 0;
    this.history.length = 0;
  }

  /** Fails every pending wait (the sandbox is closing). */
  close(): void {
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('sandbox closed while waiting for requests'));
    }
    this.#waiters.clear();
  }

  #finished(): RecordedRequest[] {
    return this.requests.filter((request) => request.done);
  }
}
