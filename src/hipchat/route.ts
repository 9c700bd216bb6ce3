/**
 * The dispatcher a client's requests go through: a test's, a proxy's (its module loaded only
 * when a proxy variable is set), or a direct agent with the connect guard.
 */
import type { Dispatcher } from 'undici';
import type { LookupFunction } from 'node:net';
import { Agent, buildConnector } from './undici.js';
import { guardConnect } from './connect-guard.js';

/** The dispatcher requests go through; the proxy (without credentials) when there is one. */
export interface Route {
  dispatcher: Dispatcher;
  proxy?: string;
  /** Whether the proxy URL carries a user name or password. */
  proxyCredentials?: boolean;
}

/** What the route is chosen from. */
export interface RouteOptions {
  server: string;
  timeoutMs: number;
  /** A test's dispatcher: used as it is. */
  dispatcher?: Dispatcher;
  env: NodeJS.ProcessEnv;
  lookup?: LookupFunction;
}

// Waits between posts can outlast a server's keep-alive; a short idle time avoids writing into
// a socket the server is closing (such a request would fail after it was sent: ambiguous).
const KEEP_ALIVE = { keepAliveTimeout: 1_000, keepAliveMaxTimeout: 4_000 };

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

/**
 * The route for `options`. Rejects only when a proxy variable is not a URL (the client reports
 * that on the first request).
 */
export function chooseRoute(options: RouteOptions): Promise<Route> {
  if (options.dispatcher) return Promise.resolve({ dispatcher: options.dispatcher });
  if (PROXY_VARIABLES.some((name) => options.env[name]?.trim())) {
    // Only a run with a proxy variable loads the proxy module (start-up time matters).
    return viaProxy(options);
  }
  return Promise.resolve({ dispatcher: directAgent(options.timeoutMs, options.lookup) });
}

function directAgent(timeoutMs: number, lookup?: LookupFunction): Dispatcher {
  const connector = buildConnector(
    lookup ? { timeout: timeoutMs, lookup } : { timeout: timeoutMs },
  );
  return new Agent({
    // A connection closed while being set up is one failed attempt (see connect-guard.ts).
    connect: guardConnect(connector) as never,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    ...KEEP_ALIVE,
  });
}

async function viaProxy(options: RouteOptions): Promise<Route> {
  const { proxyFor, proxyDispatcher } = await import('./proxy.js');
  const target = new URL(options.server);
  const proxy = proxyFor(target, options.env);
  if (!proxy) return { dispatcher: directAgent(options.timeoutMs, options.lookup) };
  return {
    dispatcher: proxyDispatcher(proxy, target, { timeoutMs: options.timeoutMs, ...KEEP_ALIVE }),
    proxy: proxy.display,
    proxyCredentials: hasCredentials(proxy.uri),
  };
}

function hasCredentials(uri: string): boolean {
  try {
    const url = new URL(uri);
    return Boolean(url.username || url.password);
  } catch {
    return false;
  }
}
