/**
 * Reads what the whole-run features need from the GitHub API: this job (`summary: job`), or
 * every job of the run's latest attempts and the logs of the failed ones (`summary: run`).
 * Loaded on demand, with the GitHub client: a run that needs neither never loads it.
 */
import type { GitHubClient, LogSink } from '../github/client.js';
import { serverText } from '../github/errors.js';
import { oneLine } from '../text/one-line.js';
import type { Redactor } from '../text/secrets.js';
import { findOwnJob, jobFacts, reportedJobs, startOf } from './jobs.js';
import type { ApiJob, JobFacts } from './jobs.js';
import { LogTail } from './log-tail.js';
import type { WholeRunFacts } from './view.js';

/** Logs read at most: those of the first failed jobs listed. */
export const MAX_LOGS = 20;

export interface CollectOptions {
  client: GitHubClient;
  scope: 'job' | 'run';
  /** `owner/name`. */
  repository: string;
  runId: number;
  /** `GITHUB_RUN_ATTEMPT` (1 if unknown). */
  attempt: number;
  /** `RUNNER_NAME`: how this job is told apart from the others. */
  runnerName: string;
  /** `log-lines`: how many lines of each failed job's log (run scope); 0 for none. */
  logLines: number;
  /** Removed from every log line kept, before it is cut. */
  secrets: Redactor;
  /** Progress and skipped logs. */
  info(message: string): void;
}

/**
 * Facts for the view; rejects with a `GitHubError` when the jobs cannot be listed at all (a
 * listing cut short says so in `missing` and `stop`).
 */
export async function collect(opts: CollectOptions): Promise<WholeRunFacts> {
  const base = `/repos/${opts.repository}/actions/runs/${opts.runId}`;
  if (opts.scope === 'job') {
    // This attempt's jobs: the running one is among them, whatever the earlier attempts did.
    const { items } = await opts.client.listAll<ApiJob>(
      `${base}/attempts/${opts.attempt}/jobs`,
      'jobs',
    );
    const own = findOwnJob(items, opts.runnerName);
    const startedAtMs = startOf(items, opts.runnerName);
    const started = startedAtMs === undefined ? {} : { startedAtMs };
    if (!own) {
      opts.info(
        `summary: job: no job in progress on runner '${opts.runnerName}' among the ${items.length} jobs of attempt ${opts.attempt}; the failed step is not named.`,
      );
      return { scope: 'job', jobs: [], ...started };
    }
    return { scope: 'job', own: jobFacts(own), jobs: [], ...started };
  }
  const listing = await listLatest(opts.client, `${base}/jobs`);
  const jobs = reportedJobs(listing.items, opts.runnerName);
  if (opts.logLines > 0) await readLogs(opts, jobs);
  const missing = Math.max(0, listing.total - listing.items.length);
  const startedAtMs = startOf(listing.items, opts.runnerName);
  return {
    scope: 'run',
    jobs,
    missing,
    ...(listing.stop ? { stop: listing.stop } : {}),
    ...(startedAtMs === undefined ? {} : { startedAtMs }),
  };
}

/** Pages a listing is read up to: 1,000 jobs (GitHub caps a matrix at 256 legs). */
export const MAX_JOB_PAGES = 10;

/**
 * The run's jobs, latest attempt of each, 100 a page up to `MAX_JOB_PAGES`. A page after the
 * first that fails ends the listing there, saying so: what was read still counts (a failure
 * seen in it is a failure), and the rest is known to be missing. The first page's failure
 * rejects (a `GitHubError`): nothing was read.
 */
