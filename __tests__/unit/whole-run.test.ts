// The whole run's pure logic: job selection, computed status, counts, fitting. No sockets.
import { describe, expect, it } from 'vitest';
import {
  failedStep,
  findOwnJob,
  isOwnJob,
  jobFacts,
  pageUrl,
  reportedJobs,
  startOf,
} from '../../src/whole-run/jobs.js';
import type { ApiJob } from '../../src/whole-run/jobs.js';
import {
  attemptPhrase,
  computeStatus,
  countsPhrase,
  restPhrase,
  tally,
} from '../../src/whole-run/outcome.js';
import { MORE_MARKER, runDetails } from '../../src/whole-run/details.js';
import { emptyWholeRunView, wholeRunViewOf } from '../../src/whole-run/view.js';
import type { JobView } from '../../src/whole-run/view.js';
import { wantsJobFacts } from '../../src/whole-run/gate.js';
import { parseInputs } from '../../src/inputs/inputs.js';

const job = (over: Partial<Record<keyof ApiJob, unknown>> = {}): ApiJob => ({
  id: 1,
  name: 'test',
  status: 'completed',
  conclusion: 'success',
  started_at: '2026-01-01T12:00:00Z',
  completed_at: '2026-01-01T12:03:05Z',
  html_url: 'https://github.com/o/r/actions/runs/5/job/1',
  runner_name: 'GitHub Actions 1',
  run_attempt: 1,
  steps: [],
  ...over,
});

describe("this job among the run's jobs", () => {
  const legs = [
    job({ id: 1, name: 'build', status: 'in_progress', runner_name: 'runner-a' }),
    job({ id: 2, name: 'build', status: 'in_progress', runner_name: 'runner-b' }),
    job({ id: 3, name: 'build', status: 'completed', runner_name: 'runner-b' }),
  ];

  it('is the one in progress on this runner — never found by name', () => {
    expect(findOwnJob(legs, 'runner-b')?.id).toBe(2);
    expect(findOwnJob(legs, 'runner-c')).toBeUndefined();
    expect(findOwnJob(legs, '')).toBeUndefined();
    expect(isOwnJob(legs[2]!, 'runner-b')).toBe(false); // completed earlier on the same runner
  });

  it('is not found when two in-progress jobs claim the runner', () => {
    expect(findOwnJob([legs[1]!, { ...legs[1]!, id: 9 }], 'runner-b')).toBeUndefined();
  });

  it('is left out of the run summary; each job once, in order', () => {
    const listed = [...legs, legs[0]!]; // a job repeated across pages
    expect(reportedJobs(listed, 'runner-b').map((j) => j.id)).toEqual([1, 3]);
  });
});

describe('jobFacts', () => {
  it('names the first step that failed or timed out, the duration and the page', () => {
    const facts = jobFacts(
      job({
        conclusion: 'failure',
        steps: [
          { name: 'Set up job', conclusion: 'success' },
          { name: 'Lint', conclusion: 'skipped' },
          { name: ' Run tests ', conclusion: 'failure' },
          { name: 'Upload', conclusion: 'failure' },
        ],
      }),
    );
    expect(facts).toMatchObject({
      name: 'test',
      conclusion: 'failure',
      failedStep: 'Run tests',
      durationSeconds: 185,
      url: 'https://github.com/o/r/actions/runs/5/job/1',
      attempt: 1,
    });
    expect(failedStep(job({ steps: [{ name: 'Wait', conclusion: 'timed_out' }] }))).toBe('Wait');
  });

  it('survives what a hostile answer may hold', () => {
    const facts = jobFacts({
      id: 'x',
      name: 42,
      status: 'completed',
      conclusion: null,
      html_url: 'javascript:alert(1)',
      started_at: 'soon',
      steps: 'none',
      run_attempt: -3,
    });
    expect(facts).toEqual({
      id: 0,
      name: '(unnamed job)',
      conclusion: 'unknown',
      completed: true,
      url: '',
      failedStep: '',
      // Not a fact: an attempt the listing does not give is unknown, not the first.
      attempt: 0,
    });
  });

  it('keeps a page link only as a normalised http(s) URL: no added words, lines or credentials', () => {
    expect(pageUrl('https://github.com/o/r/actions/runs/1/job/2')).toBe(
      'https://github.com/o/r/actions/runs/1/job/2',
    );
    expect(pageUrl('https://github.com/o/r/job/2 @all')).toBe(
      'https://github.com/o/r/job/2%20@all',
    );
    expect(pageUrl('https://github.com/o/\n::error::x')).toBe('https://github.com/o/::error::x');
    expect(pageUrl('https://x @all')).toBe('');
    expect(pageUrl('https://user:pw@github.com/o')).toBe('');
    expect(pageUrl('data:text/html,hi')).toBe('');
    expect(pageUrl(`https://github.com/${'a'.repeat(3000)}`)).toBe('');
    expect(pageUrl(7)).toBe('');
  });

  it('a running job reports its status, and no duration', () => {
    expect(jobFacts(job({ status: 'queued', conclusion: null }))).toMatchObject({
      conclusion: 'queued',
      completed: false,
    });
    expect(jobFacts(job({ status: 'in_progress' })).durationSeconds).toBeUndefined();
  });
});

