/**
 * The wording of HipChat's refusals and of connection failures (src/hipchat/http-advice.ts, transport-error.ts): each
 * message names the room and server, says what went wrong and what to do, and reads well.
 * Pure functions; the end-to-end tests show the same texts reaching the user.
 */
import { describe, expect, it } from 'vitest';
import type { HipChatResponse } from '../../src/hipchat/types.js';
import type { ErrorContext } from '../../src/hipchat/http-advice.js';
import { describeHttpError } from '../../src/hipchat/http-advice.js';
import { hipchatMessage, isHtmlPage } from '../../src/hipchat/answer-body.js';
import { HIPCHAT_CLOUD, isHipChatCloud } from '../../src/hipchat/cloud.js';
import { toTransportError } from '../../src/hipchat/transport-error.js';

const SERVER = 'https://hipchat.example.com';
const notify: ErrorContext = { action: 'notify', room: 'Release Notes', server: SERVER };
const authTest: ErrorContext = { ...notify, action: 'auth-test' };
const token: ErrorContext = { action: 'token', server: SERVER };

/** HipChat's JSON error answer. */
function hipchat(status: number, message: string): HipChatResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: { code: status, message, type: 'Error' } }),
  };
}

/** Any other answer. */
function raw(status: number, body: string, type?: string): HipChatResponse {
  return { status, headers: type ? { 'content-type': type } : {}, body };
}

const SCOPE = 'This action requires one of the following scopes: [send_notification]';

