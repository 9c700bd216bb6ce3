/**
 * HipChat's refusals, end to end: each error answer becomes one actionable message, is not
 * retried, and posts nothing; any 2xx is success; and a run without `server`, or with HipChat
 * Cloud's, is an input error before anything is sent.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { StepResult } from '../../scripts/lib/action-runner.ts';
import {
  EXPIRED_TOKEN,
  PERSONAL_TOKEN,
  ROOM_TOKEN,
  VIEW_GROUP_TOKEN,
} from '../../sandbox/server.ts';
import {
  expectSecretKept,
  hipchatError,
  logLines,
  results,
  roomCalls,
  step,
  useSandbox,
} from './helpers.ts';

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

describe('no `server`, or HipChat Cloud', () => {
  // HipChat Cloud was shut down in 2019: `server` has no default, and a Cloud address can never
  // answer. Both are input errors, before anything is sent — in dry runs too, where nothing
  // else would reveal them — and the summary says what to set.
  const run = (server: string | null, extra: Record<string, string> = {}): Promise<StepResult> =>
    step(sandbox, { with: { token: PERSONAL_TOKEN, room: 'CI', ...extra } }, server);

  it('without `server`, real run or dry run: an input error that says to set it', async () => {
    const [real, dry] = await Promise.all([run(null), run(null, { 'dry-run': 'true' })]);
    for (const result of [real, dry]) {
      expect(result.env['INPUT_SERVER'] ?? '').toBe('');
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        'Invalid input: `server` is empty: set `server` to the URL of your HipChat Server / Data Center, e.g. `server: https://hipchat.example.com`. There is no default: HipChat Cloud was shut down in February 2019.',
      ]);
      expect(result.summary).toContain('### ❌ HipChat notification not sent');
      expect(result.summary).toContain('&#96;server&#96; is empty');
    }
    expect(sandbox.requests).toEqual([]);
  });

  it('with a Cloud address, its API or a team’s, a pasted URL too: the same, value hidden where it may hold a token', async () => {
    const [api, team, pasted] = await Promise.all([
      run('https://api.hipchat.com', { 'dry-run': 'true' }),
      run('https://acme.hipchat.com'),
      run('https://api.hipchat.com/v2/room/42/notification?auth_token=leaked-token'),
    ]);
    expect(api.errors).toEqual([
      "Invalid input: `server` is 'https://api.hipchat.com', HipChat Cloud, which was shut down in February 2019: set `server` to the URL of your HipChat Server / Data Center, e.g. `server: https://hipchat.example.com`.",
    ]);
    expect(team.errors[0]).toMatch(
      /^Invalid input: `server` is 'https:\/\/acme\.hipchat\.com', HipChat Cloud/,
    );
    expect(pasted.errors[0]).toMatch(
      /^Invalid input: `server` is \(value hidden\), HipChat Cloud, which was shut down/,
    );
    expect(pasted.stdout + pasted.summary).not.toContain('leaked-token');
    for (const result of [api, team, pasted]) expect(result.exitCode).toBe(1);
    expect(sandbox.requests).toEqual([]);
  });
});

describe('what the log says of a failing room', () => {
  /** A port on 127.0.0.1 where nothing listens any more. */
  const closedPort = (): Promise<number> =>
    new Promise((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });

  it('gives a failed room its own line when it fails, beside the delivered ones', async () => {
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: 'CI, Nope', 'fail-on-error': 'false' },
    });
    const lines = logLines(run);
    expect(lines).toContain("Room 'Nope': failed (404, 1 request).");
    expect(lines).toContain("Room 'CI': delivered (204, 1 request).");
  });

  it('says the advice once, in the failure, not on every retry line', async () => {
    const server = `http://127.0.0.1:${await closedPort()}`;
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: 'CI', server, 'max-wait': '4', timeout: '1' },
    });
    expect(run.exitCode).toBe(1);
    const log = logLines(run);
    const waits = log.filter((line) => line.startsWith("Room 'CI': waiting "));
    expect(waits.length).toBeGreaterThan(0);
    for (const line of waits) {
      expect(line).toContain('refused the connection (ECONNREFUSED); nothing was posted');
      expect(line).not.toContain('Check the host and port');
    }
    expect(log).toContain(`Room 'CI': failed (no answer, ${results(run)[0]!.attempts} requests).`);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain('Check the host and port in `server`');
    // The log holds the error annotation itself (::error::…): that is the one place it is said.
    const said = log.join('\n').split('Check the host and port').length - 1;
    expect(said).toBe(1);
  });
});
