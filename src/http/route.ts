/**
 * The dispatcher each origin's requests go through, for the HipChat and the GitHub client alike:
 * a test's, a proxy's (its module loaded only when a proxy variable is set), or a direct agent
 * with the connect guard. So `https_proxy` / `no_proxy`, `NODE_EXTRA_CA_CERTS`, keep-alive and
 * the guard apply to HipChat, GitHub Enterprise Server and a log host the same way.
 *
 * One route per origin: the GitHub API and the host a log download is redirected to may need
 * different ones (one behind the proxy, one in `no_proxy`).
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

/** What routes are chosen from: the settings of every connection. */
export interface RouteOptions {
  /** Milliseconds a connection (proxy and TLS included), an answer or a body pause may take. */
  timeoutMs: number;
  /** A test's dispatcher for every origin: used as it is, and no proxy is looked up. */
  dispatcher?: Dispatcher;
  /** Where the proxy variables are read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Name resolution for direct connections (default the system's); tests map names to 127.0.0.1. */
  lookup?: LookupFunction;
}

// Waits between requests can outlast a server's keep-alive; a short idle time avoids writing
// into a socket the server is closing (such a request would fail after it was sent: ambiguous).
const KEEP_ALIVE = { keepAliveTimeout: 1_000, keepAliveMaxTimeout: 4_000 };

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

/** Chooses and keeps the route of each origin; `close()` ends every dispatcher it made. */
export class Routes {
  private readonly options: RouteOptions;
  private readonly routes = new Map<string, Promise<Route>>();
  private direct: Dispatcher | undefined;

  constructor(options: RouteOptions) {
    this.options = options;
  }

  /**
   * The route to `target`'s origin. Rejects only when a proxy variable is not a usable URL (the
   * client reports that on the request that awaits it; never an unhandled rejection).
   */
  route(target: string | URL): Promise<Route> {
    if (this.options.dispatcher) return Promise.resolve({ dispatcher: this.options.dispatcher });
    const key = originOf(target);
    let route = this.routes.get(key);
    if (!route) {
      route = this.choose(target);
      route.catch(() => {});
      this.routes.set(key, route);
    }
    return route;
  }

  /** Destroys every connection, idle or being set up, so the process can exit at once. */
  async close(): Promise<void> {
    if (this.options.dispatcher) return;
    const routes = await Promise.all(
      [...this.routes.values()].map((r) => r.catch(() => undefined)),
    );
    const dispatchers = new Set(routes.map((r) => r?.dispatcher).filter((d) => d !== undefined));
    await Promise.all([...dispatchers].map((d) => d.destroy()));
  }

  private async choose(target: string | URL): Promise<Route> {
    const env = this.options.env ?? process.env;
    if (PROXY_VARIABLES.some((name) => env[name]?.trim())) {
      // Only a run with a proxy variable loads the proxy module (start-up time matters).
      const { proxyFor, proxyDispatcher } = await import('./proxy.js');
      const url = new URL(target);
      const proxy = proxyFor(url, env);
      if (proxy) {
        const timeoutMs = this.options.timeoutMs;
        return {
          dispatcher: proxyDispatcher(proxy, url, { timeoutMs, ...KEEP_ALIVE }),
          proxy: proxy.display,
          proxyCredentials: hasCredentials(proxy.uri),
        };
      }
    }
    this.direct ??= directAgent(this.options.timeoutMs, this.options.lookup);
    return { dispatcher: this.direct };
  }
}

/** The origin routes are kept by; a target that is not a URL is kept as it is. */
function originOf(target: string | URL): string {
  try {
    return new URL(target).origin;
  } catch {
    return String(target);
  }
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

function hasCredentials(uri: string): boolean {
  try {
    const url = new URL(uri);
    return Boolean(url.username || url.password);
  } catch {
    return false;
  }
}
