/**
 * The whole run in one message, end to end on the bundle: `summary: run` from a final job over
 * a 256-leg matrix (three pages), re-runs, computed status, `log-lines` from logs behind a
 * redirect to a second host, and `summary: job` naming the failed step — against the fake
 * GitHub API (real sockets) and the HipChat sandbox, verified from the sandbox's record.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StepResult } from '../../scripts/lib/action-runner.ts';
import { PERSONAL_TOKEN, ROOM_CI } from '../../sandbox/server.ts';
import { logLines, step, useSandbox } from './helpers.ts';
import { matrix, startFakeGithub } from '../support/fake-github.ts';
import type { FakeGithub, FakeJobInput } from '../support/fake-github.ts';

const sandbox = useSandbox(undefined, { resetEach: true });
let github: FakeGithub;

const RUN_ID = 7012345678; // SAMPLE_FACTS' GITHUB_RUN_ID
const RUNNER = 'GitHub Actions 1001';
/** The final job that notifies: in progress on this step's runner. */
const NOTIFY: FakeJobInput = { name: 'notify', status: 'in_progress', runner_name: RUNNER };
const FAILED_LEGS = [3, 50, 101, 177, 256];

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

/** A step of the final job, against the fake GitHub and the sandbox. */
function finalJob(
  withInputs: Record<string, string> = {},
  options: { jobStatus?: string; env?: Record<string, string> } = {},
): Promise<StepResult> {
  return step(sandbox, {
    with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, summary: 'run', ...withInputs },
    jobStatus: options.jobStatus ?? 'success',
    githubToken: github.token,
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: github.webUrl,
      RUNNER_NAME: RUNNER,
      ...options.env,
    },
  });
}

/** The one message the sandbox received. */
function posted(): { message: string; color: string; card?: Record<string, unknown> } {
  const all = sandbox.notifications();
  expect(all).toHaveLength(1);
  return all[0]!;
}

