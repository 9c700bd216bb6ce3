/**
 * `mention: author`, `users` and `private-message`, end to end: the committed bundle against
 * the sandbox's user directory. What is asserted is what HipChat received (the sandbox's
 * record): exactly one live @mention of the right person on a failure, nobody pinged
 * otherwise, private messages in the record, and scope errors that hold back no room.
 */
import { describe, expect, it } from 'vitest';
import type { StepResult } from '../../scripts/lib/action-runner.ts';
import type { DeliveredNotification } from '../../sandbox/server.ts';
import { ROOM_TOKEN, USER_ALICE, USER_BOB, USER_DAVE } from '../../sandbox/server.ts';
import { eventRun, results, step, useSandbox } from './helpers.ts';

const sandbox = useSandbox();
// No reset between tests: each run uses a token of its own and finds its own requests by it.

/** The mentions HipChat would make of a text message: `@name` not after a word character. */
function liveMentions(message: string): string[] {
  return [...message.matchAll(/(?<![\p{L}\p{N}_])@([\p{L}\p{N}_]+)/gu)].map((m) => m[1]!);
}

/** `::notice::` lines of the log, decoded enough to read. */
/** The run's notices, without `summary: job`'s (these runs give no GitHub token on purpose). */
function notices(run: StepResult): string[] {
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith('::notice'))
    .map((line) => line.replace(/^::notice[^:]*::/, '').replace(/%0A/g, '\n'))
    .filter((line) => !line.startsWith('summary: job:'));
}

const ALL_SCOPES = ['send_notification', 'view_group', 'send_message'];

interface Run {
  run: StepResult;
  token: string;
  /** What the room received (exactly one notification is asserted). */
  got: DeliveredNotification;
  /** The run's user lookups (paths). */
  lookups: string[];
}

/** Runs a step with a fresh token (of `scopes`) and collects what its run did. */
async function runWith(
  event: string,
  inputs: Record<string, string>,
  options: {
    status?: string;
    scopes?: string[];
    payload?: (e: Record<string, unknown>) => void;
  } = {},
): Promise<Run> {
  const token = `mention-${Math.random().toString(36).slice(2)}`;
  sandbox.addToken({ token, kind: 'personal', scopes: options.scopes ?? ALL_SCOPES });
  const facts = eventRun(event);
  options.payload?.(facts.event!);
  const run = await step(sandbox, {
    ...facts,
    jobStatus: options.status ?? 'failure',
    with: { token, room: 'CI', format: 'text', mention: 'author', ...inputs },
  });
  const mine = sandbox.notifications().filter((n) => n.token === token);
  expect(mine, run.stdout + run.stderr).toHaveLength(1);
  const lookups = sandbox.requests
    .filter((r) => r.token === token && r.method === 'GET')
    .map((r) => r.path);
  return { run, token, got: mine[0]!, lookups };
}

function hostilePush(event: Record<string, unknown>): void {
  const head = event.head_commit as { message: string; author: Record<string, string> };
  head.message = 'Ping @all @here and @someone — (@bob) a@b.example\n\n@all again';
  head.author.name = 'Alice @here';
  event.ref = 'refs/heads/@all';
}

