/**
 * The build alert every run kind shares — `❌ acme/app: CI failed on main — “Fix parser”
 * (abc1234) by alice`, then the run's link — with the words a kind changes passed in.
 */
import { outcomeOf } from '../../inputs/status.js';
import { countsPhrase, tally } from '../../whole-run/outcome.js';
import type { RunView } from './kind.js';
import { bold, code, joinWith, link, quoted, variable } from './pieces.js';
import type { Piece, Spec } from './pieces.js';

/** What a kind says differently in the shared build alert. */
export interface RunWords {
  /** Before the workflow's name: `manual run of `. */
  prefix?: string;
  /** The workflow named (default `github.workflow`, else "workflow"). */
  workflowName?: Piece;
  /** Where it ran (default ` on <branch>`). */
  where?: Piece[];
  /** Facts in the parentheses, before the commit (a PR's branch, the event's name). */
  parens?: Piece[][];
  /** Whether the headline names who started the run (default yes). */
  byActor?: boolean;
  /** The link to act on (default this run's). */
  link?: Spec['link'];
}

/** The build alert for `view`, with the kind's words. */
export function runSpec(view: RunView, words: RunWords = {}): Spec {
  const headline: Piece[] = [...repository(view), ': '];
  if (words.prefix) headline.push(words.prefix);
  headline.push(bold(words.workflowName ?? workflowName(view)), ` ${runVerb(view)}`);
  headline.push(...failedStepPhrase(view), ...(words.where ?? onBranch(view)));
  headline.push(...jobCountsPhrase(view), ...commitFacts(view, words.parens ?? []));
  if (words.byActor !== false && view.actor) headline.push(' by ', variable('actor'));
  return { headline, ...(words.link ? { link: words.link } : runLink(view)) };
}

/**
 * A follow-up, attached to the notification it answers (`attach-to`): what happened since, and
 * nothing its parent already shows (repository, branch, commit, who) — `✅ Deploy succeeded`,
 * `❌ Deploy failed at step Migrate`, `✅ CI is fixed` — then this run's link.
 */
export function followUpSpec(view: RunView): Spec {
  const headline: Piece[] = [bold(workflowName(view)), ` ${runVerb(view)}`];
  headline.push(...failedStepPhrase(view), ...jobCountsPhrase(view));
  return { headline, ...runLink(view) };
}

/** `summary: job`, on a failure: ` at step <b>Run tests</b>`, the step the API says failed. */
export function failedStepPhrase(view: RunView): Piece[] {
  return view.failed_step && view.outcome === 'failure'
    ? [' at step ', bold(variable('failed_step'))]
    : [];
}

/**
 * `summary: run`: how the run's jobs ended (` — 3 of 12 jobs failed`); our words, not input.
 * When the summary says something was missing (`jobs_note`), only what was read is counted.
 */
export function jobCountsPhrase(view: RunView): Piece[] {
  if (view.jobs_total <= 0) return [];
  const t = tally(view.jobs.map((job) => job.conclusion));
  return [` — ${countsPhrase(t, view.jobs_total, Boolean(view.jobs_note))}`];
}

/**
 * The status in words (`failed`, `timed out`, `succeeded`…: status.ts), or — when `send-when`
 * found the previous run — `is fixed` (success after failure), `is broken again` (failure after
 * success) or `is still failing` (failure after failure). Shared with the card, so card and
 * fallback message say the same.
 */
export function runVerb(view: RunView): string {
  const previous = outcomeOf(view.previous_status);
  switch (view.outcome) {
    case 'success':
      return previous === 'failure' ? 'is fixed' : view.status_text || 'succeeded';
    case 'failure':
      if (previous === 'failure') return 'is still failing';
      return previous === 'success' ? 'is broken again' : view.status_text || 'failed';
    case 'cancelled':
      return 'was cancelled';
    default:
      return view.status_text || 'finished';
  }
}

/** The repository, linked in html; `GitHub` when the run does not say. */
export function repository(view: RunView): Piece[] {
  if (!view.github.repository) return ['GitHub'];
  return [
    view.repository_url
      ? link('repository_url', variable('github.repository'))
      : variable('github.repository'),
  ];
}

/** This run's link: `run #42` (with the attempt after a re-run), or `view run`. */
export function runLink(view: RunView): Pick<Spec, 'link'> {
  if (!view.run_url) return {};
  const label: Piece[] = view.github.run_number
    ? ['run #', variable('github.run_number')]
    : ['view run'];
  if (Number(view.github.run_attempt) > 1)
    label.push(' (attempt ', variable('github.run_attempt'), ')');
  return { link: { url: 'run_url', label } };
}

/** The branch, linked in html. */
export function branch(view: RunView): Piece {
  return view.branch_url ? link('branch_url', variable('branch')) : variable('branch');
}

function workflowName(view: RunView): Piece {
  return view.github.workflow ? variable('github.workflow') : 'workflow';
}

/** ` on main`, linked in html. */
function onBranch(view: RunView): Piece[] {
  return view.branch ? [' on ', branch(view)] : [];
}

/** ` — "Fix parser" (feature/x, abc1234)`: what was built. */
function commitFacts(view: RunView, parens: Piece[][]): Piece[] {
  const pieces: Piece[] = [];
  if (view.commit_title) pieces.push(' — ', ...quoted(variable('commit_title')));
  const inParens: Piece[][] = [...parens];
  if (view.short_sha) {
    const sha = code(variable('short_sha'));
    inParens.push([view.commit_url ? link('commit_url', sha) : sha]);
  }
  if (inParens.length > 0) pieces.push(' (', ...inParens.flatMap(joinWith(', ')), ')');
  return pieces;
}
