/**
 * A run's outcome from its jobs, and the words that count them: pure functions over the
 * conclusions a run summary reports (jobs.ts).
 */

/** How many jobs ended how. */
export interface Tally {
  total: number;
  /** `failure` and `timed_out`. */
  failed: number;
  cancelled: number;
  /** `success` and `neutral`. */
  succeeded: number;
  skipped: number;
  /** Not completed yet (queued, in progress, waiting). */
  running: number;
  /** Anything else (`action_required`, `stale`, unknown words). */
  other: number;
}

/** Counts the jobs by how they ended. */
export function tally(conclusions: readonly string[]): Tally {
  const t: Tally = {
    total: 0,
    failed: 0,
    cancelled: 0,
    succeeded: 0,
    skipped: 0,
    running: 0,
    other: 0,
  };
  for (const c of conclusions) {
    t.total++;
    if (c === 'failure' || c === 'timed_out' || c === 'startup_failure') t.failed++;
    else if (c === 'cancelled') t.cancelled++;
    else if (c === 'success' || c === 'neutral') t.succeeded++;
    else if (c === 'skipped') t.skipped++;
    else if (['queued', 'in_progress', 'waiting', 'pending', 'requested'].includes(c)) t.running++;
    else t.other++;
  }
  return t;
}

/**
 * The run's status from its jobs: any failure or timeout → `failure`; else any cancelled →
 * `cancelled`; all success or skipped → `success` (a run whose jobs were all skipped is no
 * failure either). `undefined` when the jobs do not decide it: none, or some still running or
 * ending in another way — the `status` input then stands.
 */
export function computeStatus(t: Tally): 'failure' | 'cancelled' | 'success' | undefined {
  if (t.failed > 0) return 'failure';
  if (t.cancelled > 0) return 'cancelled';
  if (t.total > 0 && t.succeeded + t.skipped === t.total) return 'success';
  return undefined;
}

const jobs = (n: number): string => `${n.toLocaleString('en-US')} job${n === 1 ? '' : 's'}`;

/**
 * The headline's count: `3 of 12 jobs failed`, `1 of 12 jobs was cancelled`,
 * `all 12 jobs succeeded`, `11 of 12 jobs succeeded, 1 skipped`; '' for no jobs. When `total`
 * (the run's jobs) is more than were read, or the listing is known to be `incomplete`, it says
 * what was read and never "all": `1,000 of 1,002 jobs read, none failed`.
 */
export function countsPhrase(t: Tally, total = t.total, incomplete = false): string {
  if (total > t.total || (incomplete && t.total > 0)) {
    const read =
      total > t.total
        ? `${t.total.toLocaleString('en-US')} of ${jobs(total)} read`
        : `${jobs(total)} read`;
    if (t.failed > 0) return `${read}, ${t.failed.toLocaleString('en-US')} failed`;
    if (t.cancelled > 0) return `${read}, ${t.cancelled.toLocaleString('en-US')} cancelled`;
    return `${read}, none failed`;
  }
  if (t.total === 0) return '';
  const of = (n: number): string => (n === t.total ? `all ${jobs(n)}` : `${n} of ${jobs(t.total)}`);
  if (t.failed > 0) {
    const also = t.cancelled > 0 ? `, ${t.cancelled} cancelled` : '';
    return `${of(t.failed)} failed${also}`;
  }
  if (t.cancelled > 0) return `${of(t.cancelled)} ${t.cancelled === 1 ? 'was' : 'were'} cancelled`;
  if (t.succeeded === 0 && t.skipped === t.total) return `${of(t.skipped)} skipped`;
  return `${of(t.succeeded)} succeeded${t.skipped > 0 ? `, ${t.skipped} skipped` : ''}`;
}

/**
 * The jobs a summary does not list one by one, collapsed: `9 succeeded, 1 skipped`,
 * `2 still running`; '' when there are none.
 */
export function restPhrase(t: Tally): string {
  const parts: string[] = [];
  if (t.succeeded > 0) parts.push(`${t.succeeded} succeeded`);
  if (t.skipped > 0) parts.push(`${t.skipped} skipped`);
  if (t.running > 0) parts.push(`${t.running} still running`);
  if (t.other > 0) parts.push(`${t.other} ended otherwise`);
  return parts.join(', ');
}

/**
 * For a re-run (attempt > 1): `attempt 2 re-ran 3 jobs and kept 9 from earlier attempts`;
 * '' for a first attempt. `attempts` holds each reported job's latest attempt, 0 where the
 * listing did not say (`run_attempt` is optional in GitHub's API description): then nothing
 * is said, since an unknown attempt is not an earlier one.
 */
export function attemptPhrase(runAttempt: number, attempts: readonly number[]): string {
  if (!(runAttempt > 1) || attempts.length === 0) return '';
  if (attempts.some((a) => !(a > 0))) return '';
  const rerun = attempts.filter((a) => a >= runAttempt).length;
  const kept = attempts.length - rerun;
  if (kept === 0) return `attempt ${runAttempt} ran all ${jobs(rerun)} again`;
  return `attempt ${runAttempt} re-ran ${jobs(rerun)} and kept ${kept} from earlier attempts`;
}
