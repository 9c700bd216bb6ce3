/**
 * The HTTP edge: one request to HipChat, no retries and no interpretation beyond the transport.
 * Retrying and pacing live in delivery/; turning answers into advice in http-advice.ts, and
 * failures without an answer into a `TransportError` in transport-error.ts.
 */
// undici's Agent and request() without evaluating the rest of undici: see undici.ts.
import { basicCredentials } from './credentials.js';
import { Agent, buildConnector, request } from './undici.js';
import { guardConnect } from './connect-guard.js';
import type { Dispatcher } from 'undici';
import type { LookupFunction } from 'node:net';
import type {
  HipChatResponse,
  NotificationBody,
  PrivateMessageBody,
  TokenAnswer,
  TokenResponse,
} from './types.js';
import { TransportError, toTransportError } from './transport-error.js';

/** The most of an answer's body that is read; the rest is discarded (HipChat's are a few KB). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Settings shared by every request of a run. */
export interface ClientOptions {
  /** Server base URL without a trailing slash. */
  server: string;
  /** Milliseconds one request may take in all: connecting (proxy and TLS included) and answer. */
  timeoutMs: number;
  /** Sent as `User-Agent`, so server admins can tell where posts come from. */
  userAgent?: string;
  /** The undici dispatcher to use (a test's); when absent, one is made from `env`. */
  dispatcher?: Dispatcher;
  /** Where the proxy variables are read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Name resolution for direct connections (default the system's); tests map names to 127.0.0.1. */
  lookup?: LookupFunction;
  /**
   * The run's secrets: every answer (body and header values) is redacted of them, whole or in
   * part, before anything reads it, so no snippet cut from it can hold a piece of one.
   */
  secrets?: { redactUntrusted(text: string): string };
}

/** Limits of one request beyond the client's own `timeoutMs`. */
export interface SendOptions {
  /**
   * Milliseconds the run's `max-wait` has left: the request is abandoned then when that comes
   * before its `timeout`, and a failure says which of the two it ran out of.
   */
  budgetMs?: number;
}

const USER_AGENT = 'hipchat-notify (GitHub Action)';

// Waits between posts can outlast a server's keep-alive; a short idle time avoids writing into
// a socket the server is closing (such a request would fail after it was sent: ambiguous).
const KEEP_ALIVE = { keepAliveTimeout: 1_000, keepAliveMaxTimeout: 4_000 };

/**
 * Whether the whole request was written (undici's `onRequestSent`) and whether an answer began
 * to arrive (`onResponseStarted`, at its first byte).
 */
interface Trace {
  sent: boolean;
  answering: boolean;
}

type Handlers = Dispatcher.DispatchHandlers;

/**
 * Passes every event through to undici's own handler and notes when the whole request has been
 * written (`onRequestSent`): only after that can a failure have left HipChat acting on it.
 * Plain delegation (not undici's DecoratorHandler) so nothing beyond Agent and request() is
 * loaded at start-up.
 */
class TracingHandler implements Handlers {
  readonly #inner: Handlers & { onRequestSent?(): void };
  readonly #trace: Trace;
  constructor(inner: Handlers, trace: Trace) {
    this.#inner = inner;
    this.#trace = trace;
  }
  onConnect(...args: Parameters<NonNullable<Handlers['onConnect']>>): void {
    return this.#inner.onConnect?.(...args);
  }
  onError(...args: Parameters<NonNullable<Handlers['onError']>>): void {
    return this.#inner.onError?.(...args);
  }
  onUpgrade(...args: Parameters<NonNullable<Handlers['onUpgrade']>>): void {
    return this.#inner.onUpgrade?.(...args);
  }
  onResponseStarted(): void {
    this.#trace.answering = true;
    return this.#inner.onResponseStarted?.();
  }
  onHeaders(...args: Parameters<NonNullable<Handlers['onHeaders']>>): boolean {
    return this.#inner.onHeaders?.(...args) ?? true;
  }
  onData(...args: Parameters<NonNullable<Handlers['onData']>>): boolean {
    return this.#inner.onData?.(...args) ?? true;
  }
  onComplete(...args: Parameters<NonNullable<Handlers['onComplete']>>): void {
    return this.#inner.onComplete?.(...args);
  }
  onBodySent(...args: Parameters<NonNullable<Handlers['onBodySent']>>): void {
    return this.#inner.onBodySent?.(...args);
  }
  onRequestSent(): void {
    this.#trace.sent = true;
    return this.#inner.onRequestSent?.();
  }
}

