/**
 * Outside text made visible and plain: names (jobs, steps, tests, people) on one line, and
 * log lines without the characters that hide or reorder what a reader sees.
 *
 * Removed everywhere: C0/C1 controls (NUL, ESC, BEL…) and Unicode format characters — bidi
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, the marks), zero-width
 * spaces, the byte-order mark, tag characters. Joiners (U+200C, U+200D) are kept: emoji and
 * several scripts need them, and they cannot reorder or hide text.
 */

/** Every line break a reader or the runner honours: CR LF, CR, LF, VT, FF, NEL, LS, PS. */
const LINE_BREAKS = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/g;
/** Controls (other than tab and line feed) and format characters other than the joiners. */
const INVISIBLE = /(?![\t\n\u200c\u200d])[\p{Cc}\p{Cf}]/gu;
/** Whether a text holds anything `visibleLines` changes: most texts do not (a cheap test). */
const ANY = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** `text` with its line breaks as `\n` and no control or format characters (tab kept). */
export function visibleLines(text: string): string {
  if (!ANY.test(text)) return text;
  return text.replace(LINE_BREAKS, '\n').replace(INVISIBLE, '');
}

/**
 * A name on one line: line breaks and tabs become one space, controls and format characters
 * disappear, runs of white space are one space, ends trimmed. At most `max` characters (whole
 * code points), so a name cannot forge lines or reorder a message.
 */
export function oneLine(text: string, max = 100): string {
  const flat = visibleLines(text).replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  return [...flat].slice(0, max).join('');
}
