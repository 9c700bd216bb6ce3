/**
 * The whole-run inputs, `summary`, `log-lines` and `needs`, validated with the others
 * (inputs.ts) before any request: each problem names the input, the value and what is accepted.
 */
import { parseNeeds } from './needs.js';
import type { Needs } from './needs.js';

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
  /** `needs`: GitHub's results of the jobs the final job needs (`summary: run`); absent when empty. */
  needs?: Needs;
}

/** The raw values of the whole-run inputs (defaults already applied). */
export interface WholeRunRaw {
  summary: string;
  logLines: string;
  needs: string;
}

/**
 * Reads `summary`, `log-lines` and `needs` and adds a sentence to `problems` for each that is
 * wrong — also `summary: run` with neither `needs` nor the token that reads the jobs, and
 * `needs` where only `summary: run` reads it.
 */
export function parseWholeRun(
  raw: WholeRunRaw,
  githubToken: string,
  problems: string[],
): WholeRunInputs {
  const { summary: summaryRaw, logLines: logLinesRaw } = raw;
  const summary = summaryRaw.trim().toLowerCase();
  const needs = parseNeeds(raw.needs, problems);
  if (!(SUMMARY as readonly string[]).includes(summary)) {
    problems.push(`\`summary\` is '${summaryRaw}': expected job or run.`);
  } else if (summary === 'run' && !githubToken && !raw.needs.trim()) {
    problems.push(
      "`summary` is 'run' but `github-token` and `needs` are empty: give `needs: ${{ toJSON(needs) }}` (no permission needed), or the token that reads the run's jobs (default ${{ github.token }}, with `permissions: actions: read`).",
    );
  } else if (summary === 'job' && raw.needs.trim()) {
    problems.push(
      "`needs` is set but `summary` is 'job': only `summary: run` reads it; set `summary: run`, or remove `needs`.",
    );
  }
  return {
    summary: summary === 'run' ? 'run' : 'job',
    logLines: parseLogLines(logLinesRaw, problems),
    ...(needs ? { needs } : {}),
  };
}

/** `log-lines`: a whole number from 0 to `MAX_LOG_LINES`; 0 when it is not. */
function parseLogLines(raw: string, problems: string[]): number {
  const text = raw.trim();
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > MAX_LOG_LINES) {
    problems.push(`\`log-lines\` is '${raw}': expected a whole number from 0 to ${MAX_LOG_LINES}.`);
    return 0;
  }
  return n;
}