/** The dispatcher requests go through; the proxy (without credentials) when there is one. */
interface Route {
  dispatcher: Dispatcher;
  proxy?: string;
  /** Whether the proxy URL carries a user name or password. */
  proxyCredentials?: boolean;
}

function hasCredentials(uri: string): boolean {
  try {
    const url = new URL(uri);
    return Boolean(url.username || url.password);
  } catch {
    return false;
  }
}

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

/** A HipChat v2 client over one undici dispatcher. `close()` it so the process can exit at once. */
export class HipChatClient {
  readonly server: string;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly redact: (text: string) => string;
  private readonly ownsDispatcher: boolean;
  /** NODE_EXTRA_CA_CERTS as the runner set it, for the advice on an untrusted certificate. */
  private readonly extraCaCerts: string | undefined;
  /** Resolves once the dispatcher is chosen (a proxy's module loads on demand). */
  private readonly ready: Promise<Route>;
  private dispatcher: Dispatcher | undefined;

  constructor(options: ClientOptions) {
    this.server = options.server;
    this.timeoutMs = options.timeoutMs;
    this.userAgent = options.userAgent ?? USER_AGENT;
    const secrets = options.secrets;
    this.redact = secrets ? (text) => secrets.redactUntrusted(text) : (text) => text;
    this.ownsDispatcher = !options.dispatcher;
    const env = options.env ?? process.env;
    // Node reads this one from the process's own environment at start-up, whatever `env` says.
    this.extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
    if (options.dispatcher) {
      this.ready = Promise.resolve({ dispatcher: options.dispatcher });
    } else if (PROXY_VARIABLES.some((name) => env[name]?.trim())) {
      // Only a run with a proxy variable loads the proxy module (start-up time matters).
      this.ready = this.viaProxy(env, options.lookup);
    } else {
      this.ready = Promise.resolve({ dispatcher: this.directAgent(options.lookup) });
    }
    // An invalid proxy variable surfaces on the first request; never as an unhandled rejection.
    this.ready.then((r) => (this.dispatcher = r.dispatcher)).catch(() => {});
  }

  /** The proxy requests go through, without credentials; undefined when they go directly. */
  async proxy(): Promise<string | undefined> {
    return (await this.ready).proxy;
  }

  private directAgent(lookup?: LookupFunction): Dispatcher {
    const connector = buildConnector(
      lookup ? { timeout: this.timeoutMs, lookup } : { timeout: this.timeoutMs },
    );
    return new Agent({
      // A connection closed while being set up is one failed attempt (see connect-guard.ts).
      connect: guardConnect(connector) as never,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      ...KEEP_ALIVE,
    });
  }

  private async viaProxy(env: NodeJS.ProcessEnv, lookup?: LookupFunction): Promise<Route> {
    const { proxyFor, proxyDispatcher } = await import('./proxy.js');
    const target = new URL(this.server);
    const proxy = proxyFor(target, env);
    if (!proxy) return { dispatcher: this.directAgent(lookup) };
    return {
      dispatcher: proxyDispatcher(proxy, target, { timeoutMs: this.timeoutMs, ...KEEP_ALIVE }),
      proxy: proxy.display,
      proxyCredentials: hasCredentials(proxy.uri),
    };
  }

  /** The notification URL of a room; names are percent-encoded (a space must be %20, not +). */
  notificationUrl(room: string, authTest = false): string {
    const url = `${this.server}/v2/room/${encodeURIComponent(room)}/notification`;
    return authTest ? `${url}?auth_test=true` : url;
  }

  /**
   * Posts a notification (or, with `authTest`, asks whether the token may post it without
   * posting). Resolves with any HTTP answer; rejects only with a `TransportError`.
   */
  async notify(
    token: string,
    room: string,
    body: NotificationBody,
    authTest = false,
    options: SendOptions = {},
  ): Promise<HipChatResponse> {
    return this.send(
      this.notificationUrl(room, authTest),
      'POST',
      JSON.stringify(body),
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      options,
    );
  }