describe('describeHttpError', () => {
  it('401: invalid or expired token, or a room token used for another room', () => {
    expect(describeHttpError(hipchat(401, 'Invalid OAuth session'), notify)).toBe(
      'HipChat refused the token for room \'Release Notes\' (401, HipChat: "Invalid OAuth session"). The token is invalid or expired — or it is a room notification token made for a different room: such a token can post only to the room it was created in. Use a token for this room, or a personal or add-on token with the send_notification scope.',
    );
  });

  it('403: names the missing scope and how to get a token with it', () => {
    expect(describeHttpError(hipchat(403, SCOPE), notify)).toBe(
      `The token may not post to room 'Release Notes' (403, HipChat: "${SCOPE}"): it lacks the send_notification scope. Create a token with the "Send Notification" scope and use it in \`token\`.`,
    );
  });

  it('403 naming several scopes: any of them would do', () => {
    const text = describeHttpError(
      hipchat(
        403,
        'This action requires one of the following scopes: [send_notification, admin_room]',
      ),
      notify,
    );
    expect(text).toContain('it lacks any of the scopes send_notification, admin_room.');
  });

  it('403 without HipChat’s text still names send_notification', () => {
    expect(describeHttpError(hipchat(403, 'Forbidden'), notify)).toContain(
      'it lacks the send_notification scope.',
    );
  });

  it('an auth test’s 401 for a missing scope is about the scope, not an invalid token', () => {
    const text = describeHttpError(hipchat(401, SCOPE), authTest);
    expect(text).toBe(
      `The token may not post to room 'Release Notes' (401, HipChat: "${SCOPE}"): it lacks the send_notification scope. Create a token with the "Send Notification" scope and use it in \`token\`. The auth test stopped here: nothing was posted to room 'Release Notes'.`,
    );
  });

  it('an auth test’s failure says nothing was posted to the room', () => {
    expect(describeHttpError(hipchat(401, 'Invalid OAuth session'), authTest)).toMatch(
      /invalid or expired .* The auth test stopped here: nothing was posted to room 'Release Notes'\.$/,
    );
    expect(describeHttpError(hipchat(401, 'Invalid OAuth session'), notify)).not.toContain(
      'auth test',
    );
  });

  it('404 for the room: check the name or use the numeric id', () => {
    expect(describeHttpError(hipchat(404, 'Room Release Notes not found'), notify)).toBe(
      `Room 'Release Notes' was not found on ${SERVER} (404, HipChat: "Room Release Notes not found"). Check the room's name (spelling, case, spaces) or use its numeric id, which never changes.`,
    );
  });

  it('404 for anything else: `server` is not where the API lives', () => {
    const text = describeHttpError(
      hipchat(404, 'Resource not found: POST /chat/v2/room/Release%20Notes/notification'),
      notify,
    );
    expect(text).toBe(
      `The server answered 404 for room 'Release Notes' (HipChat: "Resource not found: POST /chat/v2/room/Release%20Notes/notification"): there is no HipChat API at that address. Check that \`server\` (${SERVER}) is the base URL of your HipChat server; the API lives under /v2 there.`,
    );
  });

  it('400: quotes HipChat’s reason', () => {
    expect(describeHttpError(hipchat(400, 'Invalid content type: None'), notify)).toBe(
      'HipChat rejected the notification for room \'Release Notes\' (400, HipChat: "Invalid content type: None"). Fix the message or inputs it names.',
    );
  });

  it('405: `server` does not point at a HipChat API', () => {
    expect(describeHttpError(hipchat(405, 'Method GET not allowed'), notify)).toBe(
      'The server does not accept this call (405, HipChat: "Method GET not allowed"): `server` probably does not point at a HipChat API.',
    );
  });

  it('an HTML error page: a proxy answered, named by its title', () => {
    const page = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    expect(describeHttpError(raw(404, page, 'text/html'), notify)).toBe(
      `Room 'Release Notes': the server answered 404 with an HTML page ("502 Bad Gateway") instead of HipChat's JSON — a proxy, load balancer or web server answered, not the HipChat API. Check that \`server\` (${SERVER}) is the base URL of your HipChat server, without a path the API does not live under.`,
    );
    // Recognised by its content even when mislabelled.
    expect(
      describeHttpError(raw(403, '<!DOCTYPE html><p>denied</p>', 'text/plain'), notify),
    ).toContain('an HTML page instead of');
  });

  it('a non-JSON or empty answer is quoted, briefly', () => {
    expect(describeHttpError(raw(401, 'Unauthorized', 'text/plain'), notify)).toContain(
      'the server answered 401 with a non-JSON body (text/plain): "Unauthorized".',
    );
    expect(describeHttpError(raw(418, ''), notify)).toContain(
      'the server answered 418 with an empty body (no content type).',
    );
    const long = describeHttpError(raw(400, 'x'.repeat(5_000), 'text/plain'), notify);
    expect(long.length).toBeLessThan(500);
  });

  it('a 2xx that is an HTML page: an SSO/login proxy answered, the notification did not reach HipChat', () => {
    const login = raw(
      200,
      '<!DOCTYPE html><html><head><title>Sign in - Example SSO</title></head><body><form></form></body></html>',
      'text/html; charset=utf-8',
    );
    expect(describeHttpError(login, notify)).toBe(
      `Room 'Release Notes': the server answered 200 with an HTML page ("Sign in - Example SSO") — an SSO/login proxy or a web server answered, not the HipChat API, so the notification did not reach HipChat. Check that \`server\` (${SERVER}) is the address of the HipChat API itself, and the proxy settings (HTTPS_PROXY, NO_PROXY): the runner must reach the API without a login page.`,
    );
    expect(describeHttpError(login, authTest)).toMatch(
      /^Auth test for room 'Release Notes': the server answered 200 .* so the auth test did not reach HipChat\. .* The auth test stopped here: nothing was posted to room 'Release Notes'\.$/,
    );
    expect(describeHttpError(login, token)).toMatch(
      /^HipChat could not issue an add-on token: the server answered 200 with an HTML page \("Sign in - Example SSO"\) — an SSO\/login proxy .*Check that `server`/,
    );
  });

  it('recognises an HTML page by its label or, unlabelled, by its start', () => {
    expect(isHtmlPage({ 'content-type': 'text/html' }, '')).toBe(true);
    expect(isHtmlPage({ 'content-type': 'TEXT/HTML; charset=utf-8' }, 'x')).toBe(true);
    expect(isHtmlPage({}, '  <!doctype html><p>')).toBe(true);
    expect(isHtmlPage({}, '<HTML><body>')).toBe(true);
    expect(isHtmlPage({}, '')).toBe(false); // HipChat's 204
    expect(isHtmlPage({ 'content-type': 'application/json' }, '{"success":{}}')).toBe(false);
    expect(isHtmlPage({ 'content-type': 'text/plain' }, 'ok <b>')).toBe(false);
  });

  it('JSON that is not HipChat’s error shape is treated as foreign', () => {
    expect(hipchatMessage('{"message":"nope"}')).toBeUndefined();
    expect(hipchatMessage('not json')).toBeUndefined();
    expect(hipchatMessage(JSON.stringify({ error: { message: 'x' } }))).toBe('x');
  });

  describe('the add-on token request', () => {
    it('401: check oauth-id and oauth-secret', () => {
      expect(describeHttpError(hipchat(401, 'Invalid OAuth client credentials'), token)).toBe(
        'HipChat refused the add-on credentials (401, HipChat: "Invalid OAuth client credentials"). Check `oauth-id` and `oauth-secret` (the add-on\'s OAuth id and secret from its installation) and that the add-on may use the send_notification scope.',
      );
    });

    it('400 for the scope: give the add-on the scope', () => {
      expect(describeHttpError(hipchat(400, 'Invalid scope: send_notification'), token)).toBe(
        'HipChat would not issue an add-on token with the send_notification scope (400, HipChat: "Invalid scope: send_notification"). Add send_notification to the add-on\'s scopes (capabilities.hipchatApiConsumer.scopes in its descriptor) and reinstall it.',
      );
    });

    it('anything else: check server and credentials', () => {
      expect(describeHttpError(raw(404, '<title>Not Found</title>', 'text/html'), token)).toBe(
        'HipChat could not issue an add-on token (404, an HTML page ("Not Found") instead of HipChat\'s JSON — a proxy, load balancer or web server answered, not the HipChat API). Check `server` and the add-on credentials.',
      );
    });
  });
});

