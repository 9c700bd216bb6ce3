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
  /** The attempt of the run this job last ran in (a re-run keeps successful jobs of earlier ones). */
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
  jobs_total: number;
  /** Jobs that failed or timed out. */
  jobs_failed: number;
}

/** What was learnt from the API: this job (`summary: job`) or the run's other jobs (`run`). */
export interface WholeRunFacts {
  scope: 'job' | 'run';
  own?: JobFacts;
  jobs: JobFacts[];
}

/** The whole-run view with nothing known. */
export function emptyWholeRunView(): WholeRunView {
  return { job_url: '', failed_step: '', jobs: [], jobs_total: 0, jobs_failed: 0 };
}

/** The view for what the API told; empty names where it told nothing. */
export function wholeRunViewOf(facts: WholeRunFacts | undefined): WholeRunView {
  if (!facts) return emptyWholeRunView();
  const jobs = facts.jobs.map(jobView);
  return {
    job_url: facts.own?.url ?? '',
    failed_step: facts.own?.failedStep ?? '',
    jobs,
    jobs_total: jobs.length,
    jobs_failed: tally(jobs.map((j) => j.conclusion)).failed,
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
