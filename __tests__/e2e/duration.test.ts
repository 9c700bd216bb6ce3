/**
 * `{{duration}}` end to end on the bundle: the job's own elapsed time, counted from the
 * `started_at` of the jobs listing (the one `summary` reads, no other request), and the card's
 * Duration from the same; without the listing, the variable is empty and nothing is asked
 * beyond it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PERSONAL_TOKEN, ROOM_CI } from '../../sandbox/server.ts';
import { SAMPLE_FACTS } from '../../scripts/lib/action-runner.ts';
import { startFakeGithub } from '../support/fake-github.ts';
import type { FakeGithub } from '../support/fake-github.ts';
import { step, useSandbox } from './helpers.ts';

const sandbox = useSandbox(undefined, { resetEach: true });
const RUNNER = 'GitHub Actions 7';
const RUN_ID = Number(SAMPLE_FACTS.GITHUB_RUN_ID);
let github: FakeGithub;

beforeAll(async () => {
  github = await startFakeGithub({ repository: SAMPLE_FACTS.GITHUB_REPOSITORY, runId: RUN_ID });
});
afterAll(async () => {
  await github.close();
});
beforeEach(() => {
  github.failWith(null);
  github.requests.length = 0;
});

/** This job, running for `seconds` on RUNNER, after a build job of the same run. */
function jobsRunningFor(seconds: number): void {
  github.setJobs([
    { name: 'build', startedAtMs: Date.now() - 3_600_000, seconds: 120 },
    {
      name: 'notify',
      status: 'in_progress',
      runner_name: RUNNER,
      startedAtMs: Date.now() - seconds * 1000,
    },
  ]);
}

function notify(inputs: Record<string, string>) {
  return step(sandbox, {
    jobStatus: 'success',
    githubToken: github.token,
    env: { GITHUB_API_URL: github.url, GITHUB_SERVER_URL: github.webUrl, RUNNER_NAME: RUNNER },
    with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, format: 'text', ...inputs },
  });
}

describe('{{duration}}', () => {
  it("is this job's elapsed time from the listing, and the card shows it", async () => {
    jobsRunningFor(125);
    const run = await notify({ template: 'took {{duration}}', card: 'true' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const [posted] = sandbox.notifications(ROOM_CI.name);
    expect(String(posted?.body.message)).toMatch(/^took 2m 0[5-9]s$/);
    const card = posted?.body.card as { attributes: { label: string; value: { label: string } }[] };
    expect(card.attributes.find((a) => a.label === 'Duration')?.value.label).toMatch(
      /^2m 0[5-9]s$/,
    );
    // One listing of this attempt's jobs, nothing else.
    expect(github.requests.filter((r) => r.host === 'api').map((r) => r.path)).toEqual([
      `/repos/${SAMPLE_FACTS.GITHUB_REPOSITORY}/actions/runs/${RUN_ID}/attempts/1/jobs`,
    ]);
  });

  it("summary: run: this job's time from the run's listing, no extra request", async () => {
    jobsRunningFor(42);
    const run = await notify({ summary: 'run', template: 'took {{duration}}' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(String(sandbox.notifications(ROOM_CI.name)[0]?.body.message)).toMatch(/^took 4[2-6]s$/);
    expect(github.requests.filter((r) => r.host === 'api')).toHaveLength(1);
  });

  it("the run's time when this job is not in the listing", async () => {
    github.setJobs([{ name: 'build', status: 'in_progress', startedAtMs: Date.now() - 3_720_000 }]);
    const run = await notify({ template: 'took {{duration}}' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(String(sandbox.notifications(ROOM_CI.name)[0]?.body.message)).toBe('took 1h 02m');
  });

  it('without access: empty, one notice, and the message is sent', async () => {
    jobsRunningFor(30);
    github.failWith(403);
    const run = await notify({ template: 'took {{duration}}.' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(String(sandbox.notifications(ROOM_CI.name)[0]?.body.message)).toBe('took .');
  });

  it('a plain success without the variable asks nothing', async () => {
    const run = await notify({ card: 'true' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(github.requests).toEqual([]);
  });
});
