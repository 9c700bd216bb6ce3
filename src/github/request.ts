/**
 * One GET to GitHub, bounded: an overall deadline (connection, answer and body together, raced
 * here because undici applies an abort only once a connection is up), and a cap on how much of
 * the body is read. What to do with the answer is the caller's.
 */
import type { Dispatcher } from 'undici';
import { request } from '../http/undici.js';
import { flattenHeaders } from '../http/headers.js';
import { readBounded } from '../http/body.js';
import { startDeadline } from '../http/deadline.js';
import type { Route } from '../http/route.js';
import { GitHubError, serverText } from './errors.js';

/** What the server answered: status, lower-cased headers, and what `read` made of the body. */
export interface Answer<T> {
  status: number;
  headers: Record<string, string>;
  value: T;
}

/** Reads an answer's body; the stream is destroyed afterwards, whatever is left of it. */
export type BodyReader<T> = (
  body: Dispatcher.ResponseData['body'],
  status: number,
  headers: Record<string, string>,
) => Promise<T>;

/** One request's limits and how to speak of them. */
export interface Exchange {
  url: URL;
  route: Route;
  headers: Record<string, string>;
  /** Milliseconds for the whole request, body included. */
  timeoutMs: number;
  /** Says why a request ran out of time: `within 30 s` or `within the 4.0 s max-wait left…`. */
  within: string;
  /** `GET /repos/…`, for messages. */
  label: string;
  /** `the GitHub API at https://api.github.com`, or the log host. */
  peer: string;
}

/** Performs `exchange` and reads its body with `read`; rejects only with a `GitHubError`. */
export async function exchange<T>(ex: Exchange, read: BodyReader<T>): Promise<Answer<T>> {
  const deadline = startDeadline(
    ex.timeoutMs,
    () => new GitHubError('timeout', ex.label, `${ex.peer} did not answer ${ex.within}.`),
  );
  const work = (async (): Promise<Answer<T>> => {
    const response = await request(ex.url, {
      method: 'GET',
      headers: ex.headers,
      dispatcher: ex.route.dispatcher,
      headersTimeout: ex.timeoutMs,
      bodyTimeout: ex.timeoutMs,
      signal: deadline.signal,
    });
    const headers = flattenHeaders(response.headers);
    // Destroying a body that was not read emits an error: it is expected, not a crash.
    response.body.on('error', () => {});
    try {
      return {
        status: response.statusCode,
        headers,
        value: await read(response.body, response.statusCode, headers),
      };
    } finally {
      response.body.destroy();
    }
  })();
  work.catch(() => {});
  try {
    return await Promise.race([work, deadline.expired]);
  } catch (error) {
    if (deadline.signal.aborted) throw deadline.signal.reason as GitHubError;
    if (error instanceof GitHubError) throw error;
    throw new GitHubError(
      'network',
      ex.label,
      `could not reach ${ex.peer} (${cause(error)}${ex.route.proxy ? `, through the proxy ${ex.route.proxy}` : ''}). Check GITHUB_API_URL and the runner's network and proxy settings.`,
      { cause: error },
    );
  } finally {
    deadline.clear();
  }
}

/** The most telling part of a transport error: its code and message, safe for a log. */
function cause(error: unknown): string {
  const e = error as {
    code?: unknown;
    message?: unknown;
    cause?: { code?: unknown; message?: unknown };
  };
  const code =
    typeof e?.cause?.code === 'string' ? e.cause.code : typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return serverText(code && !message.includes(code) ? `${code}: ${message}` : message);
}

/**
 * The body as text, at most `cap` bytes: a larger answer is refused (and the rest never read),
 * so an endless or huge answer costs neither memory nor time. A body that breaks off rejects as
 * its stream did.
 */
export async function readCapped(
  body: Dispatcher.ResponseData['body'],
  cap: number,
  label: string,
): Promise<string> {
  const read = await readBounded(body, cap);
  if (read.cut !== undefined) throw read.cut;
  if (read.over) {
    throw new GitHubError(
      'body',
      label,
      `the answer to ${label} is larger than ${Math.round(cap / 1024)} KiB, more than the GitHub API sends; it was not read.`,
    );
  }
  return read.text;
}
