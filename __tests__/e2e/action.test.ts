/**
 * The action as a new user meets it: a step under `if: always()` with only `token`, `room` and
 * `server`. The committed bundle runs as the runner would run it (`status` defaults to
 * `${{ job.status }}`), against the HipChat sandbox; assertions read what HipChat received.
 */
import { describe, expect, it } from 'vitest';
import { ROOM_CI } from '../../sandbox/server.ts';
import { SAMPLE_FACTS } from '../../scripts/lib/action-runner.ts';
import {
  expectMasksFirst,
  expectSecretKept,
  logLines,
  results,
  step,
  useSandbox,
} from './helpers.ts';
import { PUSH_WORDS } from '../words/push.ts';
import { rowOf, wordsPattern } from '../words/table.ts';

const sandbox = useSandbox(undefined, { resetEach: true });

const RUN_URL = 'https://github.com/octo-org/octo-app/actions/runs/7012345678';

describe('a new user: only token, room and server, under if: always()', () => {
  // One token per job outcome, so the three runs can share the sandbox at the same time and
  // each notification is still known by who sent it.
  const outcomes = [
    { jobStatus: 'failure', color: 'red', icon: '❌' },
    { jobStatus: 'success', color: 'green', icon: '✅' },
    { jobStatus: 'cancelled', color: 'gray', icon: '⚪' },
  ] as const;

  it('posts a useful alert coloured by the job outcome, once, with nothing else to configure', async () => {
    for (const o of outcomes) {
      sandbox.addToken({
        token: `new-user-${o.jobStatus}`,
        kind: 'room',
        scopes: ['send_notification'],
        roomId: ROOM_CI.id,
      });
    }
    const runs = await Promise.all(
      outcomes.map((o) =>
        step(sandbox, {
          with: { token: `new-user-${o.jobStatus}`, room: ROOM_CI.name },
          jobStatus: o.jobStatus,
        }),
      ),
    );

    for (const [i, o] of outcomes.entries()) {
      const run = runs[i]!;
      const token = `new-user-${o.jobStatus}`;
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.errors).toEqual([]);
      expect(run.warnings).toEqual([]);

      const got = sandbox.notifications(ROOM_CI.id).filter((n) => n.token === token);
      expect(got).toHaveLength(1);
      const body = got[0]!.body;
      expect(body.color).toBe(o.color);
      expect(body.message_format).toBe('html');
      expect(body.notify).toBe(false);
      expect(body).not.toHaveProperty('from');
      expect(body).not.toHaveProperty('card');

      // The alert a room needs to act on: what, where, which change, who, and where to look.
      const message = String(body.message);
      expect(message.startsWith(o.icon)).toBe(true);
      expect(message).toContain('octo-org/octo-app');
      expect(message).toMatch(wordsPattern(rowOf(PUSH_WORDS, o.jobStatus).html));
      expect(message).toContain('<b>CI</b>');
      expect(message).toContain('>main</a>');
      expect(message).toContain('Fix flaky cache key in build script');
      expect(message).not.toContain('lockfile hash'); // only the commit's title line
      expect(message).toContain('<code>8f2e1c0</code>');
      expect(message).toContain(' by mona');
      expect(message).toContain(`<a href="${RUN_URL}">run #42</a>`);

      expect(run.outputs.message).toBe(message);
      expect(run.outputs.sent).toBe('1');
      expect(results(run)).toEqual([{ room: 'CI', ok: true, status: 204, attempts: 1 }]);
      expect(logLines(run)).toContain(`Posting to 1 room on ${sandbox.url}.`);
      expectMasksFirst(run, [token]);
      expectSecretKept(run, token);
    }
  });

  it('sends the request HipChat expects: bearer token, JSON, the room in the path', async () => {
    const run = await step(sandbox, {
      with: { token: 'sandbox-personal-token', room: ROOM_CI.name },
      jobStatus: 'failure',
    });
    expect(run.exitCode).toBe(0);
    expect(sandbox.requests).toHaveLength(1);
    const [request] = sandbox.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/v2/room/CI/notification');
    expect(request!.query).toEqual({});
    expect(request!.authTokenInQuery).toBe(false);
    expect(request!.headers.authorization).toBe('Bearer sandbox-personal-token');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toMatch(/hipchat-notify/);
    expect(request!.status).toBe(204);
    // Exactly the fields the action means to send; HipChat's own defaults are never relied on.
    expect(Object.keys(request!.body as object).sort()).toEqual([
      'color',
      'message',
      'message_format',
      'notify',
    ]);
  });

  it('reports the job status it was given by the runner, not a fixed one', async () => {
    // The runner evaluates `${{ job.status }}` in action.yml; no `status` input was given.
    const run = await step(sandbox, {
      with: { token: 'sandbox-personal-token', room: 'CI' },
      jobStatus: 'failure',
    });
    expect(run.env['INPUT_STATUS']).toBe('failure');
    expect(run.env['GITHUB_SHA']).toBe(SAMPLE_FACTS.GITHUB_SHA);
    expect(sandbox.notifications()[0]!.body.color).toBe('red');
  });
});
