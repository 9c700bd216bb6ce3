/**
 * Control endpoints under `/_sandbox/`, so that a sandbox started in another process (the CLI)
 * can be scripted and inspected over HTTP. They bypass auth, limits, faults and the record.
 */

import type { Fault } from './faults.ts';
import { parseFaults } from './faults.ts';
import { errorBody } from './http-errors.ts';
import type { DeliveredNotification, DeliveredPrivateMessage, RecordedRequest } from './record.ts';
import type { Room } from './defaults.ts';
import type { HistoryItem, HistorySeed } from './history.ts';
import { roomPage } from './room-page.ts';

/** What the control endpoints drive. */
export interface ControlTarget {
  info(): unknown;
  script(faults: Fault[]): void;
  pendingFaults(): Fault[];
  clearFaults(): void;
  readonly requests: readonly RecordedRequest[];
  notifications(room?: string | number): DeliveredNotification[];
  privateMessages(user?: string | number): DeliveredPrivateMessage[];
  history(room?: string | number): HistoryItem[];
  addHistory(room: string | number, seed: HistorySeed): HistoryItem;
  readonly rooms: readonly Room[];
  reset(): void;
  waitForRequests(count: number, timeoutMs: number): Promise<RecordedRequest[]>;
}

/** A control answer: a status and a JSON body (none for 204). */
export interface ControlAnswer {
  status: number;
  body?: unknown;
  /** A page instead of JSON. */
  html?: string;
}

/** The control routes, for the help text and the 404 answer. */
export const CONTROL_ROUTES = [
  'GET    /_sandbox                     rooms, users, tokens, OAuth clients, limits',
  'POST   /_sandbox/faults              queue faults (JSON object or array)',
  'GET    /_sandbox/faults              faults still queued',
  'DELETE /_sandbox/faults              drop queued faults',
  'GET    /_sandbox/requests            recorded requests (?wait=N&timeout=MS waits for N)',
  'GET    /_sandbox/notifications       delivered notifications (?room=ID_OR_NAME)',
  'GET    /_sandbox/messages            delivered private messages (?user=ID_EMAIL_OR_@NAME)',
  "GET    /_sandbox/history             rooms' history, oldest first (?room=ID_OR_NAME)",
  'POST   /_sandbox/history             put a message into a room ({room, type, from, message, date?})',
  'GET    /_sandbox/room?room=ID_OR_NAME  the room as a page, follow-ups under what they answer',
  'POST   /_sandbox/reset               clear record, faults and rate-limit windows',
] as const;

/** Handles one control call. */
export async function handleControl(
  method: string,
  path: string,
  query: URLSearchParams,
  rawBody: string,
  target: ControlTarget,
): Promise<ControlAnswer> {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /_sandbox':
      return { status: 200, body: target.info() };
    case 'POST /_sandbox/faults': {
      let faults: Fault[];
      try {
        faults = parseFaults(JSON.parse(rawBody));
      } catch (error) {
        return { status: 400, body: errorBody(400, (error as Error).message) };
      }
      target.script(faults);
      return { status: 200, body: { queued: faults.length, pending: target.pendingFaults() } };
    }
    case 'GET /_sandbox/faults':
      return { status: 200, body: target.pendingFaults() };
    case 'DELETE /_sandbox/faults':
      target.clearFaults();
      return { status: 204 };
    case 'GET /_sandbox/requests': {
      const wait = query.get('wait');
      if (wait === null) return { status: 200, body: target.requests };
      const timeout = Number(query.get('timeout') ?? 10_000);
      try {
        return { status: 200, body: await target.waitForRequests(Number(wait), timeout) };
      } catch (error) {
        return { status: 408, body: errorBody(408, (error as Error).message) };
      }
    }
    case 'GET /_sandbox/notifications':
      return { status: 200, body: target.notifications(query.get('room') ?? undefined) };
    case 'GET /_sandbox/messages':
      return { status: 200, body: target.privateMessages(query.get('user') ?? undefined) };
    case 'GET /_sandbox/history':
      return { status: 200, body: target.history(query.get('room') ?? undefined) };
    case 'POST /_sandbox/history':
      return seedHistory(rawBody, target);
    case 'GET /_sandbox/room': {
      const ref = query.get('room') ?? '';
      const room = target.rooms.find((r) => String(r.id) === ref || r.name === ref);
      if (room === undefined) return { status: 404, body: errorBody(404, `Room ${ref} not found`) };
      return { status: 200, html: roomPage(room, target.history(room.id)) };
    }
    case 'POST /_sandbox/reset':
      target.reset();
      return { status: 204 };
    default:
      return {
        status: 404,
        body: errorBody(404, `Unknown control call ${route}. Known: ${CONTROL_ROUTES.join('; ')}`),
      };
  }
}

/** `POST /_sandbox/history`: one message (or an array) put into a room, checked like input. */
function seedHistory(rawBody: string, target: ControlTarget): ControlAnswer {
  try {
    const parsed = JSON.parse(rawBody) as unknown;
    const seeds = Array.isArray(parsed) ? parsed : [parsed];
    const added = seeds.map((seed) => {
      const s = seed as Partial<HistorySeed> & { room?: unknown };
      if (typeof s.message !== 'string' || s.message.length === 0) {
        throw new Error('message: required, a non-empty string');
      }
      if (typeof s.room !== 'string' && typeof s.room !== 'number') {
        throw new Error('room: required, a room id or name');
      }
      if (s.type !== undefined && s.type !== 'message' && s.type !== 'notification') {
        throw new Error(`type: must be message or notification, got ${JSON.stringify(s.type)}`);
      }
      return target.addHistory(s.room, s as HistorySeed);
    });
    return { status: 200, body: Array.isArray(parsed) ? added : added[0] };
  } catch (error) {
    return { status: 400, body: errorBody(400, (error as Error).message) };
  }
}
