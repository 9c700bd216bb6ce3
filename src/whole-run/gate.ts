/**
 * Whether and how a run asks GitHub about its jobs (`summary`), and what it does when it
 * cannot: never a lost alert. `summary: job` asks only when there is a failed step to name (or
 * the template names `job_url`, `failed_step` or `duration`), and without access it says so in one notice
 * and sends today's message. `summary: run` always asks; without access the outcome is what
 * `needs` says, else `unknown` (verdict.ts): never this job's own status.
 *
 * Small and in every run's chunk; the GitHub client and the collector load only when asked.
 */
import { runClientOptions } from '../github/wait-share.js';
import type { WholeRunInputs } from '../inputs/summary.js';
import type { WholeRunFacts } from './view.js';
import type { Redactor } from '../text/secrets.js';

/** What the whole-run features read of the inputs (main.ts passes them). */
export interface WholeRunSettings extends WholeRunInputs {
  /** The template ('' for the built-in): one naming `job_url` or `failed_step` asks for them. */
  template: string;
  /** The token the lookups read the run with (`github-token`). */
  githubToken: string;
  /** One request's `timeout`, and the whole run's `max-wait` (ms). */
  timeoutMs: number;
  maxWaitMs: number;
}

/** Where the gate speaks (a subset of @actions/core). */
export interface GateLog {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
}

/** What the API told, and the status computed from the run's jobs (`summary: run`). */
export interface WholeRun {
  facts?: WholeRunFacts;
  status?: string;
}

/** The view names a template can use that only the API fills in for `summary: job`. */
const JOB_NAMES = /\{\{[{&#^]?\s*(job_url|failed_step|duration)\b/;

/** Whether this run asks GitHub about its job(s), given the reported outcome. */
export function wantsJobFacts(settings: WholeRunSettings, outcome: string): boolean {
  if (settings.summary === 'run') return true;
  return outcome === 'failure' || JOB_NAMES.test(settings.template);
}

/** Where the run is, as the runner says: what the lookups need to find its jobs. */
interface Where {
  repository: string;
  runId: number;
  attempt: number;
  runnerName: string;
}

/**
 * The run a `summary: run` of a `workflow_run` event reports: the one that triggered this
 * workflow (its jobs are the news, and the built-in message links it), not the notifier's own.
 */
function triggeringRun(
  env: NodeJS.ProcessEnv,
  event: Readonly<Record<string, unknown>>,
): { runId: number; attempt: number } | undefined {
  if (env.GITHUB_EVENT_NAME !== 'workflow_run') return undefined;
  const run = event.workflow_run as { id?: unknown; run_attempt?: unknown } | undefined;
  const runId = Number(run?.id);
  if (!Number.isSafeInteger(runId) || runId <= 0) return undefined;
  return { runId, attempt: Number(run?.run_attempt) };
}

/** The run's coordinates, or why the lookups cannot be made. */
function whereOf(
  settings: WholeRunSettings,
  env: NodeJS.ProcessEnv,
  event: Readonly<Record<string, unknown>>,
): Where | string {
  const runnerName = env.RUNNER_NAME?.trim() ?? '';
  const other = settings.summary === 'run' ? triggeringRun(env, event) : undefined;
  const repository = env.GITHUB_REPOSITORY ?? '';
  const runId = other?.runId ?? Number(env.GITHUB_RUN_ID);
  const attempt = other?.attempt ?? Number(env.GITHUB_RUN_ATTEMPT);
  if (!settings.githubToken) return '`github-token` is empty (default `${{ github.token }}`).';
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository) || !Number.isSafeInteger(runId) || runId <= 0) {
    return 'GITHUB_REPOSITORY or GITHUB_RUN_ID is not set: this is not a workflow run.';
  }
  if (settings.summary === 'job' && !runnerName) {
    return 'RUNNER_NAME is not set, so this job cannot be told apart from the others.';
  }
  const known = Number.isSafeInteger(attempt) && attempt > 0;
  return { repository, runId, attempt: known ? attempt : 1, runnerName };
}

/** How the lookups reach GitHub: a client for `where`, and what to name in advice. */
interface Lookup {
  settings: WholeRunSettings;
  env: NodeJS.ProcessEnv;
  startMs: number;
  secrets: Redactor;
  log: GateLog;
}

/**
 * Runs the whole-run lookups `settings` ask for, for this run — or, with `summary: run` on a
 * `workflow_run` event, for the run that triggered it. Never throws for the API: `summary:
 * job` degrades to today's message, `summary: run` to what `needs` says, else to `unknown`.
 */
export async function readWholeRun(
  settings: WholeRunSettings,
  env: NodeJS.ProcessEnv,
  event: Readonly<Record<string, unknown>>,
  outcome: string,
  startMs: number,
  secrets: Redactor,
  log: GateLog,
): Promise<WholeRun> {
  if (!wantsJobFacts(settings, outcome)) return {};
  const where = whereOf(settings, env, event);
  const lookup = { settings, env, startMs, secrets, log };
  if (settings.summary === 'run') {
    const read =
      typeof where === 'string' ? { error: where, detail: where } : await readJobs(lookup, where);
    // Only `summary: run` weighs the sources: loaded then, not on every run's start-up.
    const { runVerdict } = await import('./verdict.js');
    const verdict = runVerdict(settings.needs, 'error' in read ? read : { missing: 0, ...read });
    if (verdict.warning) log.warning(verdict.warning);
    if (verdict.notice) log.notice(verdict.notice);
    log.info(verdict.info);
    const facts: WholeRunFacts = 'error' in read ? { scope: 'run', jobs: [] } : read;
    return { facts: { ...facts, note: verdict.note }, status: verdict.status };
  }
  const degrade = (why: string): WholeRun => {
    log.notice(`summary: job: the failed step and the job's link are left out: ${why}`);
    return {};
  };
  if (typeof where === 'string') return degrade(where);
  const read = await readJobs(lookup, where);
  return 'error' in read ? degrade(read.detail) : { facts: read };
}

/** The facts `collect` gives, or why the jobs could not be read (in short, and with advice). */
async function readJobs(
  { settings, env, startMs, secrets, log }: Lookup,
  where: Where,
): Promise<WholeRunFacts | { error: string; detail: string }> {
  const [{ GitHubClient }, { collect }, errors] = await Promise.all([
    import('../github/client.js'),
    import('./collect.js'),
    import('../github/errors.js'),
  ]);
  const client = new GitHubClient(runClientOptions(settings, env, startMs, log.info));
  try {
    const { summary: scope, logLines } = settings;
    return await collect({ client, scope, ...where, logLines, secrets, info: log.info });
  } catch (error) {
    // Whatever went wrong, the alert goes out: the jobs are what is lost.
    if (!(error instanceof errors.GitHubError)) {
      const said = errors.serverText(String(error), 300);
      return {
        error: errors.serverText(String(error), 100),
        detail: `could not read the jobs: ${said}`,
      };
    }
    const context = {
      apiUrl: client.apiUrl,
      repository: where.repository,
      subject: `the jobs of run ${where.runId}`,
    };
    const short = error.status
      ? `GitHub answered ${error.status}`
      : errors.serverText(error.message, 100);
    const detail = `could not read the jobs (${error.request}): ${errors.advice(error, context)}`;
    return { error: short, detail };
  } finally {
    await client.close();
  }
}
