/**
 * The jobs of a run, as the GitHub API lists them, turned into what a message tells: which job
 * is this one, which jobs count, which step failed, how long each took. Pure: the listing comes
 * in, facts go out.
 *
 * This step's own job is the one that is `in_progress` on this runner (`RUNNER_NAME`): names
 * alone are ambiguous (matrix legs, reusable workflows, `GITHUB_JOB` is the YAML key, not the
 * name), runner names are not, since a runner runs one job at a time.
 */
import { oneLine } from '../text/one-line.js';

/** A step as the API describes it (the fields read). */
export interface ApiStep {
  name?: unknown;
  status?: unknown;
  conclusion?: unknown;
}

/** A job as the API describes it (the fields read; any may be missing or of another type). */
export interface ApiJob {
  id?: unknown;
  run_attempt?: unknown;
  name?: unknown;
  status?: unknown;
  conclusion?: unknown;
  started_at?: unknown;
  completed_at?: unknown;
  html_url?: unknown;
  runner_name?: unknown;
  steps?: unknown;
}

/** A job as messages tell it. */
export interface JobFacts {
  id: number;
  name: string;
  /** GitHub's conclusion once completed; else its status (`in_progress`, `queued`…). */
  conclusion: string;
  completed: boolean;
  /** The job's page (http(s) only), '' when unknown. */
  url: string;
  /** Seconds from start to completion, when both are known. */
  durationSeconds?: number;
  /** When it started (epoch ms), when known: a running job's elapsed time is counted from it. */
  startedAtMs?: number;
  /** The first step that failed or timed out, '' when none did. */
  failedStep: string;
  /** The run attempt this job's latest execution belongs to; 0 when the listing does not say. */
  attempt: number;
  /** The last lines of its failed step's log (only with `log-lines`). */
  log?: string[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * A page link from the API, as a normalised http(s) URL, or '' — the URL parser encodes spaces
 * and drops line breaks, so a hostile `html_url` can neither add words (an `@all` in text) nor
 * lines to the message; credentials in it are refused.
 */
export function pageUrl(value: unknown): string {
  try {
    const url = new URL(text(value));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return '';
    if (url.username || url.password || url.href.length > 2048) return '';
    return url.href;
  } catch {
    return '';
  }
}

/** Whether `job` is this step's own job: in progress on the runner named `runnerName`. */
export function isOwnJob(job: ApiJob, runnerName: string): boolean {
  return Boolean(runnerName) && job.status === 'in_progress' && job.runner_name === runnerName;
}

/** This step's own job in `jobs`, when exactly one matches (see `isOwnJob`). */
export function findOwnJob(jobs: readonly ApiJob[], runnerName: string): ApiJob | undefined {
  const mine = jobs.filter((job) => isOwnJob(job, runnerName));
  return mine.length === 1 ? mine[0] : undefined;
}

/** The name of the first step that failed or timed out, '' when none did. */
export function failedStep(job: ApiJob): string {
  const steps = Array.isArray(job.steps) ? (job.steps as ApiStep[]) : [];
  const failed = steps.find((s) => s?.conclusion === 'failure' || s?.conclusion === 'timed_out');
  return failed ? oneLine(text(failed.name), 200) : '';
}

/** What a message tells of one job. */
export function jobFacts(job: ApiJob): JobFacts {
  const completed = job.status === 'completed';
  const started = Date.parse(text(job.started_at));
  const ended = Date.parse(text(job.completed_at));
  const seconds = (ended - started) / 1000;
  const attempt = Number(job.run_attempt);
  return {
    id: typeof job.id === 'number' ? job.id : 0,
    // Names are the workflow's text (a fork's, on workflow_run): one line, nothing invisible.
    name: oneLine(text(job.name), 200) || '(unnamed job)',
    conclusion: (completed ? text(job.conclusion) : text(job.status)) || 'unknown',
    completed,
    url: pageUrl(job.html_url),
    ...(completed && Number.isFinite(seconds) && seconds >= 0 ? { durationSeconds: seconds } : {}),
    ...(Number.isFinite(started) ? { startedAtMs: started } : {}),
    failedStep: failedStep(job),
    attempt: Number.isSafeInteger(attempt) && attempt > 0 ? attempt : 0,
  };
}

/**
 * The jobs a run summary reports: each listed job once (by id, as pages may overlap when jobs
 * start between requests), in the order listed, without this step's own job.
 */
export function reportedJobs(listed: readonly ApiJob[], runnerName: string): JobFacts[] {
  const seen = new Set<unknown>();
  const out: JobFacts[] = [];
  for (const job of listed) {
    if (typeof job !== 'object' || job === null || seen.has(job.id)) continue;
    seen.add(job.id);
    if (!isOwnJob(job, runnerName)) out.push(jobFacts(job));
  }
  return out;
}

/** Conclusions a run summary lists one by one; the others are only counted. */
export function isReportedProblem(conclusion: string): boolean {
  return conclusion === 'failure' || conclusion === 'timed_out' || conclusion === 'cancelled';
}

/**
 * When the elapsed time `{{duration}}` counts from: this job's start where the listing has
 * this job (its runner), else the run's — its earliest job's start; undefined when no job
 * says.
 */
export function startOf(listed: readonly ApiJob[], runnerName: string): number | undefined {
  const own = findOwnJob(listed, runnerName);
  const ownStart = own ? Date.parse(text(own.started_at)) : Number.NaN;
  if (Number.isFinite(ownStart)) return ownStart;
  const starts = listed
    .map((job) => Date.parse(text(job?.started_at)))
    .filter((ms) => Number.isFinite(ms));
  return starts.length > 0 ? Math.min(...starts) : undefined;
}
