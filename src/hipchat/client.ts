/**
 * The HTTP edge: one request to HipChat, no retries and no interpretation beyond the transport.
 * Retrying and pacing live in delivery.ts; turning answers into advice lives in errors.ts.
 */
// undici's Agent and request() without evaluating the rest of undici: see undici.ts.
import { Agent, request } from './undici.js';
import type { Dispatcher } from 'undici';
import type { NotificationBody, TokenResponse } from './types.js';
import { TransportError, describeHttpError, toTransportError } from './errors.js';

/** What HipChat answered: status, lower-cased headers and the body as text. */
export interface HipChatResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Settings shared by every request of a run. */
export interface ClientOptions {
  /** Server base URL without a trailing slash. */
  server: string;
  /** Milliseconds to connect, and again to receive the answer. */
  timeoutMs: number;
  /** Sent as `User-Agent`, so server admins can tell where posts come from. */
  userAgent?: string;
  /** The undici dispatcher to use (a proxy agent, or a test's); one is made when absent. */
  dispatcher?: Dispatcher;
}

const USER_AGENT = 'hipchat-notify (GitHub Action)';

/** A HipChat v2 client over one undici dispatcher. `close()` it so the process can exit at once. */
export class HipChatClient {
  readonly server: string;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(options: ClientOptions) {
    this.server = options.server;
    this.timeoutMs = options.timeoutMs;
    this.userAgent = options.userAgent ?? USER_AGENT;
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connect: { timeout: options.timeoutMs },
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        // Waits between posts can outlast a server's keep-alive; a short idle time avoids
        // writing into a socket the server is closing.
        keepAliveTimeout: 1_000,
        keepAliveMaxTimeout: 4_000,
      });
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
  ): Promise<HipChatResponse> {
    return this.send(this.notificationUrl(room, authTest), 'POST', JSON.stringify(body), {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    });
  }

  /**
   * Mints an add-on token with the client-credentials grant (`POST /v2/oauth/token`).
   * Throws an Error that says what to do when HipChat refuses.
   */
  async requestAddonToken(id: string, secret: string): Promise<TokenResponse> {
    const basic = Buffer.from(`${id}:${secret}`).toString('base64');
    const response = await this.send(
      `${this.server}/v2/oauth/token`,
      'POST',
      'grant_type=client_credentials&scope=send_notification',
      {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    if (response.status !== 200) {
      throw new Error(describeHttpError(response, { action: 'token' }));
    }
    let parsed: Partial<TokenResponse>;
    try {
      parsed = JSON.parse(response.body) as Partial<TokenResponse>;
    } catch {
      parsed = {};
    }
    if (typeof parsed.access_token !== 'string' || !parsed.access_token) {
      throw new Error(
        `HipChat answered the add-on token request (POST ${this.server}/v2/oauth/token) with 200 but no access_token: is \`server\` really a HipChat server?`,
      );
    }
    return parsed as TokenResponse;
  }

  /** Closes idle sockets so the process exits without lingering. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async send(
    url: string,
    method: 'POST' | 'GET',
    body: string,
    headers: Record<string, string>,
  ): Promise<HipChatResponse> {
    try {
      const response = await request(url, {
        method,
        body,
        headers: { ...headers, accept: 'application/json', 'user-agent': this.userAgent },
        dispatcher: this.dispatcher,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const text = await response.body.text();
      return { status: response.statusCode, headers: flatten(response.headers), body: text };
    } catch (error) {
      if (error instanceof TransportError) throw error;
      throw toTransportError(error, url);
    }
  }
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
