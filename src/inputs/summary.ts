/**
 * The whole-run inputs, `summary` and `log-lines`, validated with the others (inputs.ts) before
 * any request: each problem names the input, the value and what is accepted.
 */

/** What one message reports: this job, or the whole workflow run. */
export const SUMMARY = ['job', 'run'] as const;
export type Summary = (typeof SUMMARY)[number];

/** Most `log-lines` a message can use: 10,000 characters hold about that many short lines. */
export const MAX_LOG_LINES = 200;

/** The whole-run settings of a run. */
export interface WholeRunInputs {
  /** `job`: this job's outcome (with its failed step when the API says); `run`: every job's. */
  summary: Summary;
  /** With `summary: run`, the last lines of each failed job's log; 0 for none. */
  logLines: number;
}

/**
 * Reads `summary` and `log-lines` (raw values, defaults already applied) and adds a sentence to
 * `problems` for each that is wrong — also `summary: run` without the token that reads the jobs.
 */
export function parseWholeRun(
  summaryRaw: string,
  logLinesRaw: string,
  githubToken: string,
  problems: string[],
): WholeRunInputs {
  const summary = summaryRaw.trim().toLowerCase();
  if (!(SUMMARY as readonly string[]).includes(summary)) {
    problems.push(`\`summary\` is '${summaryRaw}': expected job or run.`);
  } else if (summary === 'run' && !githubToken) {
    problems.push(
      "`summary` is 'run' but `github-token` is empty: the run's jobs are read with it (default ${{ github.token }}, with `permissions: actions: read`).",
    );
  }
  const raw = logLinesRaw.trim();
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > MAX_LOG_LINES) {
    problems.push(
      `\`log-lines\` is '${logLinesRaw}': expected a whole number from 0 to ${MAX_LOG_LINES}.`,
    );
  }
  return {
    summary: summary === 'run' ? 'run' : 'job',
    logLines: Number.isSafeInteger(n) && n <= MAX_LOG_LINES ? n : 0,
  };
}
