/**
 * HipChat's user directory and private messages: `GET /v2/user/{id_or_email}` (scope
 * `view_group`) and `POST /v2/user/{id_or_email}/message` (scope `send_message`). Pure: the
 * caller (routes.ts) has counted the call and checked the token; `deliver` records a message.
 */

import { checkEnum, checkString, describe } from './card-schema.ts';
import { MESSAGE_FORMATS } from './notification-schema.ts';

/** A member of the HipChat group, as `GET /v2/user/{id_or_email}` describes them. */
export interface User {
  id: number;
  /** Display name, e.g. `Alice Smith`. */
  name: string;
  /** What follows `@` in a text-format mention, e.g. `AliceSmith`. */
  mention_name: string;
  email: string;
  title?: string;
}

/** The scope a user lookup needs. */
export const VIEW_GROUP = 'view_group';
/** The scope a private message needs. */
export const SEND_MESSAGE = 'send_message';

/** Where a user path leads: a lookup or a private message, and the user if there is one. */
export type UserRoute =
  | { kind: 'user'; userRef: string; user: User | undefined }
  | { kind: 'private-message'; userRef: string; user: User | undefined }
  | { kind: 'method-not-allowed'; allow: string; userRef: string; user: User | undefined };

const USER_PATH = /^\/v2\/user\/([^/]+)$/;
const MESSAGE_PATH = /^\/v2\/user\/([^/]+)\/message$/;

/**
 * Finds a user the way HipChat reads `{id_or_email}`: digits are an id, a leading `@` is a
 * mention name, anything with an `@` inside is an email. Emails and mention names compare
 * without case, as HipChat's directory does; nothing else matches (no partial names).
 */
export function findUser(users: readonly User[], ref: string): User | undefined {
  if (/^\d+$/.test(ref)) return users.find((user) => user.id === Number(ref));
  if (ref.startsWith('@')) {
    const name = ref.slice(1).toLowerCase();
    return users.find((user) => user.mention_name.toLowerCase() === name);
  }
  if (!ref.includes('@')) return undefined;
  const email = ref.toLowerCase();
  return users.find((user) => user.email.toLowerCase() === email);
}

/**
 * Routes a user path (raw, still percent-encoded), or undefined when it is not one.
 * `decode` is the segment decoder rooms use: `%40` is `@`, `+` stays a plus.
 */
export function resolveUserRoute(
  method: string,
  rawPath: string,
  users: readonly User[],
  decode: (segment: string) => string,
): UserRoute | undefined {
  const lookup = USER_PATH.exec(rawPath);
  const message = lookup === null ? MESSAGE_PATH.exec(rawPath) : null;
  const segment = lookup?.[1] ?? message?.[1];
  if (segment === undefined) return undefined;
  const userRef = decode(segment);
  const user = findUser(users, userRef);
  const allow = lookup === null ? 'POST' : 'GET';
  if (method !== allow) return { kind: 'method-not-allowed', allow, userRef, user };
  return { kind: lookup === null ? 'private-message' : 'user', userRef, user };
}

/** The scope a user route needs. */
export function scopeOf(route: UserRoute): string {
  return route.kind === 'private-message' ? SEND_MESSAGE : VIEW_GROUP;
}

/** The JSON HipChat answers for a user (the fields the action relies on, and a few more). */
export function userJson(user: User, baseUrl: string): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    mention_name: user.mention_name,
    email: user.email,
    title: user.title ?? '',
    is_guest: false,
    is_deleted: false,
    links: { self: `${baseUrl}/v2/user/${user.id}` },
  };
}

/** A private message as HipChat stores it: the body with the server defaults filled in. */
export interface NormalizedPrivateMessage {
  message: string;
  messageFormat: 'html' | 'text';
  notify: boolean;
}

/** Either the first problem or the normalized private message. */
export type PrivateMessageCheck =
  { ok: true; message: NormalizedPrivateMessage } | { ok: false; problem: string };

/**
 * Validates the parsed JSON body of `POST /v2/user/{id_or_email}/message`: `message`
 * 1–10,000 characters, `notify` a boolean, `message_format` `text` (HipChat's default for
 * private messages) or `html`. Problems name the field; unknown fields are ignored.
 */
export function validatePrivateMessage(body: unknown): PrivateMessageCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problem: `Request body must be a JSON object, got ${describe(body)}` };
  }
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  checkString(problems, 'message', b.message, { min: 1, max: 10_000, required: true });
  checkEnum(problems, 'message_format', b.message_format, MESSAGE_FORMATS);
  if (b.notify !== undefined && typeof b.notify !== 'boolean') {
    problems.push(`notify: must be true or false, got ${describe(b.notify)}`);
  }
  const [problem] = problems;
  if (problem !== undefined) return { ok: false, problem };
  return {
    ok: true,
    message: {
      message: b.message as string,
      messageFormat: (b.message_format as 'html' | 'text' | undefined) ?? 'text',
      notify: (b.notify as boolean | undefined) ?? false,
    },
  };
}

/**
 * Validates untrusted user JSON (CLI `--users`, a file): an array of `{id, name,
 * mention_name, email, title?}` with unique ids, mention names and emails. Throws naming the
 * entry and field.
 */
export function parseUsers(input: unknown): User[] {
  if (!Array.isArray(input)) throw new Error('users: must be a JSON array of users');
  const seen = { id: new Set<string>(), mention_name: new Set<string>(), email: new Set<string>() };
  return input.map((item, i) => {
    const at = `users[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new Error(`${at}: must be an object`);
    }
    const u = item as Record<string, unknown>;
    if (!Number.isInteger(u.id) || (u.id as number) < 1) {
      throw new Error(`${at}.id: must be a whole number ≥ 1`);
    }
    const text = (key: string, pattern: RegExp, what: string): string => {
      const value = u[key];
      if (typeof value !== 'string' || !pattern.test(value)) {
        throw new Error(`${at}.${key}: must be ${what}, got ${describe(value)}`);
      }
      return value;
    };
    const user: User = {
      id: u.id as number,
      name: text('name', /^.{1,50}$/u, 'a name of 1–50 characters'),
      mention_name: text('mention_name', /^[\p{L}\p{N}_]{1,50}$/u, 'letters, digits or _'),
      email: text('email', /^[^@\s]+@[^@\s]+$/, 'an email address'),
    };
    if (u.title !== undefined) user.title = text('title', /^.{0,50}$/u, 'at most 50 characters');
    for (const key of ['id', 'mention_name', 'email'] as const) {
      const value = String(user[key]).toLowerCase();
      if (seen[key].has(value)) throw new Error(`${at}.${key}: ${user[key]} is used twice`);
      seen[key].add(value);
    }
    return user;
  });
}
