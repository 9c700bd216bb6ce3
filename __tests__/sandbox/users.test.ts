import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../sandbox/cli-args.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import {
  DEFAULT_USERS,
  findUser,
  NOTIFY_ONLY_TOKEN,
  parseUsers,
  PERSONAL_TOKEN,
  ROOM_TOKEN,
  startSandbox,
  USER_ALICE,
  USER_BOB,
  VIEW_GROUP_TOKEN,
} from '../../sandbox/server.ts';
import { errorMessage, limits, notify } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ limits: { token: { limit: 5, windowMs: 60_000 } } });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

function lookup(ref: string, token: string | null = PERSONAL_TOKEN, query = ''): Promise<Response> {
  const headers: Record<string, string> =
    token === null ? {} : { Authorization: `Bearer ${token}` };
  return fetch(`${sandbox.url}/v2/user/${ref}${query}`, { headers });
}

function message(
  ref: string,
  body: unknown = { message: 'Your change broke CI', notify: true, message_format: 'text' },
  options: { token?: string; query?: string; contentType?: string } = {},
): Promise<Response> {
  return fetch(`${sandbox.url}/v2/user/${ref}/message${options.query ?? ''}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${options.token ?? PERSONAL_TOKEN}`,
      'Content-Type': options.contentType ?? 'application/json',
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('GET /v2/user/{id_or_email}', () => {
  it.each([
    ['id', '101'],
    ['email, percent-encoded', encodeURIComponent('alice@example.com')],
    ['email, raw @ and other case', 'Alice@Example.COM'],
    ['@mention_name, percent-encoded', encodeURIComponent('@AliceSmith')],
    ['@mention_name, other case', '@alicesmith'],
  ])('finds a user by %s', async (_how, ref) => {
    const response = await lookup(ref);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({
      id: 101,
      name: 'Alice Smith',
      mention_name: 'AliceSmith',
      email: 'alice@example.com',
      links: { self: `${sandbox.url}/v2/user/101` },
    });
    expect(sandbox.requests[0]).toMatchObject({ user: decodeURIComponent(ref), userId: 101 });
  });

  it.each([
    ['an unknown email', encodeURIComponent('mallory@example.com')],
    ['a GitHub login (not a mention name)', 'alice'],
    ['a mention name without its @', 'AliceSmith'],
    ['an unknown id', '999'],
    ['a noreply address', encodeURIComponent('1+alice@users.noreply.github.com')],
  ])('answers 404 for %s', async (_what, ref) => {
    const response = await lookup(ref);
    expect(response.status).toBe(404);
    expect(await errorMessage(response)).toBe(`User ${decodeURIComponent(ref)} not found`);
    expect(sandbox.requests[0]).toMatchObject({ userId: null, acted: false });
  });

  it('needs view_group: 403 on a real call, 401 on auth_test, before saying who exists', async () => {
    for (const token of [NOTIFY_ONLY_TOKEN, ROOM_TOKEN]) {
      for (const ref of ['101', 'nobody%40example.com']) {
        const refused = await lookup(ref, token);
        expect(refused.status).toBe(403);
        expect(await errorMessage(refused)).toBe(
          'This action requires one of the following scopes: [view_group]',
        );
      }
      expect((await lookup('101', token, '?auth_test=true')).status).toBe(401);
    }
    const test = await lookup('nobody%40example.com', VIEW_GROUP_TOKEN, '?auth_test=true');
    expect(test.status).toBe(202);
    expect(((await test.json()) as { success: { code: number } }).success.code).toBe(202);
    expect((await lookup('101', 'no-such-token')).status).toBe(401);
    expect((await lookup('101', null)).status).toBe(401);
  });

  it('counts every lookup against the token, found or not, and has no flood control', async () => {
    const statuses: number[] = [];
    for (const ref of ['101', '102', '999', '103', '104', '101']) {
      const response = await lookup(ref);
      statuses.push(response.status);
      expect(limits(response).floodLimit).toBeNull();
      if (ref === '103') expect(limits(response)).toMatchObject({ limit: 5, remaining: 1 });
    }
    expect(statuses).toEqual([200, 200, 404, 200, 200, 429]);
  });

  it('answers 405 for other methods', async () => {
    const response = await fetch(`${sandbox.url}/v2/user/101`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${PERSONAL_TOKEN}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});

describe('POST /v2/user/{id_or_email}/message', () => {
  it('answers 204 and records the private message for the user', async () => {
    const response = await message(encodeURIComponent('alice@example.com'));
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(limits(response).floodLimit).toBeNull();
    const [sent] = sandbox.privateMessages();
    expect(sent).toMatchObject({
      seq: 1,
      requestSeq: 1,
      userId: 101,
      email: 'alice@example.com',
      mentionName: 'AliceSmith',
      message: 'Your change broke CI',
      messageFormat: 'text',
      notify: true,
      token: PERSONAL_TOKEN,
    });
    expect(sandbox.privateMessages('@AliceSmith')).toHaveLength(1);
    expect(sandbox.privateMessages(101)).toHaveLength(1);
    expect(sandbox.privateMessages('bob@example.com')).toHaveLength(0);
    expect(sandbox.notifications()).toEqual([]);
    expect(sandbox.requests[0]).toMatchObject({ acted: true, status: 204, room: null });
  });

  it('reaches the user by id and @mention too; format defaults to text, notify to false', async () => {
    expect((await message('102', { message: 'a' })).status).toBe(204);
    expect((await message('%40BobJ', { message: 'b', message_format: 'html' })).status).toBe(204);
    expect(sandbox.privateMessages(USER_BOB.id)).toMatchObject([
      { message: 'a', messageFormat: 'text', notify: false },
      { message: 'b', messageFormat: 'html' },
    ]);
  });

  it.each([
    [{ message: '' }, 'message: must be 1–10000 characters'],
    [{ message: 'x'.repeat(10_001) }, 'message: must be 1–10000 characters'],
    [{}, 'message: required'],
    [{ message: 'x', message_format: 'markdown' }, 'message_format: must be one of'],
    [{ message: 'x', notify: 'yes' }, 'notify: must be true or false'],
    ['[1]', 'Request body must be a JSON object'],
    ['{', 'cannot be parsed as valid JSON'],
  ])('answers 400 for %j', async (body, problem) => {
    const response = await message('101', body);
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toContain(problem);
    expect(sandbox.privateMessages()).toEqual([]);
  });

  it('accepts exactly 10,000 characters; refuses a form body', async () => {
    expect((await message('101', { message: 'x'.repeat(10_000) })).status).toBe(204);
    const form = await message('101', 'message=x', {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(400);
    expect(await errorMessage(form)).toBe(
      'Invalid content type: application/x-www-form-urlencoded',
    );
  });

  it('needs send_message: a room notification token cannot send one', async () => {
    for (const token of [ROOM_TOKEN, VIEW_GROUP_TOKEN, NOTIFY_ONLY_TOKEN]) {
      const refused = await message('101', undefined, { token });
      expect(refused.status).toBe(403);
      expect(await errorMessage(refused)).toBe(
        'This action requires one of the following scopes: [send_message]',
      );
      expect((await message('101', undefined, { token, query: '?auth_test=true' })).status).toBe(
        401,
      );
    }
    expect((await message('101', undefined, { query: '?auth_test=true' })).status).toBe(202);
    expect(sandbox.privateMessages()).toEqual([]);
  });

  it('answers 404 for an unknown user and 405 for GET', async () => {
    const unknown = await message(encodeURIComponent('mallory@example.com'));
    expect(unknown.status).toBe(404);
    expect(await errorMessage(unknown)).toBe('User mallory@example.com not found');
    const get = await fetch(`${sandbox.url}/v2/user/101/message`, {
      headers: { Authorization: `Bearer ${PERSONAL_TOKEN}` },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(sandbox.privateMessages()).toEqual([]);
  });

  it('shares the token window with room notifications', async () => {
    const statuses = [
      (await notify(sandbox, 'CI')).status,
      (await message('101')).status,
      (await lookup('101')).status,
      (await message('102')).status,
      (await notify(sandbox, 'CI')).status,
      (await message('103')).status,
    ];
    expect(statuses).toEqual([204, 204, 200, 204, 204, 429]);
    expect(sandbox.privateMessages()).toHaveLength(2);
  });

  it('takes scripted faults by path, and reset() clears the messages', async () => {
    sandbox.script({ kind: 'status', status: 502, html: true, match: { path: '/message' } });
    expect((await message('101')).status).toBe(502);
    expect(sandbox.privateMessages()).toEqual([]);
    sandbox.script({ kind: 'status', status: 500, acted: true, match: { path: '/v2/user/' } });
    expect((await message('101')).status).toBe(500);
    expect(sandbox.privateMessages()).toHaveLength(1);
    sandbox.reset();
    expect(sandbox.privateMessages()).toEqual([]);
  });
});

describe('control and directory', () => {
  it('lists users in /_sandbox and messages in /_sandbox/messages', async () => {
    expect((await message('101')).status).toBe(204);
    const info = (await (await fetch(`${sandbox.url}/_sandbox`)).json()) as { users: unknown[] };
    expect(info.users).toEqual(DEFAULT_USERS);
    const control = await fetch(`${sandbox.url}/_sandbox/messages?user=alice%40example.com`);
    expect(await control.json()).toMatchObject([{ userId: 101, message: 'Your change broke CI' }]);
    const none = await fetch(`${sandbox.url}/_sandbox/messages?user=102`);
    expect(await none.json()).toEqual([]);
  });

  it('accepts added users', async () => {
    sandbox.addUser({ id: 900, name: 'Eve', mention_name: 'Eve', email: 'eve@example.com' });
    expect((await lookup('eve%40example.com')).status).toBe(200);
  });

  it('findUser reads ids, emails and @mention names, and nothing partial', () => {
    expect(findUser(DEFAULT_USERS, '101')).toBe(USER_ALICE);
    expect(findUser(DEFAULT_USERS, 'ALICE@example.com')).toBe(USER_ALICE);
    expect(findUser(DEFAULT_USERS, '@AliceSmith')).toBe(USER_ALICE);
    for (const ref of ['alice', '@alice', 'alice@', '@example.com', '10', '']) {
      expect(findUser(DEFAULT_USERS, ref), ref).toBeUndefined();
    }
  });

  it('parseUsers validates a directory, naming the entry', () => {
    const eve = { id: 7, name: 'Eve', mention_name: 'Eve', email: 'eve@example.com' };
    expect(parseUsers([eve])).toEqual([eve]);
    expect(() => parseUsers({})).toThrow('users: must be a JSON array');
    expect(() => parseUsers([{ ...eve, id: 0 }])).toThrow('users[0].id');
    expect(() => parseUsers([{ ...eve, mention_name: 'E ve' }])).toThrow('users[0].mention_name');
    expect(() => parseUsers([{ ...eve, email: 'eve' }])).toThrow('users[0].email');
    expect(() => parseUsers([eve, { ...eve, id: 8, email: 'x@y' }])).toThrow(
      'users[1].mention_name: Eve is used twice',
    );
  });

  it('the CLI replaces the directory with --users', () => {
    const users = parseCliArgs([
      '--users',
      '[{"id":7,"name":"Eve","mention_name":"Eve","email":"e@x"}]',
    ]).sandbox.users;
    expect(users).toEqual([{ id: 7, name: 'Eve', mention_name: 'Eve', email: 'e@x' }]);
    expect(() => parseCliArgs(['--users', '[{"id":"x"}]'])).toThrow('--users: users[0].id');
    expect(() => parseCliArgs(['--users', '[]', '--users-file', 'u.json'])).toThrow(
      '--users and --users-file',
    );
  });
});