  /** The URL of a user (`{id_or_email}`: id, email or `@mention_name`, percent-encoded). */
  userUrl(user: string, suffix = '', authTest = false): string {
    const url = `${this.server}/v2/user/${encodeURIComponent(user)}${suffix}`;
    return authTest ? `${url}?auth_test=true` : url;
  }

  /**
   * Looks a user up (`GET /v2/user/{id_or_email}`, scope `view_group`). Resolves with any HTTP
   * answer (200 with the user as JSON, 404 for nobody); rejects only with a `TransportError`.
   */
  async user(token: string, user: string, options: SendOptions = {}): Promise<HipChatResponse> {
    return this.send(
      this.userUrl(user),
      'GET',
      undefined,
      { authorization: `Bearer ${token}` },
      options,
    );
  }

  /**
   * Sends a private message (`POST /v2/user/{id_or_email}/message`, scope `send_message`), or
   * with `authTest` asks whether the token may. Resolves with any HTTP answer (204 is
   * success); rejects only with a `TransportError`.
   */
  async privateMessage(
    token: string,
    user: string,
    body: PrivateMessageBody,
    authTest = false,
    options: SendOptions = {},
  ): Promise<HipChatResponse> {
    return this.send(
      this.userUrl(user, '/message', authTest),
      'POST',
      JSON.stringify(body),
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      options,
    );
  }

  /**
   * Asks for an add-on token with the client-credentials grant (`POST /v2/oauth/token`).
   * Resolves with any HTTP answer, and the token read from a 2xx one (200 with the token as JSON
   * is success); rejects only with a `TransportError`. Retrying is delivery's.
   */
  async addonToken(
    id: string,
    secret: string,
    options: SendOptions = {},
    scopes: readonly string[] = ['send_notification'],
  ): Promise<TokenAnswer> {
    const basic = basicCredentials(id, secret);
    // Scopes are ours (send_notification, view_group, send_message), never user text.
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: scopes.join(' ') });
    const response = await this.send(
      `${this.server}/v2/oauth/token`,
      'POST',
      form.toString(),
      { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      options,
    );
    const ok = response.status >= 200 && response.status < 300;
    return ok ? { ...response, token: readToken(response.body) } : response;
  }

  /**
   * Ends the client so the process exits at once: idle sockets, and any connection still being
   * set up for a request that was abandoned at its deadline (see send()).
   */
  async close(): Promise<void> {
    if (!this.ownsDispatcher) return;
    const dispatcher = this.dispatcher ?? (await this.ready.catch(() => undefined))?.dispatcher;
    await dispatcher?.destroy();
  }

  private async send(
    url: string,
    method: 'POST' | 'GET',
    body: string | undefined,
    headers: Record<string, string>,
    options: SendOptions,
  ): Promise<HipChatResponse> {
    let route: Route;
    try {
      route = await this.ready;
    } catch (error) {
      // A proxy variable that is not a URL: nothing can be sent, and retrying will not help.
      throw new TransportError('proxy', 'PROXY_CONFIG', (error as Error).message, false);
    }
    const byBudget = options.budgetMs !== undefined && options.budgetMs < this.timeoutMs;
    const timeoutMs = byBudget ? Math.max(1, Math.floor(options.budgetMs!)) : this.timeoutMs;
    const trace: Trace = { sent: false, answering: false };
    // One bound for the whole request, whatever phase it hangs in (DNS, proxy, TLS, answer,
    // body). undici applies an abort only once a connection is up (it aborts the request before
    // writing a byte of it), and its own connect timeout ticks in steps of about half a second:
    // so the deadline is also raced here, and a hung connect or TLS handshake ends on time.
    const controller = new AbortController();
    let expire!: (error: Error) => void;
    const expired = new Promise<never>((_resolve, reject) => (expire = reject));
    const timer = setTimeout(() => {
      const error = Object.assign(new Error(`no answer within ${timeoutMs} ms`), {
        code: 'TIMEOUT',
      });
      controller.abort(error);
      expire(error);
    }, timeoutMs);
    const dispatcher = route.dispatcher.compose(
      (dispatch) => (opts, handler) => dispatch(opts, new TracingHandler(handler, trace)),
    );
    let pending: Promise<Dispatcher.ResponseData>;
    try {
      pending = request(url, {
        method,
        body,
        headers: { ...headers, accept: 'application/json', 'user-agent': this.userAgent },
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: controller.signal,
      });
    } catch (error) {
      clearTimeout(timer);
      throw localError(error);
    }
    // Whichever loses the race must not become an unhandled rejection.
    pending.catch(() => {});
    expired.catch(() => {});
    try {
      const response = await Promise.race([pending, expired]);
      // The status line has arrived: whatever happens to the body, this is an answer.
      const read = await readBounded(response.body, expired);
      return {
        status: response.statusCode,
        headers: this.redactHeaders(flatten(response.headers)),
        body: this.redact(read.text),
        ...(read.truncated ? { truncated: true } : {}),
      };
    } catch (error) {
      if (error instanceof TransportError) throw error;
      if (isLocal(error)) throw localError(error);
      const cause = controller.signal.aborted ? (controller.signal.reason as Error) : error;
      if (trace.answering && LOST.has(errorCode(cause))) throw answerCut(url, route.proxy, cause);
      throw toTransportError(cause, url, {
        sent: trace.sent,
        proxy: route.proxy,
        proxyCredentials: route.proxyCredentials,
        timeoutMs,
        timeoutBy: byBudget ? 'max-wait' : 'timeout',
        extraCaCerts: this.extraCaCerts,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private redactHeaders(headers: Record<string, string>): Record<string, string> {
    for (const name of Object.keys(headers)) headers[name] = this.redact(headers[name]!);
    return headers;
  }
}

/**
 * Reads at most `MAX_BODY_BYTES` of a body and discards the rest (the connection is closed, not
 * drained), within the request's deadline. A body cut by the peer keeps what arrived.
 */
async function readBounded(
  body: Dispatcher.ResponseData['body'],
  expired: Promise<never>,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const reading = (async () => {
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_BODY_BYTES) {
          truncated = size > MAX_BODY_BYTES;
          break;
        }
      }
    } catch {
      truncated = true;
    }
  })();
  try {
    await Promise.race([reading, expired]);
  } catch {
    truncated = true;
  } finally {
    body.destroy();
  }
  const all = Buffer.concat(chunks);
  return { text: all.subarray(0, MAX_BODY_BYTES).toString('utf8'), truncated };
}

