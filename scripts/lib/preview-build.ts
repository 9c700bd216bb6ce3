/**
 * Builds what a room would receive, without sending anything: the same inputs validation,
 * template view, template choice, rendering, truncation and card as the action, run from the
 * TypeScript sources (see `src-imports.ts`), over a sample or given event payload.
 * Used by `npm run preview`, `npm run screenshots` and the browser test.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { TemplateView } from '../../src/context/view.ts';
import type { NotificationBody } from '../../src/hipchat/types.ts';
import { validateCard } from '../../sandbox/card-schema.ts';
import { ROOT } from './action-runner.ts';
import { SAMPLE_JOBS, previewRunFacts } from './preview-jobs.ts';
import { useSourceImports } from './src-imports.ts';

/** Sample event payloads, one per event name (`push.json`, `release.json`, …). */
const SAMPLE_EVENTS_DIR = path.join(ROOT, '__tests__', 'fixtures', 'events');

/** The id the preview's follow-up is attached to (nothing is sent, so any id will do). */
const SAMPLE_PARENT_ID = '00000000-0000-4000-8000-000000000001';

/** The event names there is a sample payload for. */
export function sampleEventNames(): string[] {
  return readdirSync(SAMPLE_EVENTS_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** What to preview; everything is optional (a successful push, built-in html message). */
export interface PreviewOptions {
  /** Event payload file; default the sample for `eventName` (or for a push). */
  eventFile?: string;
  /** `github.event_name`; default guessed from the payload (release, pull_request, …) or push. */
  eventName?: string;
  /** The `status` input; default `success`. */
  status?: string;
  /** The previous run's status, as `send-when` would find it: shows "is fixed" / "still failing". */
  previousStatus?: string;
  template?: string;
  templateFile?: string;
  /** `html` (default) or `text`. */
  format?: string;
  card?: boolean;
  color?: string;
  from?: string;
  /** The `vars` input: a YAML or JSON map for `{{vars.name}}`. */
  vars?: string;
  /** The `test-results` input: globs of JUnit reports in `workspace`, one per line. */
  testResults?: string;
  /** Where a relative `templateFile` (and `testResults`) is looked up (the action's workspace); default the cwd. */
  workspace?: string;
  /** `job` (default) or `run`: the whole-run facts come from `jobsFile`, not the API. */
  summary?: string;
  /** A jobs listing (preview-jobs.ts); default the sample run when `summary` is given. */
  jobsFile?: string;
  /** The `log-lines` input. */
  logLines?: string;
  /**
   * Show the notification as a follow-up (`attach-to`) under its parent: the same event's
   * `status: started` note, as a deploy's first step would have posted it.
   */
  followUp?: boolean;
  /** The `commits` input: a push payload's first commits (a release's need the API). */
  commits?: string;
  /** The `notify` input: `true`, `false`, or outcomes (`failure, fixed`). */
  notify?: string;
}

/** The notification as the room would receive it, and how it was made. */
export interface Preview {
  eventName: string;
  /** Whether `eventName` was guessed from the payload rather than given. */
  eventNameGuessed: boolean;
  eventFile: string;
  status: string;
  view: TemplateView;
  body: NotificationBody;
  /** What the action would log as warnings (unknown variables, truncation, empty message). */
  warnings: string[];
  /** Problems the card schema finds (always empty unless the card code has a bug). */
  cardProblems: string[];
  /** With `followUp`: the notification it is attached to. */
  parent?: NotificationBody;
}

/** Builds the preview. Throws with the action's own message for invalid options. */
export async function buildPreview(options: PreviewOptions = {}): Promise<Preview> {
  useSourceImports();
  const [
    { buildView },
    { readEvent },
    { buildMessage },
    { parseInputs },
    { loadYamlParser },
    { pushCommits },
  ] = await Promise.all([
    import('../../src/context/view.ts'),
    import('../../src/context/event-file.ts'),
    import('../../src/message/compose.ts'),
    import('../../src/inputs/inputs.ts'),
    import('../../src/inputs/yaml-loader.ts'),
    import('../../src/commits/view.ts'),
  ]);

  let eventName = options.eventName?.trim() ?? '';
  if (!eventName && !options.eventFile) eventName = 'push';
  const eventFile = options.eventFile ? path.resolve(options.eventFile) : sampleFor(eventName);
  const event = readEvent(eventFile);
  const eventNameGuessed = !eventName;
  if (!eventName) eventName = guessEventName(event);

  // The action's own validation, so the preview fails exactly where the action would. The
  // token, room and server are placeholders: nothing is ever sent.
  const given: Record<string, string | undefined> = {
    token: 'preview-token-never-sent',
    room: 'preview',
    server: 'https://hipchat.example.com',
    status: options.status ?? 'success',
    color: options.color,
    format: options.format,
    template: options.template,
    'template-file': options.templateFile,
    card: options.card ? 'true' : 'false',
    from: options.from,
    vars: options.vars,
    'test-results': options.testResults,
    summary: options.summary,
    'log-lines': options.logLines,
    commits: options.commits,
    notify: options.notify,
    'github-token': 'preview-github-token-never-used',
    'attach-to': options.followUp ? SAMPLE_PARENT_ID : '',
  };
  const read = (name: string): string => given[name] ?? '';
  const workspace = options.workspace ?? process.cwd();
  const inputs = parseInputs(read, workspace, await loadYamlParser(read));
  const tests = await readTests(inputs.testResults, workspace);

  // `summary`: the facts the API would give, from a jobs listing on disk.
  const whole =
    options.summary || options.jobsFile
      ? await previewRunFacts(inputs.summary, options.jobsFile ?? SAMPLE_JOBS, inputs.logLines)
      : undefined;
  const env = sampleRunnerEnv(eventName, event);
  const repositoryUrl = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`;
  const commits =
    eventName === 'push' && inputs.commits > 0
      ? pushCommits(event, repositoryUrl, inputs.commits)
      : undefined;
  const view = buildView(env, event, whole?.status ?? inputs.status, {
    previousStatus: options.previousStatus,
    vars: inputs.vars,
    tests: tests?.view,
    run: whole?.facts,
    commits,
  });
  const built = buildMessage(inputs, view);
  const { body } = built;
  // The parent: what the deploy's first step posted, the same event with `status: started`.
  const parent = options.followUp
    ? buildMessage(
        { ...inputs, attachTo: '', template: '' },
        buildView(sampleRunnerEnv(eventName, event), event, 'started', { vars: inputs.vars }),
      ).body
    : undefined;
  const warnings = [...(tests?.warnings ?? []), ...built.warnings];
  return {
    eventName,
    eventNameGuessed,
    eventFile,
    status: view.status,
    view,
    body,
    warnings,
    cardProblems: body.card ? validateCard(body.card) : [],
    ...(parent ? { parent } : {}),
  };
}

/** The `test-results` reports, read by the action's own code (nothing when none is given). */
async function readTests(patterns: string[], workspace: string) {
  if (patterns.length === 0) return undefined;
  const { readTestResults } = await import('../../src/test-results/read-reports.ts');
  return readTestResults(patterns, workspace);
}

function sampleFor(eventName: string): string {
  const names = sampleEventNames();
  if (!names.includes(eventName)) {
    throw new Error(
      `There is no sample payload for the event '${eventName}' (samples: ${names.join(', ')}). Pass one with --event FILE.`,
    );
  }
  return path.join(SAMPLE_EVENTS_DIR, `${eventName}.json`);
}

type Json = Record<string, unknown>;

function obj(value: unknown, key: string): Json {
  const child = (value as Json | undefined)?.[key];
  return typeof child === 'object' && child !== null && !Array.isArray(child)
    ? (child as Json)
    : {};
}

function str(value: unknown, key: string): string {
  const child = (value as Json | undefined)?.[key];
  return typeof child === 'string' ? child : typeof child === 'number' ? String(child) : '';
}

/** The event a payload most likely came from, by the keys only that event carries. */
function guessEventName(event: Json): string {
  if ('release' in event) return 'release';
  if ('pull_request' in event) return 'pull_request';
  if ('workflow_run' in event) return 'workflow_run';
  if ('deployment_status' in event) return 'deployment_status';
  if ('deployment' in event) return 'deployment';
  if ('schedule' in event) return 'schedule';
  if ('issue' in event && 'comment' in event) return 'issue_comment';
  if ('inputs' in event && typeof event['workflow'] === 'string') return 'workflow_dispatch';
  return 'push';
}

const SAMPLE_SHA = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';

/** Workflow names a repository typically gives each kind of run (GITHUB_WORKFLOW). */
const WORKFLOW_NAMES: Readonly<Record<string, string>> = {
  release: 'Release',
  workflow_dispatch: 'Deploy',
  schedule: 'Nightly',
  workflow_run: 'Notify',
  deployment: 'Deploy',
  deployment_status: 'Deploy',
};

/**
 * The `GITHUB_*` variables a runner would set for this event, taken from the payload where it
 * says (repository, sender, ref, sha, server) and plausible samples otherwise. The caller's own
 * environment is not read: a preview must look the same on every machine.
 */
function sampleRunnerEnv(eventName: string, event: Json): Record<string, string> {
  const repository = obj(event, 'repository');
  const fullName = str(repository, 'full_name') || 'acme/widgets';
  const defaultBranch = str(repository, 'default_branch') || 'main';
  const htmlUrl = str(repository, 'html_url');
  const serverUrl = /^https?:\/\//.test(htmlUrl) ? new URL(htmlUrl).origin : 'https://github.com';
  const actor = str(obj(event, 'sender'), 'login') || 'octocat';

  let ref = `refs/heads/${defaultBranch}`;
  let sha = SAMPLE_SHA;
  let headRef = '';
  let baseRef = '';
  if (eventName.startsWith('pull_request')) {
    const pr = obj(event, 'pull_request');
    ref = `refs/pull/${str(pr, 'number') || str(event, 'number') || '1'}/merge`;
    sha = str(pr, 'merge_commit_sha') || SAMPLE_SHA;
    headRef = str(obj(pr, 'head'), 'ref');
    baseRef = str(obj(pr, 'base'), 'ref');
  } else if (eventName === 'release') {
    const tag = str(obj(event, 'release'), 'tag_name');
    if (tag) ref = `refs/tags/${tag}`;
  } else if (eventName === 'deployment' || eventName === 'deployment_status') {
    const deployment = obj(event, 'deployment');
    const deployed = str(deployment, 'ref');
    if (deployed && !/^[0-9a-f]{40}$/.test(deployed)) ref = `refs/heads/${deployed}`;
    sha = str(deployment, 'sha') || SAMPLE_SHA;
  } else if (eventName === 'push' || eventName === 'workflow_dispatch') {
    ref = str(event, 'ref') || ref;
    sha = str(event, 'after') || str(obj(event, 'head_commit'), 'id') || SAMPLE_SHA;
  }
  if (!/^[0-9a-f]{40}$/.test(sha)) sha = SAMPLE_SHA;

  return {
    GITHUB_REPOSITORY: fullName,
    GITHUB_REPOSITORY_OWNER: fullName.split('/')[0] ?? '',
    GITHUB_ACTOR: actor,
    GITHUB_TRIGGERING_ACTOR: actor,
    GITHUB_SHA: sha,
    GITHUB_REF: ref,
    GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags|pull)\//, ''),
    GITHUB_HEAD_REF: headRef,
    GITHUB_BASE_REF: baseRef,
    GITHUB_WORKFLOW: WORKFLOW_NAMES[eventName] ?? 'CI',
    GITHUB_JOB: 'build',
    GITHUB_RUN_ID: '7012345678',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_SERVER_URL: serverUrl,
    GITHUB_API_URL:
      serverUrl === 'https://github.com' ? 'https://api.github.com' : `${serverUrl}/api/v3`,
  };
}
