/**
 * `notify`: whether HipChat notifies the room's members (a sound, a badge) for this message.
 * `true` or `false` as before, or a list of outcomes to notify on — words of the status
 * vocabulary (status.ts: `failure` also covers `timed_out` and `error`, `success` also
 * `neutral`), plus `fixed` (a success after a failure) and `broken` (a failure after a
 * success), which `send-when`'s lookup of the previous run decides. Pure.
 */
import { STATUSES, normalizeStatus, outcomeOf } from './status.js';

/** `notify`: always, never, or on these words. */
export type NotifyRule = boolean | readonly string[];

/** The words that need the previous run's outcome. */
export const CHANGE_WORDS = ['fixed', 'broken'] as const;

/** Every word `notify` accepts in a list. */
export const NOTIFY_WORDS: readonly string[] = [...STATUSES, ...CHANGE_WORDS];

/**
 * Reads `notify` (its default already applied): a YAML boolean, or words separated by commas
 * or new lines. An unknown word is a problem naming the accepted ones.
 */
export function parseNotify(raw: string, problems: string[]): NotifyRule {
  const value = raw.trim();
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE', ''].includes(value)) return false;
  const words = [
    ...new Set(
      value
        .split(/[\n,]/)
        .map((word) => word.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const unknown = words.filter((word) => !NOTIFY_WORDS.includes(word));
  if (unknown.length > 0) {
    problems.push(
      `\`notify\` is '${raw}': ${unknown.map((w) => `'${w}'`).join(', ')} ${unknown.length === 1 ? 'is not an outcome' : 'are not outcomes'}; expected true, false, or a list of ${NOTIFY_WORDS.join(', ')}.`,
    );
  }
  return words;
}

/** Whether the rule asks about the previous run (`fixed`, `broken`). */
export function needsPrevious(rule: NotifyRule): boolean {
  return Array.isArray(rule) && rule.some((word) => word === 'fixed' || word === 'broken');
}

/**
 * Whether this message notifies: `status` matches a listed word (the word itself, or its
 * outcome family), or it is `fixed`/`broken` against `previousStatus` ('' when unknown: then
 * neither is).
 */
export function notifies(rule: NotifyRule, status: string, previousStatus: string): boolean {
  if (typeof rule === 'boolean') return rule;
  const word = normalizeStatus(status);
  const now = outcomeOf(word);
  const before = outcomeOf(previousStatus);
  return rule.some((listed) => {
    if (listed === 'fixed') return now === 'success' && before === 'failure';
    if (listed === 'broken') return now === 'failure' && before === 'success';
    return listed === word || (listed === now && word !== '');
  });
}
