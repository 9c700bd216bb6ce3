/**
 * Every hipchat-notify step of README.md and docs/ runs: the committed bundle, as the runner
 * runs it (scripts/lib/action-runner.ts), against the HipChat sandbox and the fake GitHub API,
 * with the stand-ins lib/run-example.ts states. It must succeed: exit 0, no error, no warning,
 * and every room it names received the message (or, with `dry-run` or `send-when`, nothing was
 * posted for a stated reason).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOMY_LIMITS, useSandbox } from '../e2e/helpers.ts';
import { startFakeGithub } from '../support/fake-github.ts';
import type { FakeGithub } from '../support/fake-github.ts';
import { SAMPLE_FACTS } from '../../scripts/lib/action-runner.ts';
import { actionSteps, toExample } from './lib/examples.ts';
import { blocksOf, where } from '../../scripts/lib/markdown-docs.ts';
import { DOC_ROOMS, RUN_ID, runExample } from './lib/run-example.ts';

const sandbox = useSandbox({ limits: ROOMY_LIMITS, rooms: DOC_ROOMS });
let github: FakeGithub;
beforeAll(async () => {
  github = await startFakeGithub({
    repository: SAMPLE_FACTS.GITHUB_REPOSITORY,
    runId: RUN_ID,
    // The previous run of the workflow failed, so send-when's "fixed" and "still failing" apply.
    runs: [
      { id: RUN_ID - 1, run_number: 41, conclusion: 'failure' },
      { id: RUN_ID, run_number: 42, status: 'in_progress' },
    ],
  });
});
afterAll(() => github.close());

const steps = blocksOf(['yaml', 'yml']).flatMap((block) => actionSteps(toExample(block)));

describe('every hipchat-notify step in the docs runs and succeeds', () => {
  it.each(steps.map((s) => [`${where(s.example.block)} job ${s.job} step ${s.index + 1}`, s]))(
    '%s',
    async (_, s) => {
      const before = sandbox.notifications().length;
      const result = await runExample(s, sandbox, github);
      const log = result.stdout + result.stderr;
      expect(result.exitCode, log).toBe(0);
      expect(result.errors, log).toEqual([]);
      expect(result.warnings, log).toEqual([]);
      const rooms = String(s.with.room)
        .split(/[,\n]/)
        .map((r) => r.trim())
        .filter(Boolean);
      const dryRun = String(s.with['dry-run'] ?? 'false') === 'true';
      const skipped = /send-when: [\w-]+: skipped/.test(result.stdout);
      expect(result.outputs.sent, log).toBe(dryRun || skipped ? '0' : String(rooms.length));
      expect(sandbox.notifications().length - before).toBe(dryRun || skipped ? 0 : rooms.length);
    },
  );
});
