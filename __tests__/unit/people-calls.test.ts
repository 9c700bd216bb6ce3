/**
 * User lookups and private messages through the run's pacing, retries and budget: plain
 * functions over a scripted client and a clock the test moves (no sockets, no sleeping).
 */
import { describe, expect, it } from 'vitest';
import { Budget } from '../../src/delivery/budget.js';
import { Limiter } from '../../src/delivery/limiter.js';
import type { Clock } from '../../src/delivery/types.js';
import type { HipChatResponse } from '../../src/hipchat/types.js';
import type { CallContext, PeopleClient } from '../../src/people/calls.js';
import { lookupUser, sendPrivateMessage } from '../../src/people/calls.js';
import { messagePerson } from '../../src/people/private-message.js';
import { failureMessage, sentCount, summaryMarkdown } from '../../src/report/report.js';

const START = Date.UTC(2026, 11, 1, 12, 0, 0);

/** Time that passes only when something sleeps. */
function clock(): Clock & { slept: number[] } {
  let t = START;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: (ms) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
  };
}

const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HipChatResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const hipchatError = (status: number, message: string): HipChatResponse =>
  json(status, { error: { code: status, message, type: 'Error' } });
const ALICE = {
  id: 101,
  name: 'Alice Smith',
  mention_name: 'AliceSmith',
  email: 'alice@example.com',
};

/** A client that answers from a script, and records what it was asked. */
function scripted(answers: HipChatResponse[]): PeopleClient & { calls: string[] } {
  const calls: string[] = [];
  const next = (what: string): Promise<HipChatResponse> => {
    calls.push(what);
    const answer = answers.shift();
    return answer ? Promise.resolve(answer) : Promise.reject(new Error('no more answers'));
  };
  return {
    server: 'https://hipchat.example.com',
    calls,
    user: (_token, user) => next(`GET ${user}`),
    privateMessage: (_token, user, _body, authTest) =>
      next(`POST ${user}${authTest ? ' auth' : ''}`),
  };
}

function context(
  client: PeopleClient,
  maxWaitMs = 60_000,
): CallContext & { clock: ReturnType<typeof clock> } {
  const c = clock();
  const log = { info: () => {}, warning: () => {}, debug: () => {} };
  return {
    client,
    token: 't',
    limiter: new Limiter(),
    budget: new Budget(START, maxWaitMs, c, log),
    clock: c,
  };
}

