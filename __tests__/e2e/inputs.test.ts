/**
 * Inputs, end to end: every invalid value fails the step with one message naming the input,
 * the value and what is accepted — before any request reaches HipChat — and secrets are masked
 * before anything else is written to the log.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StepResult } from '../../scripts/lib/action-runner.ts';
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, PERSONAL_TOKEN } from '../../sandbox/server.ts';
import {
  expectMasksFirst,
  expectSecretKept,
  inParallel,
  logLines,
  results,
  step,
  useSandbox,
} from './helpers.ts';
import { PUSH_WORDS } from '../words/push.ts';
import { rowOf, wordsPattern } from '../words/table.ts';

const sandbox = useSandbox();

/** One invalid input: what the workflow gives, and the words the one error must contain. */
interface Case {
  name: string;
  with: Record<string, string>;
  says: string[];
  /** Values that must not appear in the error (secrets). */
  hides?: string[];
}

const base = { token: PERSONAL_TOKEN, room: 'CI' };

const CASES: Case[] = [
  {
    name: 'unknown colour',
    with: { ...base, color: 'pink' },
    says: ['`color`', "'pink'", 'auto, yellow, green, red, purple, gray or random'],
  },
  {
    name: 'unknown format',
    with: { ...base, format: 'markdown' },
    says: ['`format`', "'markdown'", 'html or text'],
  },
  {
    name: 'empty room list',
    with: { ...base, room: '' },
    says: ['`room`', 'empty', 'room id or name', 'commas or new lines'],
  },
  {
    name: 'room list of separators only',
    with: { ...base, room: ' ,, \n , ' },
    says: ['`room`', "',, \n ,'", 'room id or name'],
  },
  {
    name: 'room name over 100 characters',
    with: { ...base, room: `CI, ${'r'.repeat(101)}` },
    says: ['`room`', '101 characters', 'at most 100'],
  },
  {
    name: 'max-wait that is not a number',
    with: { ...base, 'max-wait': 'five minutes' },
    says: ['`max-wait`', "'five minutes'", 'a number of seconds from 1 to 21600'],
  },
  {
    name: 'timeout of zero',
    with: { ...base, timeout: '0' },
    says: ['`timeout`', "'0'", 'from 1 to 21600'],
  },
  {
    name: 'server without a scheme',
    with: { ...base, server: 'hipchat.example.com' },
    says: ['`server`', "'hipchat.example.com'", 'http(s) URL', 'https://hipchat.example.com'],
  },
  {
    name: 'server with another scheme',
    with: { ...base, server: 'ftp://hipchat.example.com' },
    says: ['`server`', "'ftp://hipchat.example.com'", 'http:// or https://'],
  },
  {
    name: 'server with credentials in it',
    with: { ...base, server: 'https://bot:hunter2@hipchat.example.com' },
    says: ['`server`', 'credentials', 'value hidden', 'remove user:password@'],
    hides: ['hunter2'],
  },
  {
    name: 'server with a query string',
    with: { ...base, server: 'https://hipchat.example.com/?auth_token=QueryTok3nValue' },
    says: ['`server`', 'query string', 'value hidden', 'goes in `token`'],
    hides: ['QueryTok3nValue'],
  },
  {
    // Exactly what HipChat's integration page shows beside a room notification token.
    name: "a room's notification URL pasted as server",
    with: {
      ...base,
      server: 'https://hipchat.example.com/v2/room/42/notification?auth_token=RoomTok3nValue',
    },
    says: [
      "`server` is a room's notification URL (value hidden)",
      'set `server` to the part before /v2 (https://hipchat.example.com)',
      "`room` to '42'",
      'belongs in `token`',
    ],
    hides: ['RoomTok3nValue'],
  },
  {
    name: 'server without a scheme, with a token in it',
    with: { ...base, server: 'hipchat.example.com/?auth_token=NoSchemeTok3n' },
    says: ['`server` is (value hidden)', 'http(s) URL'],
    hides: ['NoSchemeTok3n'],
  },
  {
    name: 'from over 64 characters',
    with: {
      ...base,
      from: 'GitHub Actions — release pipeline of the octo-org/octo-app repository',
    },
    says: ['`from`', '69 characters', "'GitHub Actions — rel…'", 'at most 64'],
  },
  {
    name: 'neither token nor OAuth credentials',
    with: { room: 'CI' },
    says: ['`token` is empty', 'secrets.HIPCHAT_TOKEN', '`oauth-id` and `oauth-secret`'],
  },
  {
    name: 'oauth-id without oauth-secret',
    with: { room: 'CI', 'oauth-id': OAUTH_CLIENT_ID },
    says: ['`oauth-secret` is empty', 'both `oauth-id` and `oauth-secret`'],
  },
  {
    name: 'oauth-secret without oauth-id',
    with: { room: 'CI', 'oauth-secret': OAUTH_CLIENT_SECRET },
    says: ['`oauth-id` is empty', 'both `oauth-id` and `oauth-secret`'],
    hides: [OAUTH_CLIENT_SECRET],
  },
  {
    name: 'token and OAuth credentials together',
    with: { ...base, 'oauth-id': OAUTH_CLIENT_ID, 'oauth-secret': OAUTH_CLIENT_SECRET },
    says: ['`token`', '`oauth-id`/`oauth-secret`', 'not both'],
    hides: [PERSONAL_TOKEN, OAUTH_CLIENT_SECRET],
  },
  {
    name: 'token pasted with "Bearer "',
    with: { ...base, token: `Bearer ${PERSONAL_TOKEN}` },
    says: ['`token`', 'white space', 'value hidden', 'without "Bearer "'],
    hides: [PERSONAL_TOKEN],
  },
  {
    name: 'boolean that is not true or false',
    with: { ...base, 'dry-run': 'yes' },
    says: ['`dry-run`', "'yes'", 'true or false'],
  },
  {
    name: 'notify that is neither a boolean nor a list of outcomes',
    with: { ...base, notify: 'yes' },
    says: ['`notify`', "'yes'", 'expected true, false, or a list of', 'fixed, broken'],
  },
  {
    // The other booleans share the check: one run, one failure listing all three.
    name: 'auth-test, dry-run and fail-on-error that are not booleans',
    with: { ...base, 'auth-test': '1', 'dry-run': 'on', 'fail-on-error': 'no' },
    says: [
      "`auth-test` is '1': expected true or false.",
      "`dry-run` is 'on': expected true or false.",
      "`fail-on-error` is 'no': expected true or false.",
    ],
  },
  {
    name: 'unknown status',
    with: { ...base, status: 'done' },
    says: [
      '`status`',
      "'done'",
      'success, failure, cancelled, skipped, timed_out, startup_failure, neutral, action_required, stale, started, in_progress, queued, requested, waiting, pending, unknown, completed, error or inactive',
      '${{ job.status }}',
      '${{ github.event.workflow_run.conclusion }}',
    ],
  },
  {
    name: 'malformed template',
    with: { ...base, template: 'Build {{status}}\n{{#github.event.pull_request}}PR' },
    says: ['`template`', 'not a valid Mustache template', 'line 2', 'never closed'],
  },
];

