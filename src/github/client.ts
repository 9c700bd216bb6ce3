/**
 * A small GitHub REST client for what the action reads: JSON resources, every page of a
 * listing, and job logs. It runs on the HTTP edge the HipChat client uses (src/http/: undici,
 * proxies, private CAs, the connect guard, the deadline, the bounded read), inside the run's
 * budget:
 *
 * - every request gets `min(timeout, what is left until deadlineMs)`, where `deadlineMs` is the
 *   end of `max-wait` minus a reserve for the posts, so a slow GitHub never costs the alert;
 * - rate limits (`retry-after`, `x-ratelimit-*`) are waited out when that fits, else the
 *   request gives up with the reason (pacing.ts); a used-up window holds the next request;
 * - bodies are read up to a cap (JSON only); a log is streamed, never held;
 * - a log download's redirect is followed once, to wherever GitHub points, **without** the
 *   Authorization header (the signed URL is its own credential).
 *
 * Loaded on demand (its own chunk): only runs that read the GitHub API pay for it.
 */
import type { Dispatcher } from 'undici';
import { GitHubError, serverText } from './errors.js';
import { MIN_REQUEST_MS, exhaustedUntil, pace } from './pacing.js';
import { exchange, readCapped } from './request.js';
import type { Answer, BodyReader } from './request.js';
import { Routes, type RouteOptions } from '../http/route.js';
import { rangeStart, tailStart } from './ranges.js';

/** Where a log download's bytes go. */
export interface LogSink {
  /** A body begins, at byte `from` of the log (0: from its start, so from a line's start). */
  begin(from: number): void;
  /** The body's next bytes (a line, or a character, may span chunks). */
  chunk(bytes: Buffer): void;
}

/** Time and waiting, injected so tests can drive them. */
export interface GitHubClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: GitHubClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The client's settings: the connections' (`RouteOptions`: `timeoutMs` is also what one
 * request may take, the `timeout` input) and GitHub's own.
 */
export interface GitHubClientOptions extends RouteOptions {
  /** `GITHUB_API_URL`: `https://api.github.com`, or `https://ghes.example.com/api/v3`. */
  apiUrl: string;
  token: string;
  /** Epoch ms after which no GitHub request may run (max-wait's end minus the posts' reserve). */
  deadlineMs: number;
  /** Told about waits for rate limits. */
  info?: (message: string) => void;
  clock?: GitHubClock;
}

/** JSON answers larger than this are refused: a page of 100 jobs with their steps is < 1 MiB. */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;
/** Listings stop after this many pages of 100 (GitHub caps a matrix at 256 jobs). */
const MAX_PAGES = 10;

const USER_AGENT = 'hipchat-notify (GitHub Action)';

/** A GitHub REST client for one run. `close()` it when done. */
export class GitHubClient {
  readonly apiUrl: string;
  private readonly options: GitHubClientOptions;
  private readonly clock: GitHubClock;
  private readonly routes: Routes;
  /** No request before this (a used-up rate-limit window). */
  private holdUntilMs = 0;

  constructor(options: GitHubClientOptions) {
    this.options = options;
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.clock = options.clock ?? realClock;
    this.routes = new Routes({
      timeoutMs: options.timeoutMs,
      env: options.env,
      dispatcher: options.dispatcher,
      lookup: options.lookup,
    });
  }

  /** `GET {apiUrl}{path}?{query}` as parsed JSON. Rejects with a `GitHubError`. */
  async getJson<T>(path: string, query: Record<string, string | number> = {}): Promise<T> {
    const url = this.url(path, query);
    const label = `GET ${new URL(url).pathname}`;
    const answer = await this.paced(url, label, true, (body, status, headers) =>
      readJson(body, status, headers, label),
    );
    return answer.value as T;
  }

