/**
 * The run's report: outputs, the step summary (the message as the room will see it, and each
 * room's result), and the one failure message. Builders are pure; `publish` does the writing.
 */
import type { RoomResult } from './delivery/types.js';
import type { Color, MessageFormat } from './hipchat/types.js';
import { escapeHtml } from './html.js';

/** What the report is made of. */
export interface ReportInput {
  message: string;
  color: Color;
  format: MessageFormat;
  results: RoomResult[];
  dryRun: boolean;
  /** Set when `send-when` decided not to send; the sentence says why. */
  skipped?: string;
}

/** The subset of @actions/core the report writes through. */
export interface ReportSink {
  setOutput(name: string, value: string): void;
  /** Appends to the step summary (GITHUB_STEP_SUMMARY); absent outside a runner. */
  appendSummary?(markdown: string): Promise<void>;
}

/** A square in the room's colour, since the summary's sanitiser strips style attributes. */
const SWATCH: Record<Color, string> = {
  yellow: '🟨',
  green: '🟩',
  red: '🟥',
  purple: '🟪',
  gray: '⬜',
  random: '🎲',
};

/**
 * `text` with every secret replaced by `***`: a server's error text may echo the token, and
 * outputs and the step summary, unlike the log, are not masked by the runner.
 */
export function redact(text: string, secrets: readonly string[]): string {
  // Longest first, so a secret that contains another is replaced whole.
  const sorted = [...new Set(secrets)].filter(Boolean).sort((a, b) => b.length - a.length);
  return sorted.reduce((out, secret) => out.split(secret).join('***'), text);
}

/** Results with `redact` applied to every error. */
export function redactResults(results: RoomResult[], secrets: readonly string[]): RoomResult[] {
  return results.map((r) =>
    r.error === undefined ? r : { ...r, error: redact(r.error, secrets) },
  );
}

/** How many rooms received the notification. */
export function sentCount(results: RoomResult[]): number {
  return results.filter((r) => r.ok && !r.dry_run).length;
}

/** One message for all failed rooms, or undefined when every room succeeded. */
export function failureMessage(results: RoomResult[]): string | undefined {
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return undefined;
  if (results.length === 1) return `HipChat notification failed: ${failed[0]!.error}`;
  return `HipChat notification failed for ${failed.length} of ${results.length} rooms:\n${failed
    .map((r) => `- ${r.error}`)
    .join('\n')}`;
}

/** The step summary: a heading, the message as HipChat shows it, and a table of rooms. */
export function summaryMarkdown(input: ReportInput): string {
  const { results } = input;
  const sent = sentCount(results);
  const heading = input.skipped
    ? 'HipChat notification skipped'
    : input.dryRun
      ? `HipChat notification — dry run, ${results.length} room${results.length === 1 ? '' : 's'} checked`
      : `HipChat notification — sent to ${sent} of ${results.length} room${results.length === 1 ? '' : 's'}`;
  const lines = [`### ${SWATCH[input.color]} ${heading}`, ''];
  if (input.skipped) lines.push(escapeHtml(input.skipped), '');
  // html messages are shown rendered (GitHub keeps the tags HipChat allows); text verbatim.
  const body = input.format === 'html' ? input.message : `<pre>${escapeHtml(input.message)}</pre>`;
  lines.push(`<blockquote>${body}</blockquote>`, '');
  lines.push(
    `<sub>colour: ${input.color} · format: ${input.format} · ${input.message.length} characters</sub>`,
    '',
  );
  if (results.length > 0) {
    lines.push('| Room | Result | HTTP | Requests |', '| --- | --- | --- | --- |');
    for (const r of results) {
      const outcome = r.ok
        ? r.dry_run
          ? '🔍 dry run (not posted)'
          : `✅ delivered${r.possibly_duplicated ? ' (possibly twice)' : ''}`
        : `❌ ${escapeHtml(r.error ?? 'failed')
            .replace(/\|/g, '\\|')
            .replace(/\n/g, ' ')}`;
      lines.push(
        `| ${escapeHtml(r.room).replace(/\|/g, '\\|')} | ${outcome} | ${r.status ?? '—'} | ${r.attempts} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Sets the outputs and writes the summary. */
export async function publish(sink: ReportSink, input: ReportInput): Promise<void> {
  sink.setOutput('message', input.message);
  sink.setOutput('sent', String(sentCount(input.results)));
  sink.setOutput('results', JSON.stringify(input.results));
  if (sink.appendSummary) await sink.appendSummary(summaryMarkdown(input));
}
