/**
 * Never green by mistake: the `needs` input (src/inputs/needs.ts) and the outcome `summary: run`
 * reports from it and the jobs listing (src/whole-run/verdict.ts), with the counts in words.
 */
import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../src/inputs/inputs.js';
import { parseNeeds } from '../../src/inputs/needs.js';
import type { Needs } from '../../src/inputs/needs.js';
import type { JobFacts } from '../../src/whole-run/jobs.js';
import { attemptPhrase, countsPhrase, tally } from '../../src/whole-run/outcome.js';
import { FIXES, runVerdict } from '../../src/whole-run/verdict.js';
import { runDetails } from '../../src/whole-run/details.js';

const REQUIRED = { token: 't', room: 'CI', server: 'https://hipchat.example.com' };

function problemsOf(inputs: Record<string, string>): string[] {
  try {
    parseInputs((name) => ({ ...REQUIRED, ...inputs })[name] ?? '');
    return [];
  } catch (error) {
    return (error as { problems: string[] }).problems;
  }
}

const needs = (results: Record<string, string>): Needs => {
  const problems: string[] = [];
  const parsed = parseNeeds(
    JSON.stringify(
      Object.fromEntries(
        Object.entries(results).map(([id, result]) => [id, { result, outputs: {} }]),
      ),
    ),
    problems,
  );
  expect(problems).toEqual([]);
  return parsed!;
};

const job = (conclusion: string, n = 0): JobFacts => ({
  id: n + 1,
  name: `job ${n}`,
  conclusion,
  completed: !['queued', 'in_progress'].includes(conclusion),
  url: '',
  failedStep: '',
  attempt: 1,
});
const jobs = (...conclusions: string[]): JobFacts[] => conclusions.map((c, i) => job(c, i));
const FORBIDDEN = { error: 'GitHub answered 403', detail: 'could not read the jobs: 403.' };

