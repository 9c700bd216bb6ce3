/**
 * HipChat's refusals, end to end: each error answer becomes one actionable message, is not
 * retried, and posts nothing; any 2xx is success; and the retired default server (HipChat
 * Cloud) is named as the cause when it cannot be reached.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StepResult } from '../../scripts/lib/action-runner.ts';
import {
  EXPIRED_TOKEN,
  PERSONAL_TOKEN,
  ROOM_TOKEN,
  VIEW_GROUP_TOKEN,
} from '../../sandbox/server.ts';
import { expectSecretKept, hipchatError, results, roomCalls, step, useSandbox } from './helpers.ts';

const sandbox = useSandbox(undefined, { resetEach: true });

/** Asserts a one-room run failed once, with one request and nothing delivered; returns the error. */
function failedOnce(run: StepResult, status: number | null): string {
  expect(run.exitCode, run.stdout + run.stderr).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.warnings).toEqual([]);
  expect(sandbox.notifications()).toEqual([]);
  const [result] = results(run);
  expect(result).toMatchObject({ ok: false, status });
  expect(run.outputs.sent).toBe('0');
  // The same text in the annotation, the results output and the summary's table.
  expect(run.errors[0]).toBe(`HipChat notification failed: ${result!.error}`);
  return result!.error!;
}

