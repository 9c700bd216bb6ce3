/**
 * Control endpoints under `/_sandbox/`, so that a sandbox started in another process (the CLI)
 * can be scripted and inspected over HTTP. They bypass auth, limits, faults and the record.
 */

import type { Fault } from './faults.ts';
import { parseFaults } from './faults.ts';
import { errorBody } from './http-errors.ts';
import type { DeliveredNotification, DeliveredPrivateMessage, RecordedRequest } from './record.ts';

/** What the control endpoints drive. */
export interface ControlTarget {
  info(): unknown;
  script(faults: Fault[]): void;
  pendingFaults(): Fault[];
  clearFaults(): void;
  readonly requests: readonly RecordedRequest[];
  notifications(room?: string | number): DeliveredNotification[];
  privateMessages(user?: string | number): DeliveredPrivateMessage[];
  reset(): void;
  waitForRequests(count: number, timeoutMs: number): Promise<RecordedRequest[]>;
}

/** A control answer: a status and a JSON body (none for 204). */
export interface ControlAnswer {
  status: number;
  body?: unknown;
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
