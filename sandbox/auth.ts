/** Tokens: how a request presents one, which are valid, and minting add-on tokens. */

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { OAuthClient, TokenSpec } from './defaults.ts';
import { ADDON_TOKEN_TTL_SECONDS } from './defaults.ts';
import type { Clock } from './limits.ts';
import type { TokenSource } from './record.ts';

/** The token a request presents and where it was found. */
export interface Credential {
  token: string | null;
  source: TokenSource | null;
  /** `?auth_token=` was given (even if a header token took precedence). */
  authTokenInQuery: boolean;
}

/**
 * Reads `Authorization: Bearer <token>`, falling back to `?auth_token=` as HipChat does. The
 * header wins when both are present.
 */
export function readCredential(headers: IncomingHttpHeaders, query: URLSearchParams): Credential {
  const queryToken = query.get('auth_token');
  const authTokenInQuery = queryToken !== null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (bearer?.[1] !== undefined) return { token: bearer[1], source: 'header', authTokenInQuery };
  if (queryToken !== null && queryToken !== '') {
    return { token: queryToken, source: 'query', authTokenInQuery };
  }
  return { token: null, source: null, authTokenInQuery };
}

/** Reads `Authorization: Basic base64(id:secret)`. */
export function readBasic(headers: IncomingHttpHeaders): { id: string; secret: string } | null {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headers.authorization ?? '');
  if (basic?.[1] === undefined) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The valid tokens and OAuth clients, including add-on tokens minted at run time. */
export class TokenStore {
  readonly #tokens = new Map<string, TokenSpec>();
  readonly #clients: readonly OAuthClient[];
  readonly #clock: Clock;

  constructor(tokens: readonly TokenSpec[], clients: readonly OAuthClient[], clock: Clock) {
    for (const spec of tokens) this.#tokens.set(spec.token, { ...spec });
    this.#clients = clients;
    this.#clock = clock;
  }

  /** The token's spec, or undefined if it is unknown or expired. */
  find(token: string | null): TokenSpec | undefined {
    if (token === null) return undefined;
    const spec = this.#tokens.get(token);
    if (spec?.expiresAt !== undefined && this.#clock.now() >= spec.expiresAt) return undefined;
    return spec;
  }

  /** Adds (or replaces) a token. */
  add(spec: TokenSpec): void {
    this.#tokens.set(spec.token, { ...spec });
  }

  /** The OAuth client with these credentials, or undefined. */
  client(id: string, secret: string): OAuthClient | undefined {
    const client = this.#clients.find((c) => c.id === id);
    return client !== undefined && sameSecret(client.secret, secret) ? client : undefined;
  }

  /** The configured tokens (copies), minted ones included. */
  list(): TokenSpec[] {
    return [...this.#tokens.values()].map((spec) => ({ ...spec }));
  }

  /** The configured OAuth clients. */
  clients(): readonly OAuthClient[] {
    return this.#clients;
  }

  /** Mints an add-on token for `client` with `scopes`, valid for HipChat's 8 hours. */
  mint(scopes: string[]): TokenSpec {
    const spec: TokenSpec = {
      token: `sandbox-addon-${randomBytes(16).toString('hex')}`,
      kind: 'addon',
      scopes,
      expiresAt: this.#clock.now() + ADDON_TOKEN_TTL_SECONDS * 1000,
    };
    this.#tokens.set(spec.token, spec);
    return spec;
  }
}
