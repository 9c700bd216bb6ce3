/**
 * Follow-ups end to end on the bundle against the sandbox: `attach-to` posts a notification
 * the sandbox records as attached to the message it names; a bad id stops the step before any
 * request.
 */
import { describe, expect, it } from 'vitest';
import { PERSONAL_TOKEN, ROOM_CI } from '../../sandbox/server.ts';
import { eventRun, step, useSandbox } from './helpers.ts';

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
