/**
 * What undici saw of one request: whether it was written in full and whether an answer began.
 * A failure means something different before and after each (see request-failure.ts). And the
 * answer's header names, kept from undici's parser where a plain object already answers to them.
 */
import type { Dispatcher } from 'undici';

/**
 * Whether the whole request was written (undici's `onRequestSent`) and whether an answer began
 * to arrive (`onResponseStarted`, at its first byte).
 */
export interface Trace {
  sent: boolean;
  answering: boolean;
}

type Handlers = Dispatcher.DispatchHandlers;

/**
 * Passes every event through to undici's own handler and notes when the whole request has been
 * written (`onRequestSent`): only after that can a failure have left HipChat acting on it.
 * Plain delegation (not undici's DecoratorHandler) so nothing beyond Agent and request() is
 * loaded at start-up.
 */
class TracingHandler implements Handlers {
  readonly #inner: Handlers & { onRequestSent?(): void };
  readonly #trace: Trace;
  constructor(inner: Handlers, trace: Trace) {
    this.#inner = inner;
    this.#trace = trace;
  }
  onConnect(...args: Parameters<NonNullable<Handlers['onConnect']>>): void {
    return this.#inner.onConnect?.(...args);
  }
  onError(...args: Parameters<NonNullable<Handlers['onError']>>): void {
    return this.#inner.onError?.(...args);
  }
  onUpgrade(...args: Parameters<NonNullable<Handlers['onUpgrade']>>): void {
    return this.#inner.onUpgrade?.(...args);
  }
  onResponseStarted(): void {
    this.#trace.answering = true;
    return this.#inner.onResponseStarted?.();
  }
  onHeaders(...args: Parameters<NonNullable<Handlers['onHeaders']>>): boolean {
    const [status, raw, resume, text] = args;
    return this.#inner.onHeaders?.(status, withoutObjectNames(raw), resume, text) ?? true;
  }
  onData(...args: Parameters<NonNullable<Handlers['onData']>>): boolean {
    return this.#inner.onData?.(...args) ?? true;
  }
  onComplete(...args: Parameters<NonNullable<Handlers['onComplete']>>): void {
    return this.#inner.onComplete?.(...args);
  }
  onBodySent(...args: Parameters<NonNullable<Handlers['onBodySent']>>): void {
    return this.#inner.onBodySent?.(...args);
  }
  onRequestSent(): void {
    this.#trace.sent = true;
    return this.#inner.onRequestSent?.();
  }
}

/**
 * `rawHeaders` (name, value, name, value…) without the headers whose lower-cased name is a
 * property every object has (`constructor`, `__proto__`). undici's `request()` collects headers
 * with `obj[name]` on a `{}`, and on such a name it finds the property and throws (`val.push is
 * not a function`): a server or proxy sending one would turn a delivered notification into a
 * failed, retried — duplicated — one. No header the action reads has such a name.
 */
export function withoutObjectNames<T extends Buffer | string>(rawHeaders: T[]): T[] {
  let kept: T[] | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toString().toLowerCase();
    const clash = name in Object.prototype;
    if (clash && !kept) kept = rawHeaders.slice(0, i);
    else if (!clash && kept) kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return kept ?? rawHeaders;
}

/** `dispatcher`, with every request through it noted in `trace`. */
export function traced(
  dispatcher: Dispatcher,
  trace: Trace = { sent: false, answering: false },
): Dispatcher {
  return dispatcher.compose(
    (dispatch) => (opts, handler) => dispatch(opts, new TracingHandler(handler, trace)),
  );
}
