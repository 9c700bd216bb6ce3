/**
 * HipChat's answers and transport failures, translated into what the user should do.
 * Every message names the room and server involved and never contains a token.
 */
import type { HipChatResponse } from './client.js';

/** The default `server`: HipChat Cloud, shut down in February 2019. */
export const HIPCHAT_CLOUD = 'https://api.hipchat.com';

/** How a request failed without an HTTP answer. */
export type TransportKind =
  | 'dns' // the host name does not resolve
  | 'refused' // nothing listens there
  | 'unreachable' // no route to the host, or the proxy could not reach it
  | 'connect-timeout' // no connection (or the request not sent) within `timeout`
  | 'reset' // the connection closed before an answer came
  | 'timeout' // connected, sent, but no answer within `timeout`
  | 'tls' // the server's certificate is not trusted or does not match
  | 'proxy' // the proxy refused the request (authentication, policy): never retried
  | 'other';

/** A request that got no HTTP answer. `maybeActed`: the request was sent, so HipChat may have acted. */
export class TransportError extends Error {
  readonly kind: TransportKind;
  readonly code: string;
  readonly maybeActed: boolean;
  constructor(kind: TransportKind, code: string, message: string, maybeActed: boolean) {
    super(message);
    this.name = 'TransportError';
    this.kind = kind;
    this.code = code;
    this.maybeActed = maybeActed;
  }
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
  'UND_ERR_PRX_TLS',
]);

/** Codes of a certificate that is valid but not trusted: a private CA's, or self-signed. */
const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

/** Finds the most telling error code in an error, its cause chain or an AggregateError. */
function errorCode(error: unknown, depth = 0): string {
  if (!error || typeof error !== 'object' || depth > 4) return '';
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown[] };
  const own = typeof e.code === 'string' ? e.code : '';
  // undici wraps the socket's own error (ECONNRESET, a TLS code) as `cause` of a generic one.
  const inner = errorCode(e.cause, depth + 1) || errorCode(e.errors?.[0], depth + 1);
  const generic = own.startsWith('UND_ERR_SOCKET') || own === 'UND_ERR_PRX_TLS';
  return own && !generic ? own : inner || own;
}

/** Whether any request bytes left this side before the failure (undici's SocketError says). */
function bytesWritten(error: unknown): number | undefined {
  const socket = (error as { socket?: { bytesWritten?: number } } | undefined)?.socket;
  return typeof socket?.bytesWritten === 'number' ? socket.bytesWritten : undefined;
}

/** What the client knows about a failed request beyond the error itself. */
export interface TransportContext {
  /**
   * Whether the whole request had been written to the connection when it failed (undici's
   * `onRequestSent`). Only then can HipChat have acted. Unknown: judged from the socket.
   */
  sent?: boolean;
  /** The proxy the request went through, without credentials (e.g. `http://proxy:3128`). */
  proxy?: string;
  /** How long the request was given, in milliseconds, to say how long was waited. */
  timeoutMs?: number;
  /**
   * What set that time: the `timeout` input (default), or what the run's `max-wait` had left
   * when that was less.
   */
  timeoutBy?: 'timeout' | 'max-wait';
}

/** A proxy's refusal as undici reports it: the tunnel's or the absolute-form request's status. */
function proxyStatus(error: unknown): number | undefined {
  const message = (error as Error | undefined)?.message ?? '';
  const match =
    /Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(message) ??
    /Proxy Authentication Required \((\d{3})\)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** The advice for a certificate this runner does not accept. */
function tlsAdvice(code: string, host: string, detail: string, via: string): string {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `The TLS certificate of ${host}${via} was not issued for that name (${code}: ${detail}). Set \`server\` to a name the certificate lists (its subject alternative names), or have the certificate reissued to include ${host.replace(/:\d+$/, '')}.`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return `The TLS certificate of ${host}${via} is outside its validity period (${code}). Have the server's certificate renewed (or check this runner's clock).`;
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') {
    return `${host}${via} did not speak TLS (${code}: ${detail}). If the server only serves plain HTTP on that port, the URL in \`server\` should start with http:// — or the port is wrong.`;
  }
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  const untrusted = UNTRUSTED_CODES.has(code) || code === 'UND_ERR_PRX_TLS';
  const caHint = extra
    ? ` NODE_EXTRA_CA_CERTS is set (${extra}), but that file does not hold the CA that issued this certificate — or Node could not read it (it prints a warning at start-up if so). Put the issuing CA's certificate (PEM; the root, and any intermediate the server does not send) in that file.`
    : ` If your HipChat server uses a certificate from a private (company) CA, give the runner that CA's certificate: set NODE_EXTRA_CA_CERTS to the path of its PEM file in the step's or job's \`env:\` (e.g. \`NODE_EXTRA_CA_CERTS: /etc/ssl/certs/company-ca.pem\`); Node reads it at start-up, so set it in \`env:\`, not from inside a script.`;
  return `The TLS certificate of ${host}${via} is not trusted by this runner (${code}${untrusted ? '' : `: ${detail}`}).${caHint} Do not turn verification off (NODE_TLS_REJECT_UNAUTHORIZED=0): the token would go to whoever answers.`;
}

