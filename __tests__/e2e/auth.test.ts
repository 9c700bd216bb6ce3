/**
 * Checking and getting tokens, end to end: `auth-test` asks HipChat per room before posting
 * (202 goes on; 401/403 stop that room with a clear message and post nothing there), and
 * `oauth-id`/`oauth-secret` mint a masked add-on token with the client-credentials grant.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OAUTH_CLIENTS,
  EXPIRED_TOKEN,
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  PERSONAL_TOKEN,
  ROOM_TOKEN,
  VIEW_GROUP_TOKEN,
} from '../../sandbox/server.ts';
import {
  expectMasksFirst,
  expectSecretKept,
  logLines,
  results,
  roomCalls,
  ROOMY_LIMITS,
  step,
  useSandbox,
} from './helpers.ts';

/** An add-on that may not use send_notification: HipChat refuses to mint a token for it. */
const VIEWER_ADDON = { id: 'viewer-addon-id', secret: 'viewer-addon-secret' };

const sandbox = useSandbox(
  {
    limits: ROOMY_LIMITS,
    oauthClients: [
      ...DEFAULT_OAUTH_CLIENTS,
      { ...VIEWER_ADDON, scopes: ['view_group'], groupId: 1, groupName: 'Sandbox Group' },
    ],
  },
  { resetEach: true },
);

describe('auth-test', () => {
  it('202: checks each room first with auth_test=true, then posts', async () => {
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: 'CI, Release Notes', 'auth-test': 'true' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    for (const room of ['CI', 'Release%20Notes']) {
      const calls = roomCalls(sandbox).filter((r) => r.path === `/v2/room/${room}/notification`);
      expect(calls.map((r) => [r.query, r.status])).toEqual([
        [{ auth_test: 'true' }, 202],
        [{}, 204],
      ]);
      for (const call of calls) {
        expect(call.headers.authorization).toBe(`Bearer ${PERSONAL_TOKEN}`);
        expect(call.authTokenInQuery).toBe(false);
      }
      // The check precedes the post it guards.
      expect(calls[0]!.seq).toBeLessThan(calls[1]!.seq);
    }
    expect(sandbox.notifications()).toHaveLength(2);
    expect(results(run).map((r) => [r.room, r.ok, r.status, r.attempts])).toEqual([
      ['CI', true, 204, 2],
      ['Release Notes', true, 204, 2],
    ]);
    expect(logLines(run)).toContain("Room 'CI': auth test passed (202).");
  });

  it('401: stops before posting, and says the token is invalid or expired', async () => {
    const run = await step(sandbox, {
      with: { token: EXPIRED_TOKEN, room: 'CI', 'auth-test': 'true' },
    });
    expect(run.exitCode).toBe(1);
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.requests[0]!.authTest).toBe(true);
    expect(sandbox.notifications()).toEqual([]);
    expect(run.errors).toEqual([
      `HipChat notification failed: HipChat refused the token for room 'CI' (401, HipChat: "Invalid OAuth session"). The token is invalid or expired — or it is a room notification token made for a different room: such a token can post only to the room it was created in. Use a token for this room, or a personal or add-on token with the send_notification scope. The auth test stopped here: nothing was posted to room 'CI'.`,
    ]);
    expect(results(run)).toEqual([
      expect.objectContaining({ room: 'CI', ok: false, status: 401, attempts: 1 }),
    ]);
  });

  it('401 for a missing scope (HipChat’s auth test answers 401, not 403): names the scope', async () => {
    const run = await step(sandbox, {
      with: { token: VIEW_GROUP_TOKEN, room: 'CI', 'auth-test': 'true' },
    });
    expect(run.exitCode).toBe(1);
    expect(sandbox.requests.map((r) => [r.authTest, r.status])).toEqual([[true, 401]]);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain("The token may not post to room 'CI' (401,");
    expect(run.errors[0]).toContain('it lacks the send_notification scope');
    expect(run.errors[0]).not.toContain('invalid or expired');
    expect(run.errors[0]).toContain("nothing was posted to room 'CI'");
  });

  it('403: stops before posting, naming the scope', async () => {
    sandbox.script({
      kind: 'status',
      status: 403,
      match: { authTest: true },
      body: {
        error: {
          code: 403,
          message: 'This action requires one of the following scopes: [send_notification]',
          type: 'Forbidden',
        },
      },
    });
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: 'CI', 'auth-test': 'true' },
    });
    expect(run.exitCode).toBe(1);
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.notifications()).toEqual([]);
    expect(run.errors[0]).toContain('(403,');
    expect(run.errors[0]).toContain('it lacks the send_notification scope');
    expect(run.errors[0]).toContain("The auth test stopped here: nothing was posted to room 'CI'.");
  });

  it('is per room: a room token passes in its room and stops only in the other', async () => {
    const run = await step(sandbox, {
      with: { token: ROOM_TOKEN, room: 'Ops, CI', 'auth-test': 'true', 'fail-on-error': 'false' },
    });
    expect(run.exitCode).toBe(0);
    expect(
      roomCalls(sandbox)
        .filter((r) => r.room === 'Ops')
        .map((r) => r.authTest),
    ).toEqual([true]);
    expect(sandbox.notifications().map((n) => n.roomName)).toEqual(['CI']);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toContain("nothing was posted to room 'Ops'");
    expect(run.outputs.sent).toBe('1');
  });
});

