/**
 * The YAML examples of the docs as workflows: each block is a complete workflow or a fragment
 * of one (some jobs, one job, steps, one step, a step's `with:`, workflow-level keys), wrapped
 * minimally into a workflow so GitHub's parser can judge it. The wrapping is said in words
 * (`how`), and test names carry it. The hipchat-notify steps are then found in the workflow,
 * with the event and job status they would run under and the expressions replaced by stand-ins.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ROOT } from '../../../scripts/lib/action-runner.ts';
import type { CodeBlock } from '../../../scripts/lib/markdown-docs.ts';

/** The action as workflows name it, without the version. */
export const ACTION = 'hipchat-notify/hipchat-notify';

type Json = Record<string, unknown>;

/** A YAML example made into a workflow. */
export interface Example {
  block: CodeBlock;
  /** What the block is: `workflow` when it is complete as written. */
  kind: 'workflow' | 'workflow keys' | 'jobs' | 'job' | 'steps' | 'step' | 'with';
  /** How it was wrapped ('' for a complete workflow). */
  how: string;
  workflow: Json;
  /** The wrapped workflow as YAML, for the parser. */
  yaml: string;
}

const WORKFLOW_KEYS = new Set([
  'name',
  'run-name',
  'on',
  'permissions',
  'env',
  'defaults',
  'concurrency',
  'jobs',
]);
const JOB_KEYS = new Set([
  'runs-on',
  'steps',
  'needs',
  'uses',
  'strategy',
  'container',
  'services',
]);
const STEP_KEYS = new Set(['uses', 'run']);

const isMap = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The smallest job around some steps. */
const jobOf = (steps: unknown[]): Json => ({ 'runs-on': 'ubuntu-latest', steps });
/** The smallest workflow around some jobs. */
const workflowOf = (jobs: Json, extra: Json = {}): Json => ({
  name: 'CI',
  on: 'push',
  ...extra,
  jobs,
});

/** Classifies a YAML block and wraps it into a workflow; throws for a block it cannot place. */
export function toExample(block: CodeBlock): Example {
  const doc: unknown = parse(block.text);
  const made = (kind: Example['kind'], how: string, workflow: Json): Example => ({
    block,
    kind,
    how,
    workflow,
    yaml: how ? stringify(workflow) : block.text,
  });
  if (Array.isArray(doc)) {
    return made(
      'steps',
      'steps, wrapped in a job of a push workflow',
      workflowOf({ example: jobOf(doc) }),
    );
  }
  if (!isMap(doc))
    throw new Error(`${block.file}:${block.line}: a YAML block that is not a map or a list`);
  const keys = Object.keys(doc);
  if ('jobs' in doc) return made('workflow', '', doc);
  if (keys.every((k) => WORKFLOW_KEYS.has(k))) {
    return made(
      'workflow keys',
      'workflow-level keys, added to a push workflow with one job',
      workflowOf({ example: jobOf([{ run: 'true' }]) }, doc),
    );
  }
  if (keys.some((k) => JOB_KEYS.has(k))) {
    return made('job', 'one job, in a push workflow', workflowOf({ example: doc }));
  }
  if (
    keys.length > 0 &&
    keys.every((k) => isMap(doc[k]) && Object.keys(doc[k]).some((j) => JOB_KEYS.has(j)))
  ) {
    return made('jobs', 'jobs, in a push workflow', workflowOf(doc));
  }
  if (keys.some((k) => STEP_KEYS.has(k))) {
    return made(
      'step',
      'one step, in a job of a push workflow',
      workflowOf({ example: jobOf([doc]) }),
    );
  }
  if (keys.length === 1 && keys[0] === 'with') {
    const step = { uses: `${ACTION}@${majorTag()}`, with: doc.with };
    return made(
      'with',
      `a \`with:\` of ${ACTION}, in a job of a push workflow`,
      workflowOf({ example: jobOf([step]) }),
    );
  }
  throw new Error(
    `${block.file}:${block.line}: a YAML block that is no part of a workflow (keys: ${keys.join(', ')})`,
  );
}

