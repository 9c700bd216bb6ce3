/**
 * The one status vocabulary: every word the `status` input accepts, the outcome family each
 * belongs to and how a message says it. Inputs validation, the template view, the built-in
 * messages, the card and `send-when` all read this table, so a word cannot mean one thing in
 * the message and another to `send-when`.
 */

/** Which built-in template family (colour, icon, lozenge) a status belongs to. */
export type Outcome = 'success' | 'failure' | 'cancelled' | 'started' | 'unknown' | 'none';

interface StatusWord {
  outcome: Outcome;
  /** How the message says it: `CI failed`, `Build timed out`. */
  text: string;
}

/**
 * GitHub's words: `job.status`, `steps.*.outcome` and `needs.*.result` give success, failure,
 * cancelled or skipped; a run's `conclusion` (`github.event.workflow_run.conclusion`) may also
 * be timed_out, startup_failure, neutral, action_required or stale.
 *
 * - `timed_out` and `startup_failure` are failures: the code did not get a green run.
 * - `neutral` counts as a success, as GitHub itself treats it for required checks.
 * - `skipped`, `action_required` (waiting for a maintainer's approval) and `stale` (GitHub gave
 *   up on an old run) have no outcome: the run never produced a result.
 * - `started` (and GitHub's `in_progress`) is a note that something began, e.g. a deploy: it
 *   has an outcome family of its own (🚀, yellow) but, like the words above, says nothing
 *   about the branch's health, so it is never a change for `send-when`. A run's other
 *   unfinished states (`queued`, `requested`, `waiting`, `pending`: what the `status` default
 *   gives for a `workflow_run` that has not completed) belong to it too.
 * - `unknown` (❔, yellow): the action could not establish the outcome (`summary: run` without
 *   `needs` and without the jobs, or with only part of them). Never a change for `send-when`.
 *   `completed` without a conclusion says no more than that.
 * - `error` and `inactive` are a deployment's states: an error is a failure; an inactive
 *   deployment was replaced by a newer one and has no outcome of its own.
 */
const WORDS = {
  success: { outcome: 'success', text: 'succeeded' },
  failure: { outcome: 'failure', text: 'failed' },
  cancelled: { outcome: 'cancelled', text: 'was cancelled' },
  skipped: { outcome: 'none', text: 'was skipped' },
  timed_out: { outcome: 'failure', text: 'timed out' },
  startup_failure: { outcome: 'failure', text: 'failed to start' },
  neutral: { outcome: 'success', text: 'finished' },
  action_required: { outcome: 'none', text: 'is waiting for approval' },
  stale: { outcome: 'none', text: 'went stale' },
  started: { outcome: 'started', text: 'started' },
  in_progress: { outcome: 'started', text: 'started' },
  queued: { outcome: 'started', text: 'is queued' },
  requested: { outcome: 'started', text: 'was requested' },
  waiting: { outcome: 'started', text: 'is waiting' },
  pending: { outcome: 'started', text: 'is pending' },
  unknown: { outcome: 'unknown', text: 'outcome unknown' },
  completed: { outcome: 'unknown', text: 'outcome unknown' },
  error: { outcome: 'failure', text: 'errored' },
  inactive: { outcome: 'none', text: 'is inactive' },
} as const satisfies Record<string, StatusWord>;

/** A status word the action knows. */
export type StatusName = keyof typeof WORDS;

/** Every word the `status` input accepts (case-insensitive), in the order the docs list them. */
export const STATUSES = Object.keys(WORDS) as readonly StatusName[];

/** `status` trimmed and lower-cased, the form every other function here takes. */
export function normalizeStatus(status: string | null | undefined): string {
  return (status ?? '').trim().toLowerCase();
}

/** Whether `status` (any case) is one of the known words. `''` is not. */
export function isKnownStatus(status: string | null | undefined): boolean {
  return Object.hasOwn(WORDS, normalizeStatus(status));
}

function word(status: string | null | undefined): StatusWord | undefined {
  const key = normalizeStatus(status);
  return Object.hasOwn(WORDS, key) ? WORDS[key as StatusName] : undefined;
}

/**
 * The outcome family of a status word, case-insensitive: `success`, `failure`, `cancelled`,
 * `started` (for `started`, `in_progress` and a run's other unfinished states), `unknown`
 * (`unknown`, `completed`), or `none` (for `skipped`, `action_required`, `stale`, `''` and
 * words the vocabulary does not have).
 */
export function outcomeOf(status: string | null | undefined): Outcome {
  return word(status)?.outcome ?? 'none';
}

/** The status in words (`failed`, `timed out`…); `finished` for `''` and anything unknown. */
export function statusText(status: string | null | undefined): string {
  return word(status)?.text ?? 'finished';
}

/** Whether an outcome says something about the branch's health: only success and failure do. */
export function isComparable(outcome: Outcome): outcome is 'success' | 'failure' {
  return outcome === 'success' || outcome === 'failure';
}

/**
 * Whether `status` is a change from `previous`, as `send-when` and the `changed` template
 * variable both judge it: both have a comparable outcome, and the outcomes differ (`timed_out`
 * after `failure` is no change; a cancelled run is no change from anything).
 */
export function outcomeChanged(
  previous: string | null | undefined,
  status: string | null | undefined,
): boolean {
  const before = outcomeOf(previous);
  const now = outcomeOf(status);
  return isComparable(before) && isComparable(now) && before !== now;
}
