import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../sandbox/cli-args.ts';
import { PERSONAL_TOKEN } from '../../sandbox/server.ts';

// The CLI runs TypeScript directly, which needs Node ≥ 23.6: the project pins Node 24 here.
const NODE = existsSync(resolve('node_modules/.bin/node'))
  ? resolve('node_modules/.bin/node')
  : process.execPath;

describe('parseCliArgs', () => {
  it('maps flags to sandbox options', () => {
    const options = parseCliArgs([
      '--port',
      '8123',
      '--host',
      '127.0.0.1',
      '--token-limit',
      '5/10s',
      '--room-limit',
      '3/2s',
      '--faults',
      '{"status":502,"html":true}',
      '--quiet',
    ]);
    expect(options).toEqual({
      help: false,
      quiet: true,
      sandbox: {
        port: 8123,
        host: '127.0.0.1',
        limits: { token: { limit: 5, windowMs: 10_000 }, room: { limit: 3, windowMs: 2_000 } },
        faults: [{ kind: 'status', status: 502, html: true }],
      },
    });
    expect(parseCliArgs(['--no-limits']).sandbox.limits).toEqual({ enforce: false });
  });

  it('reads faults from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
    try {
      const file = join(dir, 'faults.json');
      writeFileSync(file, '[{"kind":"silent"},{"kind":"delay","ms":10}]');
      expect(parseCliArgs(['--faults-file', file]).sandbox.faults).toEqual([
        { kind: 'silent' },
        { kind: 'delay', ms: 10 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--port', 'x'], /--port: expected a port number/],
    [['--token-limit', '5'], /--token-limit: invalid rate '5'/],
    [['--faults', '[{"kind":"nope"}]'], /--faults: invalid fault \[0\]\.kind/],
    [['--faults', '{'], /--faults: .*JSON/],
    [['--tls-key', 'k.pem'], /--tls-key and --tls-cert go together/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('node sandbox/cli.ts', () => {
  it('prints its URL and tokens, logs each request, and stops on SIGINT', async () => {
    const child = spawn(
      NODE,
      [
        'sandbox/cli.ts',
        '--room-limit',
        '1/1m',
        '--faults',
        '[{"status":503,"match":{"room":"Ops"}}]',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async (): Promise<string> => {
      const line = await lines.next();
      if (line.done === true) throw new Error(`CLI output ended; stderr: ${stderr}`);
      return line.value;
    };
    try {
      const first = await next();
      const url = /^HipChat sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first)?.[1];
      expect(url, first).toBeDefined();
      const banner: string[] = [];
      for (let line = await next(); line !== 'Ctrl-C to stop.'; line = await next())
        banner.push(line);
      expect(banner.join('\n')).toContain(PERSONAL_TOKEN);
      expect(banner.join('\n')).toContain('101 @AliceSmith <alice@example.com>');

      const post = (room: string, message: string): Promise<Response> =>
        fetch(`${url}/v2/room/${room}/notification`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${PERSONAL_TOKEN}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ message }),
        });
      expect((await post('Release%20Notes', 'shipped v1.2')).status).toBe(204);
      expect(await next()).toMatch(
        / POST \/v2\/room\/Release%20Notes\/notification 204 \{acted\} "shipped v1\.2"$/,
      );
      expect((await post('Release%20Notes', 'again')).status).toBe(429);
      expect(await next()).toMatch(
        / 429 "again" \(You have exceeded the rate limit\. Room 'Release Notes'/,
      );
      expect((await post('Ops', 'x')).status).toBe(503);
      expect(await next()).toMatch(/ 503 \[fault status\] "x"/);

      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('prints only the URL with --quiet, and fails with usage on bad flags', async () => {
    const quiet = spawn(NODE, ['sandbox/cli.ts', '--quiet'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = await new Promise<string[]>((done) =>
        createInterface({ input: quiet.stdout }).once('line', (l) => done([l])),
      );
      expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      quiet.kill('SIGTERM');
    }
    const bad = spawn(NODE, ['sandbox/cli.ts', '--token-limit', 'lots'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    bad.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => bad.once('exit', (c) => done(c)));
    expect(code).toBe(2);
    expect(stderr).toContain("--token-limit: invalid rate 'lots'");
    expect(stderr).toContain('Usage: node sandbox/cli.ts');
  });
});