describe('computed status', () => {
  it.each([
    [['success', 'failure', 'cancelled'], 'failure'],
    [['success', 'timed_out'], 'failure'],
    [['success', 'cancelled', 'skipped'], 'cancelled'],
    [['success', 'skipped', 'neutral'], 'success'],
    [['skipped'], 'success'],
    [['success', 'in_progress'], undefined],
    [['success', 'action_required'], undefined],
    [[], undefined],
  ])('%j → %s', (conclusions, status) => {
    expect(computeStatus(tally(conclusions))).toBe(status);
  });
});

describe('counts in words', () => {
  const of = (...c: string[]) => tally(c);
  it('headline', () => {
    expect(countsPhrase(of('failure', 'failure', 'timed_out', ...Array(9).fill('success')))).toBe(
      '3 of 12 jobs failed',
    );
    expect(countsPhrase(of('failure', 'cancelled', 'success'))).toBe(
      '1 of 3 jobs failed, 1 cancelled',
    );
    expect(countsPhrase(of('cancelled', 'success'))).toBe('1 of 2 jobs was cancelled');
    expect(countsPhrase(of('success', 'success'))).toBe('all 2 jobs succeeded');
    expect(countsPhrase(of('success', 'skipped'))).toBe('1 of 2 jobs succeeded, 1 skipped');
    expect(countsPhrase(of('failure'))).toBe('all 1 job failed');
    expect(countsPhrase(of())).toBe('');
  });

  it('the rest, collapsed', () => {
    expect(restPhrase(of(...Array(9).fill('success'), 'skipped'))).toBe('9 succeeded, 1 skipped');
    expect(restPhrase(of('queued', 'stale'))).toBe('1 still running, 1 ended otherwise');
    expect(restPhrase(of())).toBe('');
  });

  it('a re-run: what it re-ran and kept', () => {
    expect(attemptPhrase(2, [1, 1, 2, 1])).toBe(
      'attempt 2 re-ran 1 job and kept 3 from earlier attempts',
    );
    expect(attemptPhrase(3, [3, 3])).toBe('attempt 3 ran all 2 jobs again');
    expect(attemptPhrase(1, [1, 1])).toBe('');
  });
});

