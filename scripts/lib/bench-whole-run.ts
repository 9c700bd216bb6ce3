/**
 * The whole-run part of `npm run bench`: what `summary: run` costs a final job, against the
 * fake GitHub API (`__tests__/support/fake-github.ts`, real sockets on 127.0.0.1).
 *
 * - `summary: run` over 256 jobs (three pages of 100) with `log-lines: 50` for 10 failed jobs:
 *   wall time × bare node and peak RSS (goals ≤ 6×, ≤ 90 MiB);
 * - one failed job whose log is 200 MB, against the same job with a small log: the peak RSS
 *   of both, since a log must cost no more memory than a small one. The log host serves byte
 *   ranges, as GitHub's log storage does, so only the log's end is read; the same log from a
 *   host without ranges (streamed whole) is printed beside it, for what that fallback costs.
 *
 * Each run is checked: exit 0, one notification naming the failed jobs.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { matrix, startFakeGithub } from '../../__tests__/support/fake-github.ts';
import type { FakeGithub, FakeJobInput } from '../../__tests__/support/fake-github.ts';
import { SAMPLE_FACTS, parseOutputFile, samplePushEvent } from './action-runner.ts';
import { benchStepEnv } from './bench-env.ts';

/** What bench.ts's `runOnce` spawns (the same shape as its own specs). */
export interface BenchSpec {
  label: string;
  argv: string[];
  prepare(): { cwd: string; env: Record<string, string>; check(code: number | null): void };
}

/** The goals of the whole-run benchmark. */
export const WHOLE_RUN_GOALS = { ratio: 6, rssMiB: 90 } as const;

const RUNNER = 'GitHub Actions 1001';
const NOTIFY: FakeJobInput = { name: 'notify', status: 'in_progress', runner_name: RUNNER };
const FAILED = [7, 31, 60, 99, 100, 101, 150, 201, 222, 256];

/** A failing step's log: some lines of output, then the error. */
const STEP_LOG = [
  '##[group]Run npm test',
  ...Array.from({ length: 80 }, (_, i) => `\u001b[32m✓\u001b[0m test ${i} passed in ${i} ms`),
  'FAIL src/parser.test.ts > parses nested groups',
  '##[error]Process completed with exit code 1.',
].join('\n');

/** The fake GitHub for the benchmarks, and the scenarios as job lists. */
export async function startBenchGithub(): Promise<{
  github: FakeGithub;
  matrix256: FakeJobInput[];
  bigLog: FakeJobInput[];
  smallLog: FakeJobInput[];
}> {
  const github = await startFakeGithub({
    repository: 'octo-org/octo-app',
    runId: Number(SAMPLE_FACTS.GITHUB_RUN_ID),
  });
  const failing = (bytes?: number): FakeJobInput[] => [
    {
      name: 'test (big)',
      conclusion: 'failure',
      log: bytes ? { line: `${'x'.repeat(100)} noise`, bytes, tail: STEP_LOG } : STEP_LOG,
    },
    NOTIFY,
  ];
  return {
    github,
    matrix256: [...matrix('test', 256, FAILED, { log: STEP_LOG }), NOTIFY],
    bigLog: failing(200 * 1024 * 1024),
    smallLog: failing(),
  };
}

/** A final job's step with `summary: run` against `github`, whose jobs are `jobs`. */
export function wholeRunSpec(options: {
  label: string;
  main: string;
  scratch: string;
  github: FakeGithub;
  jobs: FakeJobInput[];
  sandboxUrl: string;
  withInputs: Record<string, string>;
  /** How many failed jobs the message must name. */
  failed: number;
  /** Whether the log host serves byte ranges (default true, as cloud storage does). */
  logRanges?: boolean;
  delivered(): number;
}): BenchSpec {
  let steps = 0;
  return {
    label: options.label,
    argv: [options.main],
    prepare() {
      options.github.setJobs(options.jobs);
      options.github.setLogRanges(options.logRanges ?? true);
      const dir = path.join(options.scratch, `whole-run-${++steps}`);
      const workspace = path.join(dir, 'workspace');
      mkdirSync(workspace, { recursive: true });
      const env = environment(dir, workspace, options);
      const before = options.delivered();
      return {
        cwd: workspace,
        env,
        check(code) {
          const outputs = parseOutputFile(readFileSync(path.join(dir, 'output'), 'utf8'));
          rmSync(dir, { recursive: true, force: true });
          if (code !== 0) throw new Error(`exit code ${code}`);
          if (outputs.sent !== '1') throw new Error(`output sent=${outputs.sent}, not 1`);
          if (outputs.status !== 'failure') throw new Error(`status ${outputs.status}`);
          const named = (outputs.message?.match(/ failed at step /g) ?? []).length;
          if (named !== options.failed) throw new Error(`${named} failed jobs named`);
          if (options.delivered() - before !== 1) throw new Error('not exactly one notification');
        },
      };
    },
  };
}

/** The runner's environment for one step, as runStep() builds it, with the fake's URLs. */
function environment(
  dir: string,
  workspace: string,
  options: { github: FakeGithub; sandboxUrl: string; withInputs: Record<string, string> },
): Record<string, string> {
  const eventPath = path.join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(samplePushEvent()));
  for (const f of ['output', 'summary.md', 'state', 'env']) writeFileSync(path.join(dir, f), '');
  const inputs: Record<string, string> = {
    server: options.sandboxUrl,
    'github-token': options.github.token,
    summary: 'run',
    ...options.withInputs,
  };
  const extra = {
    GITHUB_API_URL: options.github.url,
    GITHUB_SERVER_URL: options.github.webUrl,
    RUNNER_NAME: RUNNER,
  };
  const githubToken = options.github.token;
  return benchStepEnv({ dir, workspace, eventPath, inputs, githubToken, extra });
}
