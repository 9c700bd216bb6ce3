/** HipChat's JSON error and success bodies, and the HTML page a proxy answers with. */

import { STATUS_CODES } from 'node:http';

/** HipChat's error body: `{"error": {"code", "message", "type"}}`. */
export interface HipChatErrorBody {
  error: { code: number; message: string; type: string };
}

/** The answer to an `auth_test=true` call that the token may make. */
export const AUTH_TEST_SUCCESS = {
  success: {
    code: 202,
    type: 'Accepted',
    message: 'This auth_token has access to use this method.',
  },
} as const;

/** HipChat's text for an unknown, expired or missing token. */
export const INVALID_SESSION = 'Invalid OAuth session';

/**
 * The text of a 429. HipChat documents no Retry-After, so the message points at the reset
 * header, which is what a client has to read.
 */
export const RATE_LIMIT_MESSAGE =
  'You have exceeded the rate limit. Retry after the time given by the X-Ratelimit-Reset header.';

/** The text of a 429 caused by a room's flood control. */
export function floodControlMessage(roomName: string): string {
  return (
    `You have exceeded the rate limit. Room '${roomName}' accepts no more notifications ` +
    'until the time given by the X-FloodControl-Reset header.'
  );
}

/** HipChat's text for a token that lacks the scope a method needs. */
export function missingScopeMessage(scopes: readonly string[]): string {
  return `This action requires one of the following scopes: [${scopes.join(', ')}]`;
}

/** The reason phrase of an HTTP status (`"Bad Request"` for 400). */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown';
}

/** HipChat's error body for a status and message. */
export function errorBody(status: number, message: string): HipChatErrorBody {
  return { error: { code: status, message, type: reasonPhrase(status) } };
}

/**
 * The page nginx answers with when the upstream fails: what a HipChat Server behind a proxy
 * returns instead of JSON, byte for byte the shape clients meet in the wild.
 */
export function proxyErrorPage(status: number): string {
  const title = `${status} ${reasonPhrase(status)}`;
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  );
}