describe('the needs input', () => {
  it("reads what `toJSON(needs)` gives: job ids to GitHub's results", () => {
    const problems: string[] = [];
    const text = JSON.stringify({
      build: { result: 'failure', outputs: { version: '1.2.0' } },
      'lint-2': { result: 'success', outputs: {} },
      _docs: { result: 'skipped' },
      deploy: { result: 'cancelled', outputs: {} },
    });
    expect([...parseNeeds(text, problems)!]).toEqual([
      ['build', 'failure'],
      ['lint-2', 'success'],
      ['_docs', 'skipped'],
      ['deploy', 'cancelled'],
    ]);
    expect(problems).toEqual([]);
    // Empty, and a job that needs none: as if not given.
    expect(parseNeeds('', problems)).toBeUndefined();
    expect(parseNeeds(' {} ', problems)).toBeUndefined();
    expect(problems).toEqual([]);
  });

  it.each([
    ['success', 'not JSON'],
    ['[{"result":"success"}]', 'not a JSON object'],
    ['"build"', 'not a JSON object'],
    ['{"build":{"result":"passed"}}', "job 'build' has no result GitHub gives"],
    ['{"build":{"result":"SUCCESS"}}', "job 'build' has no result GitHub gives"],
    ['{"build":"success"}', "job 'build' has no result GitHub gives"],
    ['{"build":{"result":"timed_out"}}', "job 'build' has no result GitHub gives"],
    ['{"1build":{"result":"success"}}', "'1build' is not a job id"],
    ['{"a b":{"result":"success"}}', "'a b' is not a job id"],
    [
      '{"build":{"result":"success","outputs":"x"}}',
      "the outputs of job 'build' are not an object",
    ],
  ])('%s is an input error naming the input, the value and the shape', (value, why) => {
    const problems = problemsOf({ summary: 'run', needs: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`\`needs\` is '${value.slice(0, 59)}`);
    expect(problems[0]).toContain(why);
    expect(problems[0]).toContain('expected `${{ toJSON(needs) }}`: a JSON object of job ids to');
    expect(problems[0]).toContain('"success" | "failure" | "cancelled" | "skipped"');
  });

  it('a long value is shown cut, on one line', () => {
    const problems = problemsOf({ summary: 'run', needs: `{\n"x": ${'1'.repeat(500)}` });
    expect(problems[0]).toMatch(/`needs` is '\{ "x": 1+…': not JSON/);
    expect(problems[0]!.length).toBeLessThan(400);
  });

  it('is read only by summary: run, which then needs no github-token', () => {
    expect(problemsOf({ needs: '{"build":{"result":"success"}}' })[0]).toContain(
      "`needs` is set but `summary` is 'job'",
    );
    const ok = '{"build":{"result":"failure","outputs":{}}}';
    expect(problemsOf({ summary: 'run', needs: ok, 'github-token': '' })).toEqual([]);
    expect(problemsOf({ summary: 'run', 'github-token': '' })[0]).toContain(
      "`summary` is 'run' but `github-token` and `needs` are empty: give `needs: ${{ toJSON(needs) }}`",
    );
  });
});

describe("summary: run's outcome", () => {
  it('needs alone, the listing unreadable: needs decides; a notice says what is left out', () => {
    for (const [results, status] of [
      [{ build: 'failure', lint: 'success' }, 'failure'],
      [{ build: 'cancelled', lint: 'success' }, 'cancelled'],
      [{ build: 'success', docs: 'skipped' }, 'success'],
      [{ docs: 'skipped' }, 'success'],
    ] as const) {
      const verdict = runVerdict(needs(results), FORBIDDEN);
      expect(verdict.status).toBe(status);
      expect(verdict.warning).toBeUndefined();
      expect(verdict.notice).toContain("the outcome is GitHub's `needs` result");
      expect(verdict.notice).toContain('403');
      expect(verdict.note).toBe('');
    }
  });

  it('needs and the listing agree: no note', () => {
    const verdict = runVerdict(needs({ build: 'failure' }), {
      jobs: jobs('failure', 'success'),
      missing: 0,
    });
    expect(verdict).toMatchObject({ status: 'failure', note: '' });
  });

  it('needs and the listing disagree: needs wins, and the message says the listing was incomplete', () => {
    const green = runVerdict(needs({ build: 'failure' }), {
      jobs: jobs('success', 'success'),
      missing: 0,
    });
    expect(green.status).toBe('failure');
    expect(green.note).toBe(
      "The jobs listing was incomplete (2 of 2 jobs read, which says success): the outcome is GitHub's `needs` result (failure).",
    );
    // The failure past the cap: the listing saw none of it.
    const capped = runVerdict(needs({ build: 'failure' }), {
      jobs: jobs(...Array<string>(1000).fill('success')),
      missing: 2,
      stop: 'the listing is read up to 1,000 jobs',
    });
    expect(capped.status).toBe('failure');
    expect(capped.note).toContain('The jobs listing was incomplete (1,000 of 1,002 jobs read)');
    expect(
      runVerdict(needs({ build: 'success' }), { jobs: jobs('failure'), missing: 0 }),
    ).toMatchObject({
      status: 'success',
      note: expect.stringContaining('which says failure'),
    });
  });

  it('the listing alone, read whole: the jobs decide', () => {
    expect(runVerdict(undefined, { jobs: jobs('success', 'failure'), missing: 0 }).status).toBe(
      'failure',
    );
    expect(runVerdict(undefined, { jobs: jobs('success', 'skipped'), missing: 0 }).status).toBe(
      'success',
    );
    expect(runVerdict(undefined, { jobs: jobs('success', 'cancelled'), missing: 0 }).status).toBe(
      'cancelled',
    );
    // The run is only this job: its own status stands.
    expect(runVerdict(undefined, { jobs: [], missing: 0 }).status).toBeUndefined();
  });

  it('neither: unknown, never success — one warning and the message name both fixes', () => {
    const verdict = runVerdict(undefined, FORBIDDEN);
    expect(verdict.status).toBe('unknown');
    expect(verdict.note).toBe(
      `Outcome unknown: the run's jobs could not be read (GitHub answered 403) and \`needs\` was not given. To fix it, ${FIXES}.`,
    );
    expect(verdict.warning).toContain('could not read the jobs: 403');
    for (const text of [verdict.note, verdict.warning!]) {
      expect(text).toContain('`needs: ${{ toJSON(needs) }}`');
      expect(text).toContain('`permissions: actions: read`');
    }
    expect(verdict.notice).toBeUndefined();
  });

  it('a listing cut off: a failure seen is a failure; without one, unknown', () => {
    const cut = { missing: 2, stop: 'the listing is read up to 1,000 jobs' };
    const red = runVerdict(undefined, {
      jobs: jobs('failure', ...Array<string>(999).fill('success')),
      ...cut,
    });
    expect(red.status).toBe('failure');
    expect(red.warning).toBeUndefined();
    expect(red.note).toBe('1,000 of 1,002 jobs read: the listing is read up to 1,000 jobs.');
    const green = runVerdict(undefined, {
      jobs: jobs(...Array<string>(1000).fill('success')),
      ...cut,
    });
    expect(green.status).toBe('unknown');
    expect(green.note).toContain(
      'only 1,000 of 1,002 jobs read: the listing is read up to 1,000 jobs, none of them failed',
    );
    expect(green.warning).toContain(FIXES);
    const page = runVerdict(undefined, {
      jobs: jobs('success', 'success'),
      missing: 150,
      stop: 'page 2 could not be read (GitHub answered 502)',
    });
    expect(page.status).toBe('unknown');
    expect(page.note).toContain('2 of 152 jobs read: page 2 could not be read');
  });

  it('jobs not finished, none failed: unknown', () => {
    const verdict = runVerdict(undefined, { jobs: jobs('success', 'in_progress'), missing: 0 });
    expect(verdict.status).toBe('unknown');
    expect(verdict.note).toContain('1 job of the run had not finished');
  });
});

describe('counts in words, when not every job was read', () => {
  const of = (...c: string[]) => tally(c);
  it('never "all N jobs succeeded" unless all N were read', () => {
    const thousand = of(...Array<string>(1000).fill('success'));
    expect(countsPhrase(thousand)).toBe('all 1,000 jobs succeeded');
    expect(countsPhrase(thousand, 1002)).toBe('1,000 of 1,002 jobs read, none failed');
    expect(countsPhrase(of('failure', 'success'), 1002)).toBe('2 of 1,002 jobs read, 1 failed');
    expect(countsPhrase(of('cancelled'), 3)).toBe('1 of 3 jobs read, 1 cancelled');
    // All listed, but the listing is known to be incomplete (needs says otherwise).
    expect(countsPhrase(of('success', 'success'), 2, true)).toBe('2 jobs read, none failed');
  });

  it('an attempt the listing does not give is not read as attempt 1', () => {
    // GitHub's API description makes run_attempt optional: attempt 2 must not say "re-ran 0".
    expect(attemptPhrase(2, [0, 0])).toBe('');
    expect(attemptPhrase(2, [2, 0])).toBe('');
    expect(attemptPhrase(2, [2, 1])).toBe(
      'attempt 2 re-ran 1 job and kept 1 from earlier attempts',
    );
  });

  it("the note leads the run summary's body, escaped, before any job", () => {
    const note = 'Outcome unknown: <b>x</b> @all';
    expect(runDetails([], 1, 'html', 10_000, note)).toBe(
      '<br>Outcome unknown: &lt;b&gt;x&lt;/b&gt; @all',
    );
    expect(runDetails([], 1, 'text', 10_000, note)).not.toContain(' @all');
    expect(runDetails([], 1, 'html', 10, note)).toBe('');
  });
});
