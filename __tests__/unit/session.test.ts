/**
 * The run's HipChat session: the add-on token is minted at most once however many callers ask
 * (people's lookups, the rooms, a private message), a failure included; every call shares one
 * view of the token's window. A scripted client and a clock the test moves: no sockets.
 */
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/delivery/session.js';
import type { AddonCredentials, Clock, Poster } from '../../src/delivery/types.js';
import type { HipChatResponse, TokenAnswer } from '../../src/hipchat/types.js';

const START = Date.UTC(2026, 11, 1, 12, 0, 0);
const TOKEN = 'minted-token-0123456789';

function clock(): Clock {
  let t = START;
  return {
    now: () => t,
    sleep: (ms) => ((t += ms), Promise.resolve()),
    random: () => 0.5,
  };
}

/** A client whose token requests answer `status` (with a token on 200), counted. */
function client(status: number): Poster & { tokenRequests: number } {
  const answer: TokenAnswer =
    status === 200
      ? {
          status,
          headers: {},
          body: '',
          token: {
            access_token: TOKEN,
            token_type: 'bearer',
            expires_in: 3600,
            scope: 'send_notification',
          },
        }
      : { status, headers: {}, body: '{"error":{"message":"Invalid client"}}' };
  const poster = {
    server: 'https://hipchat.example.com',
    tokenRequests: 0,
    notify: (): Promise<HipChatResponse> => Promise.reject(new Error('not here')),
    addonToken: (): Promise<TokenAnswer> => {
      poster.tokenRequests++;
      return Promise.resolve(answer);
    },
  };
  return poster;
}

function session(poster: Poster, auth: string | AddonCredentials, masked: string[] = []) {
  const log = { info: () => {}, warning: () => {}, debug: () => {} };
  return new Session({
    server: poster.server,
    connect: () => poster,
    auth: typeof auth === 'string' ? auth : { ...auth, mask: (t) => masked.push(t) },
    startMs: START,
    maxWaitMs: 60_000,
    clock: clock(),
    log,
  });
}

const CREDENTIALS: AddonCredentials = { id: 'id', secret: 'secret', mask: () => {} };

describe('Session.token', () => {
  it('mints the add-on token once, masked, for every caller', async () => {
    const poster = client(200);
    const masked: string[] = [];
    const s = session(poster, CREDENTIALS, masked);
    const answers = await Promise.all([s.token(), s.token()]);
    expect(await s.token()).toBe(TOKEN);
    expect(answers).toEqual([TOKEN, TOKEN]);
    expect(poster.tokenRequests).toBe(1);
    expect(masked).toEqual([TOKEN]);
  });

  it('remembers a refusal: the next caller gets the same reason, not a second request', async () => {
    const poster = client(401);
    const s = session(poster, CREDENTIALS);
    const first = await s.token();
    expect(first).toMatchObject({ error: expect.stringMatching(/401/) as unknown });
    expect(await s.token()).toEqual(first);
    expect(poster.tokenRequests).toBe(1);
  });

  it('a given token is used as it is, and nothing is asked', async () => {
    const poster = client(200);
    expect(await session(poster, 'personal-token').token()).toBe('personal-token');
    expect(poster.tokenRequests).toBe(0);
  });
});

describe('Session.client', () => {
  it('is made once, and not at all for a run that makes no request', () => {
    let made = 0;
    const poster = client(200);
    const log = { info: () => {}, warning: () => {}, debug: () => {} };
    const options = { server: poster.server, auth: 't', startMs: START, maxWaitMs: 1_000, log };
    const online = new Session({ ...options, connect: () => (made++, poster), clock: clock() });
    expect(online.client()).toBe(online.client());
    expect(made).toBe(1);
    const offline = new Session({ ...options, connect: undefined, clock: clock() });
    expect(offline.client()).toBeUndefined();
    expect(offline.poster().server).toBe(poster.server);
  });
});
