// findPreviousRun against the fake GitHub API over real sockets (the project's GitHub client).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findPreviousRun, RUNS_PER_LOOKUP } from '../../src/send-when/previous-run.js';
import type { FindPreviousRunOptions } from '../../src/send-when/previous-run.js';
import { startFakeGithub } from '../support/fake-github.js';
import type { FakeGithub, FakeRunInput } from '../support/fake-github.js';

// Workflow 1 on `main`; this run is #50. The answer is #46: each run in between (and #51)
// is one the lookup must step over, so each filter in findPreviousRun is exercised.
const RUNS: FakeRunInput[] = [
  { id: 1045, run_number: 45, conclusion: 'failure' },
  { id: 1046, run_number: 46, conclusion: 'success' }, // ← the previous real outcome
  { id: 1047, run_number: 47, conclusion: 'cancelled' },
  { id: 1048, run_number: 48, conclusion: 'skipped' },
  {
    id: 1049,
    run_number: 49,
    conclusion: 'failure',
    event: 'pull_request',
    head_repository: 'fork/app', // a fork's `main`
  },
  { id: 1050, run_number: 50, status: 'in_progress' }, // this run
  { id: 1051, run_number: 51, conclusion: 'failure' }, // newer push that finished first
  { id: 1052, run_number: 52, conclusion: 'failure', head_branch: 'feature' },
  {
    id: 3001,
    run_number: 49,
    conclusion: 'failure',
    workflow_id: 2,
    path: '.github/workflows/deploy.yml',
  },
];

let fake: FakeGithub;

function opts(overrides: Partial<FindPreviousRunOptions> = {}): FindPreviousRunOptions {
  return {
    token: fake.token,
    apiUrl: fake.url,
    repository: 'octo/app',
    runId: 1050,
    branch: 'main',
    ...overrides,
  };
}

beforeAll(async () => {
  fake = await startFakeGithub({ runs: RUNS });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.failWith(null);
  fake.setRuns(RUNS);
  fake.requests.length = 0;
});

