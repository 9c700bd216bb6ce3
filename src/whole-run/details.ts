/**
 * The body of a run summary under the built-in headline: each failed, timed-out or cancelled
 * job on a line of its own (name linked, failed step, duration, the log's last lines), then
 * the rest collapsed ("9 succeeded, 1 skipped"). Pure.
 *
 * It is fitted to the characters the headline leaves of HipChat's 10,000 by whole entries:
 * every job's line first (those that do not fit are replaced by a marker that counts them),
 * then the logs, in order, while there is room. A tag or an
 * entity is never cut, since only whole, escaped pieces are ever joined.
 */
import { escapeHtml } from '../text/html.js';
import type { MessageFormat } from '../hipchat/types.js';
import { statusText } from '../inputs/status.js';
import { defuseMentions } from '../text/mentions.js';
import { isReportedProblem } from './jobs.js';
import { attemptPhrase, restPhrase, tally } from './outcome.js';
import type { JobView } from './view.js';

/** Ends a run summary that did not fit whole. */
export const MORE_MARKER = (n: number): string =>
  `… and ${n} more job${n === 1 ? '' : 's'} [truncated]`;

const ICON: Record<string, string> = { failure: '❌', timed_out: '⏱️', cancelled: '⚪' };

/** One job's line: icon, name (linked in html), what happened, where, how long. */
function jobLine(job: JobView, format: MessageFormat): string {
  const esc = format === 'html' ? escapeHtml : defuseMentions;
  const name =
    format === 'html' && job.url
      ? `<a href="${escapeHtml(job.url)}">${esc(job.name)}</a>`
      : esc(job.name);
  const step = job.failed_step
    ? format === 'html'
      ? ` at step <b>${esc(job.failed_step)}</b>`
      : ` at step “${esc(job.failed_step)}”`
    : '';
  const duration = job.duration ? ` (${job.duration})` : '';
  const link = format === 'text' && job.url ? ` ${job.url}` : '';
  return `${ICON[job.conclusion] ?? '❌'} ${name} ${statusText(job.conclusion)}${step}${duration}${link}`;
}

/** A job's log lines, escaped for the format: `<pre>` in html, indented lines in text. */
function logBlock(job: JobView, format: MessageFormat): string {
  if (!job.log) return '';
  if (format === 'html') return `<pre>${escapeHtml(job.log)}</pre>`;
  return `\n${job.log
    .split('\n')
    .map((line) => `    ${defuseMentions(line)}`)
    .join('\n')}`;
}

/**
 * The run summary's body for `jobs` (the view's `jobs[]`), starting with a line break, at
 * most `max` characters; '' when there are no jobs and no `note`. The `note` (what the
 * summary could not see: the view's `jobs_note`) comes first, before anything is cut.
 */
export function runDetails(
  jobs: readonly JobView[],
  runAttempt: number,
  format: MessageFormat,
  max: number,
  note = '',
): string {
  const br = format === 'html' ? '<br>' : '\n';
  const said = note ? `${br}${format === 'html' ? escapeHtml(note) : defuseMentions(note)}` : '';
  if (said.length > max) return '';
  return said + jobDetails(jobs, runAttempt, format, max - said.length);
}

/** The jobs' part of `runDetails`. */
function jobDetails(
  jobs: readonly JobView[],
  runAttempt: number,
  format: MessageFormat,
  max: number,
): string {
  if (jobs.length === 0) return '';
  const br = format === 'html' ? '<br>' : '\n';
  const esc = format === 'html' ? escapeHtml : (s: string) => s;
  const problems = jobs.filter((j) => isReportedProblem(j.conclusion));
  const others = jobs.filter((j) => !isReportedProblem(j.conclusion));
  const tail = [
    restPhrase(tally(others.map((j) => j.conclusion))),
    attemptPhrase(
      runAttempt,
      jobs.map((j) => j.attempt),
    ),
  ]
    .filter(Boolean)
    .map((phrase) => `${br}${esc(phrase)}`)
    .join('');

  // First every job's line that fits (a marker counting the rest), then logs while room is left.
  const lines = problems.map((job) => `${br}${jobLine(job, format)}`);
  let shown = 0;
  let used = tail.length;
  for (; shown < lines.length; shown++) {
    const left = lines.length - shown - 1;
    const marker = left > 0 ? br.length + MORE_MARKER(left).length : 0;
    if (used + lines[shown]!.length + marker > max) break;
    used += lines[shown]!.length;
  }
  const marker = shown < lines.length ? `${br}${MORE_MARKER(lines.length - shown)}` : '';
  used += marker.length;
  let out = '';
  for (let i = 0; i < shown; i++) {
    const log = logBlock(problems[i]!, format);
    const withLog = log && used + log.length <= max;
    if (withLog) used += log.length;
    out += lines[i]! + (withLog ? log : '');
  }
  return used <= max ? out + marker + tail : out + marker;
}