describe('an error answer', () => {
  it('401, an invalid or expired token: says so, names the room, and is not retried', async () => {
    const run = await step(sandbox, { with: { token: EXPIRED_TOKEN, room: 'CI' } });
    const error = failedOnce(run, 401);
    expect(error).toBe(
      'HipChat refused the token for room \'CI\' (401, HipChat: "Invalid OAuth session"). The token is invalid or expired — or it is a room notification token made for a different room: such a token can post only to the room it was created in. Use a token for this room, or a personal or add-on token with the send_notification scope.',
    );
    expect(sandbox.requests).toHaveLength(1);
    expectSecretKept(run, EXPIRED_TOKEN);
  });

  it('401, a room token used for another room: its own room still gets the notification', async () => {
    const run = await step(sandbox, { with: { token: ROOM_TOKEN, room: 'Ops, CI' } });
    expect(run.exitCode).toBe(1);
    expect(sandbox.notifications().map((n) => n.roomName)).toEqual(['CI']);
    const [ops, ci] = results(run);
    expect(ci).toEqual({ room: 'CI', ok: true, status: 204, attempts: 1 });
    expect(ops).toMatchObject({ room: 'Ops', ok: false, status: 401, attempts: 1 });
    expect(ops!.error).toContain("HipChat refused the token for room 'Ops' (401");
    expect(ops!.error).toContain('a room notification token made for a different room');
    expectSecretKept(run, ROOM_TOKEN);
  });

  it('403: names the missing scope and how to get a token that has it', async () => {
    const run = await step(sandbox, { with: { token: VIEW_GROUP_TOKEN, room: 'CI' } });
    const error = failedOnce(run, 403);
    expect(error).toBe(
      'The token may not post to room \'CI\' (403, HipChat: "This action requires one of the following scopes: [send_notification]"): it lacks the send_notification scope. Create a token with the "Send Notification" scope and use it in `token`.',
    );
    expect(sandbox.requests).toHaveLength(1);
  });

  it('404, an unknown room: says to check the name or use the id', async () => {
    const run = await step(sandbox, { with: { token: PERSONAL_TOKEN, room: 'Release+Notes' } });
    const error = failedOnce(run, 404);
    expect(error).toBe(
      `Room 'Release+Notes' was not found on ${sandbox.url} (404, HipChat: "Room Release+Notes not found"). Check the room's name (spelling, case, spaces) or use its numeric id, which never changes.`,
    );
    expect(sandbox.requests[0]!.path).toBe('/v2/room/Release%2BNotes/notification');
  });

  it('404 for the path, not the room: says `server` has no HipChat API there', async () => {
    const server = `${sandbox.url}/hipchat`;
    const run = await step(sandbox, { with: { token: PERSONAL_TOKEN, room: 'CI', server } });
    const error = failedOnce(run, 404);
    expect(sandbox.requests[0]!.path).toBe('/hipchat/v2/room/CI/notification');
    expect(error).toContain("The server answered 404 for room 'CI'");
    expect(error).toContain('there is no HipChat API at that address');
    expect(error).toContain(`Check that \`server\` (${server}) is the base URL`);
    expect(error).not.toContain('was not found on');
  });

  it('400: quotes HipChat’s own reason, and is not retried', async () => {
    sandbox.script({
      kind: 'status',
      status: 400,
      body: hipchatError(400, 'message: HipChat could not store this message', 'Bad Request'),
    });
    const run = await step(sandbox, { with: { token: PERSONAL_TOKEN, room: 'CI' } });
    const error = failedOnce(run, 400);
    expect(error).toBe(
      'HipChat rejected the notification for room \'CI\' (400, HipChat: "message: HipChat could not store this message"). Fix the message or inputs it names.',
    );
    expect(sandbox.requests).toHaveLength(1);
  });

  it('an HTML page from a proxy: says a proxy answered, with the page’s title', async () => {
    sandbox.script({ kind: 'status', status: 403, html: true });
    const run = await step(sandbox, { with: { token: PERSONAL_TOKEN, room: 'CI' } });
    const error = failedOnce(run, 403);
    expect(error).toBe(
      `Room 'CI': the server answered 403 with an HTML page ("403 Forbidden") instead of HipChat's JSON — a proxy, load balancer or web server answered, not the HipChat API. Check that \`server\` (${sandbox.url}) is the base URL of your HipChat server, without a path the API does not live under.`,
    );
    expect(error).not.toContain('<html>');
    expect(sandbox.requests).toHaveLength(1);
  });

  it('a non-JSON answer: quotes its start and type', async () => {
    sandbox.script({ kind: 'status', status: 401, body: 'Authentication required' });
    const run = await step(sandbox, { with: { token: PERSONAL_TOKEN, room: 'CI' } });
    const error = failedOnce(run, 401);
    expect(error).toContain(
      'the server answered 401 with a non-JSON body (text/plain; charset=utf-8): "Authentication required"',
    );
  });

  it('an empty answer: says it was empty', async () => {
    sandbox.script({ kind: 'status', status: 404, body: '' });
    const run = await step(sandbox, { with: { token: PERSONAL_TOKEN, room: 'CI' } });
    const error = failedOnce(run, 404);
    expect(error).toContain('the server answered 404 with an empty body');
  });

  it('that echoes the token: the token is replaced before it reaches outputs, summary or log', async () => {
    sandbox.script({
      kind: 'status',
      status: 401,
      body: hipchatError(401, `Invalid token ${PERSONAL_TOKEN} for this room`),
    });
    const run = await step(sandbox, { with: { token: PERSONAL_TOKEN, room: 'CI' } });
    const error = failedOnce(run, 401);
    expect(error).toContain('HipChat: "Invalid token *** for this room"');
    expectSecretKept(run, PERSONAL_TOKEN);
  });
});

describe('a 2xx that is not HipChat’s', () => {
  it('a login page (an SSO proxy answering 200): a failure that says so, not retried, not counted as sent', async () => {
    sandbox.script({
      kind: 'status',
      status: 200,
      body: '<!DOCTYPE html><html><head><title>Sign in · Corp SSO</title></head><body><form action="/login"></form></body></html>',
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
    });
    const run = await step(sandbox, { with: { token: PERSONAL_TOKEN, room: 'CI' } });
    const error = failedOnce(run, 200);
    expect(error).toBe(
      `Room 'CI': the server answered 200 with an HTML page ("Sign in · Corp SSO") — an SSO/login proxy or a web server answered, not the HipChat API, so the notification did not reach HipChat. Check that \`server\` (${sandbox.url}) is the address of the HipChat API itself, and the proxy settings (HTTPS_PROXY, NO_PROXY): the runner must reach the API without a login page.`,
    );
    expect(sandbox.requests).toHaveLength(1);
    expect(results(run)[0]!.attempts).toBe(1);
  });
});

