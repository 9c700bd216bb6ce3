/**
 * A request that ended without a complete answer, as a `TransportError`: refused by undici
 * itself, cut after the answer began, or handed to transport-error.ts to classify.
 */
import { TransportError, toTransportError } from './transport-error.js';
import type { Trace } from '../http/tracing-handler.js';

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

/** What is known of the failed request when it failed. */
export interface FailureContext {
  url: string;
  /** The deadline's signal: once aborted, its reason is the cause, whatever undici threw. */
  signal: AbortSignal;
  trace: Trace;
  /** The proxy the request went through (without credentials), and whether it carries any. */
  proxy?: string;
  proxyCredentials?: boolean;
  timeoutMs: number;
  /** Whether the deadline was the run's `max-wait` rather than `timeout`. */
  byBudget: boolean;
  extraCaCerts: string | undefined;
}

/** The `TransportError` a request rejects with, whatever it failed with. */
export function requestFailure(error: unknown, context: FailureContext): TransportError {
  if (error instanceof TransportError) return error;
  if (isLocal(error)) return localError(error);
  const { url, signal, trace } = context;
  const cause = signal.aborted ? (signal.reason as Error) : error;
  if (trace.answering && LOST.has(errorCode(cause))) return answerCut(url, context.proxy, cause);
  return toTransportError(cause, url, {
    sent: trace.sent,
    proxy: context.proxy,
    proxyCredentials: context.proxyCredentials,
    timeoutMs: context.timeoutMs,
    timeoutBy: context.byBudget ? 'max-wait' : 'timeout',
    extraCaCerts: context.extraCaCerts,
  });
}

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
export function localError(error: unknown): TransportError {
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
  const through = proxy ? ` (through the proxy ${proxy})` : '';
  return new TransportError(
    'answer-cut',
    code,
    `${host}${through} began to answer, then the connection was lost before the status and ` +
      `headers were complete (${code}): it had the whole request, so it may have acted on it.`,
    true,
  );
}