/** Classifies an error thrown by undici into a `TransportError` with advice. */
export function toTransportError(
  error: unknown,
  url: string,
  context: TransportContext = {},
): TransportError {
  const code = errorCode(error) || 'UNKNOWN';
  const host = safeHost(url);
  const detail = (error as Error | undefined)?.message ?? String(error);
  const via = context.proxy ? ` (through the proxy ${context.proxy})` : '';
  const within =
    context.timeoutBy === 'max-wait' && context.timeoutMs !== undefined
      ? `the ${(context.timeoutMs / 1000).toFixed(1)} s that \`max-wait\` had left`
      : `the \`timeout\`${context.timeoutMs ? ` (${context.timeoutMs / 1000} s)` : ''}`;
  // No connection (or the request not sent) in time: the same advice whoever gave up first,
  // undici's connect timeout or the client's own deadline.
  const noConnection = (code: string): TransportError =>
    new TransportError(
      'connect-timeout',
      code,
      `No connection to ${host}${via} within ${within}: the request was not sent (${code}). Check \`server\`, and that this runner can reach it: a server on a private network needs a self-hosted runner (or a proxy: HTTPS_PROXY) that can reach it.`,
      false,
    );
  // Sent in full: HipChat may have acted. Unknown: judge by bytes written, erring to "may have".
  const sent = (): boolean => {
    if (context.sent !== undefined) return context.sent;
    const written = bytesWritten(error) ?? bytesWritten((error as { cause?: unknown }).cause);
    return written === undefined || written > 0;
  };

  const refused = proxyStatus(error);
  if (refused !== undefined) {
    if (refused === 502 || refused === 503 || refused === 504) {
      return new TransportError(
        'unreachable',
        `PROXY_${refused}`,
        `The proxy ${context.proxy ?? ''} could not reach ${host} (it answered ${refused} to the tunnel request).`.replace(
          '  ',
          ' ',
        ),
        false,
      );
    }
    const advice =
      refused === 407
        ? 'It wants credentials: put them in the proxy variable, e.g. HTTPS_PROXY=http://user:password@proxy.example.com:3128 (percent-encode special characters), and keep that value in a secret.'
        : `Ask the proxy's administrators to allow ${host}, or list the host in NO_PROXY if the runner can reach it directly.`;
    return new TransportError(
      'proxy',
      `PROXY_${refused}`,
      `The proxy ${context.proxy ?? ''} refused the request to ${host} (${refused}). ${advice}`.replace(
        '  ',
        ' ',
      ),
      false,
    );
  }
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) {
    return new TransportError('tls', code, tlsAdvice(code, host, detail, via), false);
  }
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
      return new TransportError(
        'dns',
        code,
        `The host name ${host} does not resolve (${code}). Check \`server\`; a server on a private network needs a self-hosted runner that can reach it.`,
        false,
      );
    case 'ECONNREFUSED':
      return new TransportError(
        'refused',
        code,
        context.proxy
          ? `The proxy ${context.proxy} refused the connection (${code}): check HTTPS_PROXY / HTTP_PROXY.`
          : `${host} refused the connection (${code}): nothing listens there. Check the host and port in \`server\`, and that HipChat is running.`,
        false,
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new TransportError(
        'unreachable',
        code,
        `${host}${via} cannot be reached from this runner (${code}). A server on a private network needs a self-hosted runner (or a proxy: HTTPS_PROXY) that can reach it.`,
        false,
      );
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return noConnection(code);
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
    case 'TIMEOUT':
      return sent()
        ? new TransportError(
            'timeout',
            code,
            `${host}${via} accepted the request but did not answer within ${within} (${code}).`,
            true,
          )
        : noConnection(code);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED': {
      const acted = sent();
      return new TransportError(
        'reset',
        code,
        `${host}${via} closed the connection ${acted ? 'after receiving the request, before answering' : 'before the request was sent'} (${code}).`,
        acted,
      );
    }
    default:
      return new TransportError(
        'other',
        code,
        `The request to ${host}${via} failed: ${detail}`,
        sent(),
      );
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** What the request was for, to word the advice. */
export interface ErrorContext {
  action: 'notify' | 'auth-test' | 'token';
  room?: string;
  server?: string;
}

