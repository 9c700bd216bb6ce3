/**
 * HipChat's answers that are not success, translated into what the user should do. Every
 * message names the room and server involved and never contains a token. Pure: the answer and
 * what the request was for are passed in.
 */
import { hipchatMessage, isHtmlPage, pageTitle, quotable } from './answer-body.js';
import type { HipChatResponse } from './types.js';
import { capitalise } from '../text/case.js';

/** What the request was for, to word the advice. */
export interface ErrorContext {
  action: 'notify' | 'auth-test' | 'token';
  room?: string;
  server?: string;
}

/** The facts of one answer that the sentences name. */
interface Said {
  status: number;
  /** HipChat's own `error.message`, when the body is HipChat's JSON. */
  said: string | undefined;
  /** `HipChat: "…"`, or what the body was instead (an HTML page, a non-JSON body). */
  quoted: string;
  /** `room 'CI'`, or '' for the token request. */
  room: string;
  /** `room 'CI'`, or `auth test for room 'CI'`. */
  where: string;
  server: string;
}

/**
 * One sentence for an HTTP answer that is not success, saying what went wrong and what to do.
 */
export function describeHttpError(response: HipChatResponse, context: ErrorContext): string {
  const text = describeStatus(response, context);
  // An auth test that fails stops that room before its post: say so, or users wonder whether
  // the room got the message anyway.
  return context.action === 'auth-test' && context.room !== undefined
    ? `${text} The auth test stopped here: nothing was posted to room '${context.room}'.`
    : text;
}

function describeStatus(response: HipChatResponse, context: ErrorContext): string {
  const said = hipchatMessage(response.body);
  const room = context.room === undefined ? '' : `room '${context.room}'`;
  const s: Said = {
    status: response.status,
    said,
    quoted: said ? `HipChat: "${quotable(said)}"` : describeForeignBody(response),
    room,
    where: context.action === 'auth-test' ? `auth test for ${room}` : room,
    server: context.server ?? '?',
  };
  // Success that is an HTML page (isHtmlPage): something in front of HipChat answered in its
  // place, typically an SSO proxy's login page. Counting it as delivered would lose the alert.
  if (s.status >= 200 && s.status < 300) return loginPageText(s, response, context.action);
  // Redirects are never followed (the token would go wherever they point): say where to.
  if (s.status >= 300 && s.status < 400) return redirectText(s, response, context.action);
  if (context.action === 'token') return tokenRefusalText(s);
  // A proxy's or web server's page: the request probably never reached HipChat's API.
  if (!said && s.status < 500) return foreignPageText(s);
  return refusalText(s, context);
}

/** Describes a non-JSON answer: an HTML error page from a proxy, or something else. */
function describeForeignBody(response: HipChatResponse): string {
  const type = response.headers['content-type'] ?? 'no content type';
  if (/html/i.test(type) || /^\s*</.test(response.body)) {
    return (
      `an HTML page${pageTitle(response.body)} instead of HipChat's JSON — a proxy, load ` +
      'balancer or web server answered, not the HipChat API'
    );
  }
  const snippet = quotable(response.body, 120);
  return snippet
    ? `a non-JSON body (${quotable(type, 60)}): "${snippet}"`
    : `an empty body (${quotable(type, 60)})`;
}

function loginPageText(s: Said, response: HipChatResponse, action: ErrorContext['action']): string {
  const body = isHtmlPage(response.headers, response.body)
    ? `an HTML page${pageTitle(response.body)}`
    : `a body that is not HipChat's JSON ("${quotable(response.body, 80)}")`;
  const page =
    `the server answered ${s.status} with ${body} — an SSO/login proxy ` +
    'or a web server answered, not the HipChat API';
  const check =
    `Check that \`server\` (${s.server}) is the address of the HipChat API itself, and the ` +
    'proxy settings (HTTPS_PROXY, NO_PROXY): the runner must reach the API without a login page.';
  if (action === 'token') return `HipChat could not issue an add-on token: ${page}. ${check}`;
  const what = action === 'auth-test' ? 'auth test' : 'notification';
  return `${capitalise(s.where)}: ${page}, so the ${what} did not reach HipChat. ${check}`;
}

