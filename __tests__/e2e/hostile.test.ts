/**
 * The committed bundle against hostile peers: broken proxies, servers that cut, drip, flood or
 * answer with things HipChat never sends, workspace files that point outside, and text crafted
 * to escape into the runner's commands or the step summary. Each test names what must hold.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runStep, samplePushEvent } from '../../scripts/lib/action-runner.ts';
import type { StepOptions, StepResult } from '../../scripts/lib/action-runner.ts';
import { startHostileServer } from '../support/hostile-server.ts';
import type { Behaviour, HostileServer } from '../support/hostile-server.ts';
import { startForwardProxy } from '../support/forward-proxy.ts';
import { allSinks, fragmentsOf } from '../support/sinks.ts';

const TOKEN = 'Zq7Rx2Lm9Vb4Nc8Kp3Ws6Yd1Hf5Jg0Tu2Ea7Oi9';
const NO_CONTENT: Behaviour = { kind: 'answer', status: 204 };

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer(NO_CONTENT);
});
afterAll(() => server?.close());
afterEach(() => {
  server.setBehaviour(NO_CONTENT);
  server.reset();
});

function step(
  withInputs: Record<string, string>,
  more: Omit<StepOptions, 'with'> = {},
): Promise<StepResult> {
  return runStep({
    killAfterMs: 25_000,
    ...more,
    with: {
      token: TOKEN,
      room: 'CI',
      server: server.url,
      timeout: '3',
      'max-wait': '4',
      ...withInputs,
    },
  });
}

const posts = (): number => server.requests.filter((r) => r.line.startsWith('POST ')).length;
const results = (run: StepResult): Array<Record<string, unknown>> =>
  JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, unknown>>;
const context = (run: StepResult): string => `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`;

describe('connection storms', () => {
  it('a proxy that closes after CONNECT: one connection per attempt, and the error says so', async () => {
    server.setBehaviour({ kind: 'close-after-head' });
    const run = await step(
      { server: 'https://hipchat.test', 'max-wait': '3' },
      { env: { HTTPS_PROXY: server.url } },
    );
    expect(run.exitCode, context(run)).toBe(1);
    const [result] = results(run);
    expect(server.connections).toBeGreaterThan(0);
    expect(server.connections).toBeLessThanOrEqual(result!.attempts as number);
    expect(run.errors.join('\n')).toMatch(
      /the proxy closed the connection without answering the CONNECT/i,
    );
    expect(run.errors.join('\n')).not.toMatch(/\bTIMEOUT\b|within the/);
  });

  for (const scheme of ['http', 'https'] as const) {
    it(`a ${scheme} server that closes right after accept: one connection per attempt`, async () => {
      server.setBehaviour({ kind: 'close-on-accept' });
      const run = await step({ server: `${scheme}://127.0.0.1:${server.port}`, 'max-wait': '3' });
      expect(run.exitCode, context(run)).toBe(1);
      const [result] = results(run);
      expect(server.connections).toBeGreaterThan(0);
      expect(server.connections).toBeLessThanOrEqual(result!.attempts as number);
      expect(run.errors.join('\n')).toMatch(/closed the connection/);
    });
  }
});

describe('template-file stays in the workspace', () => {
  let outside: string;
  beforeAll(() => {
    outside = mkdtempSync(path.join(tmpdir(), 'hostile-ws-'));
  });
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  /** A workspace of the test's own, so it can hold symlinks and FIFOs. */
  function workspace(setup: (dir: string) => void): string {
    const dir = mkdtempSync(path.join(outside, 'ws-'));
    setup(dir);
    return dir;
  }

  const refused = async (file: string, dir?: string): Promise<StepResult> => {
    const run = await step(
      { 'template-file': file },
      dir ? { env: { GITHUB_WORKSPACE: dir } } : {},
    );
    expect(run.exitCode, context(run)).toBe(1);
    expect(run.errors.join('\n')).toMatch(/`template-file`/);
    expect(server.requests).toHaveLength(0);
    expect(allSinks(run).join('\n')).not.toContain(TOKEN);
    return run;
  };

  it('a symlink to /proc/self/environ is refused before any request', async () => {
    const dir = workspace((d) => symlinkSync('/proc/self/environ', path.join(d, 'msg.txt')));
    const run = await refused('msg.txt', dir);
    expect(run.errors[0]).toMatch(/outside the workspace|not a regular file/);
  });

  it('a symlink to a file outside the workspace is refused', async () => {
    writeFileSync(path.join(outside, 'secret.txt'), 'outside {{ event_name }}');
    const dir = workspace((d) => symlinkSync(path.join(outside, 'secret.txt'), path.join(d, 't')));
    const run = await refused('t', dir);
    expect(run.errors[0]).toMatch(/outside the workspace/);
  });

  it('absolute paths and .. segments out of the workspace are refused', async () => {
    writeFileSync(path.join(outside, 'abs.txt'), 'hello');
    await refused(path.join(outside, 'abs.txt'));
    const dir = workspace((d) => mkdirSync(path.join(d, 'sub')));
    writeFileSync(path.join(path.dirname(dir), 'up.txt'), 'hello');
    await refused('sub/../../up.txt', dir);
  });

  it('a FIFO and a device are refused without blocking', async () => {
    const dir = workspace((d) => execFileSync('mkfifo', [path.join(d, 'pipe')]));
    const run = await refused('pipe', dir);
    expect(run.errors[0]).toMatch(/not a regular file/);
    await refused('/dev/zero');
  });

  it('a file over 1 MiB is refused', async () => {
    const run = await refused(
      'big.txt',
      workspace((d) => writeFileSync(path.join(d, 'big.txt'), 'a'.repeat(1_100_000))),
    );
    expect(run.errors[0]).toMatch(/1 MiB/);
  });
});

