/**
 * Runs a docs example's hipchat-notify step as the runner would (scripts/lib/action-runner.ts:
 * `node dist/index.js` with `INPUT_*` and `GITHUB_*`), against the HipChat sandbox and the fake
 * GitHub API, with stated stand-ins:
 * - `server` → the sandbox's URL; `${{ secrets.* }}` and other expressions → examples.ts's
 *   stand-ins (the sandbox's personal token, its add-on client);
 * - the event → the workflow's first `on:` event: a push of octo-org/octo-app by mona
 *   (action-runner.ts's sample), or the fixture payload of that event;
 * - the job status → `failure` when the step runs under `failure()` or `always()`, else `success`;
 * - GitHub's jobs listing → the example's own jobs and steps as GitHub names them (matrix legs
 *   `test (20, ubuntu-latest)`, steps `Run npm test`), the first `run:` step of a failed job failing;
 * - workspace files → `template-file` from the doc's next (else previous) `mustache` block, `test-results`
 *   patterns from the JUnit fixtures (`__tests__/fixtures/junit/`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StepResult } from '../../../scripts/lib/action-runner.ts';
import { ROOT, SAMPLE_FACTS } from '../../../scripts/lib/action-runner.ts';
import type { Sandbox } from '../../../sandbox/server.ts';
import {
  DEFAULT_ROOMS,
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  PERSONAL_TOKEN,
} from '../../../sandbox/server.ts';
import { eventRun, step } from '../../e2e/helpers.ts';
import type { FakeGithub, FakeJobInput } from '../../support/fake-github.ts';
import type { ActionStep } from './examples.ts';
import { inputValue, standIns, stepName } from './examples.ts';
import { scanDoc } from '../../../scripts/lib/markdown-docs.ts';

/** The run every example belongs to (SAMPLE_FACTS' run id), and the runner the step is on. */
export const RUN_ID = Number(SAMPLE_FACTS.GITHUB_RUN_ID);
export const RUNNER = 'GitHub Actions 2';

/** Rooms the docs name besides the sandbox's own (CI, Release Notes, Ops). */
export const DOC_ROOMS = [
  ...DEFAULT_ROOMS,
  { id: 1234, name: 'Builds' },
  { id: 5, name: 'Deployments' },
];

/** Which jobs of the run failed, by name, and how long they ran (the rest succeed in 60 s). */
export type Failures = Record<string, { seconds?: number }>;

/** The job status a step sees: failure under `failure()` / `always()`, else success. */
export function jobStatusFor(actionStep: ActionStep): string {
  return /\b(failure|always)\(\)/.test(actionStep.if) ? 'failure' : 'success';
}

/** The `with:` inputs as the runner passes them, stand-ins in place, `server` the sandbox. */
export function runnerInputs(
  actionStep: ActionStep,
  sandboxUrl: string,
  githubToken: string,
): Record<string, string> {
  const stand = standIns({
    token: PERSONAL_TOKEN,
    oauthId: OAUTH_CLIENT_ID,
    oauthSecret: OAUTH_CLIENT_SECRET,
    githubToken,
  });
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(actionStep.with))
    inputs[name] = inputValue(value, stand);
  inputs.server = sandboxUrl;
  return inputs;
}

/** Files the step needs in its workspace. */
export function workspaceFiles(actionStep: ActionStep): Record<string, string> {
  const files: Record<string, string> = {};
  const templateFile = actionStep.with['template-file'];
  if (typeof templateFile === 'string') {
    const { block } = actionStep.example;
    // The doc's next mustache block, else its nearest one above.
    const templates = scanDoc(block.file).blocks.filter((b) => b.lang === 'mustache');
    const next =
      templates.find((b) => b.line > block.line) ?? templates.findLast((b) => b.line < block.line);
    if (!next)
      throw new Error(
        `${block.file}:${block.line}: template-file ${templateFile} but the page has no mustache block to stand for it`,
      );
    files[templateFile] = next.text;
  }
  const patterns = actionStep.with['test-results'];
  if (typeof patterns === 'string') {
    const fixtures = ['surefire.xml', 'vitest.xml', 'pytest.xml', 'jest-junit.xml'];
    patterns
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean)
      .forEach((pattern, i) => {
        const file = pattern.replace(/^\*\*\//, '').replace(/\*/g, 'sample');
        files[file] = readFileSync(
          path.join(ROOT, '__tests__', 'fixtures', 'junit', fixtures[i % fixtures.length]!),
          'utf8',
        );
      });
  }
  return files;
}

