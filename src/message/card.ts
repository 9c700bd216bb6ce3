/**
 * The HipChat `application` card sent beside the message (input `card: true`): the same facts as
 * the message, laid out as a title, a one-line description and a few labelled attributes.
 * Pure but for its id: the card depends only on the template view and the options.
 */
import type { TemplateView } from '../context/view.js';
import type { Card, CardAttribute, LozengeStyle, MessageFormat } from '../hipchat/types.js';
import { escapeHtml } from '../text/html.js';
import { defuseMentions } from '../text/mentions.js';
import { clean } from '../context/events/payload.js';
import { oneLine } from '../text/one-line.js';
import { cardAttributes, cardTitle, cardWord, kindOf } from '../context/events/registry.js';
import { runVerb } from '../context/events/run-message.js';
import { testCounts } from '../test-results/summary.js';
import { formatDuration } from '../text/duration.js';
import { ellipsis, fit as fitText } from '../text/fit.js';
import type { Cutter } from '../text/fit.js';
import { NO_SECRETS } from '../text/secrets.js';
import type { Redactor } from '../text/secrets.js';
import { tally } from '../whole-run/outcome.js';

/** Length limits of HipChat's card schema (characters; we count UTF-16 units, never more). */
export const CARD_LIMITS = {
  title: 500,
  description: 1000,
  /** An attribute's label. The schema sets no limit on the value's label; we use the same. */
  attributeLabel: 50,
} as const;

export interface CardOptions {
  /** The rendered message: the description when the view has no commit title or release name. */
  message: string;
  /** Format of `message` (an `html` message is turned into plain text first). */
  format: MessageFormat;
  /** How long the job ran, when known; no Duration attribute without it. */
  durationSeconds?: number;
  /** The card's id; default a fresh random UUID (see `buildCard`). */
  id?: string;
  /** The run's secrets: every field is redacted before it is cut (text/fit.ts); none by default. */
  secrets?: Redactor;
  /**
   * Attached to the notification it answers: the outcome as the title, without the repository,
   * and no description, branch, commit or actor — the parent shows them.
   */
  followUp?: boolean;
}

/**
 * Lozenge of the Status attribute, by `view.outcome`: success → `lozenge-success`,
 * failure → `lozenge-error`, cancelled, started, unknown and anything else → `lozenge-current`.
 */
const LOZENGE: Readonly<Record<TemplateView['outcome'], LozengeStyle>> = {
  success: 'lozenge-success',
  failure: 'lozenge-error',
  cancelled: 'lozenge-current',
  started: 'lozenge-current',
  unknown: 'lozenge-current',
  none: 'lozenge-current',
};

/**
 * A HipChat `application` card (format `medium`) for this run.
 *
 * - `id`: a fresh random UUID. HipChat treats a card whose id it has seen as the same card
 *   re-sent, so nothing derived from the run will do: every leg of a matrix shares the job's
 *   name, and two notify steps in one job share everything. The body is built once per run, so
 *   a retried request carries the same id.
 * - `title`: `owner/repo — CI failed` (`is fixed` / `is still failing` when the previous run is
 *   known), `owner/repo #12 — CI succeeded` for pull requests,
 *   `owner/repo v1.2.0 released` for a release (unless its workflow did not succeed).
 * - `description`: release name, else commit title, else PR title, else the message as plain
 *   text; always `format: 'text'`, so untrusted commit titles cannot inject markup.
 * - `url`: the release page for releases, the triggering run for workflow_run, else this run.
 * - `attributes`: Status (lozenge), Branch (Tag for a run on a tag), Commit, Actor (who started
 *   the run; none for a schedule), Duration, with `summary: run` the jobs' counts (Failed, Cancelled, Succeeded,
 *   Skipped); any whose value would be empty is left out (HipChat rejects empty
 *   labels).
 *
 * Every text is trimmed, its whitespace collapsed, its @mentions defused (a branch or commit
 * title must not ping the room, as in the message), and cut with `…` to the schema's limits.
 * The title and the attributes' labels are HTML-escaped: HipChat renders a, b, i, strong and
 * span in card fields, and a fork's branch name or a release's tag is anyone's text.
 */
export function buildCard(view: TemplateView, opts: CardOptions): Card {
  const secrets = opts.secrets ?? NO_SECRETS;
  const card: Card = {
    style: 'application',
    // Web Crypto's global: `node:crypto` would load on every run, cards or not.
    id: opts.id ?? globalThis.crypto.randomUUID(),
    title: fitHtml(opts.followUp ? outcomeTitle(view) : titleOf(view), CARD_LIMITS.title, secrets),
    format: 'medium',
  };
  const url = urlOf(view);
  if (url) card.url = url;
  const description = opts.followUp
    ? ''
    : fit(descriptionOf(view, opts), CARD_LIMITS.description, secrets);
  if (description) card.description = { value: description, format: 'text' };
  const attributes = attributesOf(view, opts.durationSeconds, secrets, opts.followUp);
  if (attributes.length > 0) card.attributes = attributes;
  return card;
}

/** The kind's own title (a published release's), else `<repo> <subject> — <workflow> <verb>`. */
function titleOf(view: TemplateView): string {
  const repo = clean(view.github.repository) || 'GitHub Actions';
  const own = cardTitle(view, repo);
  if (own) return own;
  const subject = cardWord(view, 'subject');
  return `${subject ? `${repo} ${subject}` : repo} — ${outcomeTitle(view)}`;
}

/** `<workflow> <verb>`: `CI failed`, `Deploy is fixed`; a follow-up's whole title. */
function outcomeTitle(view: TemplateView): string {
  const workflow = cardWord(view, 'workflow') || clean(view.github.workflow) || 'workflow';
  // The built-in message's verb, so card and fallback agree (a kind may have its own).
  const verb = cardWord(view, 'verb') || clean(runVerb(view)) || 'finished';
  return `${workflow} ${verb}`;
}

