/**
 * HipChat mentions in outside text: which names the action may write live, and how every other
 * `@` is made inert in the `text` format. Pure; the template, the card and the people step share it.
 */

/**
 * Inserted after a defused `@`. U+2060 WORD JOINER: invisible and zero-width like U+200B, but
 * not a line-break opportunity (so `@⁠bob` never wraps apart) and, unlike U+200D, it means
 * nothing inside emoji sequences. HipChat's mention names are word characters, so `@` + joiner
 * names nobody.
 */
export const MENTION_BREAKER = '\u2060';

/** A HipChat mention name the action will write live: word characters, never a room-wide ping. */
export function isMentionName(name: string): boolean {
  return /^[\p{L}\p{N}_]{1,50}$/u.test(name) && !/^(?:all|here)$/i.test(name);
}

/**
 * Defuse every `@` in `value` that could start a mention in HipChat's `text` format, by putting
 * an invisible `MENTION_BREAKER` after it. Defused: an `@` at the start or after a non-word
 * character (`@bob`, `(@all`, `a @here`), and any `@all` / `@here` even inside a word, so the
 * room-wide pings never get through whatever HipChat's word-boundary rule. Left alone: `@` after
 * a word character (`alice@example.com`), which keeps addresses intact and linkable.
 */
export function defuseMentions(value: string): string {
  return value.replace(MENTION_AT, `@${MENTION_BREAKER}`);
}

const MENTION_AT = /(?<![\p{L}\p{N}_])@(?!\u2060)|@(?=(?:all|here)(?![\p{L}\p{N}_]))/giu;