type Json = Record<string, unknown>;

/** `test (20, ubuntu-latest)`: a job's matrix legs as GitHub names them, or the job alone. */
function legNames(name: string, spec: Json): string[] {
  const strategy = spec.strategy as Json | undefined;
  const matrix = strategy?.matrix as Record<string, unknown[]> | undefined;
  if (!matrix) return [name];
  let legs: unknown[][] = [[]];
  for (const [key, values] of Object.entries(matrix)) {
    if (!Array.isArray(values) || key === 'include' || key === 'exclude') continue;
    legs = legs.flatMap((leg) => values.map((value) => [...leg, value]));
  }
  return legs.map((leg) => `${name} (${leg.join(', ')})`);
}

/** A job's steps as GitHub lists them; in a failed job, its first `run:` step failed. */
function jobSteps(steps: Json[], failed: boolean): FakeJobInput['steps'] {
  const firstRun = steps.findIndex((s) => typeof s.run === 'string');
  return [
    { name: 'Set up job' },
    ...steps.map((s, i) => ({
      name: stepName(s),
      conclusion: !failed
        ? 'success'
        : i === firstRun
          ? 'failure'
          : i > firstRun
            ? 'skipped'
            : 'success',
    })),
    { name: 'Complete job' },
  ];
}

/** The run's jobs as GitHub would list them while the step runs. */
export function runJobs(actionStep: ActionStep, failures: Failures | undefined): FakeJobInput[] {
  const jobs = (actionStep.example.workflow.jobs ?? {}) as Record<string, Json>;
  const failing = jobStatusFor(actionStep) === 'failure';
  const listed: FakeJobInput[] = [];
  for (const [key, spec] of Object.entries(jobs)) {
    const steps = Array.isArray(spec.steps) ? (spec.steps as Json[]) : [];
    if (key === actionStep.job) {
      const before = steps.slice(0, actionStep.index);
      listed.push({
        name: typeof spec.name === 'string' ? spec.name : key,
        status: 'in_progress',
        runner_name: RUNNER,
        steps: [
          ...jobSteps(before, failing && before.some((s) => typeof s.run === 'string'))!.slice(
            0,
            -1,
          ),
          { name: stepName(steps[actionStep.index]!), status: 'in_progress', conclusion: null },
        ],
      });
      continue;
    }
    for (const name of legNames(key, spec)) {
      const failed = failures ? name in failures : false;
      listed.push({
        name,
        conclusion: failed ? 'failure' : 'success',
        seconds: failures?.[name]?.seconds ?? 60,
        steps: jobSteps(steps, failed),
      });
    }
  }
  return listed;
}

/** Runs the step; `github` serves the run's jobs and the previous run. */
export async function runExample(
  actionStep: ActionStep,
  sandbox: Sandbox,
  github: FakeGithub,
  failures?: Failures,
): Promise<StepResult> {
  github.setJobs(runJobs(actionStep, failures));
  const event = actionStep.event === 'push' ? {} : eventRun(actionStep.event);
  return step(sandbox, {
    ...event,
    with: runnerInputs(actionStep, sandbox.url, github.token),
    files: workspaceFiles(actionStep),
    jobStatus: jobStatusFor(actionStep),
    githubToken: github.token,
    env: {
      ...('env' in event ? event.env : {}),
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: github.webUrl,
      RUNNER_NAME: RUNNER,
    },
  });
}
