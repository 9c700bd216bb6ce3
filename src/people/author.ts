/**
 * Who a run is about, read from the event payload alone (pure) — and only from what GitHub
 * authenticates. A commit's author name and e-mail are whatever its author wrote (anyone can
 * author a commit as anyone, and a fork writes every commit field of a `workflow_run`), so the
 * person is always an account GitHub authenticated for this event:
 *
 * - `push`: the account that pushed (`sender.login`, else `pusher.name`);
 * - `pull_request*`: the pull request's author (`pull_request.user.login`);
 * - `workflow_run`: the triggering run's actor (`workflow_run.actor`, else its
 *   `triggering_actor`, else `sender`).
 *
 * A commit e-mail is used (for HipChat's directory) only when GitHub ties it to that account:
 * on a push — always to the repository itself — whose head commit's `author.username` (GitHub's
 * account for that e-mail) is the pusher's login. Never on a `workflow_run` or a pull request,
 * whose commits may come from a fork. Every field stays untrusted text; this module only picks
 * and classifies it (docs/mentions.md).
 */
import { record, text } from '../context/events/payload.js';
import { oneLine } from '../text/one-line.js';

/** The person behind a run, as GitHub authenticated them. Strings are '' when unknown. */
export interface Author {
  /** The GitHub login GitHub authenticated for this event. */
  login: string;
  /** The name to print: the tied commit's author name, else the login. */
  name: string;
  /** A commit e-mail GitHub ties to `login` (lower-cased), '' when there is none. */
  email: string;
  /** An app or bot account: `[bot]` logins, `type: Bot` accounts, bot noreply addresses. */
  bot: boolean;
  /** The tied e-mail is a noreply address: it belongs to no HipChat user. */
  noreply: boolean;
  /** Which authenticated account it is, for logs and docs. */
  source: 'pusher' | 'pull request author' | 'triggering run actor';
}

type Json = Record<string, unknown>;

/** GitHub's noreply addresses: `login@…` or `id+login@users.noreply.github.com` (GHES: its host). */
const GITHUB_NOREPLY = /^(?:\d+\+)?[^@+]+@users\.noreply\.[^@]+$/i;
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
 * The authenticated person behind this run, or undefined when the event names none (other
 * events, or no login of GitHub's shape). With `summary: run` the same person is meant.
 */
export function findAuthor(eventName: string, event: Json): Author | undefined {
  if (eventName === 'push') {
    const sender = record(event, 'sender');
    const login =
      validLogin(text(sender, 'login')) || validLogin(text(record(event, 'pusher'), 'name'));
    if (login === '') return undefined;
    const author = record(record(event, 'head_commit'), 'author');
    // GitHub's account for the commit's e-mail is the pusher: the e-mail is theirs.
    const tied = text(author, 'username').toLowerCase() === login.toLowerCase();
    const email = tied ? usableEmail(text(author, 'email')) : '';
    const name = (tied && oneLine(text(author, 'name'))) || login;
    return classify({ login, name, email, source: 'pusher' }, sender['type']);
  }
  if (isPullRequestEvent(eventName)) {
    const user = record(record(event, 'pull_request'), 'user');
    return account(user, 'pull request author');
  }
  if (eventName === 'workflow_run') {
    const run = record(event, 'workflow_run');
    for (const holder of [record(run, 'actor'), record(run, 'triggering_actor')]) {
      const found = account(holder, 'triggering run actor');
      if (found) return found;
    }
    return account(record(event, 'sender'), 'triggering run actor');
  }
  return undefined;
}

/** An account object (`{ login, type }`) as the person, without an e-mail. */
function account(user: Json, source: Author['source']): Author | undefined {
  const login = validLogin(text(user, 'login'));
  if (login === '') return undefined;
  return classify({ login, name: login, email: '', source }, user['type']);
}

function validLogin(login: string): string {
  return LOGIN.test(login) ? login : '';
}

function usableEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  return email.length <= MAX_EMAIL && /^[^\s@]+@[^\s@]+$/.test(email) ? email : '';
}

function classify(fields: Omit<Author, 'bot' | 'noreply'>, type: unknown): Author {
  const noreply = GITHUB_NOREPLY.test(fields.email) || OTHER_NOREPLY.test(fields.email);
  const bot = type === 'Bot' || /\[bot\]$/i.test(fields.login) || /\[bot\]@/i.test(fields.email);
  return { ...fields, bot, noreply };
}

function isPullRequestEvent(eventName: string): boolean {
  return eventName.startsWith('pull_request');
}