/** package.json's version. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** The moving major tag workflows should use: `v` and package.json's major. */
export function majorTag(): string {
  return `v${packageVersion().split('.')[0]}`;
}

/** A hipchat-notify step of an example, with what it runs under. */
export interface ActionStep {
  example: Example;
  job: string;
  index: number;
  uses: string;
  with: Record<string, unknown>;
  /** The step's `if:` ('' when none). */
  if: string;
  /** The first event in the workflow's `on:`. */
  event: string;
  /** The job's steps (for the jobs listing GitHub would show). */
  steps: Json[];
  /** The job as written. */
  jobSpec: Json;
}

/** The workflow's first event name. */
function firstEvent(on: unknown): string {
  if (typeof on === 'string') return on;
  if (Array.isArray(on)) return String(on[0]);
  if (isMap(on)) return Object.keys(on)[0] ?? 'push';
  return 'push';
}

/** Every step of the example that uses this action. */
export function actionSteps(example: Example): ActionStep[] {
  const found: ActionStep[] = [];
  const jobs = isMap(example.workflow.jobs) ? example.workflow.jobs : {};
  for (const [job, spec] of Object.entries(jobs)) {
    const steps = isMap(spec) && Array.isArray(spec.steps) ? (spec.steps as unknown[]) : [];
    steps.forEach((step, index) => {
      if (!isMap(step) || typeof step.uses !== 'string' || !step.uses.startsWith(`${ACTION}@`))
        return;
      found.push({
        example,
        job,
        index,
        uses: step.uses,
        with: isMap(step.with) ? step.with : {},
        if: step.if === undefined ? '' : String(step.if),
        event: firstEvent(example.workflow.on),
        steps: steps.filter(isMap),
        jobSpec: spec as Json,
      });
    });
  }
  return found;
}

/**
 * What the docs' expressions stand for when an example is run: secrets by the sandbox's
 * credentials, a computed status by a failure, an earlier step's output by a sample. An
 * expression without a stand-in fails the test that meets it, naming it.
 */
export function standIns(credentials: {
  token: string;
  oauthId: string;
  oauthSecret: string;
  githubToken: string;
}): Record<string, string> {
  return {
    'secrets.HIPCHAT_TOKEN': credentials.token,
    'secrets.HIPCHAT_ADDON_ID': credentials.oauthId,
    'secrets.HIPCHAT_ADDON_SECRET': credentials.oauthSecret,
    'secrets.HIPCHAT_OAUTH_ID': credentials.oauthId,
    'secrets.HIPCHAT_OAUTH_SECRET': credentials.oauthSecret,
    'github.token': credentials.githubToken,
    "contains(needs.*.result, 'failure') && 'failure' || 'success'": 'failure',
    // What GitHub gives a final job whose matrix job failed (the docs' samples are failures).
    'toJSON(needs)': JSON.stringify({ test: { result: 'failure', outputs: {} } }),
    'steps.version.outputs.tag': 'v1.4.2',
    // docs/follow-ups.md: an id an earlier step (or run) read back with `lookup-id`.
    'steps.started.outputs.message-id': '6f2c1a3e-9b4d-4e8f-a1c2-3d4e5f607182',
    "job.status == 'success' && steps.last-failure.outputs.id || ''": '',
  };
}

/** A `with:` value as the runner passes it: a string, expressions replaced by their stand-ins. */
export function inputValue(value: unknown, stand: Record<string, string>): string {
  const text = typeof value === 'string' ? value : value === null ? '' : String(value);
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    const replaced = stand[expr];
    if (replaced === undefined)
      throw new Error(
        `no stand-in for the expression \${{ ${expr} }}: add one in __tests__/docs/lib/examples.ts`,
      );
    return replaced;
  });
}

/** The step as GitHub names it in a job's step list. */
export function stepName(step: Json): string {
  if (typeof step.name === 'string') return step.name;
  if (typeof step.uses === 'string') return `Run ${step.uses}`;
  if (typeof step.run === 'string') return `Run ${step.run.split('\n')[0]!.trim()}`;
  return 'Run step';
}
