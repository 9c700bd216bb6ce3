/**
 * `notify` per outcome, end to end on the bundle: with `notify: failure, fixed` a failure
 * alerts the room, the first success after it alerts too (fixed, from the previous run the
 * fake GitHub lists), and a repeated success is posted quietly — read from the sandbox's
 * record of what HipChat received (`notify` in each body).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PERSONAL_TOKEN, ROOM_CI } from '../../sandbox/server.ts';
import { SAMPLE_FACTS } from '../../scripts/lib/action-runner.ts';
import { startFakeGithub } from '../support/fake-github.ts';
import type { FakeGithub, FakeRunInput } from '../support/fake-github.ts';
import { logLines, step, useSandbox } from './helpers.ts';

const sandbox = useSandbox(undefined, { resetEach: true });
let github: FakeGithub;
const REPO = SAMPLE_FACTS.GITHUB_REPOSITORY!;
const RUN_ID = Number(SAMPLE_FACTS.GITHUB_RUN_ID);
const RUN_NUMBER = Number(SAMPLE_FACTS.GITHUB_RUN_NUMBER);

beforeAll(async () => {
  github = await startFakeGithub({ repository: REPO });
});
afterAll(async () => {
  await github.close();
});
beforeEach(() => {
  github.failWith(null);
  github.requests.length = 0;
});

/** This run, in progress, after a run on main that ended in `previous` (none: the first). */
function history(previous?: string): FakeRunInput[] {
  const current: FakeRunInput = { id: RUN_ID, run_number: RUN_NUMBER, status: 'in_progress' };
  if (!previous) return [current];
  return [{ id: RUN_ID - 1, run_number: RUN_NUMBER - 1, conclusion: previous }, current];
}

/** One run of the step with `notify`, and whether HipChat was asked to alert the room. */
async function alerted(notify: string, jobStatus: string, previous?: string): Promise<boolean> {
  github.setRuns(history(previous));
  const run = await step(sandbox, {
    jobStatus,
    githubToken: github.token,
    env: { GITHUB_API_URL: github.url },
    with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, notify },
  });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  const posted = sandbox.notifications(ROOM_CI.name);
  expect(posted).toHaveLength(1);
  sandbox.reset();
  return posted[0]!.body.notify === true;
}

describe('notify: failure, fixed', () => {
  it('alerts on a failure and on the first green after it; a repeated success is quiet', async () => {
    expect(await alerted('failure, fixed', 'failure', 'success')).toBe(true);
    expect(await alerted('failure, fixed', 'success', 'failure')).toBe(true);
    expect(await alerted('failure, fixed', 'success', 'success')).toBe(false);
    expect(await alerted('failure, fixed', 'failure', 'failure')).toBe(true);
    // A first run has no previous outcome: a success is not "fixed".
    expect(await alerted('failure, fixed', 'success')).toBe(false);
  });

  it('reads the previous run once, and only when fixed or broken is listed', async () => {
    await alerted('failure, fixed', 'success', 'failure');
    const reads = github.requests.filter((r) => r.host === 'api');
    expect(reads.map((r) => r.path)).toEqual([
      `/repos/${REPO}/actions/runs/${RUN_ID}`,
      `/repos/${REPO}/actions/workflows/1/runs`,
    ]);
    github.requests.length = 0;
    expect(await alerted('failure', 'success', 'failure')).toBe(false);
    expect(github.requests).toEqual([]);
  });

  it('without the previous run (403): alerts on the listed outcomes only, and says why', async () => {
    github.setRuns(history('failure'));
    github.failWith(403);
    const run = await step(sandbox, {
      jobStatus: 'success',
      githubToken: github.token,
      env: { GITHUB_API_URL: github.url },
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, notify: 'failure, fixed' },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(sandbox.notifications(ROOM_CI.name)[0]?.body.notify).toBe(false);
    expect(run.warnings.join('\n')).toContain('`notify` cannot tell fixed or broken without it');
    expect(logLines(run).join('\n')).not.toContain('send-when: always');
  });

  it('an unknown word is an input error naming the accepted ones, before any request', async () => {
    const run = await step(sandbox, {
      jobStatus: 'success',
      githubToken: github.token,
      env: { GITHUB_API_URL: github.url },
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, notify: 'failure, fixd' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain(
      "`notify` is 'failure, fixd': 'fixd' is not an outcome; expected true, false, or a list of success, failure,",
    );
    expect(run.errors.join('\n')).toContain('fixed, broken');
    expect(sandbox.notifications(ROOM_CI.name)).toEqual([]);
    expect(github.requests).toEqual([]);
  });
});
