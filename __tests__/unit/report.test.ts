import { describe, expect, it } from 'vitest';
import type { RoomResult } from '../../src/delivery/types.js';
import {
  failureMessage,
  headline,
  inertText,
  notSentMarkdown,
  publish,
  publishNotSent,
  sentCount,
  summaryMarkdown,
} from '../../src/report/report.js';
import type { ReportInput } from '../../src/report/report.js';

const ok: RoomResult = { room: 'CI', ok: true, status: 204, attempts: 1 };
const bad: RoomResult = {
  room: 'Ops | Team',
  ok: false,
  status: 404,
  attempts: 1,
  error: "Room 'Ops | Team' was not found",
};

describe('report', () => {
  it('counts only rooms that received the notification', () => {
    expect(sentCount([ok, bad, { ...ok, room: 'X', dry_run: true }])).toBe(1);
  });

  it('words one failure for one room, and lists several', () => {
    expect(failureMessage([ok])).toBeUndefined();
    expect(failureMessage([bad])).toBe(`HipChat notification failed: ${bad.error}`);
    const many = failureMessage([ok, bad, { ...bad, room: 'Z', error: 'boom' }]);
    expect(many).toBe(`HipChat notification failed for 2 of 3 rooms:\n- ${bad.error}\n- boom`);
  });

  it('shows an html message rendered and a text message verbatim and escaped', () => {
    const html = summaryMarkdown({
      message: '<b>Build</b> failed',
      color: 'red',
      format: 'html',
      results: [ok],
      dryRun: false,
    });
    expect(html).toContain('<blockquote><b>Build</b> failed</blockquote>');
    expect(html.split('\n')[0]).toBe('### ✅ HipChat notification delivered to 1 of 1 room');
    expect(html).toContain('colour: 🟥 red');
    const text = summaryMarkdown({
      message: 'a <b> & @here',
      color: 'green',
      format: 'text',
      results: [ok],
      dryRun: false,
    });
    expect(text).toContain('<pre>a &lt;b&gt; &amp; @here</pre>');
  });

  it('keeps the room table intact when names or errors contain pipes', () => {
    const md = summaryMarkdown({
      message: 'm',
      color: 'yellow',
      format: 'text',
      results: [ok, bad],
      dryRun: false,
    });
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(4); // header, rule, two rooms
    expect(rows[3]).toContain('Ops &#124; Team');
    expect(rows[3]!.split('|')).toHaveLength(6);
  });

  it('publishes outputs and the summary', async () => {
    const outputs: Record<string, string> = {};
    let summary = '';
    await publish(
      { setOutput: (n, v) => (outputs[n] = v), appendSummary: async (m) => void (summary += m) },
      { message: 'hello', color: 'green', format: 'text', results: [ok, bad], dryRun: false },
    );
    expect(outputs.message).toBe('hello');
    expect(outputs.sent).toBe('1');
    expect(JSON.parse(outputs.results!)).toEqual([ok, bad]);
    expect(summary).toContain('hello');
  });

  it('heads the summary with the result, never with the message colour', () => {
    const base: ReportInput = {
      message: 'm',
      color: 'red',
      format: 'text',
      results: [ok],
      dryRun: false,
    };
    expect(headline(base)).toBe('✅ HipChat notification delivered to 1 of 1 room');
    expect(headline({ ...base, results: [{ ...ok, possibly_duplicated: true }, ok] })).toBe(
      '✅ HipChat notification delivered to 2 of 2 rooms, possibly twice',
    );
    expect(headline({ ...base, results: [ok, bad] })).toBe(
      '❌ HipChat notification failed for 1 of 2 rooms (delivered to 1)',
    );
    expect(headline({ ...base, color: 'green', results: [bad] })).toBe(
      '❌ HipChat notification failed for 1 of 1 room',
    );
    const dry = { ...ok, dry_run: true, status: null, attempts: 0 };
    expect(headline({ ...base, dryRun: true, results: [dry, dry] })).toBe(
      '🔍 HipChat dry run passed: 2 rooms checked, nothing sent',
    );
    expect(headline({ ...base, dryRun: true, results: [dry, { ...bad, dry_run: true }] })).toBe(
      '❌ HipChat dry run failed for 1 of 2 rooms',
    );
    expect(headline({ ...base, results: [], skipped: 'send-when: changed: skipped' })).toBe(
      '⏭️ HipChat notification skipped',
    );
  });

  it("lists the run's warnings, escaped, above the message", () => {
    const md = summaryMarkdown({
      message: 'm',
      color: 'yellow',
      format: 'text',
      results: [ok],
      dryRun: false,
      warnings: ['`template` names {{github.repostory}} (line 2) <b>', 'second\nline'],
    });
    const lines = md.split('\n');
    const list = lines.indexOf('**Warnings**') + 2;
    expect(lines[list]).toBe(
      `<ul><li>${inertText('`template` names {{github.repostory}} (line 2) <b>')}</li><li>second line</li></ul>`,
    );
    expect(list).toBeLessThan(lines.findIndex((line) => line.startsWith('<blockquote>')));
    expect(
      summaryMarkdown({
        message: 'm',
        color: 'yellow',
        format: 'text',
        results: [ok],
        dryRun: false,
      }),
    ).not.toContain('Warnings');
  });

  it('says what to fix when the run stopped before sending, and sets no output', async () => {
    const problems = ["`color` is 'pink': expected auto, …", '`room` is <empty>'];
    expect(notSentMarkdown(problems).split('\n')).toEqual([
      '### ❌ HipChat notification not sent',
      '',
      'Nothing was sent. Fix the workflow step:',
      '',
      `<ul><li>${inertText(problems[0]!)}</li><li>${inertText(problems[1]!)}</li></ul>`,
      '',
    ]);
    const outputs: Record<string, string> = {};
    let summary = '';
    await publishNotSent(
      { setOutput: (n, v) => (outputs[n] = v), appendSummary: async (m) => void (summary += m) },
      problems,
    );
    expect(outputs).toEqual({});
    expect(summary).toBe(notSentMarkdown(problems));
  });
});
