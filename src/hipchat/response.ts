/**
 * An HTTP answer as the rest of the action sees it: header names lower-cased, repeated headers
 * joined, body and header values redacted of the run's secrets; and the token read from a 2xx
 * answer to the token request.
 */
import type { Dispatcher } from 'undici';
import { flattenHeaders } from '../http/headers.js';
import type { BoundedBody } from '../http/body.js';
import type { HipChatResponse, TokenResponse } from './types.js';

/** `response` with the body read of it; every header value and the body through `redact`. */
export function toResponse(
  response: Pick<Dispatcher.ResponseData, 'statusCode' | 'headers'>,
  read: BoundedBody,
  redact: (text: string) => string,
): HipChatResponse {
  const headers = flattenHeaders(response.headers);
  for (const name of Object.keys(headers)) headers[name] = redact(headers[name]!);
  return {
    status: response.statusCode,
    headers,
    body: redact(read.text),
    ...(read.over || read.cut !== undefined ? { truncated: true } : {}),
  };
}

/** The token in a 2xx answer to `POST /v2/oauth/token`, or undefined if there is none. */
export function readToken(body: string): TokenResponse | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<TokenResponse> | null;
    return typeof parsed?.access_token === 'string' && parsed.access_token
      ? (parsed as TokenResponse)
      : undefined;
  } catch {
    return undefined;
  }
}
