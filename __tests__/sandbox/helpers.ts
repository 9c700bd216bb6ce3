/** Small HTTP helpers for the sandbox tests: real requests over 127.0.0.1 with `fetch`. */

import type { Sandbox } from '../../sandbox/server.ts';
import { PERSONAL_TOKEN } from '../../sandbox/server.ts';

/** Options of {@link notify}. */
export interface NotifyOptions {
  token?: string | null;
  query?: string;
  headers?: Record<string, string>;
  /** Raw body instead of JSON. */
  raw?: string;
  signal?: AbortSignal;
}

/** POSTs a notification to `room` (a path segment, used as is: encode it yourself). */
export function notify(
  sandbox: Sandbox,
  room: string,
  body: unknown = { message: 'hello' },
  options: NotifyOptions = {},
): Promise<Response> {
  const token = options.token === undefined ? PERSONAL_TOKEN : options.token;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    ...options.headers,
  };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const query = options.query === undefined ? '' : `?${options.query}`;
  return fetch(`${sandbox.url}/v2/room/${room}/notification${query}`, {
    method: 'POST',
    headers,
    body: options.raw ?? JSON.stringify(body),
    signal: options.signal,
  });
}

/** The `error.message` of a HipChat error body. */
export async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json()) as {
    error: { code: number; message: string; type: string };
  };
  if (body.error.code !== response.status)
    throw new Error(`error.code ${body.error.code} ≠ ${response.status}`);
  return body.error.message;
}

/** The code of the network error behind a failed `fetch` (ECONNRESET, UND_ERR_SOCKET…). */
export async function networkError(promise: Promise<Response>): Promise<string> {
  try {
    const response = await promise;
    throw new Error(`expected a network error, got HTTP ${response.status}`);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; name?: string } }).cause;
    if (cause === undefined) throw error;
    return cause.code ?? cause.name ?? 'unknown';
  }
}

/** Rate-limit headers as numbers. */
export function limits(response: Response): Record<string, number | null> {
  const n = (name: string): number | null => {
    const value = response.headers.get(name);
    return value === null ? null : Number(value);
  };
  return {
    limit: n('x-ratelimit-limit'),
    remaining: n('x-ratelimit-remaining'),
    reset: n('x-ratelimit-reset'),
    floodLimit: n('x-floodcontrol-limit'),
    floodRemaining: n('x-floodcontrol-remaining'),
    floodReset: n('x-floodcontrol-reset'),
  };
}

/** A clock the test moves by hand. */
export function manualClock(start: number): { t: number; now(): number } {
  return {
    t: start,
    now() {
      return this.t;
    },
  };
}