describe('secrets leave no sink', () => {
  it('a token echoed past the cut of a snippet leaves no fragment anywhere', async () => {
    server.setBehaviour({
      kind: 'answer',
      status: 400,
      headers: { 'content-type': 'text/plain' },
      body: `${'x'.repeat(105)}${TOKEN} is not valid`,
    });
    const run = await step({});
    expect(run.exitCode).toBe(1);
    expect(fragmentsOf(allSinks(run), [TOKEN])).toEqual([]);
  });

  it('the minted add-on token, the OAuth secret and its Basic value stay out of every sink', async () => {
    const minted = 'MintedAddonToken0123456789abcdefghijklmn';
    const secret = 'OauthSecretValue0123456789';
    const basic = Buffer.from(`addon-id:${secret}`).toString('base64');
    server.setBehaviour((i) =>
      i === 0
        ? {
            kind: 'answer',
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              access_token: minted,
              expires_in: 3600,
              scope: 'send_notification',
            }),
          }
        : {
            kind: 'answer',
            status: 401,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              error: {
                code: 401,
                message: `Bad ${minted.slice(0, 30)} ${basic.slice(4)} ${secret.slice(0, 12)}`,
              },
            }),
          },
    );
    const run = await step({ token: '', 'oauth-id': 'addon-id', 'oauth-secret': secret });
    expect(run.exitCode, context(run)).toBe(1);
    expect(fragmentsOf(allSinks(run), [minted, secret, basic])).toEqual([]);
  });

  it('a GitHub token in the event payload does not reach the room, outputs or summary', async () => {
    const github = 'ghs_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78';
    const event = samplePushEvent(`leak ${github} here`);
    const run = await step({ 'github-token': github }, { event });
    expect(run.exitCode, context(run)).toBe(0);
    const posted = server.requests.map((r) => r.body).join('\n');
    expect(posted).toContain('leak');
    expect(fragmentsOf([posted, ...allSinks(run)], [github])).toEqual([]);
  });
});

