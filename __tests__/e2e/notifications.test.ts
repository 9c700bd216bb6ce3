/**
 * Notifications worth reading, end to end: `send-when` against a fake GitHub API, cards for every
 * built-in event, template files and unknown-variable warnings. The committed bundle runs as the
 * runner runs it (`runStep`), against the HipChat sandbox, which validates every card it gets;
 * the fake GitHub is a real HTTP server on 127.0.0.1 reached through `GITHUB_API_URL`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Card, CardAttribute } from '../../src/hipchat/types.ts';
import type { DeliveredNotification } from '../../sandbox/server.ts';
import { PERSONAL_TOKEN, ROOM_CI, validateCard } from '../../sandbox/server.ts';
import type { StepResult } from '../../scripts/lib/action-runner.ts';
import { SAMPLE_FACTS } from '../../scripts/lib/action-runner.ts';
import { startFakeGithub } from '../support/fake-github.ts';
import type { FakeGithub, FakeRunInput } from '../support/fake-github.ts';
import { eventRun, expectSecretKept, logLines, step, useSandbox } from './helpers.ts';
import { ALL_WORDS } from '../words/all.ts';
import { PUSH_WORDS } from '../words/push.ts';
import { rowOf, wordsPattern } from '../words/table.ts';

const sandbox = useSandbox();
let github: FakeGithub;
/** An API address where nothing listens (a fake that was started and closed again). */
let deadApiUrl: string;

beforeAll(async () => {
  github = await startFakeGithub({ repository: REPO });
  const dead = await startFakeGithub();
  deadApiUrl = dead.url;
  await dead.close();
});
afterAll(async () => {
  await github.close();
});

const REPO = SAMPLE_FACTS.GITHUB_REPOSITORY!;
const RUN_ID = Number(SAMPLE_FACTS.GITHUB_RUN_ID);
const RUN_NUMBER = Number(SAMPLE_FACTS.GITHUB_RUN_NUMBER);
/** This run, as GitHub lists it while the notify step runs. */
const THIS_RUN: FakeRunInput = {
  id: RUN_ID,
  run_number: RUN_NUMBER,
  status: 'in_progress',
  created_at: '2026-11-20T10:42:00Z',
};
/** The run before it on main, with the given outcome. */
function previousRun(conclusion: string): FakeRunInput {
  return {
    id: RUN_ID - 100,
    run_number: RUN_NUMBER - 1,
    conclusion,
    created_at: '2026-11-20T10:30:00Z',
  };
}
const PREVIOUS = `run #${RUN_NUMBER - 1}`;

/** The only notification the room got (fails if there is not exactly one). */
function theNotification(room: string | number = ROOM_CI.name): DeliveredNotification {
  const delivered = sandbox.notifications(room);
  expect(delivered).toHaveLength(1);
  return delivered[0]!;
}

