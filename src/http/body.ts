/**
 * The bounded read of an answer's body, for both clients: a hostile server cannot make the run
 * hold more than the cap of it, nor wait past the request's deadline for the rest.
 */
import type { Dispatcher } from 'undici';

/** What was read of a body, and why the read stopped before the body's end, if it did. */
export interface BoundedBody {
  /** The first `maxBytes` bytes at most, as UTF-8. */
  text: string;
  /** More than `maxBytes` arrived: the rest was not read. */
  over: boolean;
  /** The body broke off (the peer, or the deadline): what arrived before is kept. */
  cut?: unknown;
}

/**
 * Reads a body until its end or until more than `maxBytes` have arrived, and discards the rest
 * (the connection is closed, not drained); with `expired`, no longer than the request's deadline.
 * Never rejects: a failure of the stream or the deadline is `cut`.
 */
export async function readBounded(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
  expired?: Promise<never>,
): Promise<BoundedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reading = (async (): Promise<void> => {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxBytes) break;
    }
  })();
  // Destroyed when the deadline wins the race: its failure then is expected, not unhandled.
  reading.catch(() => {});
  let cut: unknown;
  try {
    await (expired ? Promise.race([reading, expired]) : reading);
  } catch (error) {
    cut = error ?? new Error('the body broke off');
  } finally {
    body.destroy();
  }
  const text = Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
  return { text, over: size > maxBytes, ...(cut === undefined ? {} : { cut }) };
}