const hrefs = (html: string): string[] =>
  [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

const notices = (result: StepResult): string[] =>
  result.stdout
    .split('\n')
    .filter((line) => line.startsWith('::notice'))
    .map((line) => line.slice(line.indexOf('::', 2) + 2));

describe('summary: run over a 256-leg matrix', () => {
  it('posts one message naming every failed job and step, with working links; counts the rest; reports the computed status', async () => {
    github.setJobs([
      { name: 'lint' },
      ...matrix('test', 256, FAILED_LEGS),
      { name: 'docs', conclusion: 'skipped' },
      NOTIFY,
    ]);
    // The final job itself succeeded: the run did not.
    const result = await finalJob({}, { jobStatus: 'success' });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.warnings).toEqual([]);
    const { message, color } = posted();

    expect(message).toMatch(/^❌ .*<b>CI<\/b> .*>main<\/a>.* — 5 of 258 jobs failed — /);
    for (const leg of FAILED_LEGS) {
      expect(message).toContain(`>test (leg-${leg})</a> failed at step <b>Run tests</b> (1m 00s)`);
    }
    expect(message).toContain('<br>252 succeeded, 1 skipped'); // lint and 251 legs
    expect(message).not.toContain('notify');
    expect(color).toBe('red');
    expect(result.outputs.status).toBe('failure');

    // Every page of the latest attempts, 100 at a time.
    const listings = github.requests.filter((r) => r.path.endsWith(`/runs/${RUN_ID}/jobs`));
    expect(listings.map((r) => [r.query.page, r.query.per_page, r.query.filter])).toEqual([
      ['1', '100', 'latest'],
      ['2', '100', 'latest'],
      ['3', '100', 'latest'],
    ]);

    // The links work: each opens the failed job's own page (the fake serves them).
    const failedJobs = github.jobs().filter((j) => j.conclusion === 'failure');
    const links = hrefs(message).filter((h) => h.includes('/job/'));
    expect(links.sort()).toEqual(failedJobs.map((j) => j.html_url).sort());
    for (const [i, link] of links.entries()) {
      const page = await fetch(link);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(failedJobs.find((j) => j.html_url === link)!.name);
      expect(i).toBeLessThan(FAILED_LEGS.length);
    }
    const runLink = hrefs(message).find((h) => /\/actions\/runs\/\d+$/.test(h))!;
    expect((await fetch(runLink)).status).toBe(200);
  });

  it('a green run is reported green, a cancelled one gray, whatever the final job says', async () => {
    github.setJobs([...matrix('test', 12), { name: 'docs', conclusion: 'skipped' }, NOTIFY]);
    const green = await finalJob({}, { jobStatus: 'failure' });
    expect(green.outputs.status).toBe('success');
    expect(posted().color).toBe('green');
    expect(posted().message).toMatch(/^✅ .*<b>CI<\/b> .* — 12 of 13 jobs succeeded, 1 skipped — /);

    sandbox.reset();
    github.setJobs([...matrix('test', 4), { name: 'deploy', conclusion: 'cancelled' }, NOTIFY]);
    const gray = await finalJob();
    expect(gray.outputs.status).toBe('cancelled');
    expect(posted().color).toBe('gray');
    expect(posted().message).toContain('1 of 5 jobs was cancelled');
    expect(posted().message).toMatch(/⚪ <a href="[^"]+">deploy<\/a> was cancelled/);
  });

  it('a re-run of failed jobs reports what it re-ran and what it kept', async () => {
    github.setJobs([
      ...matrix('test', 10, [2, 7]), // attempt 1: two legs failed
      { name: 'test (leg-2)', run_attempt: 2 }, // re-run, passed
      { name: 'test (leg-7)', run_attempt: 2, conclusion: 'failure' }, // re-run, failed again
      { ...NOTIFY, run_attempt: 2 },
    ]);
    const result = await finalJob({}, { env: { GITHUB_RUN_ATTEMPT: '2' } });
    const { message } = posted();
    expect(result.outputs.status).toBe('failure');
    expect(message).toContain('1 of 10 jobs failed');
    expect(message).toContain('test (leg-7)</a> failed at step');
    expect(message).not.toContain('test (leg-2)');
    expect(message).toContain('attempt 2 re-ran 2 jobs and kept 8 from earlier attempts');
  });

  it('the card carries the counts and links the run', async () => {
    github.setJobs([...matrix('test', 6, [1]), { name: 'docs', conclusion: 'skipped' }, NOTIFY]);
    await finalJob({ card: 'true' });
    const card = posted().card as {
      url: string;
      attributes: Array<{ label: string; value: { label: string } }>;
    };
    const attrs = Object.fromEntries(card.attributes.map((a) => [a.label, a.value.label]));
    expect(attrs).toMatchObject({ Status: 'failure', Failed: '1', Succeeded: '5', Skipped: '1' });
    expect(card.url).toBe(`${github.webUrl}/octo-org/octo-app/actions/runs/${RUN_ID}`);
  });
});

