/**
 * The commit list a message can carry (`commits`): what the view calls `commits[]`,
 * `commits_more` and `compare_url`, from a push's payload or — for a release — the GitHub
 * compare API (release.ts). Every text from a commit is outside text: one line, bounded, and
 * escaped and defused by the template like every value. Pure.
 */
import { pageUrl } from '../whole-run/jobs.js';

/** One commit of `{{#commits}}…{{/commits}}`. */
export interface CommitView {
  sha: string;
  short_sha: string;
  /** The commit's page. */
  url: string;
  /** The first line of its message. */
  title: string;
  /** Its author's GitHub login where GitHub knows it, else the name they wrote. */
  author: string;
}

/** The commit list and what it leaves out. */
export interface CommitList {
  commits: CommitView[];
  /** How many more commits there are than listed. */
  more: number;
  /** The page that shows them all ('' when unknown). */
  compareUrl: string;
}

/** Most characters of a commit title or author kept. */
const MAX_TITLE = 120;
const MAX_AUTHOR = 60;

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Text on one line, whitespace collapsed, at most `max` characters. */
export function oneLine(value: string, max: number): string {
  const first = value.split(/\r?\n|\r|\u2028|\u2029/, 1)[0] ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const flat = first.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * One commit as the list shows it, from a push payload's commit (`id`, `message`, `author`) or
 * the compare API's (`sha`, `commit.message`, `commit.author`, `author.login`); undefined when
 * it has no sha. The link is built from the repository's page, not taken from the payload.
 */
export function commitView(raw: unknown, repositoryUrl: string): CommitView | undefined {
  const c = record(raw);
  const sha = str(c.id) || str(c.sha);
  if (!SHA.test(sha)) return undefined;
  const inner = record(c.commit);
  const message = str(c.message) || str(inner.message);
  const author =
    str(record(c.author).login) ||
    str(record(c.author).username) ||
    str(record(c.author).name) ||
    str(record(inner.author).name);
  const base = pageUrl(repositoryUrl);
  return {
    sha: sha.toLowerCase(),
    short_sha: sha.slice(0, 7).toLowerCase(),
    url: base ? `${base.replace(/\/+$/, '')}/commit/${sha.toLowerCase()}` : '',
    title: oneLine(message, MAX_TITLE),
    author: oneLine(author, MAX_AUTHOR),
  };
}

/**
 * A push's first `limit` commits (the payload lists at most 20, oldest first; commits already
 * on another branch, `distinct: false`, are left out), and how many more it lists.
 */
export function pushCommits(
  event: Record<string, unknown>,
  repositoryUrl: string,
  limit: number,
): CommitList {
  const listed = Array.isArray(event.commits) ? (event.commits as unknown[]) : [];
  const all = listed
    .filter((c) => record(c).distinct !== false)
    .map((c) => commitView(c, repositoryUrl))
    .filter((c): c is CommitView => c !== undefined);
  const commits = all.slice(0, Math.max(0, limit));
  return { commits, more: all.length - commits.length, compareUrl: pageUrl(event.compare) };
}
