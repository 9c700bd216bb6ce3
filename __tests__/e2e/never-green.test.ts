/**
 * Never green by mistake, end to end on the bundle against the fake GitHub API and the HipChat
 * sandbox: a final job (itself green) whose upstream build failed is reported as a failure with
 * `needs` alone (the API answering 403), with the jobs listing alone, and with both; with
 * neither it is `unknown`, never success; past the listing's 1,000-job cap a failure is still a
 * failure and a green run is never "all succeeded"; an unfinished upstream run is a start note.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StepResult } from '../../scripts/lib/action-runner.ts';
import { PERSONAL_TOKEN, ROOM_CI } from '../../sandbox/server.ts';
import { step, useSandbox } from './helpers.ts';
import { matrix, startFakeGithub } from '../support/fake-github.ts';
import type { FakeGithub, FakeJobInput } from '../support/fake-github.ts';

const sandbox = useSandbox(undefined, { resetEach: true });
let github: FakeGithub;

const RUN_ID = 7012345678; // SAMPLE_FACTS' GITHUB_RUN_ID
const RUNNER = 'GitHub Actions 1001';
const NOTIFY: FakeJobInput = { name: 'notify', status: 'in_progress', runner_name: RUNNER };
/** What `${{ toJSON(needs) }}` gives a final job whose build failed. */
const RED_NEEDS = JSON.stringify({
  build: { result: 'failure', outputs: {} },
  lint: { result: 'success', outputs: { checked: '12' } },
});

beforeAll(async () => {
  github = await startFakeGithub({ repository: 'octo-org/octo-app', runId: RUN_ID });
});
afterAll(async () => {
  await github.close();
});
beforeEach(() => {
  github.failWith(null);
  github.requests.length = 0;
});

/** A step of the final job (green itself), against the fake GitHub and the sandbox. */
function finalJob(withInputs: Record<string, string> = {}): Promise<StepResult> {
  return step(sandbox, {
    with: {
      token: PERSONAL_TOKEN,
      room: ROOM_CI.name,
      summary: 'run',
      card: 'true',
      ...withInputs,
    },
    jobStatus: 'success',
    githubToken: github.token,
    env: { GITHUB_API_URL: github.url, GITHUB_SERVER_URL: github.webUrl, RUNNER_NAME: RUNNER },
  });
}

function posted(): { message: string; color: string; card?: Record<string, unknown> } {
  const all = sandbox.notifications();
  expect(all).toHaveLength(1);
  return all[0]!;
}

/** The card's title and Status lozenge. */
function cardOf(): { title: string; status: string } {
  const card = posted().card as {
    title: string;
    attributes: Array<{ label: string; value: { label: string } }>;
  };
  const status = card.attributes.find((a) => a.label === 'Status')!.value.label;
  return { title: card.title, status };
}

function expectRed(result: StepResult): void {
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
  expect(result.outputs.status).toBe('failure');
  const { message, color } = posted();
  expect(color).toBe('red');
  expect(message).toMatch(/^❌ .*CI<\/b> failed on/);
  expect(message).not.toContain('succeeded on');
  expect(cardOf()).toEqual({ title: 'octo-org/octo-app — CI failed', status: 'failure' });
}

