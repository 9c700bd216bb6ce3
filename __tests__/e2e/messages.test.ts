/**
 * Context and templates, end to end: what the room receives for each event and outcome, how
 * values are escaped for the format, mentions that untrusted text must not make, and messages
 * cut to HipChat's 10,000 characters.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StepResult } from '../../scripts/lib/action-runner.ts';
import type { DeliveredNotification } from '../../sandbox/server.ts';
import { eventRun, fixture, inParallel, longText, step, useSandbox } from './helpers.ts';
import { ALL_WORDS } from '../words/all.ts';
import { WORKFLOW_RUN_WORDS } from '../words/workflow-run.ts';
import { rowOf, wordsPattern } from '../words/table.ts';

const sandbox = useSandbox();
// No reset between tests: each run posts with a token of its own (see `deliverOne`), so tests
// can run at the same time and still find exactly what their run delivered.

/** A zero-width word joiner after `@`: the action's way of defusing a mention. */
const BREAKER = '\u2060';

/** The mentions HipChat would make of a text message: `@name` not preceded by a word character. */
function liveMentions(message: string): string[] {
  return [...message.matchAll(/(?<![\p{L}\p{N}_])@([\p{L}\p{N}_]+)/gu)].map((m) => m[1]!);
}

/** Runs one step with a fresh token and returns it with the one notification it delivered. */
async function deliverOne(
  options: Parameters<typeof step>[1],
): Promise<{ run: StepResult; got: DeliveredNotification }> {
  const token = `token-${Math.random().toString(36).slice(2)}`;
  sandbox.addToken({ token, kind: 'personal', scopes: ['send_notification'] });
  const run = await step(sandbox, { ...options, with: { token, room: 'CI', ...options.with } });
  const got = sandbox.notifications().filter((n) => n.token === token);
  expect(got, run.stdout + run.stderr).toHaveLength(1);
  expect(run.exitCode).toBe(0);
  expect(run.outputs.message).toBe(got[0]!.body.message);
  return { run, got: got[0]! };
}

