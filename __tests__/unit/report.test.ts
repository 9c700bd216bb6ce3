import { describe, expect, it } from 'vitest';
import type { RoomResult } from '../../src/delivery/types.js';
import { failureMessage, publish, sentCount, summaryMarkdown } from '../../src/report.js';

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
    expect(html).toContain('🟥 HipChat notification — sent to 1 of 1 room');
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
});
