/**
 * The sandbox's default rooms, tokens and OAuth client. Exported so tests and the demo can use
 * them by name instead of repeating magic strings.
 */

import type { WindowSpec } from './limits.ts';
import type { User } from './users.ts';
import { SEND_MESSAGE, VIEW_GROUP } from './users.ts';
import { VIEW_MESSAGES } from './history.ts';

export type { User };

/** A HipChat room. */
export interface Room {
  id: number;
  name: string;
}

/** Kinds of HipChat API token (see the API notes): they differ only in what they may reach. */
export type TokenKind = 'personal' | 'room' | 'user' | 'addon';

/** A token the sandbox accepts. */
export interface TokenSpec {
  token: string;
  kind: TokenKind;
  /** HipChat scopes, e.g. `send_notification`, `view_group`. */
  scopes: string[];
  /** Room notification tokens only: the one room the token may post to. */
  roomId?: number;
  /** Unix time in ms after which the token is refused (`Invalid OAuth session`). */
  expiresAt?: number;
}

/** An add-on's OAuth client credentials, exchanged at `POST /v2/oauth/token`. */
export interface OAuthClient {
  id: string;
  secret: string;
  /** Scopes the client may request; a token is minted with the requested subset. */
  scopes: string[];
  groupId: number;
  groupName: string;
}

/** The scope a room notification needs. */
export const SEND_NOTIFICATION = 'send_notification';

/** Room 1: the usual target. */
export const ROOM_CI: Room = { id: 1, name: 'CI' };
/** Room 2: its name has a space, so it must be sent as `Release%20Notes` (a `+` is a 404). */
const ROOM_RELEASE_NOTES: Room = { id: 2, name: 'Release Notes' };
/** Room 3. */
const ROOM_OPS: Room = { id: 3, name: 'Ops' };
/** The default rooms. */
export const DEFAULT_ROOMS: readonly Room[] = [ROOM_CI, ROOM_RELEASE_NOTES, ROOM_OPS];

/**
 * Personal access token with `send_notification`, `view_group`, `send_message` and
 * `view_messages`: may post to every room, look users up, send them private messages and read
 * rooms' history.
 */
export const PERSONAL_TOKEN = 'sandbox-personal-token';
/** Personal access token with `send_notification` only: user lookups and private messages 403. */
export const NOTIFY_ONLY_TOKEN = 'sandbox-notify-only-token';
/** Room notification token of room 1 (`CI`) only: any other room answers 401. */
export const ROOM_TOKEN = 'sandbox-room-ci-token';
/** The room {@link ROOM_TOKEN} belongs to. */
export const ROOM_TOKEN_ROOM_ID = ROOM_CI.id;
/** Personal token with `view_group` only: posting answers 403 (missing scope). */
export const VIEW_GROUP_TOKEN = 'sandbox-view-group-token';
/** A token that expired long ago (the day HipChat Cloud shut down): 401. */
export const EXPIRED_TOKEN = 'sandbox-expired-token';

/** OAuth id of the default add-on client. */
export const OAUTH_CLIENT_ID = 'sandbox-oauth-id';
/** OAuth secret of the default add-on client. */
export const OAUTH_CLIENT_SECRET = 'sandbox-oauth-secret';

/** The default tokens. */
export const DEFAULT_TOKENS: readonly TokenSpec[] = [
  {
    token: PERSONAL_TOKEN,
    kind: 'personal',
    scopes: [SEND_NOTIFICATION, VIEW_GROUP, SEND_MESSAGE, VIEW_MESSAGES],
  },
  // A room notification token has send_notification for its room and nothing else.
  { token: ROOM_TOKEN, kind: 'room', scopes: [SEND_NOTIFICATION], roomId: ROOM_TOKEN_ROOM_ID },
  { token: VIEW_GROUP_TOKEN, kind: 'personal', scopes: [VIEW_GROUP] },
  { token: NOTIFY_ONLY_TOKEN, kind: 'personal', scopes: [SEND_NOTIFICATION] },
  {
    token: EXPIRED_TOKEN,
    kind: 'personal',
    scopes: [SEND_NOTIFICATION],
    expiresAt: Date.UTC(2019, 1, 15),
  },
];

/** The default add-on OAuth client. */
export const DEFAULT_OAUTH_CLIENTS: readonly OAuthClient[] = [
  {
    id: OAUTH_CLIENT_ID,
    secret: OAUTH_CLIENT_SECRET,
    scopes: [SEND_NOTIFICATION, VIEW_GROUP, SEND_MESSAGE, VIEW_MESSAGES],
    groupId: 1,
    groupName: 'Sandbox Group',
  },
];

/**
 * The group's members. Mention names differ from the GitHub logins on purpose (`alice` is
 * `@AliceSmith`), so a test can tell a resolved mention from a login echoed back. Emails match
 * the authors of the event fixtures; `frank` has no HipChat account.
 */
export const USER_ALICE: User = {
  id: 101,
  name: 'Alice Smith',
  mention_name: 'AliceSmith',
  email: 'alice@example.com',
  title: 'Developer',
};
/** Bob: the pull request author of the fixtures (a PR carries no email: map his login). */
export const USER_BOB: User = {
  id: 102,
  name: 'Bob Jones',
  mention_name: 'BobJ',
  email: 'bob@example.com',
};
/** Carol: the release author of the fixtures. */
const USER_CAROL: User = {
  id: 103,
  name: 'Carol White',
  mention_name: 'CarolW',
  email: 'carol@example.com',
};
/** Dave: the head-commit author of the `workflow_run` fixture. */
export const USER_DAVE: User = {
  id: 104,
  name: 'Dave Lee',
  mention_name: 'DaveLee',
  email: 'dave@example.com',
};
/** The default directory. */
export const DEFAULT_USERS: readonly User[] = [USER_ALICE, USER_BOB, USER_CAROL, USER_DAVE];

/** HipChat Server's default per-token limit: 100 requests per 5 minutes. */
export const DEFAULT_TOKEN_LIMIT: WindowSpec = { limit: 100, windowMs: 5 * 60_000 };
/** HipChat's flood control: 30 notifications per minute per room. */
export const DEFAULT_ROOM_LIMIT: WindowSpec = { limit: 30, windowMs: 60_000 };
/** How long a minted add-on token lives, in seconds (HipChat: about 8 hours). */
export const ADDON_TOKEN_TTL_SECONDS = 28_800;
