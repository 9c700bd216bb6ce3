/**
 * The attacks a fork's author can make on a privileged notifier (the README's `workflow_run`
 * recipe: the fork writes the job and step names, log lines, test names, commit e-mail and
 * title the notifier reads), replayed on the committed bundle against real sockets: the HipChat
 * sandbox, a fake GitHub API, a fake log host and hostile peers on 127.0.0.1. Each test failed
 * on the bundle before the fixes (docs/security.md, "What a fork controls").
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_USERS } from '../../sandbox/defaults.ts';
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