  /**
   * Every item of a paginated listing (`per_page=100`), page after page until a short page or
   * `total_count`, at most `MAX_PAGES` pages. `key` names the array in each page.
   */
  async listAll<T>(
    path: string,
    key: string,
    query: Record<string, string | number> = {},
  ): Promise<{ items: T[]; total: number; complete: boolean }> {
    const items: T[] = [];
    let total = 0;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const data = await this.getJson<Record<string, unknown>>(path, {
        ...query,
        per_page: 100,
        page,
      });
      const batch = Array.isArray(data[key]) ? (data[key] as T[]) : [];
      total = typeof data.total_count === 'number' ? data.total_count : items.length + batch.length;
      items.push(...batch);
      if (batch.length < 100 || items.length >= total) return { items, total, complete: true };
    }
    return { items, total, complete: items.length >= total };
  }

  /**
   * Streams `GET {apiUrl}{path}`'s body to `sink`, following one redirect to another host
   * without the Authorization header. With `tailBytes`, a log longer than that on a host that
   * serves byte ranges (`Accept-Ranges: bytes`, as cloud storage does) is read from
   * `tailBytes` before its end only. Resolves with the offset the bytes given start at: 0 for
   * the whole log, more when they begin mid-log (and so mid-line).
   */
  async download(path: string, sink: LogSink, tailBytes?: number): Promise<{ from: number }> {
    const url = this.url(path, {});
    const label = `GET ${new URL(url).pathname}`;
    const stream = async (body: unknown, status: number, from: number): Promise<number> => {
      if (status >= 300) return from;
      sink.begin(from);
      for await (const chunk of body as AsyncIterable<Buffer>) sink.chunk(chunk);
      return from;
    };
    const first = await this.paced(
      url,
      label,
      true,
      async (body, status, headers) => {
        if (status >= 300 && status < 400) return headers.location ?? '';
        if (status >= 400) return readJson(body, status, headers, label).catch(() => undefined);
        return stream(body, status, 0);
      },
      { redirects: true },
    );
    if (first.status < 300) return { from: 0 };
    const location = typeof first.value === 'string' ? first.value : '';
    const target = redirectTarget(url, location, label);
    const logLabel = `${label} (redirected to ${target.host})`;
    // A long log on a host with ranges: its size from the headers, the body left unread.
    const sized = await this.paced(target, logLabel, false, async (body, status, headers) => {
      const start = tailStart(status, headers, tailBytes);
      return start === undefined ? stream(body, status, 0).then(() => 0) : start;
    });
    if (sized.value === 0) return { from: 0 };
    const ranged = await this.paced(
      target,
      logLabel,
      false,
      (body, status, headers) => stream(body, status, rangeStart(status, headers)),
      { headers: { range: `bytes=${sized.value}-` } },
    );
    return { from: ranged.value };
  }

  /** Ends every connection. */
  close(): Promise<void> {
    return this.routes.close();
  }

  private url(path: string, query: Record<string, string | number>): string {
    const search = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    return `${this.apiUrl}${path}${search ? `?${search}` : ''}`;
  }

  /**
   * One request with the pacing of pacing.ts: waits for a held window, retries what GitHub
   * asks to retry, and turns an error status into a `GitHubError`.
   */
  private async paced<T>(
    url: string | URL,
    label: string,
    auth: boolean,
    read: BodyReader<T>,
    {
      redirects = false,
      headers = {},
    }: { redirects?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    for (let tries = 1; ; tries++) {
      await this.waitUntil(this.holdUntilMs, label, "the token's API rate limit is used up");
      const answer = await this.once(new URL(url), label, auth, read, headers);
      const now = this.clock.now();
      this.holdUntilMs = Math.max(this.holdUntilMs, exhaustedUntil(answer.headers, now) ?? 0);
      const decision = pace(answer.status, answer.headers, tries, now, this.options.deadlineMs);
      if (decision.action === 'done') return answer;
      if (redirects && answer.status >= 300 && answer.status < 400) return answer;
      if (decision.action === 'retry') {
        this.options.info?.(
          `GitHub API: ${decision.why}; retrying ${label} at ${new Date(decision.atMs).toISOString()}.`,
        );
        await this.clock.sleep(Math.max(0, decision.atMs - now));
        continue;
      }
      const githubMessage = messageOf(answer.value);
      if (decision.action === 'give-up') {
        throw new GitHubError('rate-limit', label, `gave up on ${label}: ${decision.why}.`, {
          status: answer.status,
          githubMessage,
        });
      }
      throw new GitHubError(
        'http',
        label,
        `GitHub answered ${answer.status} to ${label}${githubMessage ? `: ${githubMessage}` : ''}.`,
        {
          status: answer.status,
          githubMessage,
        },
      );
    }
  }

  /** Sleeps until `atMs` when that leaves time for a request before the deadline; else gives up. */
  private async waitUntil(atMs: number, label: string, why: string): Promise<void> {
    const now = this.clock.now();
    if (atMs <= now) return;
    if (atMs + MIN_REQUEST_MS > this.options.deadlineMs) {
      throw new GitHubError(
        'rate-limit',
        label,
        `gave up on ${label}: ${why} until ${new Date(atMs).toISOString()}, after the time \`max-wait\` leaves for GitHub.`,
      );
    }
    this.options.info?.(`GitHub API: ${why}; waiting until ${new Date(atMs).toISOString()}.`);
    await this.clock.sleep(atMs - now);
  }

  /** One bounded request: `min(timeout, time left until the deadline)`. */
  private async once<T>(
    url: URL,
    label: string,
    auth: boolean,
    read: BodyReader<T>,
    extra: Record<string, string>,
  ): Promise<Answer<T>> {
    const left = this.options.deadlineMs - this.clock.now();
    const peer = auth ? `the GitHub API at ${this.apiUrl}` : `the log host ${url.host}`;
    if (left < MIN_REQUEST_MS / 10) {
      throw new GitHubError(
        'budget',
        label,
        `no time was left for ${label}: \`max-wait\` keeps the rest for the posts.`,
      );
    }
    const byBudget = left < this.options.timeoutMs;
    const timeoutMs = Math.max(1, Math.floor(byBudget ? left : this.options.timeoutMs));
    const within = byBudget
      ? `within the ${(timeoutMs / 1000).toFixed(1)} s that \`max-wait\` leaves for GitHub (the rest is kept for the posts)`
      : `within ${timeoutMs / 1000} s`;
    let route;
    try {
      route = await this.routes.route(url);
    } catch (error) {
      throw new GitHubError('network', label, serverText((error as Error).message, 300), {
        cause: error,
      });
    }
    const headers: Record<string, string> = {
      accept: 'application/vnd.github+json',
      'user-agent': USER_AGENT,
      'x-github-api-version': '2022-11-28',
      ...extra,
    };
    // The classic scheme: older GitHub Enterprise Server versions accept only this one.
    if (auth) headers.authorization = `token ${this.options.token}`;
    return exchange({ url, route, headers, timeoutMs, within, label, peer }, read);
  }
}