describe('lookupUser', () => {
  it('finds a user, or nobody on 404', async () => {
    const ctx = context(scripted([json(200, ALICE), hipchatError(404, 'User x not found')]));
    expect(await lookupUser(ctx, 'alice@example.com')).toEqual({ found: true, user: ALICE });
    expect(await lookupUser(ctx, 'x@example.com')).toEqual({ found: false });
  });

  it('says which scope a refused token lacks, and which token kinds have it', async () => {
    const ctx = context(
      scripted([
        hipchatError(403, 'This action requires one of the following scopes: [view_group]'),
      ]),
    );
    const answer = await lookupUser(ctx, 'alice@example.com');
    expect(answer).toMatchObject({ found: false, failed: true, refused: true });
    expect(answer.found === false && answer.failed === true && answer.reason).toMatch(
      /may not look users up \(403, HipChat: "This action requires .*\[view_group\]"\): it needs the view_group scope, which a room notification token never has\. Use a personal access token/,
    );
  });

  it('does not trust a 2xx that is not a user', async () => {
    const page: HipChatResponse = {
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html>',
    };
    const answer = await lookupUser(context(scripted([page, page, page])), 'alice@example.com');
    expect(answer).toMatchObject({ found: false, failed: true });
  });

  it('waits out a 429 until the reset it announces, then asks again', async () => {
    const reset = String(START / 1000 + 3);
    const ctx = context(
      scripted([
        hipchatError(429, 'rate limited'),
        json(200, ALICE, {
          'x-ratelimit-limit': '100',
          'x-ratelimit-remaining': '5',
          'x-ratelimit-reset': reset,
        }),
      ]),
    );
    const answer = await lookupUser(ctx, 'alice@example.com');
    expect(answer.found).toBe(true);
    expect(ctx.clock.slept.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('shares the token window with the room posts: a used-up window holds them back', async () => {
    const reset = START / 1000 + 5;
    const headers = {
      'x-ratelimit-limit': '100',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(reset),
    };
    const ctx = context(scripted([json(200, ALICE, headers)]));
    await lookupUser(ctx, 'alice@example.com');
    const blocker = ctx.limiter.blocker(['token', 'room:CI'], ctx.clock.now());
    expect(blocker).toMatchObject({ kind: 'time', key: 'token' });
    expect(blocker?.kind === 'time' && blocker.atMs).toBeGreaterThanOrEqual(reset * 1000);
  });

  it('gives up within its budget, naming max-wait, instead of waiting past it', async () => {
    const far = String(START / 1000 + 600);
    const limited = json(
      429,
      { error: { code: 429, message: 'slow down' } },
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': far },
    );
    const ctx = context(scripted([limited]), 30_000);
    const answer = await lookupUser(ctx, 'alice@example.com');
    expect(answer).toMatchObject({ found: false, failed: true });
    expect(answer.found === false && answer.failed === true && answer.reason).toMatch(/max-wait/);
    expect(ctx.clock.slept).toEqual([]);
  });
});

describe('sendPrivateMessage', () => {
  const body = { message: 'CI failed', message_format: 'text' as const, notify: true };

  it('is one result of kind private_message', async () => {
    const ctx = context(scripted([{ status: 204, headers: {}, body: '' }]));
    expect(await sendPrivateMessage(ctx, '101', body, false)).toEqual({
      kind: 'private_message',
      user: '101',
      ok: true,
      status: 204,
      attempts: 1,
    });
  });

  it('names the send_message scope when the token may not, with HipChat words quoted', async () => {
    const said =
      'This action requires one of the following scopes: [send_message]\n::error::forged';
    const ctx = context(scripted([hipchatError(403, said)]));
    const result = await sendPrivateMessage(ctx, '@AliceSmith', body, false);
    expect(result).toMatchObject({ ok: false, status: 403, attempts: 1 });
    expect(result.error).toMatch(
      /^Private message to @AliceSmith refused: the token may not send private messages/,
    );
    expect(result.error).toContain('send_message scope, which a room notification token never has');
    expect(result.error).not.toContain('\n');
    expect(result.error).toContain('\\n::error::forged');
  });

  it('retries a 500 and says it may have arrived twice', async () => {
    const ctx = context(
      scripted([hipchatError(500, 'oops'), { status: 204, headers: {}, body: '' }]),
    );
    const result = await sendPrivateMessage(ctx, '101', body, false);
    expect(result).toMatchObject({ ok: true, attempts: 2, possibly_duplicated: true });
  });
});

describe('messagePerson and the report', () => {
  const log = { info: () => {}, notice: () => {} };
  const settings = { privateMessage: true, authTest: true, dryRun: false, format: 'text' as const };
  const plan = { messageTo: '101', notices: [], info: [] };

  it('auth-tests first and sends nothing when the test fails', async () => {
    const client = scripted([
      hipchatError(401, 'This action requires one of the following scopes: [send_message]'),
    ]);
    const result = await messagePerson(plan, 'x', settings, context(client), log);
    expect(client.calls).toEqual(['POST 101 auth']);
    expect(result).toMatchObject({ ok: false, status: 401 });
    expect(result?.error).toMatch(/auth test to 101 refused/);
  });

  it('counts the auth test in the attempts; nothing is due without a plan target', async () => {
    const ok = { status: 204, headers: {}, body: '' };
    const client = scripted([{ ...ok, status: 202 }, ok]);
    expect(await messagePerson(plan, 'x', settings, context(client), log)).toMatchObject({
      ok: true,
      attempts: 2,
    });
    expect(
      await messagePerson({ ...plan, messageTo: '' }, 'x', settings, context(client), log),
    ).toBeUndefined();
  });

  it('keeps rooms and the private message apart in sent, the failure and the summary', () => {
    const results = [
      { room: 'CI', ok: true, status: 204, attempts: 1 },
      {
        kind: 'private_message' as const,
        user: '101',
        ok: false,
        status: 403,
        attempts: 1,
        error: 'refused',
      },
    ];
    expect(sentCount(results)).toBe(1);
    expect(failureMessage(results)).toBe('HipChat private message failed: refused');
    const summary = summaryMarkdown({
      message: 'm',
      color: 'red',
      format: 'text',
      results,
      dryRun: false,
    });
    expect(summary).toContain('delivered to 1 of 1 room');
    expect(summary).toContain('| private message to 101 | ❌ refused | 403 | 1 |');
  });
});
