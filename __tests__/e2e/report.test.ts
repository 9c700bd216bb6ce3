/**
 * The report, end to end: the `message`, `sent` and `results` outputs, the step summary (the
 * message as the room will see it, the rooms and their results), dry runs, and tokens of every
 * kind kept out of everything a person or a later step can read.
 */
import { describe, expect, it } from 'vitest';
import {
  EXPIRED_TOKEN,
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  PERSONAL_TOKEN,
  ROOM_TOKEN,
  VIEW_GROUP_TOKEN,
} from '../../sandbox/server.ts';
import {
  eventRun,
  expectMasksFirst,
  expectSecretKept,
  inParallel,
  results,
  roomCalls,
  step,
  useSandbox,
} from './helpers.ts';

const sandbox = useSandbox(undefined, { resetEach: true });

/** What escaped html text reads as once rendered. */
function unescapeHtml(html: string): string {
  return html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
}

describe('outputs and summary', () => {
  it('html: the summary shows the message rendered, its colour, and each room’s result', async () => {
    const run = await step(sandbox, {
      ...eventRun('push'),
      with: { token: PERSONAL_TOKEN, room: 'CI, Nope', 'fail-on-error': 'false' },
      jobStatus: 'failure',
    });
    const [delivered] = sandbox.notifications();
    const message = String(delivered!.body.message);

    expect(run.outputs.message).toBe(message);
    expect(run.outputs.sent).toBe('1');
    expect(results(run)).toEqual([
      { room: 'CI', ok: true, status: 204, attempts: 1 },
      {
        room: 'Nope',
        ok: false,
        status: 404,
        attempts: 1,
        error: expect.stringMatching(/^Room 'Nope' was not found on /),
      },
    ]);

    const lines = run.summary.split('\n');
    expect(lines[0]).toBe('### ❌ HipChat notification failed for 1 of 2 rooms (delivered to 1)');
    // The html as HipChat receives it: GitHub renders the same tags in the summary.
    // On one line: a blank line would end the HTML block (HipChat's html reads a line break as a space).
    expect(run.summary).toContain(`<blockquote>${message.replace(/\s*\n\s*/g, ' ')}</blockquote>`);
    expect(run.summary).toContain('Fix the &lt;parser&gt; &amp; &quot;quotes&quot;');
    expect(run.summary).toContain(
      `<sub>colour: 🟥 red · format: html · ${message.length} characters</sub>`,
    );
    expect(lines).toContain('| Room | Result | HTTP | Requests |');
    expect(lines).toContain('| CI | ✅ delivered | 204 | 1 |');
    // The error, escaped for html (how much is escaped is the summary's business; what it
    // reads as once rendered is what counts).
    const nope = lines.find((l) => l.startsWith('| Nope |'))!;
    expect(nope).not.toMatch(/"|<|>/);
    expect(unescapeHtml(nope)).toMatch(
      /^\| Nope \| ❌ Room 'Nope' was not found on .*\(404, HipChat: "Room Nope not found"\).*\| 404 \| 1 \|$/,
    );
  });

  it('text: the summary shows the message verbatim, escaped so it reads as the room sees it', async () => {
    const run = await step(sandbox, {
      ...eventRun('push'),
      with: { token: PERSONAL_TOKEN, room: 'Ops', format: 'text', color: 'purple' },
      jobStatus: 'success',
    });
    const message = String(sandbox.notifications()[0]!.body.message);
    expect(message).toContain('“Fix the <parser> & "quotes"”');
    expect(run.summary.split('\n')[0]).toBe('### ✅ HipChat notification delivered to 1 of 1 room');
    const shown = /<blockquote><pre>(.*)<\/pre><\/blockquote>/s.exec(run.summary)?.[1];
    expect(shown).not.toMatch(/"|<|>/);
    expect(unescapeHtml(shown!)).toBe(message);
    expect(run.summary).toContain('colour: 🟪 purple · format: text');
    expect(run.summary).toContain('| Ops | ✅ delivered | 204 | 1 |');
  });
});

describe('dry run', () => {
  it('renders and reports, but sends nothing at all — not even with a token HipChat would refuse', async () => {
    const [dry, real] = await Promise.all([
      step(sandbox, {
        with: { token: EXPIRED_TOKEN, room: 'CI, Ops', 'dry-run': 'true' },
        jobStatus: 'failure',
      }),
      // What a real run with the same inputs sends, for comparison (to another room).
      step(sandbox, {
        with: { token: PERSONAL_TOKEN, room: 'Release Notes' },
        jobStatus: 'failure',
      }),
    ]);
    expect(dry.exitCode, dry.stdout).toBe(0);
    expect(sandbox.requests.every((r) => r.room === 'Release Notes')).toBe(true);
    expect(dry.outputs.message).toBe(real.outputs.message);
    expect(dry.outputs.sent).toBe('0');
    expect(results(dry)).toEqual([
      { room: 'CI', ok: true, status: null, attempts: 0, dry_run: true },
      { room: 'Ops', ok: true, status: null, attempts: 0, dry_run: true },
    ]);
    expect(dry.summary.split('\n')[0]).toBe(
      '### 🔍 HipChat dry run passed: 2 rooms checked, nothing sent',
    );
    expect(dry.summary).toContain('| CI | 🔍 dry run (not posted) | — | 0 |');
    expect(dry.stdout).toContain("Room 'CI': dry run, nothing posted.");
    expect(dry.errors).toEqual([]);
  });

  it('with auth-test: checks each room, still posts nothing', async () => {
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: 'CI, Ops', 'dry-run': 'true', 'auth-test': 'true' },
    });
    expect(run.exitCode).toBe(0);
    expect(roomCalls(sandbox).map((r) => [r.room, r.authTest, r.status])).toEqual(
      expect.arrayContaining([
        ['CI', true, 202],
        ['Ops', true, 202],
      ]),
    );
    expect(sandbox.requests).toHaveLength(2);
    expect(sandbox.notifications()).toEqual([]);
    expect(results(run)).toEqual([
      { room: 'CI', ok: true, status: 202, attempts: 1, dry_run: true },
      { room: 'Ops', ok: true, status: 202, attempts: 1, dry_run: true },
    ]);
    expect(run.summary).toContain('| Ops | 🔍 dry run (not posted) | 202 | 1 |');
  });

  it('with a failing auth test: fails the step, posts nothing', async () => {
    const run = await step(sandbox, {
      with: { token: ROOM_TOKEN, room: 'Ops', 'dry-run': 'true', 'auth-test': 'true' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain("nothing was posted to room 'Ops'");
    expect(sandbox.notifications()).toEqual([]);
    expect(results(run)).toEqual([
      expect.objectContaining({ room: 'Ops', ok: false, status: 401 }),
    ]);
  });

  it('without auth-test makes no HipChat client at all: not even the proxy module loads', async () => {
    // Node reports each CommonJS module it loads (NODE_DEBUG=module); the bundle loads
    // dist/proxy.js only when a client is made while a proxy variable is set.
    const proxied = {
      NODE_DEBUG: 'module',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: '',
      NO_PROXY: '127.0.0.1',
    };
    const loadsProxy = (stderr: string): boolean =>
      /load "[^"]*[\\/]dist[\\/]proxy\.js"/.test(stderr);
    const [dry, checked] = await Promise.all([
      step(sandbox, {
        with: { token: PERSONAL_TOKEN, room: 'CI', 'dry-run': 'true' },
        env: proxied,
      }),
      // The probe itself: a dry run that does make requests loads it.
      step(sandbox, {
        with: { token: PERSONAL_TOKEN, room: 'Ops', 'dry-run': 'true', 'auth-test': 'true' },
        env: proxied,
      }),
    ]);
    expect(dry.exitCode, dry.stdout).toBe(0);
    expect(checked.exitCode, checked.stdout).toBe(0);
    expect(results(dry)).toEqual([
      { room: 'CI', ok: true, status: null, attempts: 0, dry_run: true },
    ]);
    expect(loadsProxy(checked.stderr)).toBe(true);
    expect(loadsProxy(dry.stderr)).toBe(false);
    expect(sandbox.requests.map((r) => r.room)).toEqual(['Ops']);
  });

  it('still validates the inputs', async () => {
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: 'CI', 'dry-run': 'true', format: 'markdown' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain("`format` is 'markdown'");
  });
});

describe('the summary tells the result and what to fix', () => {
  it('shows the warnings of the run, such as an unknown template variable', async () => {
    const run = await step(sandbox, {
      with: {
        token: PERSONAL_TOKEN,
        room: 'CI',
        template: '{{github.repository}} by\n{{github.actr}}',
      },
      jobStatus: 'success',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.warnings).toEqual([expect.stringContaining('{{github.actr}} (line 2)')]);
    const lines = run.summary.split('\n');
    expect(lines[0]).toBe('### ✅ HipChat notification delivered to 1 of 1 room');
    const list = lines[lines.indexOf('**Warnings**') + 2]!;
    expect(list).toMatch(
      /^<ul><li>&#96;template&#96; names a variable .*\{\{github\.actr\}\} \(line 2\)/,
    );
  });

  it('writes a summary for invalid inputs, listing each problem, and sends nothing', async () => {
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: 'CI', color: 'pink', timeout: 'soon' },
    });
    expect(run.exitCode).toBe(1);
    expect(sandbox.requests).toEqual([]);
    const lines = run.summary.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '### ❌ HipChat notification not sent',
      '',
      'Nothing was sent. Fix the workflow step:',
    ]);
    expect(lines[4]).toMatch(
      /^<ul><li>&#96;color&#96; is &#39;pink&#39;: expected .*<\/li><li>&#96;timeout&#96; is &#39;soon&#39;/,
    );
    expect(run.outputs).toEqual({});
  });
});

