/**
 * The preview's stand-in for the GitHub API: a jobs listing from a fixture file (the API's
 * `{ jobs: [...] }`, plus `runner_name` — the runner this step runs on — and `logs` by job id),
 * turned into the facts `summary: job` / `summary: run` would read, with the action's own
 * selection, status and log-tail code (from src/, as the preview runs it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './action-runner.ts';
import type { WholeRunFacts } from '../../src/whole-run/view.ts';

/** The sample run: a 2×3 matrix with two failed legs, lint, a skipped job and the notifier. */
export const SAMPLE_JOBS = path.join(ROOT, '__tests__', 'fixtures', 'github', 'jobs.json');

interface JobsFixture {
  runner_name?: string;
  jobs?: unknown[];
  logs?: Record<string, string>;
}

/** What the lookups would have found; `status` is the computed one (`summary: run`). */
export async function previewRunFacts(
  scope: 'job' | 'run',
  file: string,
  logLines: number,
): Promise<{ facts: WholeRunFacts; status?: string }> {
  const [jobs, outcome, { LogTail }] = await Promise.all([
    import('../../src/whole-run/jobs.ts'),
    import('../../src/whole-run/outcome.ts'),
    import('../../src/whole-run/log-tail.ts'),
  ]);
  let fixture: JobsFixture;
  try {
    fixture = JSON.parse(readFileSync(file, 'utf8')) as JobsFixture;
  } catch (error) {
    throw new Error(`--jobs ${file}: not a readable JSON file (${(error as Error).message}).`, {
      cause: error,
    });
  }
  const listed = (Array.isArray(fixture.jobs) ? fixture.jobs : []) as Parameters<
    typeof jobs.reportedJobs
  >[0];
  const runner = fixture.runner_name ?? '';
  if (scope === 'job') {
    const own = jobs.findOwnJob(listed, runner);
    return { facts: { scope, jobs: [], ...(own ? { own: jobs.jobFacts(own) } : {}) } };
  }
  const reported = jobs.reportedJobs(listed, runner);
  for (const job of reported) {
    const log = fixture.logs?.[String(job.id)];
    if (!log || logLines === 0 || !job.completed) continue;
    const tail = new LogTail(logLines);
    tail.push(log);
    job.log = tail.lines();
  }
  const status = outcome.computeStatus(outcome.tally(reported.map((j) => j.conclusion)));
  return { facts: { scope, jobs: reported }, status };
}