/** HipChat's `error.message` from an error body, or undefined for a non-JSON answer. */
export function hipchatMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === 'string' ? parsed.error.message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether an answer is an HTML page: labelled `text/html`, or an HTML document whatever its
 * label. HipChat's API never answers with one (204 and an empty body, or JSON); a login page of
 * an SSO proxy, a web server's or a proxy's error page does.
 */
export function isHtmlPage(headers: Record<string, string>, body: string): boolean {
  return (
    /^\s*text\/html\b/i.test(headers['content-type'] ?? '') ||
    /^\s*<(!doctype\s+html|html)\b/i.test(body)
  );
}

/** The `<title>` of an HTML page, as ` ("title")`, or ''. */
function pageTitle(body: string): string {
  const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(body)?.[1]?.trim();
  return title ? ` ("${title}")` : '';
}

/** Describes a non-JSON answer: an HTML error page from a proxy, or something else. */
function describeForeignBody(response: HipChatResponse): string {
  const type = response.headers['content-type'] ?? 'no content type';
  if (/html/i.test(type) || /^\s*</.test(response.body)) {
    return `an HTML page${pageTitle(response.body)} instead of HipChat's JSON — a proxy, load balancer or web server answered, not the HipChat API`;
  }
  const snippet = response.body.trim().slice(0, 120);
  return snippet ? `a non-JSON body (${type}): "${snippet}"` : `an empty body (${type})`;
}

/**
 * One sentence for an HTTP answer that is not success, saying what went wrong and what to do.
 */
export function describeHttpError(response: HipChatResponse, context: ErrorContext): string {
  const text = describeStatus(response, context);
  // An auth test that fails stops that room before its post: say so, or users wonder whether
  // the room got the message anyway.
  return context.action === 'auth-test' && context.room !== undefined
    ? `${text} The auth test stopped here: nothing was posted to room '${context.room}'.`
    : text;
}

