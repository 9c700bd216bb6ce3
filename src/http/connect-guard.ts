/**
 * One connection attempt per request attempt.
 *
 * undici treats a connection that closes while it is being set up (`UND_ERR_SOCKET`: a proxy
 * that accepts a CONNECT and closes without answering, a peer that closes at once) as
 * recoverable: the request stays queued and the pool dials again at once — thousands of times
 * a second, for as long as the request lives, past the deadline at which the action gave up on
 * it. The guard turns such a failure into an error of its own code, which undici does not
 * retry: every request queued on that connection fails with it, and the action's own retry
 * policy decides about the next attempt, with its backoff and budget.
 */
import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';

/** undici's connector: `connect(options, callback)`. */
export type Connector = (
  options: object,
  callback: (error: Error | null, socket: Socket | null) => void,
) => unknown;

/** The code of a connection that closed before it could carry a request. */
export const CONNECT_CLOSED = 'CONNECT_CLOSED';

/** Where the connection was lost, to word the error. */
export interface GuardOptions {
  /** The proxy (without credentials) when the connection is a CONNECT tunnel through it. */
  proxy?: string;
}

/** An error with a code undici passes on to the queued requests instead of dialling again. */
function closedWhileConnecting(cause: Error, options: GuardOptions): Error {
  const message = options.proxy
    ? `the proxy closed the connection without answering the CONNECT (proxy ${options.proxy})`
    : 'the server closed the connection while it was being set up';
  return Object.assign(new Error(message, { cause }), { code: CONNECT_CLOSED });
}

/** `connect` with a closed-while-connecting failure made final (see the module comment). */
export function guardConnect(connect: Connector, options: GuardOptions = {}): Connector {
  return (opts, callback) =>
    connect(opts, (error, socket) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (error && (code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED')) {
        callback(closedWhileConnecting(error, options), null);
      } else {
        callback(error, socket);
      }
    });
}

/** The options of a pool factory (`Agent`'s and `ProxyAgent`'s `factory`). */
export type PoolFactory = (origin: URL | string, opts: object) => Dispatcher;

/**
 * A pool factory whose pools connect through `guardConnect`: `make` builds the pool from the
 * guarded options (undici's own `Pool`, given by the caller so no extra module loads).
 */
export function guardedFactory(
  make: (origin: URL | string, opts: Record<string, unknown>) => Dispatcher,
  extra: Record<string, unknown>,
  options: GuardOptions = {},
): PoolFactory {
  return (origin, opts) => {
    const given = opts as Record<string, unknown> & { connect?: unknown };
    const connect =
      typeof given.connect === 'function'
        ? guardConnect(given.connect as Connector, options)
        : given.connect;
    return make(origin, { ...given, ...extra, connect });
  };
}
