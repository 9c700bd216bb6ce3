/** The answer of a scripted `status` fault. */

import type { StatusFault } from './faults.ts';
import { expandHeaderValue } from './faults.ts';
import { errorBody, proxyErrorPage, RATE_LIMIT_MESSAGE, reasonPhrase } from './http-errors.ts';
import type { Answer } from './wire.ts';
import { setHeader } from './wire.ts';

/**
 * Builds the answer of a status fault. `rateHeaders` are the HipChat headers the request would
 * carry (from the normal outcome if the fault acted, else peeked). Returns the error message
 * answered too, for the record.
 */
export function statusFaultAnswer(
  fault: StatusFault,
  rateHeaders: Record<string, string>,
  nowMs: number,
): { answer: Answer; error: string | null } {
  const { status } = fault;
  const html = fault.html === true;
  // A proxy's page carries no HipChat headers; HipChat's own answers always do.
  const headers: Record<string, string> = html ? {} : { ...rateHeaders };
  if (status === 429 && !html) {
    // A scripted 429 stands for an exhausted window that refills within a second unless the
    // fault says otherwise: a client that honours the reset must not wait minutes for it.
    headers['X-Ratelimit-Remaining'] = '0';
    headers['X-Ratelimit-Reset'] = String(Math.ceil(nowMs / 1000) + 1);
  }
  let body = '';
  let error: string | null = null;
  if (fault.body !== undefined) {
    const isText = typeof fault.body === 'string';
    body = isText ? (fault.body as string) : JSON.stringify(fault.body);
    headers['Content-Type'] = isText
      ? 'text/plain; charset=utf-8'
      : 'application/json; charset=utf-8';
  } else if (html) {
    body = proxyErrorPage(status);
    headers['Content-Type'] = 'text/html';
    headers.Server = 'nginx';
  } else if (status >= 300) {
    error = status === 429 ? RATE_LIMIT_MESSAGE : reasonPhrase(status);
    body = JSON.stringify(errorBody(status, error));
    headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  for (const [name, value] of Object.entries(fault.headers ?? {})) {
    setHeader(headers, name, expandHeaderValue(String(value), nowMs));
  }
  return { answer: { status, headers, body }, error };
}
