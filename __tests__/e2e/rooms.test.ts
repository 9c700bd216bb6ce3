/**
 * Several rooms, end to end: every room gets its notification even when another fails, the
 * results say what happened per room, a failure fails the step (or, with `fail-on-error:
 * false`, is one warning) and is reported once; room names reach HipChat percent-encoded.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROOMS, PERSONAL_TOKEN } from '../../sandbox/server.ts';
import { results, roomCalls, ROOMY_LIMITS, step, useSandbox } from './helpers.ts';

/** Names that break a URL unless encoded: a space, `+`, `/`, `#`, `?`, `&`, `%`, non-ASCII. */
const AWKWARD = { id: 4, name: 'C++ & Ops/#1 ?' };
const ACCENTED = { id: 5, name: 'Équipe 100%' };

const sandbox = useSandbox(
  {
    limits: ROOMY_LIMITS,
    rooms: [...DEFAULT_ROOMS, AWKWARD, ACCENTED],
  },
  { resetEach: true },
);

const ROOMS = 'Nope, CI\nRelease Notes\n3,Gone';
const NOPE = `Room 'Nope' was not found on`;
const GONE = `Room 'Gone' was not found on`;

describe('several rooms with some failing', () => {
  it('every good room gets its notification; results has one entry per room; the step fails once', async () => {
    const run = await step(sandbox, { with: { token: PERSONAL_TOKEN, room: ROOMS } });
    expect(run.exitCode).toBe(1);

    // Each room once, whatever happened to the others (the failing one comes first).
    expect(
      sandbox
        .notifications()
        .map((n) => n.roomId)
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(roomCalls(sandbox)).toHaveLength(5);

    const list = results(run);
    expect(list.map((r) => [r.room, r.ok, r.status, r.attempts])).toEqual([
      ['Nope', false, 404, 1],
      ['CI', true, 204, 1],
      ['Release Notes', true, 204, 1],
      ['3', true, 204, 1],
      ['Gone', false, 404, 1],
    ]);
    expect(list.filter((r) => r.ok).every((r) => r.error === undefined)).toBe(true);
    expect(run.outputs.sent).toBe('3');

    // One failure annotation naming both rooms, each once; no warning beside it.
    expect(run.errors).toHaveLength(1);
    expect(run.warnings).toEqual([]);
    const [error] = run.errors;
    expect(error!.split('\n')[0]).toBe('HipChat notification failed for 2 of 5 rooms:');
    expect(error!.split(NOPE)).toHaveLength(2);
    expect(error!.split(GONE)).toHaveLength(2);
    expect(run.stdout.split(NOPE)).toHaveLength(2);
  });

  it('with fail-on-error: false, the failure is one warning and the step stays green', async () => {
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: ROOMS, 'fail-on-error': 'false' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toHaveLength(1);
    const [warning] = run.warnings;
    expect(warning).toMatch(/^HipChat notification failed for 2 of 5 rooms:\n- Room 'Nope'/);
    expect(warning).toMatch(/\n\(`fail-on-error` is false: the step stays green\.\)$/);
    expect(run.stdout.split(NOPE)).toHaveLength(2);
    expect(sandbox.notifications()).toHaveLength(3);
    expect(run.outputs.sent).toBe('3');
    expect(
      results(run)
        .filter((r) => !r.ok)
        .map((r) => r.room),
    ).toEqual(['Nope', 'Gone']);
  });

  it('fail-on-error: false does not excuse invalid inputs', async () => {
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: 'CI', color: 'pink', 'fail-on-error': 'false' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(sandbox.requests).toEqual([]);
  });

  it('one room failing alone: one plain message, not a list', async () => {
    const run = await step(sandbox, { with: { token: PERSONAL_TOKEN, room: 'Nope' } });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^HipChat notification failed: Room 'Nope' was not found on /);
  });
});

describe('room names', () => {
  it('are percent-encoded in the path (a space is %20, never +) and reach the right rooms', async () => {
    const run = await step(sandbox, {
      with: {
        token: PERSONAL_TOKEN,
        room: ['Release Notes', AWKWARD.name, ACCENTED.name, '3'].join('\n'),
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(
      roomCalls(sandbox)
        .map((r) => r.path)
        .sort(),
    ).toEqual(
      [
        '/v2/room/Release%20Notes/notification',
        '/v2/room/C%2B%2B%20%26%20Ops%2F%231%20%3F/notification',
        '/v2/room/%C3%89quipe%20100%25/notification',
        '/v2/room/3/notification',
      ].sort(),
    );
    expect(
      sandbox
        .notifications()
        .map((n) => n.roomId)
        .sort(),
    ).toEqual([2, 3, 4, 5]);
    expect(results(run).map((r) => r.room)).toEqual([
      'Release Notes',
      AWKWARD.name,
      ACCENTED.name,
      '3',
    ]);
  });

  it('given twice are posted to once', async () => {
    const run = await step(sandbox, { with: { token: PERSONAL_TOKEN, room: 'CI, CI\nCI' } });
    expect(run.exitCode).toBe(0);
    expect(sandbox.notifications()).toHaveLength(1);
    expect(results(run)).toHaveLength(1);
  });
});