describe('mention: author', () => {
  it('a failed push by a directory user: exactly one live mention of that user, and no other', async () => {
    const { run, got, lookups } = await runWith('push', {}, { payload: hostilePush });
    expect(run.exitCode).toBe(0);
    expect(got.messageFormat).toBe('text');
    expect(liveMentions(got.message)).toEqual([USER_ALICE.mention_name]);
    expect(got.message).toContain('Ping @\u2060all @\u2060here and @\u2060someone');
    expect(lookups).toEqual(['/v2/user/alice%40example.com']);
    expect(run.outputs.message).toBe(got.message);
    expect(notices(run)).toEqual([]);
  });

  it('resolves through users first: an @mention_name needs no lookup', async () => {
    const { got, lookups } = await runWith('push', { users: 'Alice: "@Ally"\n' });
    expect(liveMentions(got.message)).toEqual(['Ally']);
    expect(lookups).toEqual([]);
  });

  it('resolves a mapped email through the directory, instead of the commit email', async () => {
    const { got, lookups } = await runWith('push', { users: 'alice: bob@example.com' });
    expect(liveMentions(got.message)).toEqual([USER_BOB.mention_name]);
    expect(lookups).toEqual(['/v2/user/bob%40example.com']);
  });

  it('names an unresolved author in plain text with one notice, and stays green', async () => {
    const { run, got, lookups } = await runWith(
      'push',
      {},
      {
        payload: (e) => {
          (e.head_commit as { author: Record<string, string> }).author.email = 'zed@example.com';
        },
      },
    );
    expect(run.exitCode).toBe(0);
    expect(liveMentions(got.message)).toEqual([]);
    expect(got.message).toContain('· cc Alice');
    expect(lookups).toEqual(['/v2/user/zed%40example.com']);
    expect(notices(run)).toHaveLength(1);
    expect(notices(run)[0]).toMatch(/Alice is named without a ping: .*HipChat has no user/);
  });

  it('never looks up or pings a bot', async () => {
    const { run, got, lookups } = await runWith(
      'push',
      {},
      {
        payload: (e) => {
          const head = e.head_commit as { message: string; author: Record<string, string> };
          head.message = 'Bump deps @all';
          e.sender = { login: 'dependabot[bot]', type: 'Bot' };
          head.author = {
            name: 'dependabot[bot]',
            email: '49699333+dependabot[bot]@users.noreply.github.com',
            username: 'dependabot[bot]',
          };
        },
      },
    );
    expect(run.exitCode).toBe(0);
    expect(liveMentions(got.message)).toEqual([]);
    expect(lookups).toEqual([]);
    expect(notices(run)).toEqual([
      expect.stringMatching(/dependabot\[bot\] is named without a ping: .*bot/),
    ]);
  });

  it('pings nobody on success, cancelled or skipped, and asks nobody', async () => {
    for (const status of ['success', 'cancelled', 'skipped']) {
      const { got, lookups, run } = await runWith(
        'push',
        { 'private-message': 'true' },
        {
          status,
          payload: hostilePush,
        },
      );
      expect(liveMentions(got.message), status).toEqual([]);
      expect(lookups).toEqual([]);
      expect(results(run).every((r) => 'room' in r)).toBe(true);
    }
  });

  it('in html names the person without a ping and says so once', async () => {
    const { run, got, lookups } = await runWith('push', { format: 'html' });
    expect(got.messageFormat).toBe('html');
    expect(got.message).toContain('· cc Alice');
    expect(got.message).not.toMatch(/@(?!\u2060)[A-Za-z]/);
    expect(lookups).toEqual([]);
    expect(notices(run)).toEqual([expect.stringMatching(/HipChat pings only in text messages/)]);
  });

  it('a pull request from a fork mentions its author (mapped), not whoever ran it', async () => {
    const fork = (e: Record<string, unknown>): void => {
      const pr = e.pull_request as { head: { repo: Record<string, unknown> }; title: string };
      pr.head.repo.fork = true;
      pr.head.repo.full_name = 'bob/widgets';
      pr.title = 'Add widget @here';
      e.sender = { login: 'maintainer' };
    };
    const mapped = await runWith(
      'pull_request',
      { users: 'bob: bob@example.com' },
      { payload: fork },
    );
    expect(liveMentions(mapped.got.message)).toEqual([USER_BOB.mention_name]);
    const unmapped = await runWith('pull_request', {}, { payload: fork });
    expect(liveMentions(unmapped.got.message)).toEqual([]);
    expect(unmapped.lookups).toEqual([]);
    expect(notices(unmapped.run)).toEqual([
      expect.stringMatching(/no email that GitHub ties to bob; map the login/),
    ]);
  });

  it('workflow_run mentions the triggering run actor through users, never its commit e-mail', async () => {
    const mapped = await runWith('workflow_run', { users: 'dave: dave@example.com' });
    expect(liveMentions(mapped.got.message)).toEqual([USER_DAVE.mention_name]);
    expect(mapped.lookups).toEqual(['/v2/user/dave%40example.com']);
    // The head commit carries dave@example.com, but a commit's e-mail is anyone's to write.
    const unmapped = await runWith('workflow_run', {});
    expect(liveMentions(unmapped.got.message)).toEqual([]);
    expect(unmapped.lookups).toEqual([]);
  });
});

