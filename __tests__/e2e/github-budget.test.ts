/**
 * The GitHub API inside the run's budget, end to end on the bundle: a GitHub that hangs, rate
 * limits that fit in `max-wait` and ones that do not, and GitHub Enterprise Server URLs. The
 * fake GitHub API is a real HTTP server on 127.0.0.1 (`__tests__/support/fake-github.ts`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PERSONAL_TOKEN, ROOM_CI } from '../../sandbox/server.ts';
import { logLines, step, useSandbox } from './helpers.ts';
import { startFakeGithub } from '../support/fake-github.ts';
import type { FakeGithub, FakeRunInput } from '../support/fake-github.ts';

const sandbox = useSandbox(undefined, { resetEach: true });
let github: FakeGithub;

// This run is #42 (SAMPLE_FACTS' GITHUB_RUN_ID 7012345678); the previous one failed.
const RUNS: FakeRunInput[] = [
  { id: 7012345600, run_number: 41, conclusion: 'failure' },
  { id: 7012345678, run_number: 42, status: 'in_progress' },
];

beforeAll(async () => {
  github = await startFakeGithub({ runs: RUNS, repository: 'octo-org/octo-app' });
});
afterAll(async () => {
  await github.close();
});
beforeEach(() => {
  github.failWith(null);
  github.requests.length = 0;
});

/** A successful job with `send-when: changed` against the fake, with these inputs and env. */
function changedRun(withInputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  return step(sandbox, {
    with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, 'send-when': 'changed', ...withInputs },
    githubToken: github.token,
    env: { GITHUB_API_URL: github.url, ...env },
  });
}

describe('a slow GitHub never costs the alert', () => {
  it('an API that hangs: the alert is posted and the step ends within max-wait + 3 s', async () => {
    github.failWith('hang');
    const maxWait = 4;
    const result = await changedRun({ 'max-wait': String(maxWait) }); // timeout: 30 (default)
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.outputs.sent).toBe('1');
    expect(sandbox.notifications()).toHaveLength(1);
    expect(result.durationMs).toBeLessThan(maxWait * 1000 + 3000);
    // GitHub got what max-wait leaves before the posts' reserve (half of it here, less the
    // process's own start-up, which a loaded machine makes longer), once.
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /did not answer within the (1\.[5-9]|2\.0) s that `max-wait` leaves for GitHub .*sent anyway/,
    );
    expect(github.requests).toHaveLength(1);
  });
});

describe('rate limits are honoured within the budget', () => {
  it('a retry-after that fits is waited out, and the lookup succeeds', async () => {
    github.failWith(
      { status: 403, headers: { 'retry-after': '1' }, body: { message: 'secondary rate limit' } },
      1,
    );
    const result = await changedRun();
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.warnings).toEqual([]);
    const log = logLines(result).join('\n');
    expect(log).toMatch(/GitHub API: GitHub answered 403 with retry-after: 1; retrying GET /);
    expect(log).toMatch(/send-when: changed: sent: status changed from failure in run #41/);
    // The refused request, its retry a second later, then the listing.
    expect(github.requests.map((r) => r.path)).toEqual([
      '/repos/octo-org/octo-app/actions/runs/7012345678',
      '/repos/octo-org/octo-app/actions/runs/7012345678',
      '/repos/octo-org/octo-app/actions/workflows/1/runs',
    ]);
  });

  it('a used-up rate limit that resets after max-wait: no wait, one warning, the alert is sent', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    github.failWith({
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      body: { message: 'API rate limit exceeded for installation ID 1.' },
    });
    const result = await changedRun({ 'max-wait': '20' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.sent).toBe('1');
    expect(result.durationMs).toBeLessThan(10_000);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /gave up on GET \/repos\/octo-org\/octo-app\/actions\/runs\/7012345678: the token's API rate limit is used up until .*would not leave time before the posts/,
    );
    expect(github.requests).toHaveLength(1);
  });

  it('a 429 with retry-after 0 is not retried in a hot loop', async () => {
    github.failWith({ status: 429, headers: { 'retry-after': '0' } });
    const result = await changedRun({ 'max-wait': '10' });
    expect(result.outputs.sent).toBe('1');
    // Three tries at most, at least a second apart.
    expect(github.requests).toHaveLength(3);
    expect(result.durationMs).toBeGreaterThanOrEqual(2000);
    expect(result.warnings[0]).toMatch(/gave up on GET .*429.*3 tries were made/);
  });
});

describe('server text stays data', () => {
  it("GitHub's error message cannot start a workflow command", async () => {
    github.failWith({
      status: 403,
      body: { message: 'denied\n::error::injected\r\n::add-mask::x' },
    });
    const result = await changedRun();
    expect(result.outputs.sent).toBe('1');
    expect(result.errors).toEqual([]);
    expect(result.masked).not.toContain('x');
    expect(result.stdout).not.toMatch(/^::error::injected/m);
    expect(result.warnings[0]).toContain('GitHub answered 403: denied : :error: :injected');
  });
});

describe('GitHub Enterprise Server', () => {
  it('uses GITHUB_API_URL with its /api/v3 path', async () => {
    const ghes = await startFakeGithub({
      runs: RUNS,
      repository: 'octo-org/octo-app',
      basePath: '/api/v3',
    });
    try {
      const result = await changedRun({}, { GITHUB_API_URL: ghes.url });
      expect(result.exitCode).toBe(0);
      expect(ghes.requests.map((r) => r.path)).toEqual([
        '/api/v3/repos/octo-org/octo-app/actions/runs/7012345678',
        '/api/v3/repos/octo-org/octo-app/actions/workflows/1/runs',
      ]);
      expect(github.requests).toEqual([]);
    } finally {
      await ghes.close();
    }
  });
});
