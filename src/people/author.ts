/**
 * Who made the change a run is about, read from the event payload alone (pure): the push's
 * head-commit author, the pull request's author, or the head-commit author of the run that
 * triggered a `workflow_run`. Every field is untrusted text from the payload; this module only
 * picks and classifies it, and never decides how it is written into a message.
 */
import { record, text } from '../context/events/payload.js';
import { oneLine } from '../text/one-line.js';

/** The person behind a change, as the event tells it. Strings are '' when unknown. */
export interface Author {
  /** GitHub login: given by the event, or read from a GitHub noreply address. */
  login: string;
  /** The name the commit gives (or the login when the event has no name). */
  name: string;
  /** The commit email, lower-cased; '' when the event has none (pull requests). */
  email: string;
  /** An app or bot account: `[bot]` logins, bot noreply addresses, `type: Bot` users. */
  bot: boolean;
  /** The email is a noreply address: it belongs to no HipChat user. */
  noreply: boolean;
  /** Where in the event the author was found, for logs and docs. */
  source:
    'push head commit' | 'pull request' | 'triggering run head commit' | 'triggering run actor';
}

type Json = Record<string, unknown>;

/** GitHub's noreply addresses: `login@…` or `id+login@users.noreply.github.com` (GHES: its host). */
const GITHUB_NOREPLY = /^(?:\d+\+)?([^@+]+)@users\.noreply\.[^@]+$/i;
/** Any other address that nobody reads: `noreply@`, `no-reply@`, `donotreply@`… */
const OTHER_NOREPLY = /^(?:no-?reply|do-?not-?reply)(?:[+.-][^@]*)?@/i;
/** A GitHub login as GitHub allows them, plus the `[bot]` suffix of app accounts. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$/;
/** Longest email address SMTP allows (RFC 5321). */
const MAX_EMAIL = 254;

/** Event kinds `mention: author` knows how to read. */
export function readsAuthor(eventName: string): boolean {
  return eventName === 'push' || eventName === 'workflow_run' || isPullRequestEvent(eventName);
}

/**
 * The author of the change behind this run, or undefined when the event names none (a branch
 * deletion, a schedule, a manual run, events without a change). With `summary: run` the
 * same person is meant: a run's jobs all build the one change that triggered the run.
 */
export function findAuthor(eventName: string, event: Json): Author | undefined {
  if (eventName === 'push') {
    const author = record(record(event, 'head_commit'), 'author');
    return fromCommit(author, text(author, 'username'), 'push head commit');
  }
  if (isPullRequestEvent(eventName)) {
    const user = record(record(event, 'pull_request'), 'user');
    const login = text(user, 'login');
    if (!LOGIN.test(login)) return undefined;
    return classify({ login, name: login, email: '', source: 'pull request' }, user['type']);
  }
  if (eventName === 'workflow_run') {
    const run = record(event, 'workflow_run');
    const author = record(record(run, 'head_commit'), 'author');
    const fromHead = fromCommit(author, '', 'triggering run head commit');
    if (fromHead !== undefined) return fromHead;
    // No head commit (rare: a run of a deleted branch): the one who triggered the run.
    const actor = record(run, 'actor');
    const login = text(actor, 'login');
    if (!LOGIN.test(login)) return undefined;
    return classify(
      { login, name: login, email: '', source: 'triggering run actor' },
      actor['type'],
    );
  }
  return undefined;
}

function fromCommit(author: Json, username: string, source: Author['source']): Author | undefined {
  const email = text(author, 'email').trim().toLowerCase();
  const usable = email.length <= MAX_EMAIL && /^[^\s@]+@[^\s@]+$/.test(email) ? email : '';
  const noreplyLogin = GITHUB_NOREPLY.exec(usable)?.[1] ?? '';
  const login = LOGIN.test(username) ? username : LOGIN.test(noreplyLogin) ? noreplyLogin : '';
  const name = oneLine(text(author, 'name')) || login;
  if (name === '' && usable === '') return undefined;
  return classify({ login, name, email: usable, source }, undefined);
}

function classify(fields: Omit<Author, 'bot' | 'noreply'>, type: unknown): Author {
  const noreply = GITHUB_NOREPLY.test(fields.email) || OTHER_NOREPLY.test(fields.email);
  const bot =
    type === 'Bot' ||
    /\[bot\]$/i.test(fields.login) ||
    /\[bot\]@/i.test(fields.email) ||
    /\[bot\]$/i.test(fields.name);
  return { ...fields, bot, noreply };
}

function isPullRequestEvent(eventName: string): boolean {
  return eventName.startsWith('pull_request');
}
