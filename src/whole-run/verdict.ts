/**
 * The outcome `summary: run` reports, from the two sources GitHub offers: `needs` (GitHub's own
 * result of every needed job, no permission required) and the jobs listing (names, steps,
 * links; `actions: read`). Pure.
 *
 * - `needs` given: its result is the outcome. Where the listing disagrees (a failure `needs`
 *   reports that the listing does not show, say), `needs` wins and the message says the
 *   listing was incomplete.
 * - No `needs`: the listing decides, but only when it was read whole. A failure seen is a
 *   failure even in part of the jobs; otherwise a listing that could not be read, or was cut
 *   off, gives `unknown`, never success — with one warning naming what was missing and both
 *   fixes. Never "all N jobs succeeded" unless all N were read.
 */
import { needsStatus } from '../inputs/needs.js';
import type { Needs } from '../inputs/needs.js';
import type { JobFacts } from './jobs.js';
import { computeStatus, tally } from './outcome.js';

/** What reading the jobs gave: the jobs (perhaps only some), or why none could be read. */
export type JobsRead =
  | {
      jobs: JobFacts[];
      /** Jobs of the run that were not read (past the listing's cap, or a page that failed). */
      missing: number;
      /** Why the listing stopped early, when it did (for the message and the log). */
      stop?: string;
    }
  | {
      /** Why the jobs could not be read, in a few words for the message: `GitHub answered 403`. */
      error: string;
      /** The same with advice, for the log. */
      detail: string;
    };

/** The outcome established, and what the message and the log say about how. */
export interface Verdict {
  /** The status to report; `undefined` when the jobs do not decide it (the input stands). */
  status?: string;
  /** A sentence for the message when something was missing; '' otherwise. */
  note: string;
  /** The one warning when the outcome could not be established. */
  warning?: string;
  /** A notice when the outcome stands but the details are missing. */
  notice?: string;
  /** A line for the log. */
  info: string;
}

/** Both ways to let the action see the whole run, as the message and the warning say them. */
export const FIXES =
  'give the step `needs: ${{ toJSON(needs) }}` (no permission needed), or grant the job `permissions: actions: read`';

/** `1,002 jobs`. */
function jobCount(n: number): string {
  return `${n.toLocaleString('en-US')} job${n === 1 ? '' : 's'}`;
}

/** `1,000 of 1,002 jobs read`. */
function readPhrase(read: number, missing: number): string {
  return `${read.toLocaleString('en-US')} of ${jobCount(read + missing)} read`;
}

/** The outcome for `needs` (absent when not given) and what the listing gave. */
export function runVerdict(needs: Needs | undefined, read: JobsRead): Verdict {
  if (needs) return fromNeeds(needsStatus(needs), read);
  if ('error' in read) {
    const why = `the run's jobs could not be read (${read.error}) and \`needs\` was not given`;
    return unknown(why, `${read.detail} \`needs\` was not given.`);
  }
  const t = tally(read.jobs.map((job) => job.conclusion));
  if (read.missing > 0) {
    const part = `${readPhrase(read.jobs.length, read.missing)}: ${read.stop ?? 'the listing stopped'}`;
    if (t.failed > 0) {
      return { status: 'failure', note: `${part}.`, info: `summary: run: ${part}; one failed.` };
    }
    return unknown(`only ${part}, none of them failed`);
  }
  const status = computeStatus(t);
  if (status) return { status, note: '', info: `summary: run: ${jobCount(t.total)}; ${status}.` };
  if (t.running + t.other > 0) {
    const open = t.running + t.other;
    return unknown(`${jobCount(open)} of the run had not finished or ended otherwise`);
  }
  return { note: '', info: 'summary: run: no other jobs in the run; the status input stands.' };
}

/** `unknown`, the message's note and the one warning, both naming the fixes. */
function unknown(why: string, detail = why): Verdict {
  return {
    status: 'unknown',
    note: `Outcome unknown: ${why}. To fix it, ${FIXES}.`,
    warning: `summary: run: the outcome is unknown: ${detail.replace(/\.$/, '')}. To fix it, ${FIXES}.`,
    info: `summary: run: outcome unknown: ${why}.`,
  };
}

/** `needs` decides; the listing, when read, adds details, and disagrees only by missing jobs. */
function fromNeeds(status: 'failure' | 'cancelled' | 'success', read: JobsRead): Verdict {
  const said = `the outcome is GitHub's \`needs\` result (${status})`;
  if ('error' in read) {
    return {
      status,
      note: '',
      notice: `summary: run: ${said}; the jobs could not be read, so their names, failed steps and links are left out: ${read.detail}`,
      info: `summary: run: ${said}.`,
    };
  }
  const t = tally(read.jobs.map((job) => job.conclusion));
  const seen = t.failed > 0 ? 'failure' : read.missing > 0 ? undefined : computeStatus(t);
  const disagrees = (seen !== undefined && seen !== status) || (status === 'failure' && !seen);
  const part = readPhrase(read.jobs.length, read.missing);
  if (disagrees) {
    const listed = seen ? `, which says ${seen}` : '';
    const note = `The jobs listing was incomplete (${part}${listed}): ${said}.`;
    return { status, note, info: `summary: run: ${note}` };
  }
  const note = read.missing > 0 ? `${part}: ${read.stop ?? 'the listing stopped'}.` : '';
  return { status, note, info: `summary: run: ${said}${note ? `; ${note}` : '.'}` };
}