describe('runDetails', () => {
  const view = (over: Partial<JobView> = {}): JobView => ({
    name: 'test',
    conclusion: 'success',
    url: 'https://github.com/o/r/actions/runs/5/job/1',
    duration: '1m 00s',
    failed_step: '',
    log: '',
    attempt: 1,
    ...over,
  });
  const failed = (i: number, log = ''): JobView =>
    view({ name: `t<${i}>`, conclusion: 'failure', failed_step: 'Run & test', log });

  it('lists each problem, escaped, then the rest collapsed (html)', () => {
    const out = runDetails(
      [failed(1, 'a <b>\nc'), view(), view({ conclusion: 'skipped' })],
      1,
      'html',
      10_000,
    );
    expect(out).toBe(
      '<br>❌ <a href="https://github.com/o/r/actions/runs/5/job/1">t&lt;1&gt;</a> failed at step <b>Run &amp; test</b> (1m 00s)<pre>a &lt;b&gt;\nc</pre><br>1 succeeded, 1 skipped',
    );
  });

  it('text: links as URLs, log lines indented, mentions defused', () => {
    const out = runDetails([failed(1, '@all look'), view()], 1, 'text', 10_000);
    expect(out).toBe(
      '\n❌ t<1> failed at step “Run & test” (1m 00s) https://github.com/o/r/actions/runs/5/job/1\n    @\u2060all look\n1 succeeded',
    );
  });

  it('fits: every job line first (a marker for those that do not fit), then logs; never past max', () => {
    const jobs = Array.from({ length: 40 }, (_, i) => failed(i, 'x'.repeat(200)));
    // 9,000 characters hold all 40 lines, not their logs: every job named, no marker.
    const roomy = runDetails(jobs, 1, 'html', 9_000);
    expect(roomy.split(' failed at step ')).toHaveLength(41);
    expect(roomy).not.toContain('[truncated]');
    expect(roomy.length).toBeLessThanOrEqual(9_000);
    for (const max of [200, 1_000, 3_000]) {
      const out = runDetails(jobs, 1, 'html', max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).toMatch(/… and \d+ more jobs \[truncated\]$/);
      expect(out.split('<a ').length).toBe(out.split('</a>').length);
      expect(out).not.toMatch(/&[a-z#0-9]*$/);
    }
    expect(MORE_MARKER(1)).toBe('… and 1 more job [truncated]');
  });

  it('nothing for no jobs', () => {
    expect(runDetails([], 1, 'html', 100)).toBe('');
  });
});

describe('the view', () => {
  it('is empty without facts, so templates naming it render on any run', () => {
    expect(wholeRunViewOf(undefined)).toEqual(emptyWholeRunView());
  });

  it("job scope: this job's link and failed step; run scope: the jobs and counts", () => {
    const own = jobFacts(
      job({
        conclusion: null,
        status: 'in_progress',
        steps: [{ name: 'Run tests', conclusion: 'failure' }],
      }),
    );
    expect(wholeRunViewOf({ scope: 'job', own, jobs: [] })).toMatchObject({
      job_url: own.url,
      failed_step: 'Run tests',
      jobs_total: 0,
    });
    const jobs = [jobFacts(job({ conclusion: 'failure' })), jobFacts(job({ id: 2 }))];
    jobs[0]!.log = ['one', 'two'];
    expect(wholeRunViewOf({ scope: 'run', jobs })).toMatchObject({
      job_url: '',
      jobs_total: 2,
      jobs_failed: 1,
      jobs: [{ name: 'test', conclusion: 'failure', duration: '3m 05s', log: 'one\ntwo' }, {}],
    });
  });
});

describe('when the API is asked', () => {
  const inputs = (extra: Record<string, string> = {}) =>
    parseInputs(
      (name) =>
        ({ token: 't', room: 'r', server: 'https://h.example', 'github-token': 'g', ...extra })[
          name
        ] ?? '',
    );

  it('summary: job asks only for a failure, or a template naming job_url / failed_step', () => {
    expect(wantsJobFacts(inputs(), 'failure')).toBe(true);
    expect(wantsJobFacts(inputs(), 'success')).toBe(false);
    expect(wantsJobFacts(inputs({ template: 'see {{job_url}}' }), 'success')).toBe(true);
    expect(
      wantsJobFacts(inputs({ template: '{{#failed_step}}x{{/failed_step}}' }), 'success'),
    ).toBe(true);
  });

  it('summary: run always asks', () => {
    expect(wantsJobFacts(inputs({ summary: 'run' }), 'success')).toBe(true);
  });
});

describe('startOf: what {{duration}} counts from', () => {
  const at = (iso: string) => Date.parse(iso);
  const jobs = [
    { name: 'build', status: 'completed', started_at: '2026-01-01T10:00:00Z' },
    {
      name: 'notify',
      status: 'in_progress',
      runner_name: 'r7',
      started_at: '2026-01-01T10:05:00Z',
    },
    { name: 'odd', started_at: 'yesterday' },
  ];

  it("this job's start, found by its runner", () => {
    expect(startOf(jobs, 'r7')).toBe(at('2026-01-01T10:05:00Z'));
  });

  it("else the run's: its earliest job's start", () => {
    expect(startOf(jobs, 'r9')).toBe(at('2026-01-01T10:00:00Z'));
  });

  it('nothing when no job says', () => {
    expect(startOf([{ name: 'x' }], 'r7')).toBeUndefined();
    expect(startOf([], 'r7')).toBeUndefined();
  });
});