describe('built-in templates', () => {
  const EVENTS = [
    'push',
    'pull_request',
    'release',
    'workflow_dispatch',
    'schedule',
    'workflow_run',
    'issue_comment', // no wording of its own: the generic fallback
  ] as const;
  const STATUSES = [
    { status: 'success', color: 'green', icon: '✅' },
    { status: 'failure', color: 'red', icon: '❌' },
    { status: 'cancelled', color: 'gray', icon: '⚪' },
    { status: '', color: 'yellow', icon: '🔵' },
  ] as const;
  // Every event failing (the alert that matters most), every outcome of a push, a published
  // release, and text for the two events whose titles come from people. The unit tests of
  // template.ts cover every event × outcome × format; this proves the bundle does the same.
  const MATRIX = [
    ...EVENTS.map((event) => ({ event, ...STATUSES[1], format: 'html' as const })),
    ...[0, 2, 3].map((i) => ({ event: 'push', ...STATUSES[i]!, format: 'html' as const })),
    { event: 'release', ...STATUSES[0], format: 'html' as const },
    { event: 'push', ...STATUSES[1], format: 'text' as const },
    { event: 'pull_request', ...STATUSES[1], format: 'text' as const },
  ];

  const sent = new Map<string, { message: string; color: unknown; format: unknown }>();
  const key = (c: { event: string; status: string; format: string }): string =>
    `${c.event}/${c.status}/${c.format}`;

  beforeAll(async () => {
    await inParallel(MATRIX, async (c) => {
      const { got } = await deliverOne({
        ...eventRun(c.event),
        jobStatus: c.status,
        with: { format: c.format },
      });
      sent.set(key(c), {
        message: String(got.body.message),
        color: got.body.color,
        format: got.body.message_format,
      });
    });
  });

  it.each(MATRIX)(
    '$event × $status × $format: coloured by the outcome, marked by its icon',
    (c) => {
      const got = sent.get(key(c))!;
      expect(got.color).toBe(c.color);
      expect(got.format).toBe(c.format);
      expect(got.message.startsWith(`${c.icon} `)).toBe(true);
      expect(got.message).toContain('acme/widgets');
      expect(got.message).not.toMatch(/undefined|null|\[object Object\]|\{\{/);
    },
  );

  // The sentences are each kind's words table's (__tests__/words/), asserted over the sources
  // in __tests__/unit/events/; here, that the bundle sends the same words around its facts.
  it.each(MATRIX)("$event × $status × $format: the words of its kind's table", (c) => {
    const table = ALL_WORDS.find((t) => t.event === c.event)!;
    const row = rowOf(table, c.status || 'no status');
    expect(sent.get(key(c))!.message).toMatch(wordsPattern(row[c.format]));
  });

  const failure = (event: string, format = 'html'): string =>
    sent.get(`${event}/failure/${format}`)!.message;

  it('a failed push names the repository, branch, commit title, short sha, actor, and links the run', () => {
    const html = failure('push');
    expect(html).toContain('<a href="https://github.com/acme/widgets">acme/widgets</a>');
    expect(html).toContain('<b>CI</b>');
    expect(html).toContain('<a href="https://github.com/acme/widgets/tree/main">main</a>');
    expect(html).toContain('Fix the &lt;parser&gt; &amp; &quot;quotes&quot;');
    expect(html).not.toContain('Longer body');
    expect(html).toContain('<code>9f8e7d6</code>');
    expect(html).toContain(' by alice');
    expect(html).toContain(
      '<a href="https://github.com/acme/widgets/actions/runs/555">run #17</a>',
    );

    const [headline, link, ...more] = failure('push', 'text').split('\n');
    expect(headline).toMatch(
      /^❌ acme\/widgets: CI .* main .*“Fix the <parser> & "quotes"” \(9f8e7d6\) by alice$/,
    );
    expect(link).toBe('https://github.com/acme/widgets/actions/runs/555');
    expect(more).toEqual([]);
  });

  it('a failed pull request names the PR, its head branch and commit, and who pushed', () => {
    const html = failure('pull_request');
    expect(html).toContain('<a href="https://github.com/acme/widgets/pull/12">PR #12</a>');
    expect(html).toContain('Add the widget @all should see');
    expect(html).toContain('feature/new-widget');
    expect(html).toContain('<code>abcdef0</code>');
    expect(html).toContain(' by bob');
    expect(html).toContain('actions/runs/555');
  });

  it('a release names the tag and release name and links the release', () => {
    const html = sent.get('release/success/html')!.message;
    expect(html).toContain(' v1.2.0 ');
    expect(html).toContain('Widgets 1.2 &quot;Sprocket&quot;');
    expect(html).toContain(' by carol');
    expect(html).toContain(
      '<a href="https://github.com/acme/widgets/releases/tag/v1.2.0">release notes</a>',
    );
    // A failed release workflow must not read as a published release, and links the run.
    const failed = failure('release');
    expect(failed).toContain(' <b>Release</b> ');
    expect(failed).toContain(
      '<a href="https://github.com/acme/widgets/releases/tag/v1.2.0">v1.2.0</a>',
    );
    expect(failed).not.toContain('released');
    expect(failed).toContain('actions/runs/555');
  });

  it('says how a run started: manual, scheduled, after another workflow, or by which event', () => {
    // The words that say how (manual, scheduled) are the tables'; here, what each names.
    expect(failure('workflow_dispatch')).toContain(' <b>CI</b> ');
    expect(failure('workflow_dispatch')).toContain(' by erin');
    expect(failure('schedule')).toContain(' <b>Nightly</b> ');
    expect(failure('schedule')).not.toContain(' by ');
    expect(failure('workflow_run')).toContain(' <b>Build</b> ');
    expect(failure('workflow_run')).toContain('release/2.x');
    expect(failure('workflow_run')).toContain(
      'href="https://github.com/acme/widgets/actions/runs/9876543210"',
    );
    expect(failure('issue_comment')).toContain('(comment created on issue ');
  });
});

describe.concurrent('workflow_run: the outcome of the run that triggered this one', () => {
  /** A workflow_run event whose upstream run ended with `conclusion` (null: not completed). */
  function upstream(conclusion: string | null, status = 'completed'): ReturnType<typeof eventRun> {
    const run = eventRun('workflow_run');
    const payload = run.event!.workflow_run as Record<string, unknown>;
    const upstreamRun = { ...payload, conclusion, status };
    return { ...run, event: { ...run.event, workflow_run: upstreamRun } };
  }

  it('a failed upstream run, no `status` given, the notifier job green: a red "failed" alert', async () => {
    // What the runner does: action.yml's default is evaluated over this event and job.
    const { run, got } = await deliverOne({ ...upstream('failure'), jobStatus: 'success' });
    expect(run.env['INPUT_STATUS']).toBe('failure');
    expect(got.body.color).toBe('red');
    const message = String(got.body.message);
    expect(message).toMatch(wordsPattern(rowOf(WORKFLOW_RUN_WORDS, 'failure').html));
    expect(message).toContain('<b>Build</b>');
    expect(message).toContain('release/2.x');
    expect(message).not.toContain('succeeded');
  });

  it('a timed-out upstream run is an alert too, worded as GitHub says it', async () => {
    const { run, got } = await deliverOne({ ...upstream('timed_out'), jobStatus: 'success' });
    expect(run.env['INPUT_STATUS']).toBe('timed_out');
    expect(run.errors).toEqual([]);
    expect(got.body.color).toBe('red');
    expect(String(got.body.message)).toMatch(
      wordsPattern(rowOf(WORKFLOW_RUN_WORDS, 'timed_out').html),
    );
  });

  it.each([
    ['startup_failure', 'red'],
    ['success', 'green'],
    ['neutral', 'green'],
    ['cancelled', 'gray'],
    ['action_required', 'yellow'],
    ['stale', 'yellow'],
  ])('an upstream %s reads %s, in its words', async (conclusion, color) => {
    const { got } = await deliverOne({ ...upstream(conclusion), jobStatus: 'failure' });
    expect(got.body.color).toBe(color);
    const row = rowOf(WORKFLOW_RUN_WORDS, conclusion);
    expect(String(got.body.message)).toMatch(wordsPattern(row.html));
  });

  it('`status: ${{ github.event.workflow_run.conclusion }}` given by hand is accepted the same way', async () => {
    const { got } = await deliverOne({
      ...upstream('success'),
      with: { status: 'TIMED_OUT' },
    });
    expect(got.body.color).toBe('red');
    expect(String(got.body.message)).toMatch(
      wordsPattern(rowOf(WORKFLOW_RUN_WORDS, 'timed_out').html),
    );
  });

  it("an upstream run that has not completed (no conclusion): its status, a start note, never this job's", async () => {
    const { run, got } = await deliverOne({
      ...upstream(null, 'in_progress'),
      jobStatus: 'success',
    });
    expect(run.env['INPUT_STATUS']).toBe('in_progress');
    expect(got.body.color).toBe('yellow');
    expect(String(got.body.message)).toMatch(/^🚀 /);
    expect(String(got.body.message)).not.toContain('succeeded');
  });

  it('other events report job.status as before', async () => {
    const { run, got } = await deliverOne({ ...eventRun('push'), jobStatus: 'failure' });
    expect(run.env['INPUT_STATUS']).toBe('failure');
    expect(got.body.color).toBe('red');
  });
});

describe.concurrent('colour', () => {
  // success, failure, cancelled and none: see the built-in templates above.
  it('auto maps any other status (skipped) to yellow', async () => {
    const { got } = await deliverOne({ with: { status: 'skipped' } });
    expect(got.body.color).toBe('yellow');
    expect(got.body.message).toContain(' was skipped on ');
  });

  it('an explicit colour wins over the status', async () => {
    const { got } = await deliverOne({ with: { color: 'purple' }, jobStatus: 'failure' });
    expect(got.body.color).toBe('purple');
  });
});

describe.concurrent('escaping', () => {
  const template = 'T: {{commit_title}} | V: {{{commit_title}}} | <i>ours</i> & more';

  it('html: {{x}} is escaped, {{{x}}} and the template itself are verbatim', async () => {
    const { got } = await deliverOne({ ...eventRun('push'), with: { template } });
    expect(got.body.message).toBe(
      'T: Fix the &lt;parser&gt; &amp; &quot;quotes&quot; | V: Fix the <parser> & "quotes" | <i>ours</i> & more',
    );
    expect(got.body.message_format).toBe('html');
  });

  it('text: {{x}} and {{{x}}} are both verbatim', async () => {
    const { got } = await deliverOne({ ...eventRun('push'), with: { template, format: 'text' } });
    expect(got.body.message).toBe(
      'T: Fix the <parser> & "quotes" | V: Fix the <parser> & "quotes" | <i>ours</i> & more',
    );
    expect(got.body.message_format).toBe('text');
  });

  it('exposes the payload and no environment to templates', async () => {
    const { got } = await deliverOne({
      ...eventRun('push'),
      with: {
        template: '{{github.event.pusher.name}}|{{github.run_number}}|{{env.PATH}}|{{PATH}}',
      },
      env: { ...eventRun('push').env, SECRET_IN_ENV: 'do-not-leak' },
    });
    expect(got.body.message).toBe('alice|17||');
  });
});

describe.concurrent('mentions in text', () => {
  const pr = eventRun('pull_request');
  // The fixture's PR title is "Add the widget @all should see", its body "Please review @here".

  it('a value from the context cannot ping the room; the template’s own mentions still work', async () => {
    const { got } = await deliverOne({
      ...pr,
      with: {
        format: 'text',
        template:
          '@here {{status}}: {{pull_request.title}} / {{github.event.pull_request.body}} ' +
          '(cc @{{pull_request.author}})',
      },
      jobStatus: 'failure',
    });
    const message = String(got.body.message);
    expect(liveMentions(message)).toEqual(['here', 'bob']);
    expect(message).toContain(`Add the widget @${BREAKER}all should see`);
    expect(message).toContain(`Please review @${BREAKER}here`);
    // Invisible: the text reads the same once the joiner is dropped.
    expect(message.replaceAll(BREAKER, '')).toBe(
      '@here failure: Add the widget @all should see / Please review @here (cc @bob)',
    );
  });

  it('the built-in text message defuses the PR title too', async () => {
    const { got } = await deliverOne({ ...pr, with: { format: 'text' }, jobStatus: 'failure' });
    expect(liveMentions(String(got.body.message))).toEqual([]);
  });

  it('a commit message cannot ping the room either, while an e-mail address stays intact', async () => {
    const event = fixture('push');
    (event.head_commit as Record<string, unknown>).message =
      'Ping @all and @here, mail ops@example.com';
    const { got } = await deliverOne({
      ...eventRun('push'),
      event,
      with: { format: 'text', template: '{{commit_title}}' },
    });
    expect(liveMentions(String(got.body.message))).toEqual([]);
    expect(got.body.message).toContain('ops@example.com');
  });

  it('{{{x}}} is verbatim by design, mentions included', async () => {
    const { got } = await deliverOne({
      ...pr,
      with: { format: 'text', template: '{{{pull_request.title}}}' },
    });
    expect(liveMentions(String(got.body.message))).toEqual(['all']);
  });

  it('html has no mentions, so values are escaped but left as written', async () => {
    const { got } = await deliverOne({ ...pr, with: { template: '{{pull_request.title}}' } });
    expect(got.body.message).toBe('Add the widget @all should see');
  });
});

describe.concurrent('a message over 10,000 characters', () => {
  const marker = '… [truncated]';

  it.each(['html', 'text'] as const)(
    '%s: is cut to fit with a visible marker, and a warning says so',
    async (format) => {
      const event = fixture('push');
      (event.head_commit as Record<string, unknown>).message = longText(12_345, 'a & b <c> ');
      const { run, got } = await deliverOne({
        ...eventRun('push'),
        event,
        with: { format, template: '<b>{{github.event.head_commit.message}}</b>' },
      });
      const message = String(got.body.message);
      expect(message.length).toBeLessThanOrEqual(10_000);
      expect(message.length).toBeGreaterThan(9_900);
      expect(message.endsWith(marker)).toBe(true);
      if (format === 'html') {
        // Cut between whole entities, and the open <b> closed before the marker.
        expect(message.endsWith(`</b>${marker}`)).toBe(true);
        expect(message.slice(0, -marker.length)).not.toMatch(/&[a-z]*$/);
      }
      expect(run.warnings).toHaveLength(1);
      expect(run.warnings[0]).toMatch(
        /^The message was \d+ characters long; HipChat accepts at most 10,000, so it was cut to fit \(marked at the end\)\.$/,
      );
      expect(run.summary).toContain(`${message.length} characters`);
    },
  );

  it('a message of exactly 10,000 characters is sent whole, without a warning', async () => {
    const { run, got } = await deliverOne({ with: { template: 'x'.repeat(10_000) } });
    expect(got.body.message).toBe('x'.repeat(10_000));
    expect(run.warnings).toEqual([]);
  });
});

describe.concurrent('line endings', () => {
  it('a template file checked out with CRLF (Windows, autocrlf) is sent with \\n only', async () => {
    const { got } = await deliverOne({
      ...eventRun('push'),
      with: { format: 'text', 'template-file': '.github/notify.mustache' },
      jobStatus: 'failure',
      files: {
        '.github/notify.mustache': '{{status_icon}} {{status}}\r\nrun: {{run_url}}\r\n',
      },
    });
    expect(got.body.message).toBe(
      '❌ failure\nrun: https://github.com/acme/widgets/actions/runs/555\n',
    );
  });

  it('an inline template with CRLF too', async () => {
    const { got } = await deliverOne({
      with: { format: 'text', template: 'line 1\r\nline 2\rline 3' },
    });
    expect(got.body.message).toBe('line 1\nline 2\nline 3');
  });
});

describe.concurrent('template warnings', () => {
  it('an unknown variable is named in a warning, and the message is still sent', async () => {
    const { run, got } = await deliverOne({
      with: { template: 'Build {{status}}\nin {{github.repostory}}' },
      jobStatus: 'success',
    });
    expect(got.body.message).toBe('Build success\nin ');
    expect(run.warnings).toEqual([expect.stringContaining('{{github.repostory}}')]);
  });

  it('a template that renders empty falls back to the built-in message', async () => {
    const { run, got } = await deliverOne({
      with: { template: '{{github.event.nothing}}' },
      jobStatus: 'failure',
    });
    // The built-in alert: its icon, and the run it links.
    expect(String(got.body.message)).toMatch(/^❌ .*\/actions\/runs\/\d+/);
    expect(run.warnings.some((w) => w.includes('rendered an empty message'))).toBe(true);
  });
});