describe('a final job whose upstream build failed', () => {
  it('needs alone, the API answering 403: failure, a notice, no warning', async () => {
    github.setJobs([{ name: 'build', conclusion: 'failure' }, { name: 'lint' }, NOTIFY]);
    github.failWith(403);
    const result = await finalJob({ needs: RED_NEEDS });
    expectRed(result);
    expect(result.warnings).toEqual([]);
    expect(result.stdout).toMatch(
      /::notice::summary: run: the outcome is GitHub's `needs` result \(failure\)/,
    );
  });

  it('needs alone, no github-token at all: failure, and GitHub is asked nothing', async () => {
    const result = await finalJob({ needs: RED_NEEDS, 'github-token': '' });
    expectRed(result);
    expect(github.requests).toEqual([]);
  });

  it('the listing alone: failure', async () => {
    github.setJobs([{ name: 'build', conclusion: 'failure' }, { name: 'lint' }, NOTIFY]);
    const result = await finalJob();
    expectRed(result);
    expect(result.warnings).toEqual([]);
    expect(posted().message).toContain('1 of 2 jobs failed');
  });

  it('both: failure, with the failed job named and linked', async () => {
    github.setJobs([{ name: 'build', conclusion: 'failure' }, { name: 'lint' }, NOTIFY]);
    const result = await finalJob({ needs: RED_NEEDS });
    expectRed(result);
    expect(posted().message).toMatch(
      /❌ <a href="[^"]+\/job\/\d+">build<\/a> failed at step <b>Run tests<\/b>/,
    );
  });

  it('both, the listing green (another attempt, say): needs wins and the message says the listing was incomplete', async () => {
    github.setJobs([{ name: 'build' }, { name: 'lint' }, NOTIFY]);
    const result = await finalJob({ needs: RED_NEEDS });
    expectRed(result);
    expect(posted().message).toContain('CI</b> failed on');
    expect(posted().message).toContain('— 2 jobs read, none failed');
    expect(posted().message).toContain(
      'The jobs listing was incomplete (2 of 2 jobs read, which says success): the outcome is GitHub&#39;s `needs` result (failure).',
    );
  });

  it('neither (no needs, API 403): unknown, never success; the message and one warning name both fixes', async () => {
    github.setJobs([{ name: 'build', conclusion: 'failure' }, NOTIFY]);
    github.failWith(403);
    const result = await finalJob();
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('unknown');
    expect(result.warnings).toHaveLength(1);
    const { message, color } = posted();
    expect(color).toBe('yellow');
    expect(message).toMatch(/^❔ .*CI<\/b> outcome unknown on/);
    expect(message).toContain(
      'Outcome unknown: the run&#39;s jobs could not be read (GitHub answered 403)',
    );
    for (const text of [message, result.warnings[0]!]) {
      expect(text).toContain('needs: ${{ toJSON(needs) }}');
      expect(text).toContain('permissions: actions: read');
    }
    expect(message).not.toContain('succeeded');
    expect(cardOf()).toEqual({
      title: 'octo-org/octo-app — CI outcome unknown',
      status: 'unknown',
    });
  });

  it('a green needs with a 403: success from needs, not from this job', async () => {
    github.failWith(403);
    const result = await finalJob({
      needs: JSON.stringify({ build: { result: 'success', outputs: {} } }),
    });
    expect(result.outputs.status).toBe('success');
    expect(posted().color).toBe('green');
  });

  it('a bad needs is an input error before any request', async () => {
    const result = await finalJob({ needs: '{"build": "failure"}' });
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toContain(
      '`needs` is \'{"build": "failure"}\': job \'build\' has no result GitHub gives; expected `${{ toJSON(needs) }}`',
    );
    expect(github.requests).toEqual([]);
    expect(sandbox.notifications()).toEqual([]);
  });
});

describe('past the listing cap of 1,000 jobs', () => {
  it('1,002 jobs, one failure past the cap: failure with needs; unknown (never success) without', async () => {
    github.setJobs([...matrix('test', 1002, [1002]), NOTIFY]);
    const withNeeds = await finalJob({
      needs: JSON.stringify({ test: { result: 'failure', outputs: {} } }),
    });
    expectRed(withNeeds);
    expect(posted().message).toContain('1,000 of 1,003 jobs read, none failed');
    expect(posted().message).toContain(
      'The jobs listing was incomplete (1,000 of 1,003 jobs read)',
    );
    const listings = github.requests.filter((r) => r.path.endsWith(`/runs/${RUN_ID}/jobs`));
    expect(listings).toHaveLength(10);

    sandbox.reset();
    const alone = await finalJob();
    expect(alone.outputs.status).toBe('unknown');
    expect(posted().message).not.toMatch(/all [\d,]+ jobs succeeded|CI<\/b> succeeded/);
  });

  it('1,002 green jobs: unknown and "1,000 of 1,002 read", never "all succeeded"', async () => {
    github.setJobs(matrix('test', 1002));
    const result = await finalJob();
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('unknown');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain(
      '1,000 of 1,002 jobs read: the listing is read up to 1,000 jobs',
    );
    const { message, color } = posted();
    expect(color).toBe('yellow');
    expect(message).toContain('1,000 of 1,002 jobs read, none failed');
    expect(message).not.toMatch(/all [\d,]+ jobs succeeded|CI<\/b> succeeded/);
    const card = posted().card as {
      attributes: Array<{ label: string; value: { label: string } }>;
    };
    expect(card.attributes.find((a) => a.label === 'Not read')?.value.label).toBe('2');
  });
});

describe('a workflow_run that has not finished', () => {
  it.each(['requested', 'in_progress'])(
    "action %s: a start note, never the notifier's own outcome",
    async (action) => {
      const event = {
        action,
        workflow_run: {
          id: RUN_ID - 5,
          name: 'CI',
          status: action === 'requested' ? 'queued' : 'in_progress',
          conclusion: null,
          head_branch: 'main',
          html_url: `${github.webUrl}/octo-org/octo-app/actions/runs/${RUN_ID - 5}`,
          head_commit: { id: 'abc1234def', message: 'Speed up' },
        },
      };
      const result = await step(sandbox, {
        with: { token: PERSONAL_TOKEN, room: ROOM_CI.name },
        eventName: 'workflow_run',
        event,
        jobStatus: 'success',
      });
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      const { message, color } = posted();
      expect(message).toMatch(
        action === 'requested' ? /^🚀 .*CI<\/b> is queued on/ : /^🚀 .*CI<\/b> started on/,
      );
      expect(message).not.toContain('succeeded');
      expect(color).toBe('yellow');
      expect(result.outputs.status).toBe(action === 'requested' ? 'queued' : 'in_progress');
    },
  );
});
