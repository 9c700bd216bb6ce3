import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server.ts';
import {
  NOTIFY_ONLY_TOKEN,
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  PERSONAL_TOKEN,
  ROOM_TOKEN,
  startSandbox,
  USER_ALICE,
  VIEW_MESSAGES,
} from '../../sandbox/server.ts';
import { errorMessage, notify } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

interface Item {
  id: string;
  date: string;
  type: string;
  from: unknown;
  message: string;
  message_format: string;
  color?: string;
  card?: { id?: string };
}

function history(room: string, query = '', token: string | null = PERSONAL_TOKEN) {
  const headers: Record<string, string> =
    token === null ? {} : { Authorization: `Bearer ${token}` };
  return fetch(`${sandbox.url}/v2/room/${room}/history/latest${query}`, { headers });
}

async function items(room: string, query = ''): Promise<Item[]> {
  const response = await history(room, query);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Item[] }).items;
}

describe('GET /v2/room/{id_or_name}/history/latest', () => {
  it('lists the notifications delivered, oldest first, in HipChat shape, with the id the sandbox gave each', async () => {
    await notify(sandbox, 'CI', { message: 'first', from: 'CI', color: 'green' });
    await notify(sandbox, 'CI', { message: '<b>second</b>', message_format: 'html' });
    await notify(sandbox, 'Ops', { message: 'elsewhere' });
    const list = await items('CI');
    expect(list.map((i) => i.message)).toEqual(['first', '<b>second</b>']);
    const delivered = sandbox.notifications('CI');
    expect(list.map((i) => i.id)).toEqual(delivered.map((n) => n.id));
    expect(list[0]).toMatchObject({
      type: 'notification',
      from: 'CI',
      color: 'green',
      message_format: 'html',
    });
    expect(list[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    // HipChat's dates: microseconds and an offset.
    expect(list[0]!.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    expect(Date.parse(list[0]!.date)).toBe(delivered[0]!.time);
  });

  it("gives people's messages with a user object as `from`, and never private messages", async () => {
    sandbox.addHistory('CI', { from: '@AliceSmith', message: 'deploying now' });
    await fetch(`${sandbox.url}/v2/user/101/message`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${PERSONAL_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'private' }),
    });
    const list = await items('CI');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      type: 'message',
      message: 'deploying now',
      from: { id: USER_ALICE.id, name: USER_ALICE.name, mention_name: USER_ALICE.mention_name },
    });
  });

  it('keeps the history in time order when a message is dated in the past', async () => {
    await notify(sandbox, 'CI', { message: 'now' });
    sandbox.addHistory('CI', {
      type: 'notification',
      message: 'an hour ago',
      date: Date.now() - 3_600_000,
    });
    expect((await items('CI')).map((i) => i.message)).toEqual(['an hour ago', 'now']);
  });

  it('answers the latest max-results, and none older than not-before', async () => {
    for (const n of [1, 2, 3, 4]) await notify(sandbox, 'CI', { message: `m${n}` });
    expect((await items('CI', '?max-results=2')).map((i) => i.message)).toEqual(['m3', 'm4']);
    const second = sandbox.notifications('CI')[1]!.id;
    expect((await items('CI', `?not-before=${second}`)).map((i) => i.message)).toEqual([
      'm2',
      'm3',
      'm4',
    ]);
  });

  it.each(['0', '1001', 'ten', '-1'])('answers 400 to max-results=%s', async (value) => {
    const response = await history('CI', `?max-results=${value}`);
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toContain('max-results');
  });

  it('needs view_messages: 403 for a token without it, 401 on auth_test; a room token has not', async () => {
    for (const token of [ROOM_TOKEN, NOTIFY_ONLY_TOKEN]) {
      const response = await history('CI', '', token);
      expect(response.status).toBe(403);
      expect(await errorMessage(response)).toContain(`[${VIEW_MESSAGES}]`);
      expect((await history('CI', '?auth_test=true', token)).status).toBe(401);
    }
    expect((await history('CI', '?auth_test=true')).status).toBe(202);
    expect((await history('CI', '', null)).status).toBe(401);
    expect((await history('Nowhere')).status).toBe(404);
  });

  it('counts against the token window but not flood control, and is recorded', async () => {
    const response = await history('CI');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('99');
    const [record] = await sandbox.waitForRequests(1);
    expect(record).toMatchObject({ method: 'GET', room: 'CI', roomId: 1, status: 200 });
    expect(record!.query).toEqual({});
    expect(
      (await fetch(`${sandbox.url}/v2/room/CI/history/latest`, { method: 'POST' })).status,
    ).toBe(405);
  });

  it('is readable with an add-on token minted with view_messages', async () => {
    const minted = await fetch(`${sandbox.url}/v2/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${OAUTH_CLIENT_ID}:${OAUTH_CLIENT_SECRET}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=send_notification view_messages',
    });
    const { access_token: token } = (await minted.json()) as { access_token: string };
    expect((await history('CI', '', token)).status).toBe(200);
  });
});

describe('attach_to', () => {
  it('is recorded, and attaches the notification to a message of the same room', async () => {
    await notify(sandbox, 'CI', { message: '🚀 started' });
    const parent = sandbox.notifications('CI')[0]!.id;
    expect((await notify(sandbox, 'CI', { message: '✅ done', attach_to: parent })).status).toBe(
      204,
    );
    const child = sandbox.notifications('CI')[1]!;
    expect(child).toMatchObject({ attachTo: parent, attachedTo: parent });
    expect(sandbox.history('CI')[1]!.attachedTo).toBe(parent);
  });

  it('renders an id of another room, or of no message, unattached (HipChat does too)', async () => {
    await notify(sandbox, 'Ops', { message: 'elsewhere' });
    const other = sandbox.notifications('Ops')[0]!.id;
    await notify(sandbox, 'CI', { message: 'a', attach_to: other });
    await notify(sandbox, 'CI', { message: 'b', attach_to: 'no-such-message' });
    for (const n of sandbox.notifications('CI')) {
      expect(n.attachTo).toBeDefined();
      expect(n.attachedTo).toBeUndefined();
    }
  });

  it('answers 400 to attach_to: null and to one over 36 characters', async () => {
    const nullish = await notify(sandbox, 'CI', { message: 'x', attach_to: null });
    expect(nullish.status).toBe(400);
    expect(await errorMessage(nullish)).toContain('attach_to');
    expect((await notify(sandbox, 'CI', { message: 'x', attach_to: 'a'.repeat(37) })).status).toBe(
      400,
    );
    expect(sandbox.notifications()).toHaveLength(0);
  });
});

describe('control: history and the room page', () => {
  it('puts messages into a room over HTTP and lists them', async () => {
    const put = await fetch(`${sandbox.url}/_sandbox/history`, {
      method: 'POST',
      body: JSON.stringify([
        { room: 'CI', from: 'alice@example.com', message: 'hi' },
        { room: 1, type: 'notification', from: 'Jenkins', message: 'build 7 ok' },
      ]),
    });
    expect(put.status).toBe(200);
    const listed = (await (
      await fetch(`${sandbox.url}/_sandbox/history?room=CI`)
    ).json()) as Item[];
    expect(listed.map((i) => i.message)).toEqual(['hi', 'build 7 ok']);
    const bad = await fetch(`${sandbox.url}/_sandbox/history`, {
      method: 'POST',
      body: JSON.stringify({ room: 'CI', from: 'nobody', message: 'x' }),
    });
    expect(bad.status).toBe(400);
  });

  it('shows a follow-up under the notification it answers, escaped', async () => {
    await notify(sandbox, 'CI', { message: '🚀 Deploy started <script>x()</script>', from: 'CI' });
    const parent = sandbox.notifications('CI')[0]!.id;
    sandbox.addHistory('CI', { from: '@AliceSmith', message: 'watching <it>' });
    await notify(sandbox, 'CI', { message: '✅ Deploy succeeded', attach_to: parent });
    const page = await fetch(`${sandbox.url}/_sandbox/room?room=CI`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('watching &lt;it&gt;');
    const parentAt = html.indexOf(`data-id="${parent}"`);
    const replies = html.indexOf('data-testid="replies"');
    const child = html.indexOf('✅ Deploy succeeded');
    const alice = html.indexOf('watching');
    // The follow-up sits inside the parent, before Alice's later message.
    expect(parentAt).toBeGreaterThan(-1);
    expect(replies).toBeGreaterThan(parentAt);
    expect(child).toBeGreaterThan(replies);
    expect(alice).toBeGreaterThan(child);
    expect((await fetch(`${sandbox.url}/_sandbox/room?room=Nowhere`)).status).toBe(404);
  });
});
