/**
 * The HipChat API itself: routing, auth, rate limits, validation and the action, in the order
 * HipChat applies them. Pure apart from the limiter, token store and `deliver` it is given.
 */

import type { Credential } from './auth.ts';
import type { TokenStore } from './auth.ts';
import type { Room, TokenSpec } from './defaults.ts';
import { ADDON_TOKEN_TTL_SECONDS, SEND_NOTIFICATION } from './defaults.ts';
import {
  AUTH_TEST_SUCCESS,
  INVALID_SESSION,
  RATE_LIMIT_MESSAGE,
  errorBody,
  floodControlMessage,
  missingScopeMessage,
} from './http-errors.ts';
import type { FixedWindowLimiter, WindowState } from './limits.ts';
import type { NormalizedNotification } from './notification-schema.ts';
import { validateNotification } from './notification-schema.ts';
import type { NormalizedPrivateMessage, User, UserRoute } from './users.ts';
import { resolveUserRoute, scopeOf, userJson, validatePrivateMessage } from './users.ts';
import type { HistoryItem } from './history.ts';
import { VIEW_MESSAGES, historyJson, latest, readHistoryQuery } from './history.ts';

/** What a request path and method lead to. */
export type Route =
  | { kind: 'notification'; roomRef: string; room: Room | undefined }
  | { kind: 'history'; roomRef: string; room: Room | undefined }
  | { kind: 'oauth-token' }
  | { kind: 'method-not-allowed'; allow: string; roomRef?: string; room?: Room | undefined }
  | { kind: 'not-found' }
  | UserRoute;

const NOTIFICATION_PATH = /^\/v2\/room\/([^/]+)\/notification$/;
const HISTORY_PATH = /^\/v2\/room\/([^/]+)\/history\/latest$/;
const TOKEN_PATH = '/v2/oauth/token';

/** Decodes a path segment like HipChat: `%20` is a space, `+` stays a plus. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A numeric reference is a room id; anything else must equal a room's name exactly. */
function findRoom(rooms: readonly Room[], ref: string): Room | undefined {
  if (/^\d+$/.test(ref)) return rooms.find((room) => room.id === Number(ref));
  return rooms.find((room) => room.name === ref);
}

/** Routes a request by raw (still percent-encoded) path and method. */
export function resolveRoute(
  method: string,
  rawPath: string,
  rooms: readonly Room[],
  users: readonly User[] = [],
): Route {
  const user = resolveUserRoute(method, rawPath, users, decodeSegment);
  if (user !== undefined) return user;
  const room = NOTIFICATION_PATH.exec(rawPath);
  if (room?.[1] !== undefined) {
    const roomRef = decodeSegment(room[1]);
    const found = findRoom(rooms, roomRef);
    if (method !== 'POST')
      return { kind: 'method-not-allowed', allow: 'POST', roomRef, room: found };
    return { kind: 'notification', roomRef, room: found };
  }
  const history = HISTORY_PATH.exec(rawPath);
  if (history?.[1] !== undefined) {
    const roomRef = decodeSegment(history[1]);
    const found = findRoom(rooms, roomRef);
    if (method !== 'GET') return { kind: 'method-not-allowed', allow: 'GET', roomRef, room: found };
    return { kind: 'history', roomRef, room: found };
  }
  if (rawPath === TOKEN_PATH) {
    return method === 'POST'
      ? { kind: 'oauth-token' }
      : { kind: 'method-not-allowed', allow: 'POST' };
  }
  return { kind: 'not-found' };
}

/** An API request, parsed as far as routing and auth need. */
export interface ApiRequest {
  method: string;
  path: string;
  route: Route;
  credential: Credential;
  basic: { id: string; secret: string } | null;
  authTest: boolean;
  contentType: string | undefined;
  rawBody: string;
  /** The query string (`max-results`, `not-before` of a history call). */
  query?: URLSearchParams;
}

/** What the sandbox answers (before any fault changes it). */
export interface ApiOutcome {
  status: number;
  /** Headers other than the rate-limit ones (content type, Allow, …). */
  headers: Record<string, string>;
  /** `X-Ratelimit-*` and, for room calls, `X-FloodControl-*`. */
  rateHeaders: Record<string, string>;
  /** Serialized body; empty for none. */
  body: string;
  acted: boolean;
  error: string | null;
}

/** What the handler needs from the sandbox. */
export interface ApiDeps {
  tokens: TokenStore;
  tokenLimiter: FixedWindowLimiter;
  roomLimiter: FixedWindowLimiter;
  /** Whether limits refuse requests (headers are sent either way). */
  enforce: boolean;
  deliver(
    room: Room,
    notification: NormalizedNotification,
    body: Record<string, unknown>,
    token: string,
  ): void;
  /** Records a private message to `user`. */
  deliverMessage(
    user: User,
    message: NormalizedPrivateMessage,
    body: Record<string, unknown>,
    token: string,
  ): void;
  /** The sandbox's base URL, for the `links` of a user. */
  baseUrl: string;
  /** Every room's history (notifications delivered, messages seeded), oldest first. */
  history(): readonly HistoryItem[];
}

