/**
 * What the whole-run features add to the template view: `job_url`, `failed_step`, `jobs[]`,
 * `jobs_total`, `jobs_failed`. Every name is always present (empty without API facts), so a
 * template naming them renders on any run and is never reported as a typo.
 */
import { formatDuration } from '../text/duration.js';
import type { JobFacts } from './jobs.js';
import { tally } from './outcome.js';

/** One job of the run, for `{{#jobs}}…{{/jobs}}`. */
export interface JobView {
  name: string;
  /** `success`, `failure`, `cancelled`, `skipped`, `timed_out`…, or its status while running. */
  conclusion: string;
  /** The job's page. */
  url: string;
  /** `4m 05s`; '' when unknown. */
  duration: string;
  /** The step that failed, '' when none did. */
  failed_step: string;
  /** The last `log-lines` lines of its failed step, one per line; '' without. */
  log: string;
  /**
   * The attempt of the run this job last ran in (a re-run keeps successful jobs of earlier
   * ones); 0 when GitHub's listing does not say.
   */
  attempt: number;
}

/** The view's whole-run part. */
export interface WholeRunView {
  /** This job's page (`summary: job`, with API access), '' otherwise. */
  job_url: string;
  /** The step of this job that failed (`summary: job`), '' when none did or unknown. */
  failed_step: string;
  /** The run's jobs, latest attempt of each, without the notifying job (`summary: run`). */
  jobs: JobView[];
  /** The run's jobs without the notifying one: those in `jobs`, and those not read. */
  jobs_total: number;
  /** Jobs that failed or timed out (of those read). */
  jobs_failed: number;
  /**
   * What the run summary could not see, in a sentence (`Outcome unknown: …`, `1,000 of 1,002
   * jobs read: …`); '' when it saw what it needed.
   */
  jobs_note: string;
}

/** What was learnt from the API: this job (`summary: job`) or the run's other jobs (`run`). */
export interface WholeRunFacts {
  scope: 'job' | 'run';
  own?: JobFacts;
  jobs: JobFacts[];
  /** Jobs of the run that were not read (past the listing's cap, or a page that failed). */
  missing?: number;
  /** Why the listing stopped early, when it did. */
  stop?: string;
  /** What the message says was missing, when something was (`summary: run`). */
  note?: string;
  /** When this job started (else the run's first job), epoch ms: what `{{duration}}` counts from. */
  startedAtMs?: number;
}

/** The whole-run view with nothing known. */
export function emptyWholeRunView(): WholeRunView {
  return {
    job_url: '',
    failed_step: '',
    jobs: [],
    jobs_total: 0,
    jobs_failed: 0,
    jobs_note: '',
  };
}

/** The view for what the API told; empty names where it told nothing. */
export function wholeRunViewOf(facts: WholeRunFacts | undefined): WholeRunView {
  if (!facts) return emptyWholeRunView();
  const jobs = facts.jobs.map(jobView);
  return {
    job_url: facts.own?.url ?? '',
    failed_step: facts.own?.failedStep ?? '',
    jobs,
    jobs_total: jobs.length + (facts.missing ?? 0),
    jobs_failed: tally(jobs.map((j) => j.conclusion)).failed,
    jobs_note: facts.note ?? '',
  };
}

function jobView(job: JobFacts): JobView {
  return {
    name: job.name,
    conclusion: job.conclusion,
    url: job.url,
    duration: formatDuration(job.durationSeconds),
    failed_step: job.failedStep,
    log: (job.log ?? []).join('\n'),
    attempt: job.attempt,
  };
}