/** A JSON body (any status), capped; a success that is not JSON is an error. */
async function readJson(
  body: Dispatcher.ResponseData['body'],
  status: number,
  headers: Record<string, string>,
  label: string,
): Promise<unknown> {
  const text = await readCapped(body, MAX_JSON_BYTES, label);
  const json = /\bjson\b/i.test(headers['content-type'] ?? '');
  try {
    if (json || status < 300) return JSON.parse(text) as unknown;
  } catch {
    // below
  }
  if (status >= 300) return undefined; // an error page: the status says enough
  throw new GitHubError(
    'body',
    label,
    `the answer to ${label} is not JSON (${serverText(headers['content-type'] ?? 'no content type', 60)}): is GITHUB_API_URL the GitHub API, or did a proxy answer?`,
  );
}

/** GitHub's `{"message": …}` of an error answer, made safe for a log. */
function messageOf(value: unknown): string | undefined {
  const message = (value as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message.trim() ? serverText(message) : undefined;
}

/** Where a redirect points; only http(s), and never from https down to http. */
function redirectTarget(from: string, location: string, label: string): URL {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new GitHubError('body', label, `${label} redirected to something that is not a URL.`);
  }
  const downgrade = from.startsWith('https:') && target.protocol !== 'https:';
  if (!location || (target.protocol !== 'https:' && target.protocol !== 'http:') || downgrade) {
    throw new GitHubError(
      'body',
      label,
      `${label} redirected to ${location ? `a ${serverText(target.protocol, 10)} URL` : 'nowhere'}${downgrade ? ' (from https: refused)' : ''}; the log was not read.`,
    );
  }
  return target;
}