/** The workflow's `github.token`, a secret too (masked like `token`). */
const GITHUB_TOKEN = 'ghs_exampleGithubToken123';

describe('an invalid input', () => {
  const runs = new Map<string, StepResult>();

  beforeAll(async () => {
    sandbox.reset();
    // Independent runs, a few at a time. None of them may reach the sandbox.
    const done = await inParallel(CASES, (c) =>
      step(sandbox, { with: c.with, githubToken: GITHUB_TOKEN }),
    );
    CASES.forEach((c, i) => runs.set(c.name, done[i]!));
  });

  it('never reaches HipChat: no request at all, for any of them', () => {
    expect(sandbox.requests).toEqual([]);
  });

  it.each(CASES)('$name: fails the step with one message naming it', (c) => {
    const run = runs.get(c.name)!;
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    const [error] = run.errors;
    expect(error).toMatch(/^Invalid (input: |inputs:\n- )/);
    for (const words of c.says) expect(error).toContain(words);
    for (const secret of c.hides ?? []) {
      // Nowhere a person or a later step can read it, not just the error.
      expect(logLines(run).join('\n')).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
      expect(run.summary).not.toContain(secret);
      expect(JSON.stringify(run.outputs)).not.toContain(secret);
    }
    // Secrets were registered for masking before the error (or anything else) was written.
    const secrets = [GITHUB_TOKEN, c.with.token, c.with['oauth-secret']].filter((v): v is string =>
      Boolean(v),
    );
    expectMasksFirst(run, secrets);
    for (const secret of secrets) expectSecretKept(run, secret);
    // Nothing was attempted, so nothing is reported as if it had been.
    expect(logLines(run).some((line) => line.startsWith('Posting'))).toBe(false);
    expect(run.outputs).toEqual({});
    // The summary says the step sent nothing and what to fix.
    expect(run.summary.split('\n')[0]).toBe('### ❌ HipChat notification not sent');
    expect(run.summary).toContain('Fix the workflow step:');
  });
});

