/**
 * The part of undici a delivery needs — `Agent` and `request()` — loaded from undici's own
 * modules instead of its index.
 *
 * Why: `import … from 'undici'` evaluates the whole package (fetch, WebSocket, the cache API,
 * EventSource, mocks) on every run, which costs more start-up time than the rest of a delivery
 * together (CONTRIBUTING.md: Keeping start-up fast). These are the very modules the index re-exports, so behaviour is
 * undici's: `request()` below is the index's `request` (its `makeDispatcher` wrapper around
 * `lib/api/api-request.js`), minus the global-dispatcher fallback — every call names its
 * dispatcher. Anything else (ProxyAgent, errors for `instanceof`, MockAgent in tests) may still
 * come from 'undici' itself, preferably with a dynamic `import()` where only some runs need it:
 * it is the same copy of the same modules.
 */
import type { Dispatcher } from 'undici';
import UndiciAgent from 'undici/lib/dispatcher/agent.js';
import apiRequest from 'undici/lib/api/api-request.js';
import { parseURL } from 'undici/lib/core/util.js';
import undiciBuildConnector from 'undici/lib/core/connect.js';
import { traced } from './tracing-handler.js';
import type { Trace } from './tracing-handler.js';

/** undici's `Agent` (the class `import { Agent } from 'undici'` gives). */
export const Agent = UndiciAgent;

/**
 * Options of {@link request}: undici's, with the dispatcher required, and where to note what
 * undici saw of the request (`trace`, tracing-handler.ts).
 */
export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> &
  Partial<Pick<Dispatcher.RequestOptions, 'method'>> & { dispatcher: Dispatcher; trace?: Trace };

/**
 * undici's `request(url, options)`, on the given dispatcher, through the tracing handler: it
 * notes `trace`, and keeps header names undici cannot collect from every answer (HipChat's,
 * GitHub's, a log host's, a proxy's in their place).
 */
export function request(
  url: string | URL,
  options: RequestOptions,
): Promise<Dispatcher.ResponseData> {
  const { dispatcher, trace, ...rest } = options;
  const parsed = parseURL(url);
  return apiRequest.call(traced(dispatcher, trace), {
    ...rest,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: rest.method || (rest.body ? 'PUT' : 'GET'),
  });
}

/** undici's `buildConnector` (the index's `buildConnector`), already loaded by its Agent. */
export const buildConnector = undiciBuildConnector;
