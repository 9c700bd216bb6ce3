import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server.ts';
import {
  EXPIRED_TOKEN,
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  PERSONAL_TOKEN,
  ROOM_TOKEN,
  startSandbox,
  VIEW_GROUP_TOKEN,
} from '../../sandbox/server.ts';
import { errorMessage, notify } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe('POST /v2/room/{id_or_name}/notification', () => {
  it('answers 204 with an empty body and records the delivery', async () => {
    const response = await notify(sandbox, 'CI', {
      message: 'Build passed',
      color: 'green',
      notify: true,
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.notifications()).toEqual([
      expect.objectContaining({
        seq: 1,
        requestSeq: 1,
        roomId: 1,
        roomName: 'CI',
        message: 'Build passed',
        color: 'green',
        messageFormat: 'html',
        notify: true,
        token: PERSONAL_TOKEN,
        body: { message: 'Build passed', color: 'green', notify: true },
      }),
    ]);
    expect(sandbox.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v2/room/CI/notification',
      status: 204,
      acted: true,
      done: true,
      token: PERSONAL_TOKEN,
      tokenSource: 'header',
      authTokenInQuery: false,
      room: 'CI',
      roomId: 1,
      fault: null,
    });
  });

  it('finds rooms by id and by percent-encoded name, but a + is not a space', async () => {
    expect((await notify(sandbox, '2')).status).toBe(204);
    expect((await notify(sandbox, 'Release%20Notes')).status).toBe(204);
    const plus = await notify(sandbox, 'Release+Notes');
    expect(plus.status).toBe(404);
    expect(await errorMessage(plus)).toBe('Room Release+Notes not found');
    expect(sandbox.notifications('Release Notes')).toHaveLength(2);
    expect(sandbox.notifications(2)).toHaveLength(2);
    expect(sandbox.notifications('CI')).toHaveLength(0);
  });

  it('answers 404 for unknown rooms, by name or id', async () => {
    const byName = await notify(sandbox, 'Nowhere');
    expect(byName.status).toBe(404);
    expect(await errorMessage(byName)).toBe('Room Nowhere not found');
    expect((await notify(sandbox, '99')).status).toBe(404);
    expect(sandbox.notifications()).toEqual([]);
  });

  it.each([
    ['missing', undefined, 'Invalid content type: None'],
    ['text/plain', 'text/plain', 'Invalid content type: text/plain'],
  ])('answers 400 for a %s content type', async (_label, contentType, message) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${PERSONAL_TOKEN}` };
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    const response = await fetch(`${sandbox.url}/v2/room/CI/notification`, {
      method: 'POST',
      headers,
      // A Blob without a type makes fetch send no Content-Type at all.
      body: new Blob(['{"message":"m"}']),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 400, message, type: 'Bad Request' } });
  });

  it('accepts a charset parameter on the content type', async () => {
    const response = await notify(
      sandbox,
      'CI',
      { message: 'm' },
      { headers: { 'Content-Type': 'application/json; charset=utf-8' } },
    );
    expect(response.status).toBe(204);
  });

  it.each([
    ['a body that is not JSON', '{"message":', 'The request body cannot be parsed as valid JSON'],
    ['a missing message', '{}', 'message: required'],
    ['an empty message', '{"message":""}', 'message: must be 1–10000 characters long, got 0'],
    ['a long message', JSON.stringify({ message: 'x'.repeat(10_001) }), 'message: must be 1–10000'],
    ['a bad colour', '{"message":"m","color":"blue"}', 'color: must be one of'],
    [
      'a bad format',
      '{"message":"m","message_format":"md"}',
      'message_format: must be one of html, text',
    ],
    ['a string notify', '{"message":"m","notify":"yes"}', 'notify: must be true or false'],
    ['a long from', JSON.stringify({ message: 'm', from: 'f'.repeat(65) }), 'from: must be 0–64'],
    [
      'a bad card',
      JSON.stringify({
        message: 'm',
        card: {
          style: 'link',
          title: 't',
          attributes: [{ label: 'a', value: { label: 'b', style: 'pink' } }],
        },
      }),
      'card.attributes[0].value.style: must be one of',
    ],
  ])('answers 400 for %s and delivers nothing', async (_label, raw, message) => {
    const response = await notify(sandbox, 'CI', undefined, { raw });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await errorMessage(response)).toContain(message);
    expect(sandbox.notifications()).toEqual([]);
    expect(sandbox.requests[0]).toMatchObject({ status: 400, acted: false });
  });

  it('accepts a 10,000-character message and a valid card', async () => {
    const card = {
      style: 'application',
      id: '1',
      title: 'Build',
      attributes: [{ label: 'Status', value: { label: 'ok', style: 'lozenge-success' } }],
    };
    expect((await notify(sandbox, 'CI', { message: 'x'.repeat(10_000), card })).status).toBe(204);
    expect(sandbox.notifications()[0]?.card).toEqual(card);
  });
});

describe('authentication', () => {
  it.each([
    ['no token', null],
    ['an unknown token', 'nope'],
    ['an expired token', EXPIRED_TOKEN],
  ])('answers 401 Invalid OAuth session for %s', async (_label, token) => {
    const response = await notify(sandbox, 'CI', undefined, { token });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 401, message: 'Invalid OAuth session', type: 'Unauthorized' },
    });
    expect(sandbox.notifications()).toEqual([]);
  });

  it('accepts a room token in its own room only (401 elsewhere)', async () => {
    expect((await notify(sandbox, 'CI', undefined, { token: ROOM_TOKEN })).status).toBe(204);
    const elsewhere = await notify(sandbox, 'Ops', undefined, { token: ROOM_TOKEN });
    expect(elsewhere.status).toBe(401);
    expect(await errorMessage(elsewhere)).toMatch(/^Invalid OAuth session/);
    expect(sandbox.notifications().map((n) => n.roomName)).toEqual(['CI']);
  });

  it('answers 403 for a token without send_notification', async () => {
    const response = await notify(sandbox, 'CI', undefined, { token: VIEW_GROUP_TOKEN });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: {
        code: 403,
        message: 'This action requires one of the following scopes: [send_notification]',
        type: 'Forbidden',
      },
    });
  });

  it('accepts ?auth_token= but records that it was used', async () => {
    const response = await notify(sandbox, 'CI', undefined, {
      token: null,
      query: `auth_token=${PERSONAL_TOKEN}`,
    });
    expect(response.status).toBe(204);
    expect(sandbox.requests[0]).toMatchObject({
      tokenSource: 'query',
      authTokenInQuery: true,
      token: PERSONAL_TOKEN,
    });
  });

  it('prefers the header token but still flags an auth_token in the URL', async () => {
    const response = await notify(sandbox, 'CI', undefined, { query: 'auth_token=nope' });
    expect(response.status).toBe(204);
    expect(sandbox.requests[0]).toMatchObject({ tokenSource: 'header', authTokenInQuery: true });
  });

  it('accepts an added token', async () => {
    sandbox.addToken({ token: 'ops-room', kind: 'room', scopes: ['send_notification'], roomId: 3 });
    expect((await notify(sandbox, 'Ops', undefined, { token: 'ops-room' })).status).toBe(204);
  });
});

describe('auth_test=true', () => {
  it('answers 202 without delivering when the token may post', async () => {
    const response = await notify(sandbox, 'CI', { message: '' }, { query: 'auth_test=true' });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      success: {
        code: 202,
        type: 'Accepted',
        message: 'This auth_token has access to use this method.',
      },
    });
    expect(sandbox.notifications()).toEqual([]);
    expect(sandbox.requests[0]).toMatchObject({ authTest: true, acted: false, status: 202 });
  });

  it.each([
    ['an unknown token', 'nope', 'Invalid OAuth session'],
    ['a room token for another room', ROOM_TOKEN, 'Invalid OAuth session'],
    [
      'a token without the scope',
      VIEW_GROUP_TOKEN,
      'This action requires one of the following scopes: [send_notification]',
    ],
  ])('answers 401 for %s', async (_label, token, message) => {
    const response = await notify(sandbox, 'Ops', undefined, { token, query: 'auth_test=true' });
    expect(response.status).toBe(401);
    expect(await errorMessage(response)).toContain(message);
  });

  it('answers 404 for an unknown room', async () => {
    expect((await notify(sandbox, 'Nowhere', undefined, { query: 'auth_test=true' })).status).toBe(
      404,
    );
  });
});

describe('POST /v2/oauth/token', () => {
  const basic = (id: string, secret: string): string =>
    `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const mint = (
    authorization: string,
    body = 'grant_type=client_credentials&scope=send_notification',
    query = '',
  ): Promise<Response> =>
    fetch(`${sandbox.url}/v2/oauth/token${query}`, {
      method: 'POST',
      headers: {
        Authorization: authorization,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body,
    });

  it('mints an add-on token that can then post', async () => {
    const response = await mint(basic(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET));
    expect(response.status).toBe(200);
    const token = (await response.json()) as Record<string, unknown>;
    expect(token).toEqual({
      access_token: expect.stringMatching(/^sandbox-addon-[0-9a-f]{32}$/),
      token_type: 'bearer',
      scope: 'send_notification',
      expires_in: 28_800,
      group_id: 1,
      group_name: 'Sandbox Group',
    });
    expect(sandbox.requests[0]).toMatchObject({
      tokenSource: 'basic',
      token: OAUTH_CLIENT_ID,
      acted: true,
    });
    const posted = await notify(sandbox, 'Ops', undefined, { token: token.access_token as string });
    expect(posted.status).toBe(204);
    expect(sandbox.notifications()[0]?.token).toBe(token.access_token);
  });

  it('mints a view_group-only token that cannot post', async () => {
    const response = await mint(
      basic(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET),
      'grant_type=client_credentials&scope=view_group',
    );
    const { access_token } = (await response.json()) as { access_token: string };
    expect((await notify(sandbox, 'CI', undefined, { token: access_token })).status).toBe(403);
  });

  it('answers 401 for wrong credentials and mints nothing', async () => {
    const wrong = await mint(basic(OAUTH_CLIENT_ID, 'wrong'));
    expect(wrong.status).toBe(401);
    expect(await errorMessage(wrong)).toBe('Invalid OAuth client credentials');
    expect((await mint(`Bearer ${PERSONAL_TOKEN}`)).status).toBe(401);
    expect(sandbox.requests.every((r) => !r.acted)).toBe(true);
  });

  it.each([
    ['grant_type=password&scope=send_notification', 'Unsupported grant_type: password'],
    ['scope=send_notification', 'Unsupported grant_type: None'],
    ['grant_type=client_credentials&scope=admin_group', 'Invalid scope: admin_group'],
  ])('answers 400 for %s', async (body, message) => {
    const response = await mint(basic(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET), body);
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toContain(message);
  });

  it('answers auth_test without minting', async () => {
    const ok = await mint(basic(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET), '', '?auth_test=true');
    expect(ok.status).toBe(202);
    expect((await mint(basic('x', 'y'), '', '?auth_test=true')).status).toBe(401);
    expect(sandbox.requests.map((r) => r.acted)).toEqual([false, false]);
  });
});

describe('other paths and methods', () => {
  it('answers 404 with an error body for unknown paths', async () => {
    const response = await fetch(`${sandbox.url}/v2/room/CI/message`, {
      headers: { Authorization: `Bearer ${PERSONAL_TOKEN}` },
    });
    expect(response.status).toBe(404);
    expect(await errorMessage(response)).toContain('GET /v2/room/CI/message');
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const response = await fetch(`${sandbox.url}/v2/room/CI/notification`, {
      headers: { Authorization: `Bearer ${PERSONAL_TOKEN}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect((await response.json()) as unknown).toMatchObject({
      error: { code: 405, type: 'Method Not Allowed' },
    });
    expect((await fetch(`${sandbox.url}/v2/oauth/token`)).status).toBe(405);
  });

  it('answers 413 for a body over the limit', async () => {
    const small = await startSandbox({ maxBodyBytes: 100 });
    try {
      const response = await notify(small, 'CI', { message: 'x'.repeat(200) });
      expect(response.status).toBe(413);
      expect(small.notifications()).toEqual([]);
    } finally {
      await small.close();
    }
  });
});
