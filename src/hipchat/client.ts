/**
 * The HTTP edge: one request to HipChat, no retries and no interpretation beyond the transport.
 * Retrying and pacing live in delivery/; turning answers into advice in http-advice.ts, and
 * failures without an answer into a `TransportError` in transport-error.ts.
 */
import { basicCredentials } from './credentials.js';
import { request } from '../http/undici.js';
import { readBounded } from '../http/body.js';
import { startDeadline } from '../http/deadline.js';
import { localError, requestFailure } from './request-failure.js';
import { readToken, toResponse } from './response.js';
import { Routes, type Route, type RouteOptions } from '../http/route.js';
import type { Trace } from '../http/tracing-handler.js';
import { TransportError } from './transport-error.js';
import type { Dispatcher } from 'undici';
import type {
  HipChatResponse,
  NotificationBody,
  PrivateMessageBody,
  TokenAnswer,
} from './types.js';

/**
 * Settings shared by every request of a run: the connections' (`RouteOptions`: `timeoutMs` is
 * also what one request may take in all, connecting and answer) and HipChat's own.
 */
export interface ClientOptions extends RouteOptions {
  /** Server base URL without a trailing slash. */
  server: string;
  /** Sent as `User-Agent`, so server admins can tell where posts come from. */
  userAgent?: string;
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
  /** The most of the answer's body read (default the client's 64 KiB); the rest is discarded. */
  maxBodyBytes?: number;
}

const USER_AGENT = 'hipchat-notify (GitHub Action)';

/** The most of an answer's body that is read; the rest is discarded (HipChat's are a few KB). */
const MAX_BODY_BYTES = 64 * 1024;

/** A HipChat v2 client over one undici dispatcher. `close()` it so the process can exit at once. */
export class HipChatClient {
  readonly server: string;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly redact: (text: string) => string;
  private readonly routes: Routes;
  /** NODE_EXTRA_CA_CERTS as the runner set it, for the advice on an untrusted certificate. */
  private readonly extraCaCerts: string | undefined;
  /** Resolves once the dispatcher is chosen (a proxy's module loads on demand). */
  private readonly ready: Promise<Route>;

  constructor(options: ClientOptions) {
    this.server = options.server;
    this.timeoutMs = options.timeoutMs;
    this.userAgent = options.userAgent ?? USER_AGENT;
    const secrets = options.secrets;
    this.redact = secrets ? (text) => secrets.redactUntrusted(text) : (text) => text;
    // Node reads this one from the process's own environment at start-up, whatever `env` says.
    this.extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
    this.routes = new Routes({
      timeoutMs: this.timeoutMs,
      dispatcher: options.dispatcher,
      env: options.env,
      lookup: options.lookup,
    });
    // Chosen now, so a proxy's module loads while the run prepares its message. An invalid
    // proxy variable surfaces on the first request; never as an unhandled rejection.
    this.ready = this.routes.route(this.server);
  }

  /** The proxy requests go through, without credentials; undefined when they go directly. */
  async proxy(): Promise<string | undefined> {
    return (await this.ready).proxy;
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

  /**
   * Reads a room's latest history (`GET /v2/room/{id_or_name}/history/latest`, scope
   * `view_messages`), or with `authTest` asks whether the token may. Resolves with any HTTP
   * answer (200 with `items` as JSON); rejects only with a `TransportError`.
   */
  async history(
    token: string,
    room: string,
    maxResults: number,
    authTest = false,
    options: SendOptions = {},
  ): Promise<HipChatResponse> {
    const query = `max-results=${Math.trunc(maxResults)}${authTest ? '&auth_test=true' : ''}`;
    return this.send(
      `${this.server}/v2/room/${encodeURIComponent(room)}/history/latest?${query}`,
      'GET',
      undefined,
      { authorization: `Bearer ${token}` },
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
  close(): Promise<void> {
    return this.routes.close();
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
    const deadline = startDeadline(timeoutMs);
    let pending: Promise<Dispatcher.ResponseData>;
    try {
      pending = request(url, {
        method,
        body,
        headers: { ...headers, accept: 'application/json', 'user-agent': this.userAgent },
        dispatcher: route.dispatcher,
        trace,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: deadline.signal,
      });
    } catch (error) {
      deadline.clear();
      throw localError(error);
    }
    // Whichever loses the race must not become an unhandled rejection.
    pending.catch(() => {});
    try {
      const response = await Promise.race([pending, deadline.expired]);
      // The status line has arrived: whatever happens to the body, this is an answer.
      const cap = options.maxBodyBytes ?? MAX_BODY_BYTES;
      const read = await readBounded(response.body, cap, deadline.expired);
      return toResponse(response, read, this.redact);
    } catch (error) {
      throw requestFailure(error, {
        url,
        signal: deadline.signal,
        trace,
        proxy: route.proxy,
        proxyCredentials: route.proxyCredentials,
        timeoutMs,
        byBudget,
        extraCaCerts: this.extraCaCerts,
      });
    } finally {
      deadline.clear();
    }
  }
}