describe('findPreviousRun', () => {
  it('finds the last real outcome before this run, in two requests', async () => {
    await expect(findPreviousRun(opts())).resolves.toEqual({
      status: 'success',
      runNumber: 46,
      url: 'https://github.example/octo/app/actions/runs/1046',
    });
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/repos/octo/app/actions/runs/1050',
      '/repos/octo/app/actions/workflows/1/runs',
    ]);
    expect(fake.requests[1]?.query).toMatchObject({
      branch: 'main',
      status: 'completed',
      per_page: String(RUNS_PER_LOOKUP),
    });
    expect(fake.requests[1]?.query).not.toHaveProperty('event');
    for (const r of fake.requests) {
      expect(r.method).toBe('GET');
      expect(r.authorization).toBe(`token ${fake.token}`);
    }
  });

  it('maps the found conclusion (timed_out is a failure)', async () => {
    fake.setRuns([
      { id: 7, run_number: 7, conclusion: 'timed_out' },
      { id: 8, run_number: 8, status: 'in_progress' },
    ]);
    await expect(findPreviousRun(opts({ runId: 8 }))).resolves.toMatchObject({
      status: 'failure',
      runNumber: 7,
    });
  });

  it('asks only for runs of the given event', async () => {
    await findPreviousRun(opts({ event: 'push' }));
    expect(fake.requests[1]?.query).toMatchObject({ event: 'push', branch: 'main' });
  });

  it('uses the branch GitHub reports for this run, not the one passed in', async () => {
    fake.setRuns([
      ...RUNS,
      { id: 1053, run_number: 53, head_branch: 'feature', status: 'in_progress' },
    ]);
    await expect(findPreviousRun(opts({ runId: 1053, branch: '17/merge' }))).resolves.toMatchObject(
      {
        status: 'failure',
        runNumber: 52,
      },
    );
    expect(fake.requests[1]?.query.branch).toBe('feature');
  });

  it('falls back to the branch passed in when GitHub reports none', async () => {
    fake.setRuns([...RUNS, { id: 1053, run_number: 53, head_branch: null, status: 'in_progress' }]);
    await expect(findPreviousRun(opts({ runId: 1053, branch: 'feature' }))).resolves.toMatchObject({
      runNumber: 52,
    });
  });

  it('is undefined for the first run on a branch', async () => {
    fake.setRuns([
      ...RUNS,
      { id: 2000, run_number: 60, head_branch: 'new', status: 'in_progress' },
    ]);
    await expect(findPreviousRun(opts({ runId: 2000, branch: 'new' }))).resolves.toBeUndefined();
    expect(fake.requests).toHaveLength(2);
  });

  it('is undefined when every earlier run was cancelled or skipped', async () => {
    fake.setRuns([
      { id: 1, run_number: 1, conclusion: 'cancelled' },
      { id: 2, run_number: 2, conclusion: 'skipped' },
      { id: 3, run_number: 3, conclusion: 'action_required' },
      { id: 4, run_number: 4, status: 'in_progress' },
    ]);
    await expect(findPreviousRun(opts({ runId: 4 }))).resolves.toBeUndefined();
  });

  it('works under a GitHub Enterprise Server path prefix', async () => {
    const ghes = await startFakeGithub({ basePath: '/api/v3', runs: RUNS, token: 'ghes-token' });
    try {
      expect(ghes.url).toMatch(/\/api\/v3$/);
      await expect(
        findPreviousRun(opts({ apiUrl: `${ghes.url}/`, token: 'ghes-token' })),
      ).resolves.toMatchObject({ runNumber: 46 });
      expect(ghes.requests.map((r) => r.path)).toEqual([
        '/api/v3/repos/octo/app/actions/runs/1050',
        '/api/v3/repos/octo/app/actions/workflows/1/runs',
      ]);
    } finally {
      await ghes.close();
    }
  });

  it('rejects bad options before any request', async () => {
    await expect(findPreviousRun(opts({ repository: 'octo' }))).rejects.toThrow(/owner\/name/);
    await expect(findPreviousRun(opts({ runId: Number.NaN }))).rejects.toThrow(/GITHUB_RUN_ID/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('findPreviousRun errors say what to do', () => {
  it('403: grant actions: read', async () => {
    fake.failWith(403);
    const error = await findPreviousRun(opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/Resource not accessible by integration/);
    expect((error as Error).message).toContain('permissions: actions: read');
    expect((error as Error).message).not.toContain(fake.token);
    expect(fake.requests).toHaveLength(1);
  });

  it('401: check the github-token input', async () => {
    await expect(findPreviousRun(opts({ token: 'wrong' }))).rejects.toThrow(
      /401: Bad credentials.*`github-token`/,
    );
  });

  it('404: names the repository and run', async () => {
    await expect(findPreviousRun(opts({ runId: 999 }))).rejects.toThrow(
      /404: Not Found.*octo\/app and run 999.*actions: read/,
    );
  });

  it('500: says GitHub answered 500', async () => {
    fake.failWith(500);
    await expect(findPreviousRun(opts())).rejects.toThrow(
      /actions\/runs\/1050\): GitHub answered 500: Internal Server Error/,
    );
  });

  it('a server that does not answer: times out', async () => {
    fake.failWith('hang');
    const started = Date.now();
    await expect(findPreviousRun(opts({ timeoutMs: 300 }))).rejects.toThrow(
      /did not answer within 0\.3 s/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a server that does not answer: gives up when what max-wait leaves for GitHub runs out', async () => {
    fake.failWith('hang');
    const started = Date.now();
    const error = await findPreviousRun(
      opts({ timeoutMs: 30_000, deadlineMs: started + 500 }),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /did not answer within the 0\.\d s that `max-wait` leaves for GitHub/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('unreachable: names the URL and GITHUB_API_URL', async () => {
    const gone = await startFakeGithub();
    await gone.close();
    const error = await findPreviousRun(opts({ apiUrl: gone.url })).catch((e: unknown) => e);
    expect((error as Error).message).toContain(`could not reach the GitHub API at ${gone.url}`);
    expect((error as Error).message).toContain('GITHUB_API_URL');
  });
});
