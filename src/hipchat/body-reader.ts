/**
 * The bounded read of an answer's body: a hostile server cannot make the run hold more than
 * `MAX_BODY_BYTES` of it, nor wait past the request's deadline for the rest.
 */
import type { Dispatcher } from 'undici';

/** The most of an answer's body that is read; the rest is discarded (HipChat's are a few KB). */
const MAX_BODY_BYTES = 64 * 1024;

/** The text read of a body, and whether some of it was left unread or lost. */
export interface BoundedBody {
  text: string;
  truncated: boolean;
}

/**
 * Reads at most `MAX_BODY_BYTES` of a body and discards the rest (the connection is closed, not
 * drained), within the request's deadline. A body cut by the peer keeps what arrived.
 */
export async function readBounded(
  body: Dispatcher.ResponseData['body'],
  expired: Promise<never>,
): Promise<BoundedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const reading = (async () => {
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_BODY_BYTES) {
          truncated = size > MAX_BODY_BYTES;
          break;
        }
      }
    } catch {
      truncated = true;
    }
  })();
  try {
    await Promise.race([reading, expired]);
  } catch {
    truncated = true;
  } finally {
    body.destroy();
  }
  const all = Buffer.concat(chunks);
  return { text: all.subarray(0, MAX_BODY_BYTES).toString('utf8'), truncated };
}