describe('private-message', () => {
  it('reaches the failing author, after the room, and is its own result', async () => {
    const { run, token, got } = await runWith('push', { 'private-message': 'true' });
    expect(run.exitCode).toBe(0);
    const sent = sandbox.privateMessages(USER_ALICE.id).filter((m) => m.token === token);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.messageFormat).toBe('text');
    expect(sent[0]!.notify).toBe(true);
    expect(sent[0]!.message).toContain('https://github.com/acme/widgets/actions/runs/555');
    expect(liveMentions(sent[0]!.message)).toEqual([]);
    expect(sent[0]!.requestSeq).toBeGreaterThan(got.requestSeq);
    expect(results(run)).toEqual([
      expect.objectContaining({ room: 'CI', ok: true, status: 204 }),
      { kind: 'private_message', user: String(USER_ALICE.id), ok: true, status: 204, attempts: 1 },
    ]);
    expect(run.outputs.sent).toBe('1');
  });

  it('with a room token: the room is still delivered, the private message fails with the scope', async () => {
    const run = await step(sandbox, {
      ...eventRun('push'),
      jobStatus: 'failure',
      with: {
        token: ROOM_TOKEN,
        room: 'CI',
        format: 'text',
        mention: 'author',
        'private-message': 'true',
        users: 'alice: "@AliceSmith"',
      },
    });
    const delivered = sandbox.notifications().filter((n) => n.token === ROOM_TOKEN);
    expect(delivered.at(-1)!.message).toContain('@AliceSmith');
    const [room, message] = results(run) as unknown as Record<string, unknown>[];
    expect(room).toMatchObject({ room: 'CI', ok: true });
    expect(message).toMatchObject({
      kind: 'private_message',
      user: '@AliceSmith',
      ok: false,
      status: 403,
    });
    expect(String(message!.error)).toMatch(/send_message/);
    expect(String(message!.error)).toMatch(/room notification token/);
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/send_message/);
  });

  it('with a room token and no map: the lookup is refused, the error names view_group', async () => {
    const run = await step(sandbox, {
      ...eventRun('push'),
      jobStatus: 'failure',
      with: { token: ROOM_TOKEN, room: 'CI', format: 'text', 'private-message': 'true' },
    });
    const [room, message] = results(run) as unknown as Record<string, unknown>[];
    expect(room).toMatchObject({ room: 'CI', ok: true, status: 204 });
    expect(message).toMatchObject({ kind: 'private_message', ok: false });
    expect(String(message!.error)).toMatch(/view_group/);
    expect(String(message!.error)).toMatch(/personal access token/);
  });

  it('auth-test checks the send_message scope before anything is sent', async () => {
    const token = `mention-${Math.random().toString(36).slice(2)}`;
    sandbox.addToken({ token, kind: 'personal', scopes: ['send_notification', 'view_group'] });
    const run = await step(sandbox, {
      ...eventRun('push'),
      jobStatus: 'failure',
      with: { token, room: 'CI', format: 'text', 'private-message': 'true', 'auth-test': 'true' },
    });
    const calls = sandbox.requests.filter((r) => r.token === token);
    expect(
      calls.some((r) => r.path === '/v2/user/101/message' && r.authTest && r.status === 401),
    ).toBe(true);
    expect(calls.some((r) => r.path === '/v2/user/101/message' && !r.authTest)).toBe(false);
    expect(sandbox.notifications().filter((n) => n.token === token)).toHaveLength(1);
    const message = (results(run) as unknown as Record<string, unknown>[])[1]!;
    expect(message).toMatchObject({ kind: 'private_message', ok: false, status: 401 });
    expect(String(message.error)).toMatch(/send_message/);
  });
});
