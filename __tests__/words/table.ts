/**
 * What the built-in messages say, written once. Each event kind has a table module beside this
 * one (push.ts, release.ts…) holding its sentences: per outcome, the text message, the html
 * message and the card's title, as Mustache templates over the view (`{{branch}}` stands for the
 * run's branch, in the format's escaping). The words themselves are literal.
 *
 * Who reads the tables:
 * - the kind's unit test (`__tests__/unit/events/<kind>.test.ts`) renders each row over the
 *   kind's fixture and asserts the built-in message and card title equal it: the one place a
 *   sentence is asserted;
 * - the e2e tier checks that the bundle's built-in messages match the rows (`wordsPattern`);
 * - the docs test checks that every sample message in README.md and docs/ agrees with a row
 *   (`agrees`), so a sample cannot go stale.
 * Every other test asserts facts (links, counts, escaping, who is pinged), never a whole
 * sentence. Changing a wording: the source (src/context/events/) and its row here.
 */
import type { ViewExtras } from '../../src/context/view.js';

/** One message as each place shows it. */
export interface Sentences {
  /** The text message: the headline, then the link on a line of its own. */
  text: string;
  /** The html message: one line, the link last. */
  html: string;
  /** The card's title (html-escaped, as HipChat takes it). */
  card: string;
}

/** One row of a kind's table: a run, and what its built-in message says. */
export interface WordsRow extends Sentences {
  /** What the row is about, as a test names it: `failure`, `failure after success`. */
  name: string;
  /** The `status` input. */
  status: string;
  /** The event's name, when not the table's (`pull_request_target`). */
  event?: string;
  /** The runner's variables over the table's (a workflow's name, a re-run's attempt). */
  env?: Record<string, string>;
  /** Fields over the fixture's payload (a release's action). */
  payload?: Record<string, unknown>;
  /** What other steps found: the previous run's status, the GitHub API's facts. */
  extras?: ViewExtras;
  /** Sent with `attach-to`: the follow-up's words (follow-up.ts). */
  followUp?: boolean;
}

/** One event kind's table. */
export interface KindWords {
  /** The kind's name (src/context/events/registry.ts). */
  kind: string;
  /** The event the rows run as, and the payload in __tests__/fixtures/events/ they run over. */
  event: string;
  fixture: string;
  rows: readonly WordsRow[];
}

/**
 * The status words every run alert shares (src/inputs/status.ts, src/context/events/run-message.ts):
 * the icon and the verb of each `status`, and the verbs `send-when`'s previous run adds.
 */
export const OUTCOME_WORDS = {
  success: { icon: '✅', verb: 'succeeded' },
  failure: { icon: '❌', verb: 'failed' },
  cancelled: { icon: '⚪', verb: 'was cancelled' },
  '': { icon: '🔵', verb: 'finished' },
  started: { icon: '🚀', verb: 'started' },
  queued: { icon: '🚀', verb: 'is queued' },
  requested: { icon: '🚀', verb: 'was requested' },
  unknown: { icon: '❔', verb: 'outcome unknown' },
  timed_out: { icon: '❌', verb: 'timed out' },
  startup_failure: { icon: '❌', verb: 'failed to start' },
  neutral: { icon: '✅', verb: 'finished' },
  action_required: { icon: '🔵', verb: 'is waiting for approval' },
  stale: { icon: '🔵', verb: 'went stale' },
  fixed: { icon: '✅', verb: 'is fixed' },
  stillFailing: { icon: '❌', verb: 'is still failing' },
  brokenAgain: { icon: '❌', verb: 'is broken again' },
} as const;

/** A status's words (or a change's: `fixed`, `stillFailing`, `brokenAgain`). */
export type OutcomeName = keyof typeof OUTCOME_WORDS;

/** The row of `table` named `name`; throws when there is none, so a typo fails loudly. */
export function rowOf(table: KindWords, name: string): WordsRow {
  const row = table.rows.find((r) => r.name === name);
  if (!row) throw new Error(`no row "${name}" in the ${table.kind} words table`);
  return row;
}

/** Facts that may hold spaces; every other slot stands for one word (a name, a branch, a link). */
const SPACED_SLOTS = new Set([
  'commit_title',
  'release.name',
  'failed_step',
  'subject.name',
  'deployment.description',
]);

/** A literal character, any text (a docs sample's `…`, a spaced slot) or one word (a slot). */
type Glob = (string | 'any' | 'word')[];

function globOf(source: string, wildcard: RegExp): Glob {
  const glob: Glob = [];
  let last = 0;
  for (const match of source.matchAll(new RegExp(wildcard, 'g'))) {
    glob.push(...Array.from(source.slice(last, match.index)));
    const slot = match[0].slice(2, -2);
    glob.push(match[0] === '…' || SPACED_SLOTS.has(slot) ? 'any' : 'word');
    last = match.index + match[0].length;
  }
  glob.push(...Array.from(source.slice(last)));
  return glob;
}

const SLOT = /\{\{[^}]*\}\}/;

/**
 * What `template` says with any facts in its slots, as a pattern: for a bundle's message, whose
 * facts the test does not compute, the words around the facts must be the row's. A slot stands
 * for one word unless its fact may hold spaces (a commit title).
 */
export function wordsPattern(template: string): RegExp {
  let source = '';
  let last = 0;
  for (const match of template.matchAll(new RegExp(SLOT, 'g'))) {
    source += escapeRegExp(template.slice(last, match.index));
    source += SPACED_SLOTS.has(match[0].slice(2, -2)) ? '[^]+?' : '\\S+?';
    last = match.index + match[0].length;
  }
  return new RegExp(`^${source}${escapeRegExp(template.slice(last))}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether a docs sample (`…` standing for words left out) can be what `template` says: some text
 * fits both. Both sides have wildcards, so this walks the two at once.
 */
export function agrees(sample: string, template: string): boolean {
  const a = globOf(sample, /…/);
  const b = globOf(template, SLOT);
  const isWild = (token: string | undefined) => token === 'any' || token === 'word';
  const seen = new Map<number, boolean>();
  const walk = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    let result = seen.get(key);
    if (result !== undefined) return result;
    if (i === a.length && j === b.length) result = true;
    // The sample's `…` takes the template's next token, or ends.
    else if (a[i] === 'any') result = walk(i + 1, j) || (j < b.length && walk(i, j + 1));
    // A slot ends, or takes the sample's next character (a word slot: never a space).
    else if (isWild(b[j])) {
      const takes = i < a.length && (b[j] === 'any' || (a[i] !== ' ' && !isWild(a[i])));
      result = walk(i, j + 1) || (takes && walk(i + 1, j));
    } else result = i < a.length && j < b.length && a[i] === b[j] && walk(i + 1, j + 1);
    seen.set(key, result);
    return result;
  };
  return walk(0, 0);
}