function urlOf(view: TemplateView): string {
  return cardWord(view, 'url') || view.run_url;
}

function descriptionOf(view: TemplateView, opts: CardOptions): string {
  return (
    cardWord(view, 'description') ||
    clean(view.commit_title) ||
    cardWord(view, 'laterDescription') ||
    clean(opts.format === 'html' ? htmlToText(opts.message) : opts.message)
  );
}

/**
 * "Tag" for a run on a tag (a release, a pushed tag), else "Branch". A pull request's and an
 * upstream run's `branch` is their head branch, whatever this run's own ref is.
 */
function refLabel(view: TemplateView): string {
  const own = !view.pull_request && !view.workflow_run;
  return own && view.github.ref.startsWith('refs/tags/') ? 'Tag' : 'Branch';
}

/** `summary: run`: how many jobs ended how, the counts that are not zero. */
function jobCounts(
  view: TemplateView,
): Array<[label: string, value: string, extra: Omit<CardAttribute['value'], 'label'>]> {
  if (view.jobs_total === 0) return [];
  const t = tally(view.jobs.map((job) => job.conclusion));
  const count = (n: number): string => (n > 0 ? String(n) : '');
  return [
    ['Failed', count(t.failed), { style: 'lozenge-error' }],
    ['Cancelled', count(t.cancelled), { style: 'lozenge-current' }],
    ['Succeeded', count(t.succeeded), { style: 'lozenge-success' }],
    ['Skipped', count(t.skipped), {}],
    // Past the listing's cap, or a page that failed: never counted as anything.
    ['Not read', count(view.jobs_total - t.total), {}],
  ];
}

function attributesOf(
  view: TemplateView,
  durationSeconds: number | undefined,
  secrets: Redactor,
  followUp = false,
): CardAttribute[] {
  // A follow-up's parent shows where and what was built, and by whom.
  const context: Array<[string, string, Omit<CardAttribute['value'], 'label'>]> = followUp
    ? []
    : [
        [refLabel(view), view.branch, view.branch_url ? { url: view.branch_url } : {}],
        ['Commit', view.short_sha, view.commit_url ? { url: view.commit_url } : {}],
        // A schedule's actor is whoever last edited the cron line: not who started it.
        ['Actor', kindOf(view).anonymous ? '' : view.actor, {}],
      ];
  const rows: Array<[label: string, value: string, extra: Omit<CardAttribute['value'], 'label'>]> =
    [
      ['Status', view.status, { style: LOZENGE[view.outcome] ?? 'lozenge-current' }],
      ...cardAttributes(view),
      ...context,
      // The upstream run's, for a `workflow_run`; else this job's, when the listing was read.
      ['Duration', formatDuration(durationSeconds) || view.duration, {}],
      ...testRows(view),
      ...jobCounts(view),
    ];
  const attributes: CardAttribute[] = [];
  for (const [label, value, extra] of rows) {
    const text = fitHtml(value, CARD_LIMITS.attributeLabel, secrets);
    if (text) {
      attributes.push({
        label: fitHtml(label, CARD_LIMITS.attributeLabel, secrets),
        value: { label: text, ...extra },
      });
    }
  }
  return attributes;
}

/**
 * `Tests: 2 failed, 1 errored, 40 passed` (red lozenge when any failed, else green) and the
 * first failed test's name, when `test-results` read a report.
 */
function testRows(view: TemplateView): [string, string, Omit<CardAttribute['value'], 'label'>][] {
  const tests = view.tests;
  if (!tests || tests.reports === 0) return [];
  const failing = tests.failed + tests.errored > 0;
  const rows: [string, string, Omit<CardAttribute['value'], 'label'>][] = [
    ['Tests', testCounts(tests), { style: failing ? 'lozenge-error' : 'lozenge-success' }],
  ];
  const first = tests.failures[0];
  if (first) rows.push(['First failure', first.name, {}]);
  return rows;
}

/** Card text: one line, @mentions defused, redacted and then cut to `max` (text/fit.ts). */
function fit(text: string, max: number, secrets: Redactor): string {
  return fitText(defuseMentions(oneLine(text, Infinity)), max, secrets);
}

/**
 * `fit` for a field HipChat renders as HTML: redacted, escaped, and cut so that the escaped
 * text (what HipChat counts) fits in `max`, never inside an entity or a surrogate pair.
 */
function fitHtml(text: string, max: number, secrets: Redactor): string {
  return fitText(defuseMentions(oneLine(text, Infinity)), max, secrets, escapedCut);
}

/** Escapes `text` and cuts what HipChat counts (the escaped text) to `max`, with `…`. */
function escapedCut(text: string, max: number): ReturnType<Cutter> {
  const escaped = escapeHtml(text);
  if (escaped.length <= max) return { head: escaped, tail: '', cut: false };
  let out = '';
  for (const char of text) {
    const next = escapeHtml(char);
    if (out.length + next.length > max - 1) break;
    out += next;
  }
  return { head: out.trimEnd(), tail: '…', cut: true };
}

/** `text` if it fits in `max` UTF-16 units, else cut with `…` (never halving a surrogate pair). */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const { head, tail } = ellipsis(text, max);
  return head + tail;
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** The readable text of an HTML message: tags dropped (line-breaking ones become a space), entities decoded. */
function htmlToText(html: string): string {
  return html
    .replace(/<\/?(?:br|p|div|li|ul|ol|tr|td|th|table|pre|h[1-6])\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? entity;
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    });
}