function describeStatus(response: HipChatResponse, context: ErrorContext): string {
  const { status } = response;
  const said = hipchatMessage(response.body);
  const quoted = said ? `HipChat: "${said}"` : describeForeignBody(response);
  const room = context.room === undefined ? '' : `room '${context.room}'`;
  const where = context.action === 'auth-test' ? `auth test for ${room}` : room;

  if (status >= 200 && status < 300) {
    // Success that is an HTML page (isHtmlPage): something in front of HipChat answered in its
    // place, typically an SSO proxy's login page. Counting it as delivered would lose the alert.
    const page = `the server answered ${status} with an HTML page${pageTitle(response.body)} — an SSO/login proxy or a web server answered, not the HipChat API`;
    const check = `Check that \`server\` (${context.server ?? '?'}) is the address of the HipChat API itself, and the proxy settings (HTTPS_PROXY, NO_PROXY): the runner must reach the API without a login page.`;
    return context.action === 'token'
      ? `HipChat could not issue an add-on token: ${page}. ${check}`
      : `${capitalise(where)}: ${page}, so the ${context.action === 'auth-test' ? 'auth test' : 'notification'} did not reach HipChat. ${check}`;
  }
  if (context.action === 'token') {
    if (status === 400 && said && /scope/i.test(said)) {
      return `HipChat would not issue an add-on token with the send_notification scope (400, ${quoted}). Add send_notification to the add-on's scopes (capabilities.hipchatApiConsumer.scopes in its descriptor) and reinstall it.`;
    }
    if (status === 401 || status === 403) {
      return `HipChat refused the add-on credentials (${status}, ${quoted}). Check \`oauth-id\` and \`oauth-secret\` (the add-on's OAuth id and secret from its installation) and that the add-on may use the send_notification scope.`;
    }
    return `HipChat could not issue an add-on token (${status}, ${quoted}). Check \`server\` and the add-on credentials.`;
  }
  if (!said && status < 500) {
    // A proxy's or web server's page: the request probably never reached HipChat's API.
    return `${capitalise(where)}: the server answered ${status} with ${quoted}. Check that \`server\` (${context.server ?? '?'}) is the base URL of your HipChat server, without a path the API does not live under.`;
  }
  switch (status) {
    case 400:
      return `HipChat rejected the notification for ${room} (400, ${quoted}). Fix the message or inputs it names.`;
    case 401:
      // auth_test answers 401, not 403, for a valid token without the scope: HipChat's text says.
      if (said && /scope/i.test(said)) return missingScope(room, status, quoted, said);
      return `HipChat refused the token for ${room} (401, ${quoted}). The token is invalid or expired — or it is a room notification token made for a different room: such a token can post only to the room it was created in. Use a token for this room, or a personal or add-on token with the send_notification scope.`;
    case 403:
      return missingScope(room, status, quoted, said);
    case 404:
      // HipChat's room 404 says "Room <name> not found"; any other 404 is about the path
      // (e.g. "Resource not found"): `server` has a prefix the API does not live under.
      if (said && !/^room\b/i.test(said.trim())) {
        return `The server answered 404 for ${where} (${quoted}): there is no HipChat API at that address. Check that \`server\` (${context.server ?? '?'}) is the base URL of your HipChat server; the API lives under /v2 there.`;
      }
      return `${capitalise(room)} was not found on ${context.server ?? 'the server'} (404, ${quoted}). Check the room's name (spelling, case, spaces) or use its numeric id, which never changes.`;
    case 405:
      return `The server does not accept this call (405, ${quoted}): \`server\` probably does not point at a HipChat API.`;
    default:
      return status >= 500
        ? `HipChat failed to handle the ${context.action === 'auth-test' ? 'auth test' : 'notification'} for ${room} (${status}, ${quoted}).`
        : `HipChat answered ${status} for ${room} (${quoted}).`;
  }
}

/** Advice for a 403 (or an auth test's 401) whose cause is a missing scope. */
function missingScope(room: string, status: number, quoted: string, said?: string): string {
  const scopes = /\[([^\]]*)\]/.exec(said ?? '')?.[1]?.trim() || 'send_notification';
  const what = scopes.includes(',') ? `any of the scopes ${scopes}` : `the ${scopes} scope`;
  return `The token may not post to ${room} (${status}, ${quoted}): it lacks ${what}. Create a token with the "Send Notification" scope and use it in \`token\`.`;
}

/**
 * Whether `server` is HipChat Cloud — the default api.hipchat.com or a team's
 * <name>.hipchat.com — shut down in February 2019, so nothing there will ever answer.
 */
export function isHipChatCloud(server: string): boolean {
  try {
    const host = new URL(server).hostname.toLowerCase();
    return host === 'hipchat.com' || host.endsWith('.hipchat.com');
  } catch {
    return false;
  }
}

/** Advice appended to failures against HipChat Cloud (the default `server`); '' otherwise. */
export function cloudRetiredHint(server: string): string {
  if (!isHipChatCloud(server)) return '';
  const which =
    server === HIPCHAT_CLOUD
      ? `HipChat Cloud (${HIPCHAT_CLOUD}, the default \`server\`)`
      : `\`server\` (${server}) is HipChat Cloud, which`;
  return ` ${which} was shut down in February 2019: set \`server\` to the URL of your HipChat Server / Data Center, e.g. \`server: https://hipchat.example.com\`.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