function redirectText(s: Said, response: HipChatResponse, action: ErrorContext['action']): string {
  const location = quotable(response.headers.location ?? '', 200);
  const to = location ? ` to ${location}` : ' (without a Location)';
  const subject = action === 'token' ? 'The add-on token request' : capitalise(s.where);
  return (
    `${subject}: the server answered ${s.status}, a redirect${to}. Redirects are not followed ` +
    '(the token would go along to wherever they point). If that is the HipChat API, set ' +
    `\`server\` to it; a login page there means an SSO proxy stands in front of ${s.server}.`
  );
}

function tokenRefusalText(s: Said): string {
  if (s.status === 400 && s.said && /scope/i.test(s.said)) {
    return (
      'HipChat would not issue an add-on token with the send_notification scope ' +
      `(400, ${s.quoted}). Add send_notification to the add-on's scopes ` +
      '(capabilities.hipchatApiConsumer.scopes in its descriptor) and reinstall it.'
    );
  }
  if (s.status === 401 || s.status === 403) {
    return (
      `HipChat refused the add-on credentials (${s.status}, ${s.quoted}). Check \`oauth-id\` ` +
      "and `oauth-secret` (the add-on's OAuth id and secret from its installation) and that " +
      'the add-on may use the send_notification scope.'
    );
  }
  return (
    `HipChat could not issue an add-on token (${s.status}, ${s.quoted}). Check \`server\` and ` +
    'the add-on credentials.'
  );
}

function foreignPageText(s: Said): string {
  return (
    `${capitalise(s.where)}: the server answered ${s.status} with ${s.quoted}. Check that ` +
    `\`server\` (${s.server}) is the base URL of your HipChat server, without a path the API ` +
    'does not live under.'
  );
}

/** HipChat's own refusal of a post or auth test, by status. */
function refusalText(s: Said, context: ErrorContext): string {
  const { status, said, quoted, room } = s;
  switch (status) {
    case 400:
      return (
        `HipChat rejected the notification for ${room} (400, ${quoted}). ` +
        'Fix the message or inputs it names.'
      );
    case 401:
      // auth_test answers 401, not 403, for a valid token without the scope: HipChat's text says.
      if (said && /scope/i.test(said)) return missingScopeText(s);
      return invalidTokenText(s);
    case 403:
      return missingScopeText(s);
    case 404:
      return notFoundText(s, context);
    case 405:
      return (
        `The server does not accept this call (405, ${quoted}): ` +
        '`server` probably does not point at a HipChat API.'
      );
    default:
      return otherStatusText(s, context);
  }
}

/** Any other status: a server failure (5xx) or an answer this action has no advice for. */
function otherStatusText(s: Said, context: ErrorContext): string {
  if (s.status < 500) return `HipChat answered ${s.status} for ${s.room} (${s.quoted}).`;
  const what = context.action === 'auth-test' ? 'auth test' : 'notification';
  return `HipChat failed to handle the ${what} for ${s.room} (${s.status}, ${s.quoted}).`;
}

function invalidTokenText(s: Said): string {
  return (
    `HipChat refused the token for ${s.room} (401, ${s.quoted}). The token is invalid or ` +
    'expired — or it is a room notification token made for a different room: such a token ' +
    'can post only to the room it was created in. Use a token for this room, or a personal or ' +
    'add-on token with the send_notification scope.'
  );
}

function notFoundText(s: Said, context: ErrorContext): string {
  // HipChat's room 404 says "Room <name> not found"; any other 404 is about the path
  // (e.g. "Resource not found"): `server` has a prefix the API does not live under.
  if (s.said && !/^room\b/i.test(s.said.trim())) {
    return (
      `The server answered 404 for ${s.where} (${s.quoted}): there is no HipChat API at that ` +
      `address. Check that \`server\` (${s.server}) is the base URL of your HipChat server; ` +
      'the API lives under /v2 there.'
    );
  }
  return (
    `${capitalise(s.room)} was not found on ${context.server ?? 'the server'} (404, ` +
    `${s.quoted}). Check the room's name (spelling, case, spaces) or use its numeric id, which ` +
    'never changes.'
  );
}

/** Advice for a 403 (or an auth test's 401) whose cause is a missing scope. */
function missingScopeText(s: Said): string {
  const scopes = /\[([^\]]*)\]/.exec(s.said ?? '')?.[1]?.trim() || 'send_notification';
  const what = scopes.includes(',') ? `any of the scopes ${scopes}` : `the ${scopes} scope`;
  return (
    `The token may not post to ${s.room} (${s.status}, ${s.quoted}): it lacks ${what}. Create ` +
    'a token with the "Send Notification" scope and use it in `token`.'
  );
}