describe('server text cannot drive the runner', () => {
  const injected = (run: StepResult): string[] =>
    run.stdout
      .split('\n')
      .filter((l) =>
        /^\s*::(error|warning|notice|set-output|add-mask|stop-commands)::pwn/i.test(l),
      );

  it('an error text with line breaks and :: commands stays data', async () => {
    server.setBehaviour({
      kind: 'answer',
      status: 503,
      headers: { 'content-type': 'application/json', 'retry-after': '1' },
      body: JSON.stringify({
        error: { code: 503, message: 'busy\n::error::pwned\r::add-mask::pwn' },
      }),
    });
    const run = await step({ 'max-wait': '3' });
    expect(injected(run)).toEqual([]);
    expect(run.stdout).not.toMatch(/\n\s*::error::pwned/);
  });

  it("the add-on token answer's scope cannot start a command", async () => {
    server.setBehaviour((i) =>
      i === 0
        ? {
            kind: 'answer',
            status: 200,
            body: JSON.stringify({
              access_token: 'MintedAddonToken0123456789abcdefghijklmn',
              expires_in: 3600,
              scope: 'send_notification\n::warning::pwned',
            }),
          }
        : NO_CONTENT,
    );
    const run = await step({
      token: '',
      'oauth-id': 'addon-id',
      'oauth-secret': 'addon-secret-value',
    });
    expect(run.exitCode, context(run)).toBe(0);
    expect(run.stdout).not.toMatch(/\n\s*::warning::pwned/);
  });

  it('an implausible minted token is an error, not a mask', async () => {
    server.setBehaviour({
      kind: 'answer',
      status: 200,
      body: JSON.stringify({ access_token: 'e', expires_in: 3600, scope: 'send_notification' }),
    });
    const run = await step({
      token: '',
      'oauth-id': 'addon-id',
      'oauth-secret': 'addon-secret-value',
    });
    expect(run.exitCode, context(run)).toBe(1);
    expect(run.masked).not.toContain('e');
    expect(run.errors.join('\n')).toMatch(/access_token.*not a plausible token/);
    expect(posts()).toBe(1); // the token request only
  });
});

