/**
 * Fitting outside text to a length: the one function every cut goes through, so that no cut
 * can leave a piece of a secret. Redact first (whole secrets and fragments, in every form), then
 * cut, then remove a secret's beginning that the cut left at the end of what is kept: cutting
 * first would leave the first characters of a token (too few to count as a fragment) in the
 * room, the `message` output and the summary.
 */
import type { Redactor } from './secrets.js';

/**
 * How a text is fitted: the part kept (`head`, the whole text when it fits, in the cutter's
 * rendering), what is appended after it (a marker, closing tags), and whether it was cut.
 */
export type Cutter = (text: string, max: number) => { head: string; tail: string; cut: boolean };

/** Cuts with `…`, never halving a surrogate pair. */
export const ellipsis: Cutter = (text, max) => {
  if (text.length <= max) return { head: text, tail: '', cut: false };
  if (max <= 0) return { head: '', tail: '', cut: true };
  let end = max - 1;
  const before = text.charCodeAt(end - 1);
  if (end > 0 && before >= 0xd800 && before <= 0xdbff) end--;
  return { head: text.slice(0, end).trimEnd(), tail: '…', cut: true };
};

/**
 * `text` redacted by `secrets`, then fitted to at most `max` UTF-16 units by `cut`.
 * `alreadyCut`: the text was cut short before it got here (a bounded read), so its end is
 * checked for a secret's beginning even when it fits.
 */
export function fit(
  text: string,
  max: number,
  secrets: Redactor,
  cut: Cutter = ellipsis,
  alreadyCut = false,
): string {
  const { head, tail, cut: wasCut } = cut(secrets.redactUntrusted(text), max);
  // `***` is no longer than the 4 or more characters it replaces: the result still fits.
  return wasCut || alreadyCut ? secrets.trimEdge(head) + tail : head + tail;
}
