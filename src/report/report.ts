/**
 * The run's report: outputs, the step summary (the message as the room will see it, and each
 * room's result), and the one failure message. Builders are pure; `publish` does the writing.
 */
import type { DeliveryResult, PrivateMessageResult, RoomResult } from '../delivery/types.js';
import type { Color, MessageFormat } from '../hipchat/types.js';
import { escapeHtml } from '../text/html.js';

/** What the report is made of. */
export interface ReportInput {
  message: string;
  color: Color;
  format: MessageFormat;
  /** One per room, then the private message's (if one was due). */
  results: DeliveryResult[];
  dryRun: boolean;
  /** Set when `send-when` decided not to send; the sentence says why. */
  skipped?: string;
  /** The run's warnings, as logged. */
  warnings?: string[];
  /** The status reported (with `summary: run`, the one computed from the jobs). */
  status?: string;
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

/** The rooms' results: entries without a `kind` (a private message's has one). */
export function roomResults(results: DeliveryResult[]): RoomResult[] {
  return results.filter((r): r is RoomResult => !('kind' in r));
}

/** How many rooms received the notification (private messages are not rooms). */
export function sentCount(results: DeliveryResult[]): number {
  return roomResults(results).filter((r) => r.ok && !r.dry_run).length;
}

/**
 * One message for all failed rooms and a failed private message, or undefined when all
 * succeeded.
 */
export function failureMessage(results: DeliveryResult[]): string | undefined {
  const rooms = roomResults(results);
  const failed = rooms.filter((r) => !r.ok);
  const personal = results.find((r): r is PrivateMessageResult => 'kind' in r && !r.ok);
  const lines: string[] = [];
  if (failed.length === 1 && rooms.length === 1) {
    lines.push(`HipChat notification failed: ${failed[0]!.error}`);
  } else if (failed.length > 0) {
    lines.push(
      `HipChat notification failed for ${failed.length} of ${rooms.length} rooms:\n${failed
        .map((r) => `- ${r.error}`)
        .join('\n')}`,
    );
  }
  if (personal) lines.push(`HipChat private message failed: ${personal.error}`);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/**
 * GitHub refuses a step summary over 1 MiB (and drops the whole of it): stay well below, cut
 * with a marker. Counted in UTF-16 units, which never undercounts less than bytes overcount.
 */
export const MAX_SUMMARY_CHARS = 900 * 1024;

/**
 * Untrusted text for a Markdown line or table cell: on one line, and every character HTML or
 * Markdown gives a meaning to written as a character reference, so it can neither open a tag,
 * a link or an image nor end the cell. It reads the same.
 */
export function inertText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[&<>"'[\]!*_`~|\\]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The message inside the summary's HTML block: a blank line would end the block and let what
 * follows be read as Markdown, so no line break survives as one in the source. HipChat's html
 * treats a line break as a space; a text message keeps its lines as `&#10;` inside `<pre>`.
 */
function quotedMessage(message: string, format: MessageFormat): string {
  return format === 'html'
    ? message.replace(/\s*(\r\n|\r|\n)\s*/g, ' ')
    : `<pre>${escapeHtml(message).replace(/\r\n|\r|\n/g, '&#10;')}</pre>`;
}

/** One row of the results table. */
function resultRow(r: DeliveryResult): string {
  const outcome = r.ok
    ? r.dry_run
      ? '🔍 dry run (not posted)'
      : `✅ delivered${r.possibly_duplicated ? ' (possibly twice)' : ''}`
    : `❌ ${inertText(r.error ?? 'failed')}`;
  const where = 'kind' in r ? `private message to ${r.user || '(nobody)'}` : r.room;
  return `| ${inertText(where)} | ${outcome} | ${r.status ?? '—'} | ${r.attempts} |`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The summary's headline: the run's result (delivered, failed, dry run passed, skipped). */
export function headline(input: ReportInput): string {
  const results = roomResults(input.results);
  const failed = results.filter((r) => !r.ok).length;
  const rooms = plural(results.length, 'room');
  if (input.skipped) return '⏭️ HipChat notification skipped';
  if (input.dryRun) {
    return failed
      ? `❌ HipChat dry run failed for ${failed} of ${rooms}`
      : `🔍 HipChat dry run passed: ${rooms} checked, nothing sent`;
  }
  const sent = sentCount(results);
  if (failed) {
    return `❌ HipChat notification failed for ${failed} of ${rooms}${sent ? ` (delivered to ${sent})` : ''}`;
  }
  const twice = results.some((r) => r.possibly_duplicated) ? ', possibly twice' : '';
  return `✅ HipChat notification delivered to ${sent} of ${rooms}${twice}`;
}

/** Texts as an HTML list on one line (so the summary's Markdown leaves it alone), inert. */
function htmlList(items: readonly string[]): string {
  return `<ul>${items.map((item) => `<li>${inertText(item)}</li>`).join('')}</ul>`;
}

/**
 * The step summary: the result, the run's warnings, the message as HipChat shows it, and a
 * table of rooms.
 */
export function summaryMarkdown(input: ReportInput): string {
  const { results } = input;
  const lines = [`### ${headline(input)}`, ''];
  if (input.skipped) lines.push(inertText(input.skipped), '');
  if (input.warnings?.length) lines.push('**Warnings**', '', htmlList(input.warnings), '');
  // html messages are shown rendered (GitHub keeps the tags HipChat allows); text verbatim.
  lines.push(`<blockquote>${quotedMessage(input.message, input.format)}</blockquote>`, '');
  lines.push(
    `<sub>colour: ${SWATCH[input.color]} ${input.color} · format: ${input.format} · ${input.message.length} characters</sub>`,
    '',
  );
  if (results.length > 0) {
    lines.push('| Room | Result | HTTP | Requests |', '| --- | --- | --- | --- |');
    let size = lines.join('\n').length;
    for (const [index, r] of results.entries()) {
      const row = resultRow(r);
      if (size + row.length > MAX_SUMMARY_CHARS) {
        lines.push(
          '',
          `<sub>Summary cut: ${results.length - index} more room${results.length - index === 1 ? '' : 's'} not shown (GitHub's step summary is limited to 1 MiB); the \`results\` output has them all.</sub>`,
        );
        break;
      }
      lines.push(row);
      size += row.length + 1;
    }
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * The step summary of a run stopped before anything was attempted (invalid inputs, an
 * unreadable event): what to fix, one item per problem.
 */
export function notSentMarkdown(problems: readonly string[]): string {
  return [
    '### ❌ HipChat notification not sent',
    '',
    'Nothing was sent. Fix the workflow step:',
    '',
    htmlList(problems),
    '',
  ].join('\n');
}

/**
 * Writes the summary of a run stopped before anything was attempted, saying what to fix. No
 * outputs: nothing was attempted, so nothing is reported as if it had been.
 */
export async function publishNotSent(sink: ReportSink, problems: readonly string[]): Promise<void> {
  if (sink.appendSummary) await sink.appendSummary(notSentMarkdown(problems));
}

/** Sets the outputs and writes the summary. */
export async function publish(sink: ReportSink, input: ReportInput): Promise<void> {
  sink.setOutput('message', input.message);
  sink.setOutput('sent', String(sentCount(input.results)));
  sink.setOutput('results', JSON.stringify(input.results));
  if (input.status !== undefined) sink.setOutput('status', input.status);
  const rooms = roomResults(input.results);
  // `lookup-id` with one room: the id read back, for a later step's `attach-to`. Unset (which a
  // workflow reads as '') when there is none.
  const id = rooms.length === 1 ? rooms[0]!.message_id : undefined;
  if (id !== undefined) sink.setOutput('message-id', id);
  if (sink.appendSummary) await sink.appendSummary(summaryMarkdown(input));
}
