/**
 * The HTTP edge's view of failures: which proxy a request takes (NO_PROXY and friends), and
 * whether a failure happened before the request was sent (safe to retry) or after (HipChat may
 * have acted) — observed on real sockets, not mocked.
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HipChatClient } from '../../src/hipchat/client.js';
import { TransportError, toTransportError } from '../../src/hipchat/transport-error.js';
import { isLoopback } from '../../src/http/hosts.js';
import { bypassesProxy, proxyFor } from '../../src/http/proxy.js';
import { decide } from '../../src/delivery/retry-policy.js';
import { PERSONAL_TOKEN, startSandbox } from '../../sandbox/server.ts';
import { startForwardProxy } from '../support/forward-proxy.ts';

const BODY = { message: 'hi', color: 'red', message_format: 'text', notify: false } as const;

describe('NO_PROXY', () => {
  it.each([
    ['hipchat.corp', 443, 'hipchat.corp', true],
    ['HipChat.Corp', 443, 'hipchat.corp', true],
    ['chat.hipchat.corp', 443, 'hipchat.corp', true], // a domain covers its subdomains
    ['chat.hipchat.corp', 443, '.hipchat.corp', true],
    ['hipchat.corp', 443, '.hipchat.corp', true],
    ['chat.hipchat.corp', 443, '*.hipchat.corp', true],
    ['nothipchat.corp', 443, 'hipchat.corp', false], // suffix on a label boundary only
    ['hipchat.corp', 443, 'other.corp, hipchat.corp', true],
    ['hipchat.corp', 443, 'other.corp hipchat.corp', true], // spaces separate too
    ['hipchat.corp', 443, ' , ,other.corp,, ', false],
    ['hipchat.corp', 8443, 'hipchat.corp:8443', true],
    ['hipchat.corp', 443, 'hipchat.corp:8443', false],
    ['anything.example', 443, '*', true],
    ['10.1.2.3', 443, '10.1.2.3', true],
    ['10.1.2.3', 443, '10.0.0.0/8', true],
    ['11.1.2.3', 443, '10.0.0.0/8', false],
    ['110.1.2.3', 443, '10.1.2.3', false],
    ['[fd00::1]', 443, 'fd00::1', true],
    ['[fd00::1]', 8443, '[fd00::1]:8443', true],
    ['[fd00::1]', 443, 'fd00::/8', true],
  ])('%s:%i with NO_PROXY=%j → direct: %s', (host, port, noProxy, direct) => {
    expect(bypassesProxy(host, port, noProxy)).toBe(direct);
  });

  it('never sends this machine to a proxy', () => {
    for (const host of ['localhost', 'api.localhost', '127.0.0.1', '127.1.2.3', '[::1]']) {
      expect(isLoopback(host)).toBe(true);
    }
    expect(isLoopback('hipchat.corp')).toBe(false);
  });
});

describe('proxyFor', () => {
  const https = new URL('https://hipchat.corp');
  const http = new URL('http://hipchat.corp:8080');

  it('takes https_proxy/HTTPS_PROXY for https, http_proxy/HTTP_PROXY for http, lower case first', () => {
    const env = {
      https_proxy: 'http://lower:1',
      HTTPS_PROXY: 'http://upper:2',
      HTTP_PROXY: 'http://plain:3',
    };
    expect(proxyFor(https, env)).toMatchObject({ uri: 'http://lower:1', variable: 'https_proxy' });
    expect(proxyFor(https, { HTTPS_PROXY: 'http://upper:2' })).toMatchObject({
      variable: 'HTTPS_PROXY',
    });
    expect(proxyFor(http, env)).toMatchObject({ uri: 'http://plain:3', variable: 'HTTP_PROXY' });
    // As curl and the Actions toolkit: an https server does not fall back to HTTP_PROXY.
    expect(proxyFor(https, { HTTP_PROXY: 'http://plain:3' })).toBeUndefined();
  });

  it('honours NO_PROXY and no_proxy, and never proxies loopback', () => {
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.corp' })).toBeUndefined();
    expect(
      proxyFor(https, { HTTPS_PROXY: 'http://p:1', no_proxy: 'hipchat.corp' }),
    ).toBeUndefined();
    expect(proxyFor(new URL('https://127.0.0.1:9'), { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
  });

  it('accepts host:port without a scheme, hides credentials, and names a bad variable without its value', () => {
    expect(proxyFor(https, { HTTPS_PROXY: 'proxy.corp:3128' })).toMatchObject({
      uri: 'http://proxy.corp:3128',
      display: 'http://proxy.corp:3128',
    });
    expect(proxyFor(https, { HTTPS_PROXY: 'http://me:s3cret@proxy.corp:3128' })?.display).toBe(
      'http://proxy.corp:3128',
    );
    expect(() => proxyFor(https, { HTTPS_PROXY: 'http://[bad' })).toThrow(
      /^HTTPS_PROXY is not a proxy URL \(value hidden\)/,
    );
    expect(() => proxyFor(https, { HTTPS_PROXY: 'socks5://p:1080' })).toThrow(/not supported/);
  });
});

describe('classification', () => {
  it('tells a failure before sending from one after, by what the client knows', () => {
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(toTransportError(reset, 'http://h', { sent: false })).toMatchObject({
      kind: 'reset',
      maybeActed: false,
    });
    expect(toTransportError(reset, 'http://h', { sent: true })).toMatchObject({
      kind: 'reset',
      maybeActed: true,
    });
    const timeout = Object.assign(new Error('t'), { code: 'TIMEOUT' });
    expect(toTransportError(timeout, 'http://h', { sent: false })).toMatchObject({
      kind: 'connect-timeout',
      maybeActed: false,
    });
    expect(toTransportError(timeout, 'http://h', { sent: true })).toMatchObject({
      kind: 'timeout',
      maybeActed: true,
    });
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const error = toTransportError(Object.assign(new Error(code), { code }), 'http://h');
      expect(error).toMatchObject({ kind: 'dns', maybeActed: false });
      expect(decide({ kind: 'transport', error }, 1, 0, 0, () => 0.5)).toMatchObject({
        action: 'retry',
        ambiguous: false,
      });
    }
  });

  it("reads a proxy's refusal: 407 and 403 are never retried, 502 is", () => {
    const tunnel = (status: number): Error =>
      Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), {
        code: 'UND_ERR_ABORTED',
      });
    const auth = toTransportError(tunnel(407), 'https://h', { proxy: 'http://p:1' });
    expect(auth).toMatchObject({ kind: 'proxy', maybeActed: false });
    expect(auth.message).toMatch(/refused .*\(407\).*HTTPS_PROXY=http:\/\/user:password@/);
    expect(decide({ kind: 'transport', error: auth }, 1, 0, 0, () => 0)).toEqual({
      action: 'fail',
      ambiguous: false,
    });
    const bad = toTransportError(tunnel(502), 'https://h', { proxy: 'http://p:1' });
    expect(bad).toMatchObject({ kind: 'unreachable', maybeActed: false });
  });
});

describe('on real sockets', () => {
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function tcpServer(onSocket: (socket: Socket) => void): Promise<number> {
    const sockets = new Set<Socket>();
    const server: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      onSocket(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    );
    return (server.address() as AddressInfo).port;
  }

  async function failure(
    server: string,
    timeoutMs = 2_000,
    options: {
      budgetMs?: number;
      env?: NodeJS.ProcessEnv;
      client?: (c: HipChatClient) => void;
    } = {},
  ): Promise<TransportError> {
    const client = new HipChatClient({ server, timeoutMs, env: options.env ?? {} });
    options.client?.(client);
    closers.push(() => client.close());
    const error = await client
      .notify(PERSONAL_TOKEN, 'CI', BODY, false, { budgetMs: options.budgetMs })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(TransportError);
    return error as TransportError;
  }

  it('connection refused: not sent, retried', async () => {
    const port = await tcpServer(() => {});
    await closers.pop()!();
    const error = await failure(`http://127.0.0.1:${port}`);
    expect(error).toMatchObject({ kind: 'refused', maybeActed: false });
  });

  it('a reset during the TLS handshake: not sent, so retried as safe', async () => {
    const port = await tcpServer((socket) => socket.resetAndDestroy());
    const error = await failure(`https://127.0.0.1:${port}`);
    expect(error.maybeActed).toBe(false);
    expect(decide({ kind: 'transport', error }, 1, 1, 0, () => 0)).toMatchObject({
      action: 'retry',
      ambiguous: false,
    });
  });

  it('a server that accepts but never completes TLS: a timeout while connecting, not sent', async () => {
    const port = await tcpServer(() => {});
    const error = await failure(`https://127.0.0.1:${port}`, 400);
    expect(error).toMatchObject({ kind: 'connect-timeout', maybeActed: false });
    expect(error.message).toMatch(/within the `timeout` \(0\.4 s\): the request was not sent/);
  });

  // The two below give the request far less time (`budgetMs`) than the client's 20 s `timeout`,
  // which is also undici's own connect timeout: only a deadline that covers connection set-up
  // ends them on time. Generous bounds, still far below 20 s.
  it('a hung TLS handshake ends at the request’s own deadline, and close() does not wait for it', async () => {
    const port = await tcpServer(() => {});
    let client: HipChatClient | undefined;
    const started = Date.now();
    const error = await failure(`https://127.0.0.1:${port}`, 20_000, {
      budgetMs: 300,
      client: (c) => (client = c),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ kind: 'connect-timeout', maybeActed: false });
    expect(error.message).toMatch(
      /^No connection to 127\.0\.0\.1:\d+ within the 0\.3 s that `max-wait` had left: the request was not sent/,
    );
    // The abandoned connection attempt must not hold the process (or the step) open.
    const closing = Date.now();
    await client!.close();
    expect(Date.now() - closing).toBeLessThan(5_000);
  });

  it('a proxy that never answers CONNECT: bounded too, naming the proxy', async () => {
    const proxyPort = await tcpServer(() => {});
    const started = Date.now();
    const error = await failure('https://hipchat.test', 20_000, {
      budgetMs: 300,
      env: { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ kind: 'connect-timeout', maybeActed: false });
    expect(error.message).toContain(
      `No connection to hipchat.test (through the proxy http://127.0.0.1:${proxyPort}) within the 0.3 s`,
    );
  });

  it('a reset after the whole request was sent: HipChat may have acted', async () => {
    const sandbox = await startSandbox({ faults: [{ kind: 'reset-after' }] });
    closers.push(() => sandbox.close());
    const error = await failure(sandbox.url);
    expect(error).toMatchObject({ kind: 'reset', maybeActed: true });
    expect(sandbox.notifications()).toHaveLength(1);
  });

  it('a silent server: a timeout after sending, within `timeout`', async () => {
    const sandbox = await startSandbox({ faults: [{ kind: 'silent' }] });
    closers.push(() => sandbox.close());
    const started = Date.now();
    const error = await failure(sandbox.url, 300);
    // Bounded (a silent server never ends the request itself); generous for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ kind: 'timeout', maybeActed: true });
    expect(error.message).toMatch(/did not answer within the `timeout` \(0\.3 s\)/);
  });

  it('a silent server: what `max-wait` has left cuts a longer `timeout` short', async () => {
    const sandbox = await startSandbox({ faults: [{ kind: 'silent' }] });
    closers.push(() => sandbox.close());
    const started = Date.now();
    const error = await failure(sandbox.url, 20_000, { budgetMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ kind: 'timeout', maybeActed: true });
    expect(error.message).toMatch(/did not answer within the 0\.3 s that `max-wait` had left/);
    expect(sandbox.requests).toHaveLength(1);
  });

  it('a proxy that demands credentials: a clear, final refusal; with them, through', async () => {
    const sandbox = await startSandbox();
    const proxy = await startForwardProxy({
      hosts: { 'hipchat.test': '127.0.0.1' },
      credentials: 'ci:p@ss',
    });
    closers.push(
      () => sandbox.close(),
      () => proxy.close(),
    );
    const server = `http://hipchat.test:${sandbox.port}`;
    const refused = new HipChatClient({ server, timeoutMs: 2_000, env: { HTTP_PROXY: proxy.url } });
    closers.push(() => refused.close());
    // Absolute-form http through the proxy: the proxy's 407 is an HTTP answer for this client.
    const answer = await refused.notify(PERSONAL_TOKEN, 'CI', BODY).catch((e: unknown) => e);
    expect(answer).toMatchObject({ kind: 'proxy', maybeActed: false });
    const withAuth = new HipChatClient({
      server,
      timeoutMs: 2_000,
      env: { HTTP_PROXY: proxy.url.replace('http://', 'http://ci:p%40ss@') },
    });
    closers.push(() => withAuth.close());
    expect((await withAuth.notify(PERSONAL_TOKEN, 'CI', BODY)).status).toBe(204);
    expect(proxy.requests.map((r) => [r.method, r.status])).toEqual([
      ['POST', 407],
      ['POST', 204],
    ]);
    expect(proxy.requests[1]!.proxyAuthorization).toBe(
      `Basic ${Buffer.from('ci:p@ss').toString('base64')}`,
    );
  });

  it('NO_PROXY sends a matching server directly, past the proxy', async () => {
    const sandbox = await startSandbox();
    const proxy = await startForwardProxy({ hosts: { 'hipchat.test': '127.0.0.1' } });
    closers.push(
      () => sandbox.close(),
      () => proxy.close(),
    );
    const direct = new HipChatClient({
      server: `http://hipchat.test:${sandbox.port}`,
      timeoutMs: 2_000,
      env: { HTTP_PROXY: proxy.url, NO_PROXY: 'other.example, .test' },
      // The runner's own resolver knows hipchat.test here (as a company DNS would).
      lookup: (_host, options, callback) => {
        const cb = callback as unknown as (
          e: null,
          a: string | Array<{ address: string; family: number }>,
          f?: number,
        ) => void;
        if ((options as { all?: boolean }).all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
        else cb(null, '127.0.0.1', 4);
      },
    });
    closers.push(() => direct.close());
    expect(await direct.proxy()).toBeUndefined();
    expect((await direct.notify(PERSONAL_TOKEN, 'CI', BODY)).status).toBe(204);
    expect(proxy.requests).toEqual([]);
    expect(sandbox.notifications()).toHaveLength(1);
  });
});
