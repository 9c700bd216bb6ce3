/**
 * Transport classification: an error thrown by undici, turned into a `TransportError` that says
 * how the request failed (`kind`), whether HipChat may have acted on it (`maybeActed`), and — in
 * the words of transport-advice.ts — what to do about it.
 */
import {
  dnsText,
  noAnswerText,
  noConnectionText,
  otherText,
  proxyRefusedText,
  proxyUnreachableText,
  refusedText,
  resetText,
  tlsText,
  unreachableText,
  withinText,
  connectClosedText,
} from './transport-advice.js';
import { CONNECT_CLOSED } from '../http/connect-guard.js';
import type { TransportFacts } from './transport-advice.js';

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
  | 'local' // this side refused to send it (undici: an invalid header value): never retried
  | 'answer-cut' // the answer began, then the connection was lost: never sent again
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
  /** The runner's NODE_EXTRA_CA_CERTS, for the advice on an untrusted certificate. */
  extraCaCerts?: string;
  /** Whether the proxy variable carries credentials (so a 407 means they were refused). */
  proxyCredentials?: boolean;
}

/** A proxy's refusal as undici reports it: the tunnel's or the absolute-form request's status. */
function proxyStatus(error: unknown): number | undefined {
  const message = (error as Error | undefined)?.message ?? '';
  const match =
    /Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(message) ??
    /Proxy Authentication Required \((\d{3})\)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** Whether the error is one of a certificate this runner does not accept. */
function isTlsCode(code: string): boolean {
  return TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL');
}

/** A proxy's refusal, as a `TransportError`: unreachable (502–504, retried) or refused. */
function proxyRefusal(
  refused: number,
  host: string,
  proxy: string,
  withCredentials: boolean,
): TransportError {
  const code = `PROXY_${refused}`;
  if (refused === 502 || refused === 503 || refused === 504) {
    return new TransportError(
      'unreachable',
      code,
      proxyUnreachableText(proxy, host, refused),
      false,
    );
  }
  return new TransportError(
    'proxy',
    code,
    proxyRefusedText(proxy, host, refused, withCredentials),
    false,
  );
}

/** Classifies an error thrown by undici into a `TransportError` with advice. */
export function toTransportError(
  error: unknown,
  url: string,
  context: TransportContext = {},
): TransportError {
  const code = errorCode(error) || 'UNKNOWN';
  const facts: TransportFacts = {
    host: safeHost(url),
    via: context.proxy ? ` (through the proxy ${context.proxy})` : '',
    code,
    detail: (error as Error | undefined)?.message ?? String(error),
  };
  const refused = proxyStatus(error);
  if (refused !== undefined) {
    return proxyRefusal(refused, facts.host, context.proxy ?? '', !!context.proxyCredentials);
  }
  if (isTlsCode(code)) {
    const untrusted = UNTRUSTED_CODES.has(code) || code === 'UND_ERR_PRX_TLS';
    return new TransportError('tls', code, tlsText(facts, context.extraCaCerts, untrusted), false);
  }
  return bySocketCode(error, facts, context);
}

/** The failures named by a socket or undici code (DNS, refused, timeouts, resets, the rest). */
function bySocketCode(
  error: unknown,
  f: TransportFacts,
  context: TransportContext,
): TransportError {
  const { code } = f;
  const within = withinText(context.timeoutMs, context.timeoutBy === 'max-wait');
  // No connection (or the request not sent) in time: the same advice whoever gave up first,
  // undici's connect timeout or the client's own deadline.
  const noConnection = (): TransportError =>
    new TransportError('connect-timeout', code, noConnectionText(f, within), false);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
      return new TransportError('dns', code, dnsText(f), false);
    case 'ECONNREFUSED':
      return new TransportError('refused', code, refusedText(f, context.proxy), false);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new TransportError('unreachable', code, unreachableText(f), false);
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return noConnection();
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
    case 'TIMEOUT':
      return wasSent(error, context)
        ? new TransportError('timeout', code, noAnswerText(f, within), true)
        : noConnection();
    case CONNECT_CLOSED:
      // Closed while the connection was set up (connect-guard.ts): nothing was sent.
      return new TransportError('reset', code, connectClosedText(f), false);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED': {
      const acted = wasSent(error, context);
      return new TransportError('reset', code, resetText(f, acted), acted);
    }
    default:
      return new TransportError('other', code, otherText(f), wasSent(error, context));
  }
}

/** Sent in full: HipChat may have acted. Unknown: judged by bytes written, erring to "may have". */
function wasSent(error: unknown, context: TransportContext): boolean {
  if (context.sent !== undefined) return context.sent;
  const written = bytesWritten(error) ?? bytesWritten((error as { cause?: unknown }).cause);
  return written === undefined || written > 0;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