/** The window key of the credential a request presents; every call counts against it. */
function tokenKey(request: ApiRequest): string {
  if (request.route.kind === 'oauth-token') {
    return request.basic === null ? 'anonymous' : `client:${request.basic.id}`;
  }
  return request.credential.token === null ? 'anonymous' : `token:${request.credential.token}`;
}

function roomOf(route: Route): Room | undefined {
  return 'room' in route ? route.room : undefined;
}

/** Builds HipChat's rate-limit headers. */
function rateHeaders(token: WindowState, room?: WindowState): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Ratelimit-Limit': String(token.limit),
    'X-Ratelimit-Remaining': String(token.remaining),
    'X-Ratelimit-Reset': String(token.reset),
  };
  if (room !== undefined) {
    headers['X-FloodControl-Limit'] = String(room.limit);
    headers['X-FloodControl-Remaining'] = String(room.remaining);
    headers['X-FloodControl-Reset'] = String(room.reset);
  }
  return headers;
}

/** The rate-limit headers of a request that is not counted (answered by a fault). */
export function peekRateHeaders(request: ApiRequest, deps: ApiDeps): Record<string, string> {
  const room = roomOf(request.route);
  return rateHeaders(
    deps.tokenLimiter.peek(tokenKey(request)),
    room === undefined ? undefined : deps.roomLimiter.peek(`room:${room.id}`),
  );
}

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

/**
 * Handles an API request: counts it against its token's window, then checks route, token,
 * room, scope, `auth_test`, body and flood control in that order, and acts.
 */
export function handleApi(request: ApiRequest, deps: ApiDeps): ApiOutcome {
  const { route } = request;
  const tokenWindow = deps.tokenLimiter.hit(tokenKey(request));
  const room = roomOf(route);
  const roomKey = room === undefined ? undefined : `room:${room.id}`;
  let roomWindow = roomKey === undefined ? undefined : deps.roomLimiter.peek(roomKey);

  const answer = (
    status: number,
    body: unknown,
    extra: Record<string, string> = {},
  ): ApiOutcome => ({
    status,
    headers: body === undefined ? extra : { ...JSON_TYPE, ...extra },
    rateHeaders: rateHeaders(tokenWindow, roomWindow),
    body: body === undefined ? '' : JSON.stringify(body),
    acted: false,
    error: null,
  });
  const fail = (status: number, message: string, extra?: Record<string, string>): ApiOutcome => ({
    ...answer(status, errorBody(status, message), extra),
    error: message,
  });

  if (deps.enforce && !tokenWindow.allowed) return fail(429, RATE_LIMIT_MESSAGE);

  switch (route.kind) {
    case 'not-found':
      return fail(404, `Resource not found: ${request.method} ${request.path}`);
    case 'method-not-allowed':
      return fail(405, `Method ${request.method} not allowed; use ${route.allow}`, {
        Allow: route.allow,
      });
    case 'oauth-token':
      return mintToken(request, deps, answer, fail);
    case 'user':
    case 'private-message':
      return userCall(request, route, deps, answer, fail);
    case 'notification':
    case 'history':
      break;
  }

  const token: TokenSpec | undefined = deps.tokens.find(request.credential.token);
  if (token === undefined) return fail(401, INVALID_SESSION);
  if (route.room === undefined) return fail(404, `Room ${route.roomRef} not found`);
  // A room notification token is bound to its room; HipChat answers 401, not 403, elsewhere.
  if (token.roomId !== undefined && token.roomId !== route.room.id) {
    return fail(
      401,
      `${INVALID_SESSION}: this room notification token is only valid for room ${token.roomId}`,
    );
  }
  const scope = route.kind === 'history' ? VIEW_MESSAGES : SEND_NOTIFICATION;
  if (!token.scopes.includes(scope)) {
    // auth_test answers 401 for any token that may not call the method (Atlassian's docs);
    // the real call answers 403 for a valid token that lacks the scope.
    return fail(request.authTest ? 401 : 403, missingScopeMessage([scope]));
  }
  if (request.authTest) return answer(202, AUTH_TEST_SUCCESS);
  if (route.kind === 'history') return roomHistory(request, route.room, deps, answer, fail);

  const body = jsonBody(request, fail);
  if (isOutcome(body)) return body;
  const check = validateNotification(body.value);
  if (!check.ok) return fail(400, check.problem);

  // Flood control counts only calls that would post into the room.
  roomWindow = deps.roomLimiter.hit(roomKey as string);
  if (deps.enforce && !roomWindow.allowed) return fail(429, floodControlMessage(route.room.name));

  deps.deliver(route.room, check.notification, body.value as Record<string, unknown>, token.token);
  return { ...answer(204, undefined), acted: true };
}

