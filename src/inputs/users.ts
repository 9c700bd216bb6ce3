/**
 * The `users` input: a YAML map from GitHub login to the HipChat user to reach, either an email
 * address (looked up in HipChat's directory) or an `@mention_name` (used as it is). Validated
 * whole before anything is sent; every problem names the entry.
 */
import { isMentionName } from '../text/mentions.js';
import type { YamlParse } from './vars.js';
import { YAML_OPTIONS } from './vars.js';

/** Who a login stands for in HipChat. */
export type UserTarget =
  { kind: 'email'; email: string } | { kind: 'mention'; mentionName: string };

/** Lower-cased GitHub login → HipChat user. GitHub logins are case-insensitive. */
export type UsersMap = ReadonlyMap<string, UserTarget>;

/** Entries read at most: a team's people, not a company directory (that is what HipChat has). */
const MAX_USERS = 1000;

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const EMAIL = /^[^\s@<>"',;:\\]+@[^\s@<>"',;:\\]+\.[^\s@<>"',;:\\]+$/;
const ACCEPTED =
  'a map of GitHub login to HipChat email or "@mention_name" (quoted: YAML reserves a leading @), e.g. `alice: alice@example.com`';

/**
 * Checks an already parsed `users` value; returns the map and one sentence per bad entry.
 * Pure: the YAML has been parsed (failsafe schema, so every scalar is a string).
 */
export function validateUsers(parsed: unknown): { users: UsersMap; problems: string[] } {
  const users = new Map<string, UserTarget>();
  if (parsed === null || parsed === undefined || parsed === '') return { users, problems: [] };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { users, problems: [`\`users\` is not a map: expected ${ACCEPTED}.`] };
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > MAX_USERS) {
    return {
      users,
      problems: [`\`users\` has ${entries.length} entries; at most ${MAX_USERS} are accepted.`],
    };
  }
  const problems: string[] = [];
  for (const [login, value] of entries) {
    const problem = checkEntry(login, value, users);
    if (problem !== undefined) problems.push(`\`users\` entry '${clip(login)}': ${problem}`);
  }
  return { users, problems };
}

function checkEntry(
  login: string,
  value: unknown,
  users: Map<string, UserTarget>,
): string | undefined {
  if (/\[bot\]$/i.test(login)) return 'bots are never mentioned; remove the entry.';
  if (!LOGIN.test(login)) {
    return 'not a GitHub login (letters, digits and single hyphens, at most 39 characters).';
  }
  const key = login.toLowerCase();
  if (users.has(key)) return 'listed twice (GitHub logins ignore case).';
  if (typeof value !== 'string')
    return `the value must be one email or "@mention_name", not a ${Array.isArray(value) ? 'list' : 'map'}.`;
  const target = value.trim();
  if (target.startsWith('@')) {
    const mentionName = target.slice(1);
    if (!isMentionName(mentionName)) {
      return `'${clip(target)}' is not a HipChat mention name (letters, digits and _, at most 50; never @all or @here).`;
    }
    users.set(key, { kind: 'mention', mentionName });
    return undefined;
  }
  if (target.length > 254 || !EMAIL.test(target)) {
    return `'${clip(target)}' is neither an email address nor an "@mention_name".`;
  }
  users.set(key, { kind: 'email', email: target.toLowerCase() });
  return undefined;
}

/** What `users` may hold, at most, in bytes: a team's people typed into a workflow file. */
const MAX_USERS_BYTES = 64 * 1024;

/**
 * Reads the `users` input: '' is an empty map; anything else is parsed as YAML with every
 * scalar as text (`failsafe`: `0123` or `yes` stay as written) and validated. Pure: the parser
 * is given (loaded only when a YAML input is set: yaml-inputs.ts).
 */
export function parseUsers(
  text: string,
  parseYaml: YamlParse,
): { users: UsersMap; problems: string[] } {
  if (text.trim() === '') return { users: new Map(), problems: [] };
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_USERS_BYTES) {
    return {
      users: new Map(),
      problems: [`\`users\` is ${bytes} bytes long: at most ${MAX_USERS_BYTES} are accepted.`],
    };
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { ...YAML_OPTIONS, schema: 'failsafe', maxAliasCount: 0 });
  } catch (error) {
    return {
      users: new Map(),
      problems: [`\`users\` is not valid YAML: ${firstLine(error)}. Expected ${ACCEPTED}.`],
    };
  }
  return validateUsers(parsed);
}

/** The parser's reason, first line only: its excerpt of the input stays out of the log. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n', 1)[0] ?? '').replace(/:\s*$/, '').trim() || 'unreadable';
}

/** A value as it appears in an error: one line, at most 60 characters. */
function clip(value: string): string {
  const line = value.replace(/[\p{Cc}\s]+/gu, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