/** Codes of a connection lost or a deadline passed (as opposed to a refusal undici reports). */
const LOST = new Set([
  'UND_ERR_SOCKET',
  'ECONNRESET',
  'EPIPE',
  'TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
  'ABORT_ERR',
]);

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * Whether undici refused the request itself (an invalid header value, say). Its proxy's 407 is
 * reported with the same code but is an answer: transport-error.ts words it.
 */
function isLocal(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'UND_ERR_INVALID_ARG' && !/Proxy Authentication Required/.test(String(message));
}

/** A request undici refused to send (an invalid header value): never sent, never worth retrying. */
function localError(error: unknown): TransportError {
  return new TransportError(
    'local',
    'LOCAL',
    `The request could not be sent: ${(error as Error).message ?? String(error)}.`,
    false,
  );
}

/**
 * The connection was lost after the answer began: the server had the whole request and was
 * answering, so it may well have acted. Not to be sent again (see retry-policy.ts).
 */
function answerCut(url: string, proxy: string | undefined, cause: unknown): TransportError {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // the URL is ours, so this does not happen; the text still reads
  }
  const code = errorCode(cause) || 'UNKNOWN';
  return new TransportError(
    'answer-cut',
    code,
    `${host}${proxy ? ` (through the proxy ${proxy})` : ''} began to answer, then the connection was lost before the status and headers were complete (${code}): it had the whole request, so it may have acted on it.`,
    true,
  );
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The token in a 2xx answer to `POST /v2/oauth/token`, or undefined if there is none. */
function readToken(body: string): TokenResponse | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<TokenResponse> | null;
    return typeof parsed?.access_token === 'string' && parsed.access_token
      ? (parsed as TokenResponse)
      : undefined;
  } catch {
    return undefined;
  }
}
