/**
 * The attacks a fork's author can make on a privileged notifier (the README's `workflow_run`
 * recipe: the fork writes the job and step names, log lines, test names, commit e-mail and
 * title the notifier reads), replayed on the committed bundle against real sockets: the HipChat
 * sandbox, a fake GitHub API, a fake log host and hostile peers on 127.0.0.1. Each test failed
 * on the bundle before the fixes (docs/security.md, "What a fork controls").
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StepResult } from '../../scripts/lib/action-runner.ts';
import { runnerCommands } from '../../scripts/lib/runner-commands.ts';
import { DEFAULT_USERS } from '../../sandbox/defaults.ts';
import { startFakeGithub } from '../support/fake-github.ts';
import type { FakeGithub, FakeJobInput } from '../support/fake-github.ts';
import { allSinks } from '../support/sinks.ts';
import { eventRun, step, useSandbox } from './helpers.ts';

const sandbox = useSandbox();

/** The finance officer: a member of the directory whose e-mail the fork writes into a commit. */
const CAROL = DEFAULT_USERS.find((u) => u.mention_name === 'CarolW')!;
const USER_CAROL_EMAIL = CAROL.email;
const USER_CAROL_ID = CAROL.id;

/** A `workflow_run` event for a run of a fork's pull request, every commit field the fork's. */
function forkRun(): ReturnType<typeof eventRun> {
  const facts = eventRun('workflow_run');
  const run = facts.event!.workflow_run as Record<string, unknown>;
  run.conclusion = 'failure';
  run.head_repository = {
    full_name: 'mallory/widgets',
    html_url: 'https://github.com/mallory/widgets',
  };
  run.actor = { login: 'mallory', type: 'User' };
  run.triggering_actor = { login: 'mallory', type: 'User' };
  run.head_commit = {
    id: '1234567890abcdef1234567890abcdef12345678',
    message: 'Invoice 4711 is overdue: approve it at https://pay.example.invalid today',
    author: { name: 'Carol White', email: USER_CAROL_EMAIL },
  };
  facts.event!.sender = { login: 'mallory', type: 'User' };
  return facts;
}

/** The mentions HipChat would make of a text message. */
function liveMentions(message: string): string[] {
  return [...message.matchAll(/(?<![\p{L}\p{N}_])@([\p{L}\p{N}_]+)/gu)].map((m) => m[1]!);
}