describe('a step summary that cannot be written', () => {
  // GITHUB_STEP_SUMMARY pointing where no file can be: e.g. a runner's disk or temp dir gone.
  const unwritable = { GITHUB_STEP_SUMMARY: '/nonexistent-hipchat-notify-dir/summary.md' };

  it('is a warning: a delivered notification does not turn the step red', async () => {
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: 'CI' },
      jobStatus: 'failure',
      env: unwritable,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([
      expect.stringMatching(/^Could not write the step summary \(.+\); the outputs and this log/),
    ]);
    expect(sandbox.notifications()).toHaveLength(1);
    expect(run.outputs.sent).toBe('1');
    expect(results(run)).toEqual([{ room: 'CI', ok: true, status: 204, attempts: 1 }]);
  });

  it('does not hide a failed delivery either: the step still fails for that', async () => {
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: 'Nope' },
      env: unwritable,
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(/Room 'Nope' was not found/)]);
    expect(run.warnings).toEqual([expect.stringMatching(/^Could not write the step summary/)]);
    expect(run.outputs.sent).toBe('0');
  });
});

describe('tokens', () => {
  // Every kind of token, in runs that succeed and runs that fail: the token is registered for
  // masking before any other line, and is absent from the log, stderr, outputs and summary.
  const CASES: { name: string; with: Record<string, string> & { token: string }; code: number }[] =
    [
      { name: 'personal token, delivered', with: { token: PERSONAL_TOKEN }, code: 0 },
      { name: 'room token, delivered', with: { token: ROOM_TOKEN }, code: 0 },
      {
        name: 'room token, refused in another room',
        with: { token: ROOM_TOKEN, room: 'Ops' },
        code: 1,
      },
      { name: 'token without the scope (403)', with: { token: VIEW_GROUP_TOKEN }, code: 1 },
      {
        name: 'expired token (401) in an auth test',
        with: { token: EXPIRED_TOKEN, 'auth-test': 'true' },
        code: 1,
      },
    ];

  it('never appear in the log, outputs or summary, whatever happens', async () => {
    const runs = await inParallel(CASES, (c) =>
      step(sandbox, { with: { room: 'CI', ...c.with }, githubToken: 'ghs_workflowToken0123' }),
    );
    for (const [i, c] of CASES.entries()) {
      const run = runs[i]!;
      expect(run.exitCode, c.name).toBe(c.code);
      expect(run.summary, c.name).not.toBe('');
      expectMasksFirst(run, [c.with.token, 'ghs_workflowToken0123']);
      expectSecretKept(run, c.with.token);
      expectSecretKept(run, 'ghs_workflowToken0123');
    }
  });

  it('the minted add-on token and the OAuth secret never appear either', async () => {
    const run = await step(sandbox, {
      with: { 'oauth-id': OAUTH_CLIENT_ID, 'oauth-secret': OAUTH_CLIENT_SECRET, room: 'CI, Nope' },
    });
    expect(run.exitCode).toBe(1);
    const minted = sandbox.notifications()[0]!.token;
    expectSecretKept(run, minted);
    expectSecretKept(run, OAUTH_CLIENT_SECRET);
  });
});