describe('several invalid inputs', () => {
  it('are reported together in one failure, before any request', async () => {
    sandbox.reset();
    const run = await step(
      sandbox,
      {
        with: {
          room: ',',
          color: 'pink',
          format: 'md',
          'max-wait': 'ten',
          from: 'x'.repeat(65),
          notify: 'maybe',
        },
        // Not the sandbox: an invalid server is one of the problems.
      },
      'ftp://hipchat.example.com',
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    const lines = run.errors[0]!.split('\n');
    expect(lines[0]).toBe('Invalid inputs:');
    expect(lines.slice(1).map((l) => /^- `([\w-]+)`/.exec(l)?.[1])).toEqual([
      'token',
      'room',
      'color',
      'format',
      'from',
      'server',
      'max-wait',
      'notify',
    ]);
    expect(run.warnings).toEqual([]);
    expect(sandbox.requests).toEqual([]);
  });
});

describe('valid inputs', () => {
  beforeEach(() => {
    sandbox.reset();
  });

  it('are taken in the spellings a workflow uses: case, YAML booleans, a pasted /v2 URL, room lists', async () => {
    const run = await step(
      sandbox,
      {
        with: {
          token: `  ${PERSONAL_TOKEN}\n`,
          room: ' CI ,Release Notes\n\nCI\n',
          color: 'PURPLE',
          format: 'Text',
          notify: 'True',
          from: 'Deploy bot',
          status: 'Failure',
          'max-wait': '12.5',
          timeout: '5',
          server: `${sandbox.url}/v2/`,
        },
      },
      null,
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(sandbox.requests.map((r) => r.path)).toEqual([
      '/v2/room/CI/notification',
      '/v2/room/Release%20Notes/notification',
    ]);
    for (const n of sandbox.notifications()) {
      expect(n.body).toMatchObject({
        color: 'purple',
        message_format: 'text',
        notify: true,
        from: 'Deploy bot',
      });
      expect(n.token).toBe(PERSONAL_TOKEN);
    }
    expect(String(sandbox.notifications()[0]!.body.message)).toMatch(
      wordsPattern(rowOf(PUSH_WORDS, 'failure').text),
    );
    expect(results(run).map((r) => r.room)).toEqual(['CI', 'Release Notes']);
  });

  it('accept a `from` of exactly 64 characters', async () => {
    const from = 'f'.repeat(64);
    const run = await step(sandbox, { with: { ...base, from } });
    expect(run.exitCode).toBe(0);
    expect(sandbox.notifications()[0]!.body.from).toBe(from);
  });
});

describe('secrets', () => {
  beforeEach(() => {
    sandbox.reset();
  });

  // That secrets are masked first even when the inputs are invalid: see 'an invalid input'.

  it('registers each line of a multi-line secret, since the runner masks line by line', async () => {
    const run = await step(sandbox, {
      with: { token: `${PERSONAL_TOKEN}\nsecond-line-of-it`, room: 'CI' },
    });
    expect(run.exitCode).toBe(1); // white space in a token is refused
    expectMasksFirst(run, [
      `${PERSONAL_TOKEN}\nsecond-line-of-it`,
      PERSONAL_TOKEN,
      'second-line-of-it',
    ]);
    expect(run.errors.join('\n')).not.toContain('second-line-of-it');
    expect(sandbox.requests).toEqual([]);
  });

  it('mask the OAuth secret, but not the OAuth id, which is not a secret', async () => {
    const run = await step(sandbox, {
      with: { room: 'CI', 'oauth-id': OAUTH_CLIENT_ID, 'oauth-secret': OAUTH_CLIENT_SECRET },
    });
    expect(run.exitCode).toBe(0);
    expectMasksFirst(run, [OAUTH_CLIENT_SECRET]);
    expect(run.masked).not.toContain(OAUTH_CLIENT_ID);
    expectSecretKept(run, OAUTH_CLIENT_SECRET);
  });
});