describe('success', () => {
  it('is any 2xx, not only 204', async () => {
    sandbox.script([
      { kind: 'status', status: 200, acted: true, match: { room: 'CI' } },
      { kind: 'status', status: 201, acted: true, match: { room: 'Release Notes' } },
      { kind: 'status', status: 202, acted: true, match: { room: 'Ops' } },
    ]);
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: 'CI, Release Notes, Ops' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.errors).toEqual([]);
    expect(results(run).map((r) => [r.room, r.ok, r.status, r.attempts])).toEqual([
      ['CI', true, 200, 1],
      ['Release Notes', true, 201, 1],
      ['Ops', true, 202, 1],
    ]);
    expect(run.outputs.sent).toBe('3');
    expect(roomCalls(sandbox)).toHaveLength(3);
  });
});

describe('HipChat Cloud', () => {
  // Whatever this machine's network does with api.hipchat.com (no DNS, a firewall, a real
  // connection), the requests go to a proxy on 127.0.0.1 where nothing listens: the connection
  // fails here, at once, the same way everywhere. The advice must be there, at once — HipChat
  // Cloud will not come back, so waiting and retrying only delays it. (The proxy module never
  // bypasses a proxy for *.hipchat.com: only loopback hosts and NO_PROXY entries go direct.)
  let deadProxy: Record<string, string>;
  beforeAll(async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    // The step sees no proxy variable of this machine's (runStep passes only what a runner does).
    deadProxy = { HTTPS_PROXY: `http://127.0.0.1:${port}` };
  });
  const cloud = (server: string | null): Promise<StepResult> =>
    step(
      sandbox,
      {
        with: { token: PERSONAL_TOKEN, room: 'CI', timeout: '2', 'max-wait': '20' },
        env: deadProxy,
      },
      server,
    );

  it('left as the default `server`: the error says it was shut down and to set `server`', async () => {
    const [byDefault, team] = await Promise.all([cloud(null), cloud('https://acme.hipchat.com')]);
    expect(byDefault.env['INPUT_SERVER']).toBe('https://api.hipchat.com');
    for (const run of [byDefault, team]) {
      expect(run.exitCode, run.stdout + run.stderr).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toContain('was shut down in February 2019');
      expect(run.errors[0]).toContain(
        'set `server` to the URL of your HipChat Server / Data Center, e.g. `server: https://hipchat.example.com`.',
      );
      expect(run.errors[0]).toMatch(/The proxy http:\/\/127\.0\.0\.1:\d+ refused the connection/);
      // Not retried: one attempt, not six with backoff in between.
      expect(results(run)[0]!.attempts).toBe(1);
      expectSecretKept(run, PERSONAL_TOKEN);
    }
    expect(byDefault.errors[0]).toContain(
      'HipChat Cloud (https://api.hipchat.com, the default `server`) was shut down',
    );
    expect(team.errors[0]).toContain(
      '`server` (https://acme.hipchat.com) is HipChat Cloud, which was shut down',
    );
    expect(sandbox.requests).toEqual([]);
  });

  it('when minting an add-on token there: the same advice', async () => {
    const run = await step(
      sandbox,
      {
        with: {
          'oauth-id': 'an-addon',
          'oauth-secret': 'its-secret',
          room: 'CI',
          timeout: '2',
        },
        env: deadProxy,
      },
      null,
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^HipChat notification failed: Could not obtain an add-on token: The proxy http:\/\/127\.0\.0\.1:\d+ refused the connection/,
    );
    expect(run.errors[0]).toContain(
      'HipChat Cloud (https://api.hipchat.com, the default `server`) was shut down in February 2019: set `server`',
    );
    expect(results(run)).toEqual([expect.objectContaining({ room: 'CI', ok: false, attempts: 0 })]);
    expectSecretKept(run, 'its-secret');
  });

  it('in a dry run that sends nothing: a warning says a real run would fail', async () => {
    const run = await step(
      sandbox,
      { with: { token: PERSONAL_TOKEN, room: 'CI', 'dry-run': 'true' } },
      null,
    );
    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([
      'Dry run without `auth-test`: nothing was sent, but a real run would fail. HipChat Cloud (https://api.hipchat.com, the default `server`) was shut down in February 2019: set `server` to the URL of your HipChat Server / Data Center, e.g. `server: https://hipchat.example.com`.',
    ]);
  });
});
