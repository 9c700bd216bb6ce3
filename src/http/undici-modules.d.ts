/**
 * Types for the undici modules `undici.ts` loads directly (undici ships types for its index
 * only). Each is what the index re-exports under the same name.
 */
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export = Agent;
}

declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  function request(
    this: Dispatcher,
    options: Dispatcher.RequestOptions,
  ): Promise<Dispatcher.ResponseData>;
  export = request;
}

declare module 'undici/lib/core/util.js' {
  /** Validates and parses an http(s) URL, throwing undici's InvalidArgumentError otherwise. */
  export function parseURL(url: string | URL): URL;
}

declare module 'undici/lib/core/connect.js' {
  import buildConnector from 'undici/types/connector';
  export = buildConnector;
}
