/**
 * Forward proxies from the environment, as self-hosted runners set them: `https_proxy` /
 * `HTTPS_PROXY` for https:// servers, `http_proxy` / `HTTP_PROXY` for http:// ones (lower case
 * first, as curl and @actions/http-client read them), and `no_proxy` / `NO_PROXY` for hosts
 * reached directly.
 *
 * Loaded by the client only when a proxy variable is set: a run without a proxy never pays for
 * this module. undici's own `EnvHttpProxyAgent` is not used: it prints an "experimental" warning
 * into the step's log, and it sends https traffic through `HTTP_PROXY` when `HTTPS_PROXY` is
 * unset, which neither curl nor the Actions toolkit does.
 */
import { BlockList, isIP } from 'node:net';
import { Pool, ProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import { isLoopback, normalizeHost } from './hosts.js';
import { guardedFactory } from './connect-guard.js';

/** A proxy chosen for a target. */
export interface ProxyChoice {
  /** The proxy URL as configured (credentials included; never log it). */
  uri: string;
  /** The proxy without credentials, for messages: `http://proxy.example.com:3128`. */
  display: string;
  /** The variable it came from. */
  variable: string;
}

/** One `NO_PROXY` entry. */
interface NoProxyEntry {
  host: string;
  port?: number;
  /** `.example.com` or `*.example.com`: the domain's hosts, and the domain itself. */
  suffix: boolean;
  /** `10.0.0.0/8`, `fd00::/8`: addresses in the range. */
  cidr?: BlockList;
}

function parseEntry(raw: string): NoProxyEntry | undefined {
  let text = raw.trim().toLowerCase();
  if (!text) return undefined;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    text = bracketed[1]!;
    if (bracketed[2]) port = Number(bracketed[2]);
  } else if ((text.match(/:/g) ?? []).length === 1) {
    // host:port (a bare IPv6 address has several colons and no port).
    const [host, p] = text.split(':');
    if (p && /^\d+$/.test(p)) {
      text = host!;
      port = Number(p);
    }
  }
  const cidr = /^(.+)\/(\d{1,3})$/.exec(text);
  if (cidr && isIP(cidr[1]!)) {
    const list = new BlockList();
    const family = isIP(cidr[1]!) === 6 ? 'ipv6' : 'ipv4';
    try {
      list.addSubnet(cidr[1]!, Number(cidr[2]), family);
    } catch {
      return undefined;
    }
    return { host: text, port, suffix: false, cidr: list };
  }
  const suffix = text.startsWith('.') || text.startsWith('*.');
  return { host: normalizeHost(text.replace(/^\*?\./, '')), port, suffix };
}

/**
 * Whether `NO_PROXY` says to reach `host:port` directly. Entries are separated by commas or
 * white space; `*` matches everything; `example.com` matches it and its subdomains; a leading
 * `.` or `*.` does the same; `host:port` matches that port only; IP addresses match exactly, and
 * CIDR ranges (`10.0.0.0/8`) match the addresses in them. Case does not matter.
 */
export function bypassesProxy(host: string, port: number, noProxy: string): boolean {
  const target = normalizeHost(host);
  const family = isIP(target);
  for (const raw of noProxy.split(/[\s,]+/)) {
    if (raw.trim() === '*') return true;
    const entry = parseEntry(raw);
    if (!entry) continue;
    if (entry.port !== undefined && entry.port !== port) continue;
    if (entry.cidr) {
      if (family && entry.cidr.check(target, family === 6 ? 'ipv6' : 'ipv4')) return true;
      continue;
    }
    if (!entry.host) continue;
    if (target === entry.host) return true;
    // A domain covers its subdomains; an IP address covers only itself.
    if (!family && !isIP(entry.host) && target.endsWith(`.${entry.host}`)) return true;
  }
  return false;
}

/** The proxy URL without user name and password. */
function displayProxy(uri: string): string {
  try {
    const url = new URL(uri);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(unparsable proxy URL)';
  }
}

/**
 * The proxy to use for `target` under `env`, or undefined to connect directly. Throws when the
 * variable holds something that is not a URL, naming the variable (never its value: it may
 * hold a password).
 */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): ProxyChoice | undefined {
  const https = target.protocol === 'https:';
  const names = https
    ? (['https_proxy', 'HTTPS_PROXY'] as const)
    : (['http_proxy', 'HTTP_PROXY'] as const);
  const variable = names.find((name) => env[name]?.trim());
  if (!variable) return undefined;
  const port = Number(target.port) || (https ? 443 : 80);
  if (isLoopback(target.hostname)) return undefined;
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  if (noProxy.trim() && bypassesProxy(target.hostname, port, noProxy)) return undefined;

  let uri = env[variable]!.trim();
  // `proxy.example.com:3128`, as some runners are configured, means http://.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) uri = `http://${uri}`;
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw new Error(
      `${variable} is not a proxy URL (value hidden): expected e.g. ` +
        'http://proxy.example.com:3128 or http://user:password@proxy.example.com:3128.',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(
      `${variable} uses ${parsed.protocol.slice(0, -1)}://, which is not supported: ` +
        'use an http:// (or https://) forward proxy.',
    );
  }
  return { uri, display: displayProxy(uri), variable };
}

/** Timeouts and keep-alive for every connection the proxy agent makes. */
export interface ProxyAgentOptions {
  timeoutMs: number;
  keepAliveTimeout: number;
  keepAliveMaxTimeout: number;
}

/**
 * An undici dispatcher that sends requests for `target` through `proxy`: an https:// server
 * through a CONNECT tunnel (TLS end to end with the server, so NODE_EXTRA_CA_CERTS still
 * decides whom to trust), an http:// server as an absolute-form request (`POST http://host/…`).
 */
export function proxyDispatcher(
  proxy: ProxyChoice,
  target: URL,
  options: ProxyAgentOptions,
): Dispatcher {
  const { timeoutMs } = options;
  const poolOptions = {
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: options.keepAliveTimeout,
    keepAliveMaxTimeout: options.keepAliveMaxTimeout,
  };
  const make = (origin: URL | string, opts: Record<string, unknown>): Dispatcher =>
    new Pool(origin, opts);
  return new ProxyAgent({
    uri: proxy.uri,
    proxyTunnel: target.protocol === 'https:',
    ...poolOptions,
    // The connection to the proxy, and TLS to the server inside the tunnel: both bounded.
    proxyTls: { timeout: timeoutMs },
    requestTls: { timeout: timeoutMs },
    // The CONNECT exchange with the proxy, and absolute-form requests: bounded too, and a
    // connection closed while being set up is one failed attempt, not a reconnect loop.
    clientFactory: guardedFactory(make, poolOptions, { proxy: proxy.display }) as never,
    factory: guardedFactory(make, poolOptions, { proxy: proxy.display }) as never,
  });
}
