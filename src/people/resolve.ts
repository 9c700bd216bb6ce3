/**
 * From the authenticated person behind a run to the HipChat user to reach, in this order: the
 * `users` map (GitHub login → email or `@mention_name`), then HipChat's directory by the commit
 * email GitHub ties to that login (author.ts: never an e-mail a commit merely claims).
 * Pure: the directory is a `Lookup` the caller provides (the HipChat client, paced and
 * budgeted like every call). Nobody is pinged unless HipChat itself vouched for the person.
 */
import type { Author } from './author.js';
import { oneLine } from '../text/one-line.js';
import type { UsersMap } from '../inputs/users.js';
import { isMentionName } from '../text/mentions.js';

/** The fields of `GET /v2/user/{id_or_email}` this action reads. */
export interface DirectoryUser {
  id: number;
  name: string;
  mention_name: string;
  email: string;
}

/** What a directory lookup found. `failed` covers scope, transport, rate limit and budget. */
export type LookupAnswer =
  | { found: true; user: DirectoryUser }
  | { found: false; failed?: false }
  | { found: false; failed: true; reason: string; refused?: boolean };

/** Looks one user up by email (or id, or `@mention_name`). Never rejects. */
export type Lookup = (ref: string) => Promise<LookupAnswer>;

/** Who to name, and how. */
export interface Resolution {
  author: Author;
  /** The name to print: HipChat's name when resolved, else the commit's name or the login. */
  name: string;
  /** The mention name to ping, '' when nobody is pinged. */
  mentionName: string;
  /** Where a private message goes (`{id_or_email}`), '' when nowhere. */
  messageTo: string;
  /** How the person was found, or why nobody is pinged (one sentence, for the notice). */
  how: string;
  /** Set when the directory refused the token (scope): a private message cannot go either. */
  refused?: string;
}

/** Resolves `author` through `users`, then the directory. Never rejects. */
export async function resolveAuthor(
  author: Author,
  users: UsersMap,
  lookup: Lookup,
): Promise<Resolution> {
  const plain = (how: string): Resolution => ({
    author,
    name: author.name || author.login,
    mentionName: '',
    messageTo: '',
    how,
  });
  if (author.bot) return plain('the change was made by a bot, which has no HipChat user.');
  const mapped = author.login === '' ? undefined : users.get(author.login.toLowerCase());
  if (mapped?.kind === 'mention') {
    return {
      author,
      name: author.name || author.login,
      mentionName: mapped.mentionName,
      messageTo: `@${mapped.mentionName}`,
      how: `\`users\` maps ${author.login} to @${mapped.mentionName}.`,
    };
  }
  const email = mapped?.email ?? author.email;
  const from = mapped ? `\`users\` maps ${author.login} to ${email}` : `the commit email ${email}`;
  if (mapped === undefined) {
    if (email === '') {
      // Only an e-mail GitHub ties to the login is asked about (author.ts): never one a
      // commit merely claims, which anyone (a fork) can write.
      return plain(
        `the event gives no email that GitHub ties to ${author.login}; map the login in \`users\`.`,
      );
    }
    if (author.noreply) {
      return plain(
        `the commit email ${email} is a noreply address; map the GitHub login in \`users\`.`,
      );
    }
  }
  const answer = await lookup(email);
  if (!answer.found && answer.failed === true) {
    const why = `HipChat's user directory could not be asked about ${email}: ${answer.reason}`;
    return answer.refused === true ? { ...plain(why), refused: answer.reason } : plain(why);
  }
  if (!answer.found) return plain(`${from}, but HipChat has no user with that email.`);
  const { user } = answer;
  // The directory answers for the address asked; any other answer is not trusted to ping.
  if (user.email.trim().toLowerCase() !== email) {
    return plain(`HipChat answered for ${email} with a user of another email.`);
  }
  if (!isMentionName(user.mention_name)) {
    return plain(`HipChat's mention name for ${email} cannot be written as a mention.`);
  }
  return {
    author,
    name: user.name || author.name || author.login,
    mentionName: user.mention_name,
    messageTo: String(user.id),
    how: `${from} belongs to HipChat user @${user.mention_name}.`,
  };
}

/** Wraps a lookup so each reference is asked once per run (answers are kept, failures too). */
export function cachedLookup(lookup: Lookup): Lookup {
  const answers = new Map<string, Promise<LookupAnswer>>();
  return (ref) => {
    const key = ref.toLowerCase();
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = lookup(ref);
      answers.set(key, answer);
    }
    return answer;
  };
}

/**
 * Reads a directory answer's JSON: the user, or undefined when a field is missing or of the
 * wrong type (then nobody is pinged).
 */
export function readDirectoryUser(body: unknown): DirectoryUser | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { id, name, mention_name: mentionName, email } = body as Record<string, unknown>;
  if (!Number.isInteger(id) || typeof mentionName !== 'string' || typeof email !== 'string') {
    return undefined;
  }
  return {
    id: id as number,
    name: typeof name === 'string' ? oneLine(name) : '',
    mention_name: mentionName,
    email,
  };
}