function expectCleanExit(result: StepResult): void {
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
  expect(result.errors).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

describe('send-when', () => {
  type Scenario = 'changed' | 'unchanged' | 'first run' | 'API 403' | 'API unreachable';
  type Mode = 'always' | 'changed' | 'failure-or-changed';

  beforeEach(() => {
    sandbox.reset();
    github.failWith(null);
    github.setRuns([THIS_RUN]);
    github.requests.length = 0;
  });

  /** Runs a successful job under `mode`, the fake GitHub set up for `scenario`. */
  function runScenario(
    mode: Mode,
    scenario: Scenario,
    options: { jobStatus?: string; with?: Record<string, string> } = {},
  ): Promise<StepResult> {
    if (scenario === 'changed') github.setRuns([previousRun('failure'), THIS_RUN]);
    if (scenario === 'unchanged') github.setRuns([previousRun('success'), THIS_RUN]);
    if (scenario === 'API 403') github.setRuns([previousRun('failure'), THIS_RUN]);
    if (scenario === 'API 403') github.failWith(403);
    return step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, 'send-when': mode, ...options.with },
      jobStatus: options.jobStatus ?? 'success',
      githubToken: github.token,
      env: { GITHUB_API_URL: scenario === 'API unreachable' ? deadApiUrl : github.url },
    });
  }

  /** What each mode does in each scenario, for a successful job: rooms reached, and the log's why. */
  const EXPECTED: Array<[Mode, Scenario, 0 | 1, RegExp | null]> = [
    ['always', 'changed', 1, null],
    ['always', 'unchanged', 1, null],
    ['always', 'first run', 1, null],
    ['always', 'API 403', 1, null],
    ['always', 'API unreachable', 1, null],
    ['changed', 'changed', 1, /sent: status changed from failure in run #41 to success/],
    ['changed', 'unchanged', 0, /skipped: status success is unchanged since run #41/],
    ['changed', 'first run', 1, /sent: no earlier result to compare with/],
    ['changed', 'API 403', 1, null],
    ['changed', 'API unreachable', 1, null],
    ['failure-or-changed', 'changed', 1, /sent: first success after the failure in run #41/],
    ['failure-or-changed', 'unchanged', 0, /skipped: status success is unchanged since run #41/],
    ['failure-or-changed', 'first run', 1, /sent: no earlier result to compare with/],
    ['failure-or-changed', 'API 403', 1, null],
    ['failure-or-changed', 'API unreachable', 1, null],
  ];

  it.each(EXPECTED)('%s, %s: sent %i', async (mode, scenario, sent, why) => {
    const result = await runScenario(mode, scenario);
    expectCleanExit(result);
    expect(result.outputs.sent).toBe(String(sent));
    expect(sandbox.notifications()).toHaveLength(sent);
    const log = logLines(result).join('\n');

    if (mode === 'always') {
      // The default never asks GitHub anything (and so never needs `actions: read`).
      expect(github.requests).toEqual([]);
      expect(log).not.toContain('send-when');
      expect(result.warnings).toEqual([]);
      return;
    }
    if (scenario === 'API 403' || scenario === 'API unreachable') {
      // A lost alert is worse than an extra one: warn, say what to do, send.
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toMatch(
        scenario === 'API 403'
          ? /GitHub answered 403: Resource not accessible by integration\. .*grant `permissions: actions: read`/
          : new RegExp(`could not reach the GitHub API at ${deadApiUrl.replace(/[.]/g, '\\.')}`),
      );
      expect(result.warnings[0]).toContain(`sent anyway (\`send-when: ${mode}\`)`);
      if (scenario === 'API 403') expect(github.requests).toHaveLength(1);
      return;
    }
    expect(result.warnings).toEqual([]);
    expect(log).toMatch(new RegExp(`send-when: ${mode}: ${why!.source}`));
    expect(github.requests.map((r) => r.path)).toEqual([
      `/repos/${REPO}/actions/runs/${RUN_ID}`,
      `/repos/${REPO}/actions/workflows/1/runs`,
    ]);
    for (const request of github.requests) {
      expect(request.authorization).toBe(`token ${github.token}`);
    }
    expectSecretKept(result, github.token);
    if (sent === 0) {
      // Skipped: outputs still say what would have been sent, and the summary says why.
      expect(result.outputs.message).toContain('succeeded');
      expect(result.outputs.results).toBe('[]');
      expect(result.summary).toContain('HipChat notification skipped');
      expect(result.summary).toMatch(why!);
      expect(sandbox.requests).toEqual([]);
    }
  });

  it('tells the room "is fixed" on the first success after a failure, in message and card', async () => {
    const result = await runScenario('changed', 'changed', { with: { card: 'true' } });
    expectCleanExit(result);
    const delivered = theNotification();
    const fixed = rowOf(PUSH_WORDS, 'success after failure');
    expect(delivered.body.message).toMatch(wordsPattern(fixed.html));
    const card = delivered.body.card as Card;
    expect(validateCard(card)).toEqual([]);
    expect(card.title).toMatch(wordsPattern(fixed.card));
    expect(card.title).toContain(REPO);
  });

  it('failure-or-changed reports a failure after a failure as "still failing"', async () => {
    github.setRuns([previousRun('failure'), THIS_RUN]);
    const result = await runScenario('failure-or-changed', 'first run', { jobStatus: 'failure' });
    expectCleanExit(result);
    expect(result.outputs.sent).toBe('1');
    expect(logLines(result).join('\n')).toContain(
      `send-when: failure-or-changed: sent: still failing (also in ${PREVIOUS})`,
    );
    const delivered = theNotification();
    expect(delivered.color).toBe('red');
    expect(delivered.body.message).toMatch(
      wordsPattern(rowOf(PUSH_WORDS, 'failure after failure').html),
    );
  });

  it('changed skips a failure after a failure', async () => {
    github.setRuns([previousRun('timed_out'), THIS_RUN]); // GitHub's word for one more failure
    const result = await runScenario('changed', 'first run', { jobStatus: 'failure' });
    expectCleanExit(result);
    expect(result.outputs.sent).toBe('0');
    expect(logLines(result).join('\n')).toContain(
      `send-when: changed: skipped: status failure is unchanged since ${PREVIOUS}`,
    );
    expect(sandbox.notifications()).toEqual([]);
  });

  it('changed sends a failure after a success, worded as broken again', async () => {
    const result = await runScenario('changed', 'unchanged', { jobStatus: 'failure' });
    expectCleanExit(result);
    expect(result.outputs.sent).toBe('1');
    const message = theNotification().body.message as string;
    expect(message).toMatch(wordsPattern(rowOf(PUSH_WORDS, 'failure after success').html));
  });

  it('skips a cancelled run without asking GitHub, so an unreachable API cannot force a send', async () => {
    const result = await runScenario('changed', 'API unreachable', { jobStatus: 'cancelled' });
    expectCleanExit(result);
    expect(result.outputs.sent).toBe('0');
    expect(result.warnings).toEqual([]);
    expect(logLines(result).join('\n')).toMatch(/send-when: changed: skipped: a cancelled run/);
    expect(sandbox.requests).toEqual([]);
  });

  it('sends anyway, with a warning, when the API does not answer within `timeout`', async () => {
    github.failWith('hang');
    const result = await runScenario('changed', 'unchanged', { with: { timeout: '1' } });
    expectCleanExit(result);
    expect(result.outputs.sent).toBe('1');
    expect(result.warnings.join('\n')).toMatch(/did not answer within 1 s/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('cards for each built-in event', () => {
  type Expect = {
    /** What the title names besides the repository; its words are the kind's table's. */
    named: string[];
    description: string;
    url: (status: string) => string;
    branch: string;
    branchUrl: string;
    commit: string;
    actor: string;
  };
  const RUN_URL = 'https://github.com/acme/widgets/actions/runs/555';
  const RELEASE_URL = 'https://github.com/acme/widgets/releases/tag/v1.2.0';
  const TREE = 'https://github.com/acme/widgets/tree';
  const EVENTS: Record<string, Expect> = {
    push: {
      named: ['CI'],
      description: 'Fix the <parser> & "quotes"', // plain text: never markup, never escaped twice
      url: () => RUN_URL,
      branch: 'main',
      branchUrl: `${TREE}/main`,
      commit: '9f8e7d6',
      actor: 'alice',
    },
    pull_request: {
      named: ['#12', 'CI'],
      description: 'Add the widget @\u2060all should see', // the @all in the title pings no one
      url: () => RUN_URL,
      branch: 'feature/new-widget',
      branchUrl: 'https://github.com/bob/widgets/tree/feature/new-widget', // the fork's branch
      commit: 'abcdef0',
      actor: 'bob',
    },
    release: {
      named: ['v1.2.0'],
      description: 'Widgets 1.2 "Sprocket"',
      url: () => RELEASE_URL,
      branch: 'v1.2.0',
      branchUrl: `${TREE}/v1.2.0`,
      commit: '9f8e7d6',
      actor: 'carol',
    },
    workflow_dispatch: {
      named: ['CI'],
      description: '',
      url: () => RUN_URL,
      branch: 'main',
      branchUrl: `${TREE}/main`,
      commit: '9f8e7d6',
      actor: 'erin',
    },
    schedule: {
      named: ['Nightly'],
      description: '',
      url: () => RUN_URL,
      branch: 'main',
      branchUrl: `${TREE}/main`,
      commit: '9f8e7d6',
      actor: 'alice',
    },
    workflow_run: {
      // About the run that triggered this one: its name, branch, commit and page.
      named: ['Build'],
      description: 'Speed up the build',
      url: () => 'https://github.com/acme/widgets/actions/runs/9876543210',
      branch: 'release/2.x',
      branchUrl: `${TREE}/release/2.x`,
      commit: '1234567',
      actor: 'dave',
    },
  };
  const OUTCOMES = [
    { status: 'success', lozenge: 'lozenge-success', color: 'green' },
    { status: 'failure', lozenge: 'lozenge-error', color: 'red' },
    { status: 'cancelled', lozenge: 'lozenge-current', color: 'gray' },
  ] as const;
  const CASES = Object.keys(EVENTS).flatMap((event) =>
    OUTCOMES.map((o) => [event, o.status, o] as const),
  );

  const attribute = (card: Card, label: string): CardAttribute['value'] | undefined =>
    card.attributes?.find((a) => a.label === label)?.value;

  beforeAll(() => {
    sandbox.reset();
    // One token per run, so the runs can share the sandbox at once and be told apart.
    for (const [event, , o] of CASES) {
      sandbox.addToken({
        token: `card-${event}-${o.status}`,
        kind: 'personal',
        scopes: ['send_notification'],
      });
    }
  });

  it.concurrent.each(CASES)('%s, %s', async (event, _status, outcome) => {
    const run = eventRun(event);
    if (event === 'workflow_run') {
      // A completed workflow_run says when the upstream run started and ended: the card's Duration.
      // Its conclusion is the status reported (action.yml's default), whatever this job's.
      const upstream = run.event!.workflow_run as Record<string, unknown>;
      run.event = {
        ...run.event,
        workflow_run: {
          ...upstream,
          conclusion: outcome.status,
          run_started_at: '2026-11-20T10:00:00Z',
          updated_at: '2026-11-20T10:04:05Z',
        },
      };
    }
    const token = `card-${event}-${outcome.status}`;
    const result = await step(sandbox, {
      ...run,
      with: { token, room: ROOM_CI.name, card: 'true' },
      jobStatus: outcome.status,
    });
    expectCleanExit(result);
    expect(result.warnings).toEqual([]);
    expect(result.outputs.sent).toBe('1');

    const delivered = sandbox.notifications().filter((n) => n.token === token);
    expect(delivered).toHaveLength(1);
    const request = sandbox.requests.find((r) => r.seq === delivered[0]!.requestSeq);
    expect(request?.status).toBe(204); // the sandbox validated the card and accepted it
    const body = delivered[0]!.body;
    const card = body.card as Card;
    expect(validateCard(card)).toEqual([]);

    // The message stays, as the fallback for clients without cards.
    expect(body.message).toBe(result.outputs.message);
    expect(body.message_format).toBe('html');
    expect(body.color).toBe(outcome.color);

    const want = EVENTS[event]!;
    expect(card.style).toBe('application');
    const words = ALL_WORDS.find((t) => t.event === event)!;
    expect(card.title).toMatch(wordsPattern(rowOf(words, outcome.status).card));
    for (const fact of ['acme/widgets', ...want.named]) expect(card.title).toContain(fact);
    expect(card.url).toBe(want.url(outcome.status));
    if (want.description) {
      expect(card.description).toEqual({ value: want.description, format: 'text' });
    } else {
      // Nothing better known: the message itself, as plain text.
      const text = (card.description as { value: string }).value;
      expect(text).toContain('acme/widgets');
      expect(text).not.toMatch(/[<>]/);
    }
    expect(attribute(card, 'Status')).toEqual({ label: outcome.status, style: outcome.lozenge });
    // A release runs on its tag, and the card says so.
    const refLabel = event === 'release' ? 'Tag' : 'Branch';
    expect(attribute(card, refLabel)).toEqual({ label: want.branch, url: want.branchUrl });
    expect(attribute(card, 'Commit')?.label).toBe(want.commit);
    expect(attribute(card, 'Commit')?.url).toMatch(
      new RegExp(`^https://github\\.com/acme/widgets/commit/${want.commit}[0-9a-f]{33}$`),
    );
    // A schedule names no Actor: github.actor only last edited the cron line.
    if (event === 'schedule') expect(attribute(card, 'Actor')).toBeUndefined();
    else expect(attribute(card, 'Actor')).toEqual({ label: want.actor });
    if (event === 'workflow_run') expect(attribute(card, 'Duration')).toEqual({ label: '4m 05s' });
    else expect(attribute(card, 'Duration')).toBeUndefined();
  });

  it('gives every card its own id: matrix legs and a second notify step are not re-sends', async () => {
    // Three legs of a matrix (same GITHUB_JOB, same status), and one leg notifying twice.
    const token = 'card-ids';
    sandbox.addToken({ token, kind: 'personal', scopes: ['send_notification'] });
    const runs = await Promise.all(
      [1, 2, 3, 3].map((leg) =>
        step(sandbox, {
          ...eventRun('push'),
          with: { token, room: ROOM_CI.name, card: 'true' },
          jobStatus: 'failure',
          env: { ...eventRun('push').env, GITHUB_JOB: 'test', MATRIX_LEG: String(leg) },
        }),
      ),
    );
    for (const run of runs) expectCleanExit(run);
    const ids = sandbox
      .notifications()
      .filter((n) => n.token === token)
      .map((n) => (n.body.card as Card).id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('keeps the card id across a retry of the same run: HipChat sees one card', async () => {
    const token = 'card-retry';
    sandbox.addToken({ token, kind: 'personal', scopes: ['send_notification'] });
    // A 503 from a proxy: HipChat did not act, so the action retries the same body.
    sandbox.script({ kind: 'status', status: 503, match: { path: '/notification' } });
    const result = await step(sandbox, {
      ...eventRun('push'),
      with: { token, room: ROOM_CI.name, card: 'true' },
      jobStatus: 'failure',
    });
    expectCleanExit(result);
    const posts = sandbox.requests.filter((r) => r.token === token);
    expect(posts.map((r) => r.status)).toEqual([503, 204]);
    const [first, second] = posts.map((r) => (JSON.parse(r.rawBody) as { card: Card }).card.id);
    expect(first).toBeTruthy();
    expect(second).toBe(first);
  });

  it('escapes markup in a branch name in the card title and labels', async () => {
    // A PR from a fork: the head branch name is whatever the fork's owner chose.
    const branch = 'fix-<b>urgent</b>-<a href="https://evil.example">x</a>';
    const run = eventRun('pull_request');
    const pr = run.event!.pull_request as Record<string, Record<string, unknown>>;
    run.event = {
      ...run.event,
      pull_request: { ...pr, head: { ...pr.head, ref: branch } },
    };
    const token = 'card-markup';
    sandbox.addToken({ token, kind: 'personal', scopes: ['send_notification'] });
    const result = await step(sandbox, {
      ...run,
      env: { ...run.env, GITHUB_HEAD_REF: branch, GITHUB_WORKFLOW: 'CI <i>now</i>' },
      with: { token, room: ROOM_CI.name, card: 'true' },
      jobStatus: 'failure',
    });
    expectCleanExit(result);
    const [delivered] = sandbox.notifications().filter((n) => n.token === token);
    const card = delivered!.body.card as Card;
    expect(validateCard(card)).toEqual([]);
    expect(card.title).toContain(' #12 — CI &lt;i&gt;now&lt;/i&gt; ');
    expect(attribute(card, 'Branch')?.label).toBe(
      'fix-&lt;b&gt;urgent&lt;/b&gt;-&lt;a href=&quot;ht…',
    );
    for (const text of [card.title, ...(card.attributes ?? []).map((a) => a.value.label)]) {
      expect(text).not.toMatch(/[<>]/);
    }
  });

  it('carries the card beside a text fallback, each in its own format', async () => {
    const token = 'card-text-fallback';
    sandbox.addToken({ token, kind: 'personal', scopes: ['send_notification'] });
    const result = await step(sandbox, {
      ...eventRun('push'),
      with: { token, room: ROOM_CI.name, card: 'true', format: 'text' },
      jobStatus: 'failure',
    });
    expectCleanExit(result);
    const delivered = sandbox.notifications().filter((n) => n.token === token);
    expect(delivered).toHaveLength(1);
    const body = delivered[0]!.body;
    expect(body.message_format).toBe('text');
    // Text: no markup, the link on its own line where HipChat auto-links it.
    const failure = rowOf(PUSH_WORDS, 'failure');
    expect(body.message).toMatch(wordsPattern(failure.text));
    const [headline, link] = String(body.message).split('\n');
    expect(headline).toContain(' “Fix the <parser> & "quotes"” ');
    expect(headline).not.toMatch(/<\/?[ab]\b|&amp;|&lt;/);
    expect(link).toBe('https://github.com/acme/widgets/actions/runs/555');
    const card = body.card as Card;
    expect(validateCard(card)).toEqual([]);
    expect(card.title).toMatch(wordsPattern(failure.card));
    expect(attribute(card, 'Status')).toEqual({ label: 'failure', style: 'lozenge-error' });
  });
});

// ---------------------------------------------------------------------------------------------

describe('template files and unknown variables', () => {
  beforeEach(() => {
    sandbox.reset();
  });

  const TEMPLATE_PATH = '.github/hipchat/notify.mustache';

  it('renders a template file from the workspace', async () => {
    const result = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, 'template-file': TEMPLATE_PATH },
      jobStatus: 'failure',
      files: {
        [TEMPLATE_PATH]:
          '{{status_icon}} <b>{{github.repository}}</b> {{status}} on {{branch}}\n' +
          '— {{commit_title}} · <a href="{{run_url}}">run #{{github.run_number}}</a>\n',
      },
    });
    expectCleanExit(result);
    expect(result.warnings).toEqual([]);
    expect(result.outputs.sent).toBe('1');
    expect(theNotification().body.message).toBe(
      '❌ <b>octo-org/octo-app</b> failure on main\n' +
        '— Fix flaky cache key in build script · ' +
        '<a href="https://github.com/octo-org/octo-app/actions/runs/7012345678">run #42</a>\n',
    );
  });

  it('fails before sending anything when the template file is missing', async () => {
    const result = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, 'template-file': 'no/such.mustache' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain("`template-file` is 'no/such.mustache': no such file");
    expect(sandbox.requests).toEqual([]);
  });

  it('fails before sending anything when both template and template-file are set', async () => {
    const result = await step(sandbox, {
      with: {
        token: PERSONAL_TOKEN,
        room: ROOM_CI.name,
        template: 'inline {{status}}',
        'template-file': TEMPLATE_PATH,
      },
      files: { [TEMPLATE_PATH]: 'file {{status}}' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('`template` and `template-file` are both set');
    expect(sandbox.requests).toEqual([]);
  });

  it('warns about an unknown variable in a template file, naming it and its line, and still sends', async () => {
    const result = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, 'template-file': TEMPLATE_PATH },
      files: {
        [TEMPLATE_PATH]: 'Build {{status}}\nof {{github.repository}}\nin [{{github.repostory}}]\n',
      },
    });
    expectCleanExit(result);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain(`\`template-file\` '${TEMPLATE_PATH}'`);
    expect(result.warnings[0]).toContain('{{github.repostory}} (line 3)');
    expect(result.outputs.sent).toBe('1');
    expect(theNotification().body.message).toBe('Build success\nof octo-org/octo-app\nin []\n');
  });

  it('warns about every unknown variable of an inline template and still sends', async () => {
    const result = await step(sandbox, {
      ...eventRun('pull_request'),
      with: {
        token: PERSONAL_TOKEN,
        room: ROOM_CI.name,
        format: 'text',
        template: '{{pull_request.titel}} by {{pull_request.author}}\n{{{run_ulr}}}',
      },
    });
    expectCleanExit(result);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('`template` names variables');
    expect(result.warnings[0]).toContain('{{pull_request.titel}} (line 1), {{run_ulr}} (line 2)');
    expect(result.outputs.sent).toBe('1');
    expect(theNotification().body.message).toBe(' by bob\n');
  });
});