describe('a commit e-mail chooses nobody', () => {
  it('a fork commit in the name of a directory user: no lookup, no mention, no private message', async () => {
    const token = `fork-id-${Math.random().toString(36).slice(2)}`;
    sandbox.addToken({
      token,
      kind: 'personal',
      scopes: ['send_notification', 'view_group', 'send_message'],
    });
    const run = await step(sandbox, {
      ...forkRun(),
      jobStatus: 'failure',
      with: { token, room: 'CI', format: 'text', mention: 'author', 'private-message': 'true' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const posted = sandbox.notifications().filter((n) => n.token === token);
    expect(posted).toHaveLength(1);
    expect(liveMentions(posted[0]!.message)).toEqual([]);
    const asked = sandbox.requests.filter(
      (r) => r.token === token && r.path.startsWith('/v2/user'),
    );
    expect(asked.map((r) => r.path)).toEqual([]);
    expect(sandbox.privateMessages(USER_CAROL_ID).filter((m) => m.token === token)).toEqual([]);
  });

  it("a push of a commit written in a directory user's name asks nothing about that e-mail", async () => {
    const token = `push-id-${Math.random().toString(36).slice(2)}`;
    sandbox.addToken({
      token,
      kind: 'personal',
      scopes: ['send_notification', 'view_group', 'send_message'],
    });
    const facts = eventRun('push');
    Object.assign(facts.event!, { sender: { login: 'mallory' }, pusher: { name: 'mallory' } });
    (facts.event!.head_commit as Record<string, unknown>).author = {
      name: 'Carol White',
      email: USER_CAROL_EMAIL,
    };
    const run = await step(sandbox, {
      ...facts,
      jobStatus: 'failure',
      with: { token, room: 'CI', format: 'text', mention: 'author', 'private-message': 'true' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const posted = sandbox.notifications().filter((n) => n.token === token);
    expect(liveMentions(posted[0]!.message)).toEqual([]);
    expect(
      sandbox.requests.filter((r) => r.token === token && r.path.startsWith('/v2/user')),
    ).toEqual([]);
  });
});

// The `workflow_run` notifier of the README's recipe, reading the fork's run from a fake GitHub.
let github: FakeGithub;
/** The fork's run: the one the `workflow_run` fixture reports. */
const RUN_ID = 9876543210;
const RUNNER = 'GitHub Actions 1001';
const NOTIFY: FakeJobInput = { name: 'notify', status: 'in_progress', runner_name: RUNNER };

beforeAll(async () => {
  github = await startFakeGithub({ repository: 'octo-org/octo-app', runId: RUN_ID });
});
afterAll(async () => {
  await github.close();
});
beforeEach(() => {
  github.failWith(null);
  github.requests.length = 0;
});

/** A HipChat token of 40 random characters, accepted by the sandbox. */
function freshToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const token = Array.from({ length: 40 }, () => alphabet[Math.floor(Math.random() * 62)]).join('');
  sandbox.addToken({ token, kind: 'personal', scopes: ['send_notification'] });
  return token;
}

/** A step of the notifier with `summary: run` against the fake GitHub and the sandbox. */
async function notifier(
  token: string,
  inputs: Record<string, string>,
  options: { files?: Record<string, string>; links?: Record<string, string>; commit?: string } = {},
): Promise<{ run: StepResult; posted: { message: string; card?: unknown }[] }> {
  const event = forkRun().event!;
  if (options.commit !== undefined) {
    (
      (event.workflow_run as Record<string, unknown>).head_commit as Record<string, unknown>
    ).message = options.commit;
  }
  const run = await step(sandbox, {
    event,
    eventName: 'workflow_run',
    jobStatus: 'failure',
    githubToken: github.token,
    files: options.files,
    links: options.links,
    with: { token, room: 'CI', format: 'text', summary: 'run', ...inputs },
    env: { GITHUB_API_URL: github.url, GITHUB_SERVER_URL: github.webUrl, RUNNER_NAME: RUNNER },
  });
  return { run, posted: sandbox.notifications().filter((n) => n.token === token) };
}

/** Everything the step wrote and HipChat received, as one list of texts. */
function everywhere(run: StepResult, posted: { message: string; card?: unknown }[]): string[] {
  return [...allSinks(run), ...posted.map((p) => p.message + JSON.stringify(p.card ?? ''))];
}

describe('outside text cannot steer the runner', () => {
  /** Asserts that the only commands on stdout are the action's own, none of them forged. */
  function expectNoForgedCommand(run: StepResult, secrets: string[]): void {
    const commands = runnerCommands(run.stdout);
    expect(commands.filter((c) => c.syntax === '##[')).toEqual([]);
    expect(run.stdout).not.toContain('##[');
    for (const command of commands) {
      expect(['add-mask', 'warning', 'notice', 'debug', 'error']).toContain(command.name);
      if (command.name === 'add-mask') expect(secrets).toContain(command.data);
      expect(command.data).not.toMatch(/forged/);
    }
  }

  it('a job name and a HipChat Retry-After start no command in either syntax', async () => {
    const token = freshToken();
    const forged = 'lint ##[add-mask]Fix ##[error]forged\n::error::forged too';
    github.setJobs([{ name: forged, conclusion: 'failure' }, NOTIFY]);
    const failing = github.jobs().find((j) => j.conclusion === 'failure')!;
    github.failWith(403, 1, new RegExp(`/jobs/${failing.id}/logs$`));
    sandbox.script({
      kind: 'status',
      status: 429,
      headers: { 'Retry-After': '(##[error]forged) Dec 25 2030' },
      match: { path: '/notification' },
    });
    const { run, posted } = await notifier(token, { 'log-lines': '5', 'max-wait': '20' });
    expect(posted, run.stdout).toHaveLength(1);
    expect(run.stdout).toMatch(/log-lines: the log of 'lint ## \[add-mask\]Fix/);
    expectNoForgedCommand(run, [token, github.token]);
  });

  it('a GitHub Retry-After starts no command in either syntax', async () => {
    const token = freshToken();
    github.setJobs([{ name: 'lint', conclusion: 'failure' }, NOTIFY]);
    github.failWith(
      {
        status: 429,
        // Date.parse skips a parenthesised comment: the value reads as a date 2 s from now.
        headers: {
          'retry-after': `(##[error]forged) ${new Date(Date.now() + 2000).toUTCString()}`,
        },
        body: { message: 'slow' },
      },
      1,
      /\/runs\/\d+\/jobs/,
    );
    const { run, posted } = await notifier(token, { 'max-wait': '20' });
    expect(posted, run.stdout).toHaveLength(1);
    expectNoForgedCommand(run, [token, github.token]);
  });
});

describe('names are one line', () => {
  it('a job name cannot forge a line, and no bidi override reaches the room', async () => {
    const token = freshToken();
    github.setJobs([
      {
        name: 'lint\n✅ security-scan succeeded',
        conclusion: 'failure',
        steps: [{ name: 'Run \u202etset', conclusion: 'failure' }],
        log: '##[group]Run x\nevil \u202egnp.exe\n##[error]boom',
      },
      NOTIFY,
    ]);
    const { run, posted } = await notifier(token, { 'log-lines': '5' });
    expect(posted, run.stdout).toHaveLength(1);
    const message = posted[0]!.message;
    expect(message.split('\n').filter((line) => line.startsWith('✅ security-scan'))).toEqual([]);
    expect(message).toContain('lint ✅ security-scan succeeded');
    expect(message).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(run.outputs.message).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });
});

describe('secrets survive no cut and no encoding', () => {
  it('a JUnit failure message cut at 300 leaves no beginning of the token', async () => {
    const token = freshToken();
    github.setJobs([NOTIFY]);
    const junit = `<testsuite><testcase name="t" classname="C"><failure message="${'x'.repeat(292)}${token}"/></testcase></testsuite>`;
    const { run, posted } = await notifier(
      token,
      { 'test-results': 'TEST-*.xml', card: 'true' },
      { files: { 'TEST-a.xml': junit } },
    );
    expect(posted, run.stdout).toHaveLength(1);
    expect(posted[0]!.message).toContain('xxxx');
    for (const text of everywhere(run, posted)) expect(text).not.toContain(token.slice(0, 4));
  });

  it('the message limit and the card description cut after redaction', async () => {
    const token = freshToken();
    github.setJobs([NOTIFY]);
    const long = await notifier(
      token,
      { template: '{{commit_title}}', summary: 'job' },
      { commit: `${'y'.repeat(10_000 - 13 - 5)}${token}${'y'.repeat(100)}` },
    );
    expect(long.posted, long.run.stdout).toHaveLength(1);
    expect(long.posted[0]!.message).toMatch(/… \[truncated\]$/);
    for (const text of everywhere(long.run, long.posted))
      expect(text).not.toContain(token.slice(0, 4));
    const token2 = freshToken();
    const card = await notifier(
      token2,
      { card: 'true', summary: 'job' },
      { commit: `${'z'.repeat(1000 - 1 - 4)}${token2}${'z'.repeat(50)}` },
    );
    expect(card.posted, card.run.stdout).toHaveLength(1);
    expect(JSON.stringify(card.posted[0]!.card)).toContain('zzzz');
    for (const text of everywhere(card.run, card.posted)) {
      expect(text).not.toContain(token2.slice(0, 4));
    }
  });

  it('base64 and base64url forms of the tokens in a log line are removed from every sink', async () => {
    const token = freshToken();
    const basic = Buffer.from(`x-access-token:${github.token}`).toString('base64');
    const forms = [0, 1, 2].map((skip) =>
      Buffer.from(`${'ab'.slice(0, skip)}${token}`).toString('base64url'),
    );
    const log = [
      '##[group]Run deploy',
      `auth: Basic ${basic}`,
      ...forms.map((f) => `h=${f}`),
      '##[error]boom',
    ].join('\n');
    github.setJobs([{ name: 'deploy', conclusion: 'failure', log }, NOTIFY]);
    const { run, posted } = await notifier(token, { 'log-lines': '10' });
    expect(posted, run.stdout).toHaveLength(1);
    expect(posted[0]!.message).toContain('Error: boom');
    const pieces = [basic, ...forms].map((f) => f.slice(8, 20));
    for (const text of everywhere(run, posted)) {
      for (const piece of pieces) expect(text).not.toContain(piece);
    }
  });
});

describe('the workspace and the logs cannot cost the alert', () => {
  it('test-results through a link to / is not walked: delivered within max-wait', async () => {
    const token = freshToken();
    github.setJobs([NOTIFY]);
    const started = Date.now();
    const { run, posted } = await notifier(
      token,
      { 'test-results': 'build/**/TEST-*.xml', 'max-wait': '3', summary: 'job' },
      { links: { build: '/' } },
    );
    expect(Date.now() - started).toBeLessThan(3000 + 2000 + 1500); // + a process start
    expect(posted, run.stdout).toHaveLength(1);
    expect(run.stdout).not.toMatch(/'(?:\/|build\/(?:etc|proc|usr|sys))/);
  });

  it('a log of a million one-character lines is read within `timeout`, secrets or not', async () => {
    const token = freshToken();
    github.setJobs([
      {
        name: 'test',
        conclusion: 'failure',
        log: { line: 'a', lines: 1_000_000, tail: '##[group]Run tests\nlast words\n##[error]boom' },
      },
      NOTIFY,
    ]);
    // A host that ignores `Range`: the whole log is read, line by line.
    github.setLogRanges(false);
    try {
      const { run, posted } = await notifier(token, {
        'log-lines': '3',
        timeout: '5',
        'max-wait': '20',
      });
      expect(posted, run.stdout).toHaveLength(1);
      expect(posted[0]!.message).toContain('last words');
    } finally {
      github.setLogRanges(true);
    }
  });
});