async function listLatest(
  client: GitHubClient,
  path: string,
): Promise<{ items: ApiJob[]; total: number; stop?: string }> {
  const items: ApiJob[] = [];
  let total = 0;
  for (let page = 1; page <= MAX_JOB_PAGES; page++) {
    let data: Record<string, unknown>;
    try {
      data = await client.getJson(path, { filter: 'latest', per_page: 100, page });
    } catch (error) {
      if (page === 1) throw error;
      const why = serverText((error as Error).message, 160);
      return {
        items,
        total: Math.max(total, items.length + 1),
        stop: `page ${page} could not be read (${why})`,
      };
    }
    const batch = Array.isArray(data.jobs) ? (data.jobs as ApiJob[]) : [];
    const said = typeof data.total_count === 'number' ? data.total_count : 0;
    items.push(...batch);
    total = Math.max(said, items.length);
    if (batch.length < 100 || items.length >= total) return { items, total };
  }
  const cap = (MAX_JOB_PAGES * 100).toLocaleString('en-US');
  return items.length < total
    ? { items, total, stop: `the listing is read up to ${cap} jobs` }
    : { items, total };
}

/** Logs read at the same time: a few, so that ten logs do not take ten round trips in a row. */
const PARALLEL_LOGS = 3;

/**
 * How much of a long log's end is read first, where the log host serves byte ranges: far more
 * than `log-lines` lines, and then the whole log only when its failing step's tail reaches
 * further back.
 */
export const TAIL_WINDOW_BYTES = 1024 * 1024;

/** Adds the tail of each failed, completed job's log, the first `MAX_LOGS` of them. */
async function readLogs(opts: CollectOptions, jobs: JobFacts[]): Promise<void> {
  const failed = jobs.filter(
    (j) => j.completed && (j.conclusion === 'failure' || j.conclusion === 'timed_out') && j.id > 0,
  );
  if (failed.length > MAX_LOGS) {
    opts.info(
      `log-lines: reading the logs of the first ${MAX_LOGS} of ${failed.length} failed jobs.`,
    );
  }
  const queue = failed.slice(0, MAX_LOGS);
  // Each worker takes the next job; the rate-limit hold of the client is shared by all.
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      try {
        job.log = await tailOf(opts, job.id);
      } catch (error) {
        // One missing log (expired, not yet stored, refused) must not cost the summary.
        opts.info(
          // The job's name is the server's text: it must not start a workflow command.
          `log-lines: the log of '${oneLine(serverText(job.name, 100))}' could not be read (${(error as Error).message}); it is left out.`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_LOGS }, worker));
}

/**
 * The tail of one job's log, streamed and decoded piece by piece into a `LogTail`: first only
 * the log's end where the host allows, then — when that end does not hold the failing step's
 * tail — the whole log.
 */
async function tailOf(opts: CollectOptions, jobId: number): Promise<string[]> {
  const path = `/repos/${opts.repository}/actions/jobs/${jobId}/logs`;
  const sink = new TailSink(opts.logLines, opts.secrets);
  const { from } = await opts.client.download(path, sink, TAIL_WINDOW_BYTES);
  const end = sink.finish();
  if (from === 0 || end.exact) return end.lines;
  await opts.client.download(path, sink);
  return sink.finish().lines;
}

/** Decodes each body a download gives into a fresh `LogTail`, started where `begin` says. */
class TailSink implements LogSink {
  private readonly maxLines: number;
  private readonly secrets: Redactor;
  private tail: LogTail;
  private decoder = new TextDecoder('utf-8');
  constructor(maxLines: number, secrets: Redactor) {
    this.maxLines = maxLines;
    this.secrets = secrets;
    this.tail = new LogTail(maxLines, secrets);
  }

  begin(from: number): void {
    this.tail = new LogTail(this.maxLines, this.secrets, from > 0);
    this.decoder = new TextDecoder('utf-8');
  }

  chunk(bytes: Buffer): void {
    this.tail.push(this.decoder.decode(bytes, { stream: true }));
  }

  /** The last body's tail, and whether it is the one the whole log gives. */
  finish(): { lines: string[]; exact: boolean } {
    this.tail.push(this.decoder.decode());
    return { lines: this.tail.lines(), exact: this.tail.exact() };
  }
}