describe('bounded answers', () => {
  it('an endless body is cut off and the step ends within max-wait', async () => {
    server.setBehaviour({ kind: 'huge-body', status: 500, bytes: Infinity });
    const run = await step({ timeout: '30', 'max-wait': '3' });
    expect(run.exitCode, context(run)).toBe(1);
    expect(run.durationMs).toBeLessThan(3_000 + 2_000 + 1_500);
  });

  it('a 300 MB answer is read up to a small cap and the rest discarded', async () => {
    server.setBehaviour({ kind: 'huge-body', status: 400, bytes: 300 * 1024 * 1024 });
    const run = await step({ timeout: '30', 'max-wait': '10' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(run.exitCode, context(run)).toBe(1);
    // What the kernel's buffers hold beyond the cap, not the whole answer.
    expect(server.bytesSent).toBeLessThan(32 * 1024 * 1024);
  });

  it('a dripped answer is bounded by max-wait', async () => {
    server.setBehaviour({ kind: 'answer', status: 500, body: 'x'.repeat(5_000), dripMs: 5 });
    const run = await step({ timeout: '30', 'max-wait': '2' });
    expect(run.exitCode, context(run)).toBe(1);
    expect(run.durationMs).toBeLessThan(2_000 + 2_000 + 1_500);
  });
});

describe('a 2xx is delivered', () => {
  it('200 headers, then the body cut: delivered, never posted again', async () => {
    server.setBehaviour({
      kind: 'status-then-cut',
      status: 200,
      headers: { 'content-length': '100' },
      completeHead: true,
      body: '{"ok',
    });
    const run = await step({});
    expect(posts()).toBe(1);
    expect(run.exitCode, context(run)).toBe(0);
  });

  it('a 200 status line, then the connection cut: never posted again', async () => {
    server.setBehaviour({ kind: 'status-then-cut', status: 200 });
    await step({});
    expect(posts()).toBe(1);
  });

  it('headers named like object properties (constructor, __proto__): delivered once', async () => {
    server.setBehaviour({
      kind: 'answer',
      status: 204,
      rawHeaders: ['Constructor: x', '__proto__: y', 'ToString: z'],
    });
    const run = await step({});
    expect(run.exitCode, context(run)).toBe(0);
    expect(posts()).toBe(1);
    expect(results(run)).toMatchObject([{ room: 'CI', ok: true, status: 204, attempts: 1 }]);
    expect(run.stdout + run.stderr).not.toMatch(/is not a function/);
  });

  it('200 with "Please log in" as text is a failure with SSO advice', async () => {
    server.setBehaviour({
      kind: 'answer',
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: 'Please log in',
    });
    const run = await step({});
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/SSO/);
    expect(run.summary).not.toMatch(/✅ delivered/);
    expect(posts()).toBe(1);
  });
});

describe('absurd headers are data errors', () => {
  const noCrash = (run: StepResult): void => {
    expect(run.stdout + run.stderr).not.toMatch(/Invalid time value|RangeError/);
    expect(run.errors.length + run.warnings.length).toBeGreaterThan(0);
  };

  it('a huge Retry-After is ignored or clamped with a clear message', async () => {
    server.setBehaviour({
      kind: 'answer',
      status: 503,
      headers: { 'retry-after': '99999999999999999' },
    });
    const run = await step({ 'max-wait': '3' });
    expect(run.exitCode).toBe(1);
    noCrash(run);
    expect(run.stdout).toMatch(/Retry-After/);
  });

  it('an X-Ratelimit-Reset in the far future or in ms is no crash', async () => {
    server.setBehaviour({
      kind: 'answer',
      status: 429,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1e300',
        'x-ratelimit-limit': '100',
      },
    });
    const a = await step({ 'max-wait': '2' });
    noCrash(a);
    server.setBehaviour({
      kind: 'answer',
      status: 429,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '99999999999999999999',
        'x-ratelimit-limit': '100',
      },
    });
    const b = await step({ 'max-wait': '2' });
    noCrash(b);
  });

  it('a token that cannot go in a header is an input error naming token', async () => {
    const run = await step({ token: 'tökenwithumlaut1234567' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^Invalid input: `token`/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('the step summary is inert', () => {
  /** A Markdown image, heading or link at the start of a line outside an HTML block. */
  const PWNED = /^\s*(# Pwned|!\[pwn\]|\[link\])/m;
  const INJECT =
    '</blockquote>\n\n![pwn](https://evil.example/p.png)\n\n# Pwned heading\n\n[link](https://evil.example)';

  it('a commit message cannot end the HTML block and inject Markdown', async () => {
    for (const format of ['html', 'text']) {
      const run = await step({ format }, { event: samplePushEvent(`msg ${INJECT}`) });
      expect(run.exitCode, context(run)).toBe(0);
      for (const block of run.summary.split(/\n\s*\n/)) {
        expect(block, format).not.toMatch(PWNED);
      }
      server.reset();
    }
  });

  it('a server text in the results table cannot inject Markdown', async () => {
    server.setBehaviour({
      kind: 'answer',
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: { code: 400, message: INJECT } }),
    });
    const run = await step({});
    for (const block of run.summary.split(/\n\s*\n/)) {
      expect(block).not.toMatch(PWNED);
    }
  });

  it('stays under 1 MiB, cut with a marker', async () => {
    server.setBehaviour({
      kind: 'answer',
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        error: { code: 404, message: `Room not found ${'_'.repeat(4_000)}` },
      }),
    });
    const rooms = Array.from({ length: 1_000 }, (_, i) => `room-${i}-${'r'.repeat(90)}`).join(',');
    const run = await step({ room: rooms, 'max-wait': '20' });
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024);
    expect(run.summary).toMatch(/cut/i);
  });
});

describe('smaller edges', () => {
  for (const room of ['.', '..']) {
    it(`room '${room}' never reaches another path`, async () => {
      const run = await step({ room });
      const lines = server.requests.map((r) => r.line);
      if (run.exitCode === 1 && lines.length === 0) {
        expect(run.errors[0]).toMatch(/`room`/);
      } else {
        for (const line of lines) expect(line).toMatch(/^POST \/v2\/room\/[^/]+\/notification /);
      }
    });
  }

  it('an unwritable GITHUB_OUTPUT after a delivery says what was delivered', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hostile-out-'));
    try {
      const run = await step({}, { env: { GITHUB_OUTPUT: dir } });
      expect(posts()).toBe(1);
      expect(run.errors.concat(run.warnings).join('\n')).toMatch(/delivered to 1 of 1 room/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a 3xx names its Location and is not followed', async () => {
    server.setBehaviour({
      kind: 'answer',
      status: 302,
      headers: { location: 'https://sso.example/login' },
    });
    const run = await step({});
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/https:\/\/sso\.example\/login/);
    expect(server.requests).toHaveLength(1);
  });

  it('a 407 to credentials says they were refused', async () => {
    const proxy = await startForwardProxy({ credentials: 'ci:right' });
    try {
      const url = new URL(proxy.url);
      url.username = 'ci';
      url.password = 'wrong';
      const run = await step(
        { server: 'https://hipchat.test' },
        { env: { HTTPS_PROXY: url.href } },
      );
      expect(run.exitCode).toBe(1);
      expect(run.errors.join('\n')).toMatch(/refused the credentials/);
      expect(run.stdout).not.toContain('wrong');
    } finally {
      await proxy.close();
    }
  });
});
