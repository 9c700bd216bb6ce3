/**
 * Follow-ups end to end on the bundle against the sandbox: `attach-to` posts a notification
 * the sandbox records as attached to the message it names (a bad id stops the step before any
 * request); `lookup-id` outputs the id the sandbox gave the notification, or none with a reason,
 * never failing the step.
 */
import { describe, expect, it } from 'vitest';
import {
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  PERSONAL_TOKEN,
  ROOM_CI,
  ROOM_TOKEN,
} from '../../sandbox/server.ts';
import { eventRun, logLines, results, step, useSandbox } from './helpers.ts';
import { FOLLOW_UP_WORDS } from '../words/follow-up.ts';
import { PUSH_WORDS } from '../words/push.ts';
import { rowOf, wordsPattern } from '../words/table.ts';

const sandbox = useSandbox(undefined, { resetEach: true });

describe('attach-to', () => {
  it('posts a follow-up the sandbox records as attached to the message it answers', async () => {
    const parent = sandbox.addHistory(ROOM_CI.name, {
      type: 'notification',
      from: 'CI',
      message: '🚀 acme/widgets: Deploy started',
    });
    const run = await step(sandbox, {
      ...eventRun('push'),
      with: {
        token: PERSONAL_TOKEN,
        room: ROOM_CI.name,
        status: 'success',
        'attach-to': parent.id,
      },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const [got] = sandbox.notifications(ROOM_CI.name);
    expect(got?.body.attach_to).toBe(parent.id);
    expect(got?.attachedTo).toBe(parent.id);
  });

  it('sends no attach_to field at all when it is empty', async () => {
    const run = await step(sandbox, {
      ...eventRun('push'),
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, status: 'success', 'attach-to': '' },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const [got] = sandbox.notifications(ROOM_CI.name);
    expect(Object.keys(got!.body)).not.toContain('attach_to');
  });

  it('fails on a bad id or several rooms before any request, naming the input', async () => {
    const run = await step(sandbox, {
      ...eventRun('push'),
      with: {
        token: PERSONAL_TOKEN,
        room: 'CI, Ops',
        status: 'success',
        'attach-to': 'x'.repeat(40),
      },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('`attach-to`');
    expect(run.stdout).toContain('at most 36');
    expect(run.stdout).toContain('exactly one `room`');
    expect(sandbox.requests).toHaveLength(0);
  });
});

/** A deploy's first step: `status: started` with `lookup-id`, as the recipe has it. */
const started = (token: string, extra: Record<string, string> = {}) => ({
  ...eventRun('push'),
  with: {
    token,
    room: ROOM_CI.name,
    status: 'started',
    from: 'CI',
    'lookup-id': 'true',
    ...extra,
  },
});

describe('lookup-id', () => {
  it('outputs the id the sandbox gave this notification, among twins, other integrations and people', async () => {
    // What the step will post, to put identical notifications of earlier runs into the room.
    const dry = await step(sandbox, started(PERSONAL_TOKEN, { 'dry-run': 'true' }));
    const message = dry.outputs.message!;
    const minutes = (n: number) => Date.now() - n * 60_000;
    sandbox.addHistory(ROOM_CI.name, {
      type: 'notification',
      from: 'CI',
      message,
      date: minutes(60),
    });
    sandbox.addHistory(ROOM_CI.name, {
      type: 'notification',
      from: 'CI',
      message,
      date: minutes(10),
    });
    sandbox.addHistory(ROOM_CI.name, { type: 'notification', from: 'Jenkins', message });
    sandbox.addHistory(ROOM_CI.name, { from: '@AliceSmith', message });
    sandbox.addHistory(ROOM_CI.name, { from: '@BobJ', message: 'deploying?' });

    const run = await step(sandbox, started(PERSONAL_TOKEN));
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const [ours] = sandbox.notifications(ROOM_CI.name);
    expect(ours?.message).toBe(message);
    expect(run.outputs['message-id']).toBe(ours!.id);
    expect(results(run)[0]).toMatchObject({ ok: true, message_id: ours!.id });
    // One history request, after the post, with the run's token; no warning, no notice.
    const calls = sandbox.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual(['POST /v2/room/CI/notification', 'GET /v2/room/CI/history/latest']);
    expect(sandbox.requests[1]!.token).toBe(PERSONAL_TOKEN);
    expect(sandbox.requests[1]!.query['max-results']).toBe('25');
    expect(run.warnings).toEqual([]);
    expect(run.notices).toEqual([]);
    expect(logLines(run).join('\n')).toContain(`Room 'CI': message id ${ours!.id}`);
  });

  it('tells the deploy as one story: the final step attaches to the id the first step output', async () => {
    const first = await step(sandbox, started(PERSONAL_TOKEN));
    const id = first.outputs['message-id']!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const final = await step(sandbox, {
      ...eventRun('push'),
      with: {
        token: PERSONAL_TOKEN,
        room: ROOM_CI.name,
        status: 'success',
        from: 'CI',
        'attach-to': id,
      },
    });
    expect(final.exitCode, final.stdout + final.stderr).toBe(0);
    const [parent, child] = sandbox.notifications(ROOM_CI.name);
    expect(parent!.id).toBe(id);
    expect(child).toMatchObject({ attachTo: id, attachedTo: id });
    // The follow-up says what happened since, not what its parent already shows.
    expect(parent!.message).toMatch(wordsPattern(rowOf(PUSH_WORDS, 'started').html));
    expect(child!.message).toMatch(wordsPattern(rowOf(FOLLOW_UP_WORDS, 'success').html));
    // Without lookup-id, no history is read and no message-id output is set.
    expect(final.outputs['message-id']).toBeUndefined();
    expect(sandbox.requests.filter((r) => r.path.includes('/history'))).toHaveLength(1);
  });

  it('gives no id, saying why, when an identical notification was posted in the same moment', async () => {
    const dry = await step(sandbox, started(PERSONAL_TOKEN, { 'dry-run': 'true' }));
    const twin = sandbox.addHistory(ROOM_CI.name, {
      type: 'notification',
      from: 'CI',
      message: dry.outputs.message!,
      date: Date.now() + 500,
    });
    const run = await step(sandbox, started(PERSONAL_TOKEN));
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(twin.id).toBeDefined();
    expect(run.outputs['message-id']).toBeUndefined();
    expect(results(run)[0]).not.toHaveProperty('message_id');
    expect(run.notices).toEqual([
      expect.stringMatching(/^`lookup-id`: room 'CI': no message id: 2 notifications .* match/),
    ]);
  });

  it('with a card, tells twins apart by the card id this run chose', async () => {
    const dry = await step(sandbox, started(PERSONAL_TOKEN, { 'dry-run': 'true', card: 'true' }));
    sandbox.addHistory(ROOM_CI.name, {
      type: 'notification',
      from: 'CI',
      message: dry.outputs.message!,
      card: { style: 'application', id: 'another-run', title: 'x' },
    });
    const run = await step(sandbox, started(PERSONAL_TOKEN, { card: 'true' }));
    const [ours] = sandbox.notifications(ROOM_CI.name);
    expect(run.outputs['message-id']).toBe(ours!.id);
  });

  it('with a room notification token: the step stays green, one warning names the scope', async () => {
    const run = await step(sandbox, started(ROOM_TOKEN));
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(sandbox.notifications(ROOM_CI.name)).toHaveLength(1);
    expect(run.outputs['message-id']).toBeUndefined();
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toContain('view_messages');
    expect(run.warnings[0]).toContain('room notification token');
    expect(run.warnings[0]).toContain('personal access token');
    expect(run.warnings[0]).toContain('delivered');
    expect(run.errors).toEqual([]);
  });

  it('with add-on credentials: one token, minted with view_messages, posts and reads', async () => {
    const run = await step(sandbox, {
      ...started(''),
      with: {
        ...started('').with,
        token: '',
        'oauth-id': OAUTH_CLIENT_ID,
        'oauth-secret': OAUTH_CLIENT_SECRET,
      },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const mints = sandbox.requests.filter((r) => r.path === '/v2/oauth/token');
    expect(mints).toHaveLength(1);
    expect(String((mints[0]!.body as Record<string, string>).scope)).toContain('view_messages');
    const [post, read] = sandbox.requests.filter((r) => r.path.startsWith('/v2/room/'));
    expect(read!.token).toBe(post!.token);
    expect(run.outputs['message-id']).toBe(sandbox.notifications(ROOM_CI.name)[0]!.id);
  });

  it('auth-test in a dry run checks the history scope too, and reads nothing', async () => {
    const good = await step(
      sandbox,
      started(PERSONAL_TOKEN, { 'dry-run': 'true', 'auth-test': 'true' }),
    );
    expect(good.exitCode).toBe(0);
    const checks = sandbox.requests.filter((r) => r.path.includes('/history'));
    expect(checks.map((r) => [r.authTest, r.status])).toEqual([[true, 202]]);
    sandbox.reset();
    const refused = await step(
      sandbox,
      started(ROOM_TOKEN, { 'dry-run': 'true', 'auth-test': 'true' }),
    );
    expect(refused.exitCode).toBe(0);
    expect(refused.warnings).toEqual([expect.stringContaining('view_messages')]);
  });

  it.each([
    [
      'a login page',
      {
        kind: 'status',
        status: 200,
        html: true,
        body: '<!DOCTYPE html><title>Sign in</title>',
        headers: { 'Content-Type': 'text/html' },
      },
      /HTML page/,
    ],
    [
      'garbage',
      { kind: 'status', status: 200, body: 'OK', headers: { 'Content-Type': 'text/plain' } },
      /not JSON/,
    ],
    [
      'a huge body',
      { kind: 'status', status: 200, body: `{"items":[${'{"id":"x"},'.repeat(150_000)}{}]}` },
      /cut short or too large/,
    ],
    ['a 429', { kind: 'status', status: 429 }, /429 \(rate limited/],
    ['a 500', { kind: 'status', status: 500 }, /answered 500/],
  ])(
    'degrades to no id when the history answers with %s: delivered, green, one notice',
    async (_what, fault, reason) => {
      sandbox.script({ ...(fault as object), match: { path: '/history' } } as never);
      const run = await step(sandbox, started(PERSONAL_TOKEN));
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(sandbox.notifications(ROOM_CI.name)).toHaveLength(1);
      expect(sandbox.requests.filter((r) => r.path.includes('/history'))).toHaveLength(1);
      expect(run.outputs['message-id']).toBeUndefined();
      expect(run.notices).toHaveLength(1);
      expect(run.notices[0]).toMatch(reason);
      expect(run.warnings).toEqual([]);
    },
  );
});
