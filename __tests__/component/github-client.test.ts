/**
 * The GitHub client over real sockets on 127.0.0.1: every page of a listing, a log download's
 * redirect followed without the token, answers that are too large or not JSON, and each
 * request bounded by `timeout` and by what the budget has left.
 */
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitHubClient, MAX_JSON_BYTES } from '../../src/github/client.js';
import { GitHubError } from '../../src/github/errors.js';
import { matrix, startFakeGithub } from '../support/fake-github.js';
import { startHostileServer } from '../support/hostile-server.js';
import type { FakeGithub } from '../support/fake-github.js';
import type { LogSink } from '../../src/github/client.js';

let fake: FakeGithub;
const servers: Server[] = [];

beforeAll(async () => {
  fake = await startFakeGithub({ repository: 'octo/app', runId: 5 });
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  fake.failWith(null);
  fake.requests.length = 0;
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function client(overrides: Partial<ConstructorParameters<typeof GitHubClient>[0]> = {}) {
  return new GitHubClient({
    apiUrl: fake.url,
    token: fake.token,
    timeoutMs: 5_000,
    deadlineMs: Date.now() + 10_000,
    ...overrides,
  });
}

/** A one-off server answering every request with `handler`; its URL. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A sink keeping what a download gave: where each body began, and its bytes. */
function recorder(): LogSink & { begins: number[]; sizes: number[]; text(): string } {
  const pieces: Buffer[] = [];
  const begins: number[] = [];
  const sizes: number[] = [];
  return {
    begins,
    sizes,
    begin(from) {
      begins.push(from);
      pieces.length = 0;
    },
    chunk(bytes) {
      sizes.push(bytes.length);
      pieces.push(Buffer.from(bytes));
    },
    text: () => Buffer.concat(pieces).toString('utf8'),
  };
}

async function failure(promise: Promise<unknown>): Promise<GitHubError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitHubError);
  return error as GitHubError;
}

describe('listAll', () => {
  it('reads every page, 100 at a time', async () => {
    fake.setJobs(matrix('test', 256));
    const c = client();
    try {
      const { items, total, complete } = await c.listAll(
        '/repos/octo/app/actions/runs/5/jobs',
        'jobs',
        { filter: 'latest' },
      );
      expect([items.length, total, complete]).toEqual([256, 256, true]);
      expect(fake.requests.map((r) => r.query.page)).toEqual(['1', '2', '3']);
      expect(new Set(items.map((j) => (j as { id: number }).id)).size).toBe(256);
    } finally {
      await c.close();
    }
  });
});

describe('download', () => {
  it('follows the redirect to the log host without the Authorization header, streamed', async () => {
    fake.setJobs([{ name: 'big', log: { line: 'x'.repeat(99), lines: 20_000 } }]);
    const c = client();
    const sink = recorder();
    try {
      const got = await c.download(`/repos/octo/app/actions/jobs/${fake.jobs()[0]!.id}/logs`, sink);
      expect(got).toEqual({ from: 0 });
    } finally {
      await c.close();
    }
    expect(sink.sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(2_000_000);
    expect(sink.sizes.length).toBeGreaterThan(10); // pieces, not one buffer
    expect(sink.begins).toEqual([0]);
    const [api, host] = fake.requests;
    expect(api).toMatchObject({ host: 'api', authorization: `token ${fake.token}` });
    expect(host).toMatchObject({ host: 'logs', authorization: undefined, range: undefined });
  });

  it('reads only the end of a long log from a host with byte ranges', async () => {
    const line = `${'y'.repeat(70)} é`; // a two-byte character: offsets count bytes
    fake.setJobs([{ name: 'long', log: { line, lines: 100_000, tail: 'the end' } }]);
    const size = (29 + Buffer.byteLength(line) + 1) * 100_000 + 29 + 'the end'.length;
    const c = client();
    const sink = recorder();
    try {
      const path = `/repos/octo/app/actions/jobs/${fake.jobs()[0]!.id}/logs`;
      const got = await c.download(path, sink, 4096);
      expect(got).toEqual({ from: size - 4096 });
    } finally {
      await c.close();
    }
    expect(sink.begins).toEqual([size - 4096]);
    expect(Buffer.byteLength(sink.text())).toBe(4096);
    expect(sink.text()).toMatch(/ é\n2026-01-01T12:00:00.0000000Z the end$/);
    const logs = fake.requests.filter((r) => r.host === 'logs');
    expect(logs.map((r) => [r.authorization, r.range])).toEqual([
      [undefined, undefined],
      [undefined, `bytes=${size - 4096}-`],
    ]);
  });

  it('reads the whole log where the host ignores ranges, and a short log whole anyway', async () => {
    fake.setJobs([
      { name: 'long', log: { line: 'z'.repeat(99), lines: 1000 } },
      { name: 'short', log: 'just this' },
    ]);
    const c = client();
    try {
      fake.setLogRanges(false);
      const whole = recorder();
      const [long, short] = fake.jobs();
      expect(
        await c.download(`/repos/octo/app/actions/jobs/${long!.id}/logs`, whole, 4096),
      ).toEqual({ from: 0 });
      expect(whole.text().length).toBe(129 * 1000);
      fake.setLogRanges(true);
      const small = recorder();
      expect(
        await c.download(`/repos/octo/app/actions/jobs/${short!.id}/logs`, small, 4096),
      ).toEqual({ from: 0 });
      expect(small.text()).toBe('2026-01-01T12:00:00.0000000Z just this');
    } finally {
      fake.setLogRanges(true);
      await c.close();
    }
    expect(fake.requests.filter((r) => r.range !== undefined)).toEqual([]);
  });

  it('refuses a redirect that is not http(s)', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    });
    const c = client({ apiUrl: url });
    try {
      const error = await failure(c.download('/logs', recorder()));
      expect(error.message).toMatch(/redirected to a file: URL; the log was not read/);
    } finally {
      await c.close();
    }
  });

  it('a job still running has no log: a 404, as an error', async () => {
    fake.setJobs([{ name: 'running', status: 'in_progress' }]);
    const c = client();
    try {
      const error = await failure(
        c.download(`/repos/octo/app/actions/jobs/${fake.jobs()[0]!.id}/logs`, recorder()),
      );
      expect(error).toMatchObject({ kind: 'http', status: 404 });
    } finally {
      await c.close();
    }
  });
});