describe('log-lines', () => {
  const SECRET_IN_LOG = 'ghs_fake_token'; // the github-token, echoed by a careless step

  it('adds the last lines of each failed step, cleaned, escaped, from logs behind a redirect', async () => {
    const log = [
      '##[group]Run actions/checkout@v4',
      'checked out',
      '##[endgroup]',
      '##[group]Run npm test',
      ...Array.from({ length: 30 }, (_, i) => `\u001b[32mok ${i}\u001b[0m`),
      `FAIL <script>alert(1)</script> & token=${SECRET_IN_LOG}`,
      '##[error]Process completed with exit code 1.',
      'Post job cleanup.',
    ].join('\n');
    github.setJobs([...matrix('test', 20, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { log }), NOTIFY]);
    const result = await finalJob({ 'log-lines': '3' });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const { message } = posted();
    const block =
      '<pre>ok 29\nFAIL &lt;script&gt;alert(1)&lt;/script&gt; &amp; token=***\nError: Process completed with exit code 1.</pre>';
    expect(message.split(block)).toHaveLength(11);
    expect(message).not.toContain(SECRET_IN_LOG);
    expect(message).not.toContain('2026-01-01T12:00:00');
    expect(message).not.toContain('Post job cleanup');

    // Each log: the API answered 302, the log host was asked without the Authorization header.
    const logCalls = github.requests.filter((r) => r.path.endsWith('/logs'));
    const hostCalls = github.requests.filter((r) => r.host === 'logs');
    expect(logCalls).toHaveLength(10);
    expect(logCalls.every((r) => r.authorization === `token ${github.token}`)).toBe(true);
    expect(hostCalls).toHaveLength(10);
    expect(hostCalls.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('a log that cannot be read is left out; the summary is still sent', async () => {
    github.setJobs([...matrix('test', 3, [1, 2]), NOTIFY]);
    const first = github.jobs().find((j) => j.name === 'test (leg-1)')!;
    // Logs are read a few at a time: the fault is aimed at one job's, not at whichever is first.
    github.failWith(403, 1, new RegExp(`/jobs/${first.id}/logs$`));
    const result = await finalJob({ 'log-lines': '5' });
    expect(result.exitCode).toBe(0);
    expect(posted().message).toContain('2 of 3 jobs failed');
    expect(logLines(result).join('\n')).toMatch(
      /log-lines: the log of 'test \(leg-1\)' could not be read \(GitHub answered 403/,
    );
    expect((posted().message.match(/<pre>/g) ?? []).length).toBe(1);
  });

  it('a long log: only its end is read where the host serves byte ranges, all of it where not', async () => {
    const step =
      '##[group]Run npm test\nok 1\nFAIL parser\n##[error]Process completed with exit code 1.';
    const noise = { line: `${'n'.repeat(90)} noise`, bytes: 3 * 1024 * 1024, tail: step };
    github.setJobs([{ name: 'test', conclusion: 'failure', log: noise }, NOTIFY]);
    const expected =
      '<pre>Run npm test\nok 1\nFAIL parser\nError: Process completed with exit code 1.</pre>';

    const ranged = await finalJob({ 'log-lines': '10' });
    expect(ranged.exitCode, ranged.stdout + ranged.stderr).toBe(0);
    expect(posted().message).toContain(expected);
    const asked = github.requests.filter((r) => r.host === 'logs').map((r) => r.range);
    expect(asked).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);

    github.requests.length = 0;
    sandbox.reset();
    github.setLogRanges(false);
    try {
      const whole = await finalJob({ 'log-lines': '10' });
      expect(whole.exitCode).toBe(0);
      expect(posted().message).toContain(expected);
      expect(github.requests.filter((r) => r.host === 'logs').map((r) => r.range)).toEqual([
        undefined,
      ]);
    } finally {
      github.setLogRanges(true);
    }
  });

  it('a long log whose failing step ends far before its end is read whole after its end', async () => {
    const cleanup = Array.from({ length: 40_000 }, (_, i) => `cleanup ${i} ${'c'.repeat(20)}`);
    const log = [
      '##[group]Run make',
      'cc -c a.c',
      '##[error]make: *** [a.o] Error 1',
      ...cleanup,
    ].join('\n');
    github.setJobs([{ name: 'build', conclusion: 'failure', log }, NOTIFY]);
    const result = await finalJob({ 'log-lines': '10' });
    expect(result.exitCode).toBe(0);
    expect(posted().message).toContain(
      '<pre>Run make\ncc -c a.c\nError: make: *** [a.o] Error 1</pre>',
    );
    const asked = github.requests.filter((r) => r.host === 'logs').map((r) => r.range);
    expect(asked).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/), undefined]);
  });

  it("a job's name from the API cannot start a workflow command in the log", async () => {
    github.setJobs([{ name: 'evil\n::error::injected', conclusion: 'failure' }, NOTIFY]);
    github.failWith(404, 1, /\/logs$/);
    const result = await finalJob({ 'log-lines': '5' });
    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.stdout).not.toMatch(/^::error::injected/m);
    expect(logLines(result).join('\n')).toContain("the log of 'evil : :error: :injected'");
    // Data in the message, on one line: a name cannot forge a line of the message either.
    expect(posted().message).toContain('>evil ::error::injected</a>');
  });

  it('256 failed legs with 50 log lines each: fitted to 10,000 characters with a marker', async () => {
    const log = `##[group]Run make\n${Array.from({ length: 60 }, (_, i) => `line ${i} ${'x'.repeat(60)}`).join('\n')}\n##[error]boom`;
    github.setJobs([...matrix('test', 256, [], { conclusion: 'failure', log }), NOTIFY]);
    const result = await finalJob({ 'log-lines': '50' });
    const { message } = posted();
    expect(message.length).toBeLessThanOrEqual(10_000);
    expect(message).toMatch(/… and \d+ more jobs \[truncated\]$/);
    expect(message.split('<pre>').length).toBe(message.split('</pre>').length);
    expect(result.warnings).toEqual([]);
  });
});

