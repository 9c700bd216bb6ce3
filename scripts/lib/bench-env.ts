/**
 * The environment runStep() gives a step, for the benchmarks' own spawns: the machine's
 * basics, the sample facts, fresh runner files under `dir`, and every input of action.yml —
 * the given ones, else its default as a runner would evaluate it (push event, job status success).
 */
import path from 'node:path';
import {
  SAMPLE_FACTS,
  evaluateDefault,
  inputVariable,
  loadActionYml,
  samplePushEvent,
} from './action-runner.ts';

export function benchStepEnv(options: {
  dir: string;
  workspace: string;
  eventPath: string;
  /** Inputs by name; the rest get action.yml's defaults. */
  inputs: Readonly<Record<string, string>>;
  /** What `${{ github.token }}` evaluates to. */
  githubToken: string;
  /** Variables on top of the runner's (the fake GitHub's URLs, say). */
  extra?: Readonly<Record<string, string>>;
}): Record<string, string> {
  const { dir } = options;
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP', 'LANG']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, SAMPLE_FACTS, {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: options.eventPath,
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_WORKSPACE: options.workspace,
    RUNNER_TEMP: dir,
    ...options.extra,
  });
  for (const [name, spec] of Object.entries(loadActionYml().inputs)) {
    env[inputVariable(name)] =
      options.inputs[name] ??
      evaluateDefault(String(spec.default ?? ''), {
        event: samplePushEvent(),
        jobStatus: 'success',
        githubToken: options.githubToken,
      });
  }
  return env;
}