/** `GET …/history/latest`: the room's latest messages; it posts nothing, so no flood control. */
function roomHistory(
  request: ApiRequest,
  room: Room,
  deps: ApiDeps,
  answer: Answerer,
  fail: Failer,
): ApiOutcome {
  const query = readHistoryQuery(request.query ?? new URLSearchParams());
  if ('problem' in query) return fail(400, query.problem);
  const items = latest(deps.history(), room, query.maxResults, query.notBefore);
  if (items === undefined) {
    return fail(
      400,
      `not-before: no message ${JSON.stringify(query.notBefore)} in room ${room.name}`,
    );
  }
  return answer(200, {
    items: items.map((item) => historyJson(item, deps.baseUrl)),
    startIndex: 0,
    maxResults: query.maxResults,
    links: { self: `${deps.baseUrl}/v2/room/${room.id}/history/latest` },
  });
}

/** The parsed JSON body, or the 400 HipChat answers for a wrong content type or bad JSON. */
function jsonBody(request: ApiRequest, fail: Failer): { value: unknown } | ApiOutcome {
  if (mediaType(request.contentType) !== 'application/json') {
    return fail(400, `Invalid content type: ${request.contentType ?? 'None'}`);
  }
  try {
    return { value: JSON.parse(request.rawBody) as unknown };
  } catch {
    return fail(400, 'The request body cannot be parsed as valid JSON');
  }
}

function isOutcome(value: { value: unknown } | ApiOutcome): value is ApiOutcome {
  return 'status' in value;
}

type Answerer = (status: number, body: unknown, extra?: Record<string, string>) => ApiOutcome;
type Failer = (status: number, message: string, extra?: Record<string, string>) => ApiOutcome;

/**
 * A user lookup or private message: token, scope (before the user, so a token without the
 * scope learns nothing about who exists, and `auth_test` needs no real user), `auth_test`,
 * the user (404), then for a message its body. Only calls into rooms count for flood control.
 */
function userCall(
  request: ApiRequest,
  route: UserRoute & { kind: 'user' | 'private-message' },
  deps: ApiDeps,
  answer: Answerer,
  fail: Failer,
): ApiOutcome {
  const token = deps.tokens.find(request.credential.token);
  if (token === undefined) return fail(401, INVALID_SESSION);
  const scope = scopeOf(route);
  if (!token.scopes.includes(scope)) {
    return fail(request.authTest ? 401 : 403, missingScopeMessage([scope]));
  }
  if (request.authTest) return answer(202, AUTH_TEST_SUCCESS);
  const { user } = route;
  if (user === undefined) return fail(404, `User ${route.userRef} not found`);
  if (route.kind === 'user') return answer(200, userJson(user, deps.baseUrl));

  const body = jsonBody(request, fail);
  if (isOutcome(body)) return body;
  const check = validatePrivateMessage(body.value);
  if (!check.ok) return fail(400, check.problem);
  deps.deliverMessage(user, check.message, body.value as Record<string, unknown>, token.token);
  return { ...answer(204, undefined), acted: true };
}

function mintToken(
  request: ApiRequest,
  deps: ApiDeps,
  answer: (status: number, body: unknown, extra?: Record<string, string>) => ApiOutcome,
  fail: (status: number, message: string, extra?: Record<string, string>) => ApiOutcome,
): ApiOutcome {
  const client =
    request.basic === null ? undefined : deps.tokens.client(request.basic.id, request.basic.secret);
  if (client === undefined)
    return fail(401, 'Invalid OAuth client credentials', {
      'WWW-Authenticate': 'Basic realm="HipChat"',
    });
  if (request.authTest) return answer(202, AUTH_TEST_SUCCESS);
  if (mediaType(request.contentType) !== 'application/x-www-form-urlencoded') {
    return fail(400, `Invalid content type: ${request.contentType ?? 'None'}`);
  }
  const form = new URLSearchParams(request.rawBody);
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') {
    return fail(
      400,
      `Unsupported grant_type: ${grant ?? 'None'}; this client may use client_credentials`,
    );
  }
  const requested = (form.get('scope') ?? '').split(/\s+/).filter((s) => s !== '');
  const scopes = requested.length === 0 ? [...client.scopes] : requested;
  const refused = scopes.filter((scope) => !client.scopes.includes(scope));
  if (refused.length > 0) return fail(400, `Invalid scope: ${refused.join(' ')}`);
  const spec = deps.tokens.mint(scopes);
  const outcome = answer(
    200,
    {
      access_token: spec.token,
      token_type: 'bearer',
      scope: scopes.join(' '),
      expires_in: ADDON_TOKEN_TTL_SECONDS,
      group_id: client.groupId,
      group_name: client.groupName,
    },
    { 'Cache-Control': 'no-store' },
  );
  return { ...outcome, acted: true };
}