describe('summary: run with the features that follow the status', () => {
  const RED_RUN = [...matrix('test', 4, [2]), NOTIFY];

  it('mention: author pings the author of a red run, though the final job is green', async () => {
    github.setJobs(RED_RUN);
    const users = 'mona: "@Mona"'; // the sample push's head-commit author
    const red = await finalJob({ format: 'text', mention: 'author', users });
    expect(red.exitCode, red.stdout + red.stderr).toBe(0);
    expect(posted().message).toMatch(/^❌ .* main .*— 1 of 4 jobs failed — .* · cc @Mona\n/);

    sandbox.reset();
    github.setJobs([...matrix('test', 4, []), NOTIFY]);
    await finalJob({ format: 'text', mention: 'author', users });
    expect(posted().message).not.toContain('@Mona');
  });

  it("send-when compares the run's computed status with the previous run's", async () => {
    const previous = { id: RUN_ID - 100, run_number: 41, conclusion: 'failure' };
    const current = { id: RUN_ID, status: 'in_progress' as const };
    github.setRuns([previous, current]);
    github.setJobs(RED_RUN);
    try {
      // Red after red: nothing changed, although this final job is green.
      const same = await finalJob({ 'send-when': 'changed' });
      expect(same.exitCode).toBe(0);
      expect(sandbox.notifications()).toEqual([]);
      expect(same.outputs).toMatchObject({ sent: '0', status: 'failure' });
      // Every failure is told with failure-or-changed.
      const told = await finalJob({ 'send-when': 'failure-or-changed' });
      expect(told.outputs).toMatchObject({ sent: '1', status: 'failure' });
      expect(posted().message).toContain('1 of 4 jobs failed');
    } finally {
      github.setRuns([]);
    }
  });
});

describe('summary: run on a workflow_run event', () => {
  it('reports the jobs of the run that triggered this workflow, and links them', async () => {
    const TRIGGER = RUN_ID - 5;
    github.setJobs([
      ...matrix('build', 6, [4], { run_id: TRIGGER }),
      { name: 'notify', status: 'in_progress', runner_name: RUNNER }, // this workflow's job
    ]);
    const event = {
      action: 'completed',
      workflow_run: {
        id: TRIGGER,
        name: 'Build',
        conclusion: 'failure',
        run_attempt: 1,
        head_branch: 'main',
        html_url: `${github.webUrl}/octo-org/octo-app/actions/runs/${TRIGGER}`,
        head_commit: { id: 'abc1234def', message: 'Speed up' },
      },
    };
    const result = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, summary: 'run' },
      eventName: 'workflow_run',
      event,
      jobStatus: 'success',
      githubToken: github.token,
      env: { GITHUB_API_URL: github.url, GITHUB_SERVER_URL: github.webUrl, RUNNER_NAME: RUNNER },
    });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const { message } = posted();
    expect(message).toContain('1 of 6 jobs failed');
    expect(message).toContain('>build (leg-4)</a> failed');
    const listed = github.requests.filter((r) => r.path.endsWith('/jobs')).map((r) => r.path);
    expect(new Set(listed)).toEqual(
      new Set([`/repos/octo-org/octo-app/actions/runs/${TRIGGER}/jobs`]),
    );
    const jobLinks = hrefs(message).filter((h) => h.includes('/job/'));
    expect(jobLinks).toHaveLength(1);
    expect(jobLinks[0]).toContain(`/actions/runs/${TRIGGER}/job/`);
    expect(result.outputs.status).toBe('failure');
  });
});