/** An error shaped like the ones undici and Node's sockets throw. */
function netError(code: string, message = `${code} happened`, cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { code });
}

describe('toTransportError', () => {
  const url = `${SERVER}/v2/room/CI/notification`;

  it('a name that does not resolve: check `server`, and a runner that can reach it', () => {
    const error = toTransportError(netError('ENOTFOUND'), url);
    expect(error.kind).toBe('dns');
    expect(error.maybeActed).toBe(false);
    expect(error.message).toBe(
      'The host name hipchat.example.com does not resolve (ENOTFOUND). Check `server`; a server on a private network needs a self-hosted runner that can reach it.',
    );
  });

  it('a refused connection: nothing listens; check host, port and that HipChat runs', () => {
    const error = toTransportError(
      new TypeError('fetch failed', { cause: netError('ECONNREFUSED') }),
      'http://127.0.0.1:1/v2/room/CI/notification',
    );
    expect(error.kind).toBe('refused');
    expect(error.message).toBe(
      '127.0.0.1:1 refused the connection (ECONNREFUSED): nothing listens there. Check the host and port in `server`, and that HipChat is running.',
    );
  });

  it('no connection within the timeout: check `server` and the runner’s reach', () => {
    const error = toTransportError(
      netError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'),
      url,
    );
    expect(error.kind).toBe('connect-timeout');
    expect(error.maybeActed).toBe(false);
    expect(error.message).toBe(
      'No connection to hipchat.example.com within the `timeout`: the request was not sent (UND_ERR_CONNECT_TIMEOUT). Check `server`, and that this runner can reach it: a server on a private network needs a self-hosted runner (or a proxy: HTTPS_PROXY) that can reach it.',
    );
  });

  it('the client’s own deadline before sending: the same advice, naming the time it had', () => {
    const timeout = netError('TIMEOUT', 'no answer within 2000 ms');
    const error = toTransportError(timeout, url, { sent: false, timeoutMs: 2_000 });
    expect(error).toMatchObject({ kind: 'connect-timeout', maybeActed: false });
    expect(error.message).toBe(
      'No connection to hipchat.example.com within the `timeout` (2 s): the request was not sent (TIMEOUT). Check `server`, and that this runner can reach it: a server on a private network needs a self-hosted runner (or a proxy: HTTPS_PROXY) that can reach it.',
    );
  });

  it('a request cut short by what `max-wait` had left says so, not `timeout`', () => {
    const timeout = netError('TIMEOUT', 'no answer within 400 ms');
    const context = { timeoutMs: 400, timeoutBy: 'max-wait' } as const;
    expect(toTransportError(timeout, url, { ...context, sent: true }).message).toBe(
      'hipchat.example.com accepted the request but did not answer within the 0.4 s that `max-wait` had left (TIMEOUT).',
    );
    expect(toTransportError(timeout, url, { ...context, sent: false }).message).toMatch(
      /^No connection to hipchat\.example\.com within the 0\.4 s that `max-wait` had left: the request was not sent \(TIMEOUT\)\./,
    );
  });

  it('no answer within the timeout: HipChat may have acted', () => {
    const error = toTransportError(netError('UND_ERR_HEADERS_TIMEOUT'), url);
    expect(error.kind).toBe('timeout');
    expect(error.maybeActed).toBe(true);
    expect(error.message).toBe(
      'hipchat.example.com accepted the request but did not answer within the `timeout` (UND_ERR_HEADERS_TIMEOUT).',
    );
  });

  it('no route: a private network needs a runner inside it', () => {
    const error = toTransportError(netError('EHOSTUNREACH'), url);
    expect(error.kind).toBe('unreachable');
    expect(error.message).toContain('cannot be reached from this runner (EHOSTUNREACH)');
  });

  it('anything else keeps the original text', () => {
    const error = toTransportError(new Error('something odd'), url);
    expect(error.kind).toBe('other');
    expect(error.message).toBe('The request to hipchat.example.com failed: something odd');
  });
});

describe('HipChat Cloud', () => {
  it('is recognised by its host: the API’s, and a team’s own name', () => {
    expect(isHipChatCloud(HIPCHAT_CLOUD)).toBe(true);
    expect(isHipChatCloud('https://acme.hipchat.com')).toBe(true);
    expect(isHipChatCloud('http://API.HipChat.com/')).toBe(true);
    expect(isHipChatCloud('https://hipchat.example.com')).toBe(false);
    expect(isHipChatCloud('https://nothipchat.com')).toBe(false);
    expect(isHipChatCloud('not a url')).toBe(false);
  });
});