describe('add-on token from oauth-id and oauth-secret', () => {
  it('mints one with client credentials, posts with it, and never shows it', async () => {
    const run = await step(sandbox, {
      with: {
        'oauth-id': OAUTH_CLIENT_ID,
        'oauth-secret': OAUTH_CLIENT_SECRET,
        room: 'CI, Ops',
        'auth-test': 'true',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);

    const [mint, ...calls] = sandbox.requests;
    expect(mint!.path).toBe('/v2/oauth/token');
    expect(mint!.method).toBe('POST');
    expect(mint!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(mint!.rawBody).toBe('grant_type=client_credentials&scope=send_notification');
    const basic = /^Basic (.+)$/.exec(mint!.headers.authorization ?? '')?.[1];
    expect(Buffer.from(basic!, 'base64').toString()).toBe(
      `${OAUTH_CLIENT_ID}:${OAUTH_CLIENT_SECRET}`,
    );
    expect(mint!.status).toBe(200);
    expect(sandbox.requests.filter((r) => r.path === '/v2/oauth/token')).toHaveLength(1);

    // One minted token for the whole run, used for the auth tests and the posts.
    const minted = calls[0]!.token!;
    expect(minted).toMatch(/^sandbox-addon-/);
    expect(calls).toHaveLength(4);
    for (const call of calls) {
      expect(call.headers.authorization).toBe(`Bearer ${minted}`);
      expect(call.authTokenInQuery).toBe(false);
    }
    expect(sandbox.notifications().map((n) => n.token)).toEqual([minted, minted]);

    // Masked as soon as it exists, before the line that reports it.
    const lines = run.stdout.split('\n');
    const maskedAt = lines.indexOf(`::add-mask::${minted}`);
    const reportedAt = lines.findIndex((l) => l.startsWith('Obtained an add-on token'));
    expect(maskedAt).toBeGreaterThanOrEqual(0);
    expect(maskedAt).toBeLessThan(reportedAt);
    expect(lines[reportedAt]).toBe(
      'Obtained an add-on token (scope: send_notification; valid 480 min).',
    );
    expectMasksFirst(run, [OAUTH_CLIENT_SECRET]);
    expectSecretKept(run, minted);
    expectSecretKept(run, OAUTH_CLIENT_SECRET);
    const basicValue = mint!.headers.authorization!;
    // Registered for masking (it decodes to the secret), and shown nowhere.
    expectSecretKept(run, basicValue.slice('Basic '.length));
  });

  it('wrong credentials: says HipChat refused them and what to check; nothing is posted', async () => {
    const run = await step(sandbox, {
      with: { 'oauth-id': OAUTH_CLIENT_ID, 'oauth-secret': 'not-the-secret', room: 'CI' },
    });
    expect(run.exitCode).toBe(1);
    const refused =
      'HipChat refused the add-on credentials (401, HipChat: "Invalid OAuth client credentials"). Check `oauth-id` and `oauth-secret` (the add-on\'s OAuth id and secret from its installation) and that the add-on may use the send_notification scope.';
    // A failure like any delivery's: one per room in `results`, one error annotation.
    expect(run.errors).toEqual([`HipChat notification failed: ${refused}`]);
    expect(results(run)).toEqual([
      { room: 'CI', ok: false, status: null, attempts: 0, error: refused },
    ]);
    expect(run.outputs.sent).toBe('0');
    // Never retried: the same credentials get the same answer.
    expect(sandbox.requests.map((r) => r.path)).toEqual(['/v2/oauth/token']);
    expectSecretKept(run, 'not-the-secret');
  });

  it('a 401 that echoes the Basic header: the encoded credentials appear nowhere', async () => {
    // Some proxies and servers quote the request's Authorization header in their error. The
    // value is base64(id:secret): anyone who reads it has the add-on's secret.
    const basic = Buffer.from(`${OAUTH_CLIENT_ID}:${OAUTH_CLIENT_SECRET}`).toString('base64');
    sandbox.script({
      kind: 'status',
      status: 401,
      match: { path: '/v2/oauth/token' },
      body: {
        error: {
          code: 401,
          message: `Invalid OAuth client credentials in header Authorization: Basic ${basic}`,
          type: 'Unauthorized',
        },
      },
    });
    const run = await step(sandbox, {
      with: { 'oauth-id': OAUTH_CLIENT_ID, 'oauth-secret': OAUTH_CLIENT_SECRET, room: 'CI' },
    });
    expect(run.exitCode).toBe(1);
    // The server did echo exactly what the action sent.
    const [mint] = sandbox.requests;
    expect(mint?.path).toBe('/v2/oauth/token');
    expect(mint?.headers.authorization).toBe(`Basic ${basic}`);
    expect(sandbox.notifications()).toEqual([]);
    // Registered for masking before anything else (the runner masks the log with it), and
    // redacted from the error annotation, the outputs and the summary, which it does not mask.
    expectMasksFirst(run, [OAUTH_CLIENT_SECRET, basic]);
    expectSecretKept(run, basic);
    expectSecretKept(run, OAUTH_CLIENT_SECRET);
    expect(run.errors.join('\n')).toContain('Invalid OAuth client credentials');
  });

  it('an add-on without the send_notification scope: says how to give it the scope', async () => {
    const run = await step(sandbox, {
      with: { 'oauth-id': VIEWER_ADDON.id, 'oauth-secret': VIEWER_ADDON.secret, room: 'CI' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'HipChat notification failed: HipChat would not issue an add-on token with the send_notification scope (400, HipChat: "Invalid scope: send_notification"). Add send_notification to the add-on\'s scopes (capabilities.hipchatApiConsumer.scopes in its descriptor) and reinstall it.',
    ]);
    expect(sandbox.notifications()).toEqual([]);
  });

  it('a 503 (HipChat restarting) on the token request: asked again, then delivered', async () => {
    sandbox.script({ kind: 'status', status: 503, html: true, match: { path: '/oauth/token' } });
    const run = await step(sandbox, {
      with: { 'oauth-id': OAUTH_CLIENT_ID, 'oauth-secret': OAUTH_CLIENT_SECRET, room: 'CI, Ops' },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const minting = sandbox.requests.filter((r) => r.path === '/v2/oauth/token');
    expect(minting.map((r) => r.status)).toEqual([503, 200]);
    expect(logLines(run).join('\n')).toMatch(
      /The add-on token request: waiting .* for a retry backoff — the server answered 503/,
    );
    expect(sandbox.notifications().map((n) => n.roomName)).toEqual(['CI', 'Ops']);
    expect(run.outputs.sent).toBe('2');
  });

  it('no token to be had, with `fail-on-error: false`: one warning, the step stays green', async () => {
    sandbox.script({ kind: 'status', status: 503, times: 20, match: { path: '/oauth/token' } });
    const run = await step(sandbox, {
      with: {
        'oauth-id': OAUTH_CLIENT_ID,
        'oauth-secret': OAUTH_CLIENT_SECRET,
        room: 'CI, Ops',
        'max-wait': '2',
        'fail-on-error': 'false',
      },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/^HipChat notification failed for 2 of 2 rooms:/);
    expect(run.warnings[0]).toContain('Gave up on the add-on token request');
    expect(run.warnings[0]).toContain('`fail-on-error` is false: the step stays green.');
    expect(results(run).map((r) => [r.room, r.ok, r.attempts])).toEqual([
      ['CI', false, 0],
      ['Ops', false, 0],
    ]);
    expect(run.outputs.sent).toBe('0');
    expect(sandbox.notifications()).toEqual([]);
  });

  it('is not requested in a dry run without auth-test, which sends nothing at all', async () => {
    const run = await step(sandbox, {
      with: {
        'oauth-id': OAUTH_CLIENT_ID,
        'oauth-secret': OAUTH_CLIENT_SECRET,
        room: 'CI',
        'dry-run': 'true',
      },
    });
    expect(run.exitCode).toBe(0);
    expect(sandbox.requests).toEqual([]);
  });
});