describe('summary: run without access', () => {
  it("403 without needs: outcome unknown (never this job's green), one warning naming both fixes, never a lost alert", async () => {
    github.setJobs([...matrix('test', 3, [1]), NOTIFY]);
    github.failWith(403);
    const result = await finalJob({}, { jobStatus: 'success' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.sent).toBe('1');
    expect(result.outputs.status).toBe('unknown');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /summary: run: the outcome is unknown: could not read the jobs .*403: Resource not accessible by integration.*`needs` was not given.*`needs: \$\{\{ toJSON\(needs\) \}\}`.*`permissions: actions: read`/,
    );
    const { message, color } = posted();
    expect(message).toMatch(/^❔ .*CI<\/b> outcome unknown on/);
    expect(message).not.toContain('succeeded');
    expect(color).toBe('yellow');
  });

  it('a rate-limited page is retried within the budget', async () => {
    github.setJobs([...matrix('test', 150, [140]), NOTIFY]);
    github.failWith({ status: 429, headers: { 'retry-after': '1' } }, 1, /\/jobs$/);
    const result = await finalJob();
    expect(result.exitCode).toBe(0);
    expect(posted().message).toContain('1 of 150 jobs failed');
    expect(logLines(result).join('\n')).toMatch(
      /GitHub API: GitHub answered 429 with retry-after: 1; retrying/,
    );
  });
});

describe('summary: job', () => {
  /** Two legs of one matrix job, both named `build (…)`-alike; only one runs on this runner. */
  const JOBS: FakeJobInput[] = [
    {
      name: 'build',
      status: 'in_progress',
      runner_name: 'GitHub Actions 2002',
      steps: [{ name: 'Set up job' }, { name: 'Compile', conclusion: 'failure' }],
    },
    {
      name: 'build',
      status: 'in_progress',
      runner_name: RUNNER,
      steps: [
        { name: 'Set up job' },
        { name: 'Run tests', conclusion: 'failure' },
        { name: 'Upload', conclusion: 'skipped' },
        { name: 'Notify', conclusion: null, status: 'in_progress' },
      ],
    },
  ];

  it('a failure names the failed step of this job (found by runner, never by name) and links the job', async () => {
    github.setJobs(JOBS);
    const result = await finalJob({ summary: 'job' }, { jobStatus: 'failure' });
    expect(result.exitCode).toBe(0);
    const { message } = posted();
    expect(message).toContain('failed at step <b>Run tests</b>');
    expect(message).not.toContain('Compile');
    const mine = github.jobs()[1]!;
    expect(message).toContain(`<a href="${mine.html_url}">job</a> · <a href=`);
    expect((await fetch(mine.html_url)).status).toBe(200);
    expect(github.requests.filter((r) => r.host === 'api').map((r) => r.path)).toEqual([
      `/repos/octo-org/octo-app/actions/runs/${RUN_ID}/attempts/1/jobs`,
    ]);
    expect(result.outputs.status).toBe('failure');
  });

  it('without access: the message of today, one notice naming actions: read', async () => {
    github.setJobs(JOBS);
    github.failWith(403);
    const result = await finalJob({ summary: 'job' }, { jobStatus: 'failure' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.sent).toBe('1');
    expect(result.warnings).toEqual([]);
    expect(notices(result)).toHaveLength(1);
    expect(notices(result)[0]).toMatch(
      /summary: job: the failed step .*`permissions: actions: read`/,
    );
    expect(posted().message).not.toContain('at step');
  });

  it('a success asks GitHub nothing', async () => {
    github.setJobs(JOBS);
    const result = await finalJob({ summary: 'job' }, { jobStatus: 'success' });
    expect(result.exitCode).toBe(0);
    expect(github.requests).toEqual([]);
    expect(notices(result)).toEqual([]);
  });
});

describe('bad whole-run inputs', () => {
  it.each([
    [{ summary: 'matrix' }, /`summary` is 'matrix': expected job or run/],
    [{ 'log-lines': '-1' }, /`log-lines` is '-1': expected a whole number from 0 to 200/],
    [{ 'log-lines': '500' }, /`log-lines` is '500'/],
    [
      { summary: 'run', 'github-token': '' },
      /`summary` is 'run' but `github-token` and `needs` are empty/,
    ],
  ])('%j is an input error before any request', async (inputs, error) => {
    const result = await finalJob(inputs);
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(error);
    expect(github.requests).toEqual([]);
    expect(sandbox.notifications()).toEqual([]);
  });
});