describe('hostile headers', () => {
  it('a header named constructor or __proto__ does not fail the request', async () => {
    const url = await serve((_req, res) => {
      res.setHeader('constructor', 'x');
      res.setHeader('__proto__', 'y');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ total_count: 0, jobs: [] }));
    });
    const c = client({ apiUrl: url });
    try {
      expect(await c.listAll('/repos/o/r/actions/runs/1/jobs', 'jobs')).toEqual({
        items: [],
        total: 0,
        complete: true,
      });
    } finally {
      await c.close();
    }
  });
});

describe('bounded answers', () => {
  it('a JSON answer over the cap is refused, not read to the end', async () => {
    let written = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      const more = (): void => {
        while (written < 64 * MAX_JSON_BYTES) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => (written = Infinity));
      more();
    });
    const c = client({ apiUrl: url });
    try {
      const error = await failure(c.getJson('/huge'));
      expect(error.kind).toBe('body');
      expect(error.message).toMatch(/larger than 8192 KiB/);
    } finally {
      await c.close();
    }
  });

  it('a success that is not JSON (a login page) is an error naming GITHUB_API_URL', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>Please log in</html>');
    });
    const c = client({ apiUrl: url });
    try {
      const error = await failure(c.getJson('/repos/o/r'));
      expect(error.message).toMatch(/not JSON \(text\/html\): is GITHUB_API_URL the GitHub API/);
    } finally {
      await c.close();
    }
  });
});

describe('every request in the budget', () => {
  it('gets what the deadline leaves when that is less than timeout', async () => {
    fake.failWith('hang');
    const started = Date.now();
    const c = client({ timeoutMs: 30_000, deadlineMs: started + 400 });
    try {
      const error = await failure(c.getJson('/repos/octo/app/actions/runs/5'));
      expect(error.kind).toBe('timeout');
      expect(error.message).toMatch(/within the 0\.\d s that `max-wait` leaves for GitHub/);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await c.close();
    }
  });

  it('and no request at all once the deadline has passed', async () => {
    const c = client({ deadlineMs: Date.now() - 1 });
    try {
      expect((await failure(c.getJson('/x'))).kind).toBe('budget');
      expect(fake.requests).toEqual([]);
    } finally {
      await c.close();
    }
  });
});

describe('connections', () => {
  for (const scheme of ['http', 'https'] as const) {
    it(`a ${scheme} server that closes right after accept: one connection, a network error`, async () => {
      const hostile = await startHostileServer({ kind: 'close-on-accept' });
      const c = client({ apiUrl: `${scheme}://127.0.0.1:${hostile.port}`, timeoutMs: 2_000 });
      try {
        const error = await failure(c.getJson('/repos/octo/app/actions/runs/5'));
        expect(error.kind).toBe('network');
        expect(error.message).toMatch(/could not reach the GitHub API/);
        // One attempt, one connection: never a reconnect storm until the deadline.
        expect(hostile.connections).toBe(1);
      } finally {
        await c.close();
        await hostile.close();
      }
    });
  }
});
