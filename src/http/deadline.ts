/**
 * One bound for a whole request, whatever phase it hangs in (DNS, proxy, TLS, answer, body).
 * undici applies an abort only once a connection is up (it aborts the request before writing a
 * byte of it), and its own connect timeout ticks in steps of about half a second: so the
 * deadline is also a promise the caller races, and a hung connect or TLS handshake ends on time.
 */

/** A running deadline: the signal for undici, the promise to race, and its end. */
export interface Deadline {
  /** Aborted with the deadline's error when the time is up. */
  signal: AbortSignal;
  /** Rejects with the same error at the same moment; never an unhandled rejection. */
  expired: Promise<never>;
  /** Stops the timer (the request ended first). */
  clear(): void;
}

/** The error of a deadline nobody worded: `no answer within … ms`, code `TIMEOUT`. */
function timeoutError(timeoutMs: number): Error {
  return Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'TIMEOUT' });
}

/**
 * Starts a deadline of `timeoutMs` milliseconds; when it passes, the signal aborts and `expired`
 * rejects with `expiry()` (each client words its own).
 */
export function startDeadline(
  timeoutMs: number,
  expiry: () => Error = () => timeoutError(timeoutMs),
): Deadline {
  const controller = new AbortController();
  let expire!: (error: Error) => void;
  const expired = new Promise<never>((_resolve, reject) => (expire = reject));
  // Whichever loses the race must not become an unhandled rejection.
  expired.catch(() => {});
  const timer = setTimeout(() => {
    const error = expiry();
    controller.abort(error);
    expire(error);
  }, timeoutMs);
  return { signal: controller.signal, expired, clear: () => clearTimeout(timer) };
}
