/**
 * Fitting a message into HipChat's limit: cut on a safe boundary, close what the cut left open,
 * and say so with a marker.
 */
import type { MessageFormat } from '../hipchat/types.js';
import { MAX_MESSAGE_LENGTH } from '../hipchat/types.js';
import { MENTION_BREAKER } from '../text/mentions.js';
import { fit } from '../text/fit.js';
import type { Cutter } from '../text/fit.js';
import { NO_SECRETS } from '../text/secrets.js';
import type { Redactor } from '../text/secrets.js';

/** Appended where a message was cut to fit. */
export const TRUNCATION_MARKER = '… [truncated]';

/** What `truncate` did. `originalLength` is in the same units as `max`. */
export interface Truncation {
  message: string;
  truncated: boolean;
  originalLength: number;
}

/**
 * Cut `message` to at most `max` characters, ending with `TRUNCATION_MARKER`.
 *
 * Characters are UTF-16 code units (JavaScript's `length`): HipChat Server is Java, whose
 * `String.length()` counts the same way, and a server counting code points instead sees fewer,
 * so the message fits either way. The cut never splits a surrogate pair. In `html` it never
 * leaves half an entity (`&am`) or half a tag (`<a hre`), and it closes the elements left
 * open (`</a></b>`) before the marker, all within `max`. In `text` it keeps a defused `@`
 * defused.
 */
export function truncate(
  message: string,
  format: MessageFormat,
  max: number = MAX_MESSAGE_LENGTH,
  secrets: Redactor = NO_SECRETS,
): Truncation {
  let truncated = false;
  // Redacted first, then cut (text/fit.ts): a cut must not leave a token's first characters.
  const fitted = fit(message, max, secrets, (text, limit) => {
    const cut = cutMessage(text, format, limit);
    truncated = cut.cut;
    return cut;
  });
  return { message: fitted, truncated, originalLength: message.length };
}

/** The cut `truncate` makes: the head kept, and the closing tags and marker after it. */
function cutMessage(message: string, format: MessageFormat, max: number): ReturnType<Cutter> {
  if (message.length <= max) return { head: message, tail: '', cut: false };
  // No room for the marker: still fit, without it.
  const marker = max > TRUNCATION_MARKER.length ? TRUNCATION_MARKER : '';
  let cut = max - marker.length;
  for (;;) {
    cut = format === 'html' ? htmlSafeCut(message, cut) : textSafeCut(message, cut);
    const closers = format === 'html' ? closingTags(message.slice(0, cut)) : '';
    const overflow = cut + closers.length + marker.length - max;
    if (overflow <= 0) return { head: message.slice(0, cut), tail: closers + marker, cut: true };
    cut -= overflow;
  }
}

/** Move `cut` back so it does not fall inside a surrogate pair. */
function surrogateSafeCut(message: string, cut: number): number {
  if (cut <= 0) return 0;
  const before = message.charCodeAt(cut - 1);
  return before >= 0xd800 && before <= 0xdbff ? cut - 1 : cut;
}

function textSafeCut(message: string, cut: number): number {
  const safe = surrogateSafeCut(message, cut);
  // Cutting between `@` and its breaker would hand HipChat a live `@` followed by the marker.
  if (message[safe - 1] === '@' && message[safe] === MENTION_BREAKER) return safe - 1;
  // Cutting inside a live `@AliceSmith` would ping whoever is called `@Ali`: cut before it.
  const partial = /(?<![\p{L}\p{N}_])@[\p{L}\p{N}_]*$/u.exec(message.slice(0, safe));
  if (partial && /^[\p{L}\p{N}_]/u.test(message.slice(safe))) return partial.index;
  return safe;
}

function htmlSafeCut(message: string, cut: number): number {
  let safe = surrogateSafeCut(message, cut);
  const head = message.slice(0, safe);
  const tagStart = head.lastIndexOf('<');
  if (tagStart > head.lastIndexOf('>')) safe = tagStart; // inside `<a hre`
  const entity = /&[#a-zA-Z0-9]*$/.exec(message.slice(0, safe));
  if (entity) safe = entity.index; // inside `&am` or `&#3`
  return safe;
}

// Elements with no closing tag (HipChat's subset plus the HTML void elements it might pass).
const VOID_ELEMENTS = new Set(['br', 'img', 'hr', 'wbr', 'input', 'col', 'area', 'source']);

/** The closing tags for the elements still open at the end of `html`, innermost first. */
function closingTags(html: string): string {
  const open: string[] = [];
  for (const match of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>/g)) {
    const [, closing, rawName = '', selfClosing] = match;
    const name = rawName.toLowerCase();
    if (VOID_ELEMENTS.has(name) || selfClosing) continue;
    if (!closing) {
      open.push(name);
      continue;
    }
    const index = open.lastIndexOf(name);
    if (index >= 0) open.length = index;
  }
  return open
    .reverse()
    .map((name) => `</${name}>`)
    .join('');
}
