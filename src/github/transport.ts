/**
 * The GitHub client's connections: the same undici `Agent` and proxy handling as the HipChat
 * client (`../hipchat/undici.ts`, `../hipchat/proxy.ts`), so `https_proxy` / `no_proxy` and
 * `NODE_EXTRA_CA_CERTS` apply to GitHub Enterprise Server exactly as they do to HipChat.
 *
 * One dispatcher per origin: the API and the host a log download is redirected to may need
 * different routes (one behind the proxy, one in `no_proxy`). The proxy module loads only when
 * a proxy variable is set.
 */
import type { Dispatcher } from 'undici';
import type { LookupFunction } from 'node:net';
import { Agent } from '../hipchat/undici.js';

/** Where requests to one origin go: a dispatcher, and the proxy (without credentials) if any. */
export interface Route {
  dispatcher: Dispatcher;
  proxy?: string;
}

/** Settings of every connection. */
export interface TransportOptions {
  /** Milliseconds a connection (proxy and TLS included) may take to set up. */
  timeoutMs: number;
  /** Where the proxy variables are read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** A test's dispatcher for every origin; when set, no proxy is looked up. */
  dispatcher?: Dispatcher;
  /** Name resolution for direct connections (default the system's). */
  lookup?: LookupFunction;
}

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

// As the HipChat client: a short idle time avoids writing into a socket the server is closing.
const KEEP_ALIVE = { keepAliveTimeout: 1_000, keepAliveMaxTimeout: 4_000 };

/** Chooses and keeps the dispatcher of each origin; `close()` ends them all. */
export class Transport {
  private readonly options: TransportOptions;
  private readonly routes = new Map<string, Promise<Route>>();
  private direct: Dispatcher | undefined;

  constructor(options: TransportOptions) {
    this.options = options;
  }

  /** The route to `url`'s origin. Rejects when a proxy variable is not a usable URL. */
  route(url: URL): Promise<Route> {
    if (this.options.dispatcher) return Promise.resolve({ dispatcher: this.options.dispatcher });
    let route = this.routes.get(url.origin);
    if (!route) {
      route = this.choose(url);
      route.catch(() => {}); // surfaces on the request that awaits it, never unhandled
      this.routes.set(url.origin, route);
    }
    return route;
  }

  private async choose(url: URL): Promise<Route> {
    const env = this.options.env ?? process.env;
    if (PROXY_VARIABLES.some((name) => env[name]?.trim())) {
      const { proxyFor, proxyDispatcher } = await import('../hipchat/proxy.js');
      const proxy = proxyFor(url, env);
      if (proxy) {
        return {
          dispatcher: proxyDispatcher(proxy, url, {
            timeoutMs: this.options.timeoutMs,
            ...KEEP_ALIVE,
          }),
          proxy: proxy.display,
        };
      }
    }
    this.direct ??= new Agent({
      connect: this.options.lookup
        ? { timeout: this.options.timeoutMs, lookup: this.options.lookup }
        : { timeout: this.options.timeoutMs },
      ...KEEP_ALIVE,
    });
    return { dispatcher: this.direct };
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
}
