/**
 * The `users` input: a YAML map from GitHub login to the HipChat user to reach, either an email
 * address (looked up in HipChat's directory) or an `@mention_name` (used as it is). Validated
 * whole before anything is sent; every problem names the entry.
 */
import { InputError } from '../inputs.js';
import { isMentionName } from '../template.js';
import { parseYaml } from '../yaml.js';

/** Who a login stands for in HipChat. */
export type UserTarget =
  { kind: 'email'; email: string } | { kind: 'mention'; mentionName: string };

/** Lower-cased GitHub login → HipChat user. GitHub logins are case-insensitive. */
export type UsersMap = ReadonlyMap<string, UserTarget>;

/** Entries read at most: a team's people, not a company directory (that is what HipChat has). */
export const MAX_USERS = 1000;

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

/**
 * Reads the `users` input: '' is an empty map (no YAML module is loaded); anything else is
 * parsed as YAML and validated. Throws an `InputError` naming the input and the entry.
 */
export async function parseUsersInput(text: string): Promise<UsersMap> {
  if (text.trim() === '') return new Map();
  let parsed: unknown;
  try {
    parsed = await parseYaml(text);
  } catch (error) {
    throw new InputError([
      `\`users\` is not valid YAML: ${(error as Error).message}. Expected ${ACCEPTED}.`,
    ]);
  }
  const { users, problems } = validateUsers(parsed);
  if (problems.length > 0) throw new InputError(problems);
  return users;
}

/** A value as it appears in an error: one line, at most 60 characters. */
function clip(value: string): string {
  const line = value.replace(/[\p{Cc}\s]+/gu, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
