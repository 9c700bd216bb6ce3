/**
 * Workflow facts (GITHUB_* variables and the event payload) turned into the template view.
 * Pure: `buildView` takes the environment and the parsed event; nothing here reads process.env
 * or a file (event-file.ts loads the payload the runner wrote).
 */
import type { GithubView, Json, RunView } from './events/kind.js';
import { firstLine, record, text, webUrl } from './events/payload.js';
import { runFacts, viewParts } from './events/registry.js';
import type { EventParts } from './events/registry.js';
import { normalizeStatus, outcomeChanged, outcomeOf, statusText } from '../inputs/status.js';
import type { Outcome } from '../inputs/status.js';
import type { TestsView } from '../test-results/summary.js';
import type { CommitList } from '../commits/view.js';
import { formatDuration } from '../text/duration.js';
import { wholeRunViewOf } from '../whole-run/view.js';
import type { WholeRunFacts } from '../whole-run/view.js';

/**
 * Everything a template can name: what every run has (`RunView`), the parts of the event kinds
 * whose payload this run has (`pull_request`, `release`, `workflow_run`: src/context/events/), and the
 * workflow's own values.
 */
export interface TemplateView extends RunView, EventParts {
  /** The `vars` input's map (names to text); absent when the input is empty. */
  vars?: Record<string, string>;
  /** Totals and first failures of the `test-results` reports; absent when the input is empty. */
  tests?: TestsView;
  /**
   * The person behind the change on a failure (`mention: author`): a person value of
   * template.ts, a live `@mention` in text only when resolved; '' otherwise.
   */
  mention?: PersonValue | '';
}

/** The person a message names (`{{mention}}`); `mention_name` is '' when nobody is pinged. */
export interface PersonValue {
  readonly name: string;
  readonly mention_name: string;
}

/**
 * Facts computed elsewhere: the `send-when` feature's and the `summary` lookups' (which change
 * the wording of built-ins), the workflow's own values from the `vars` input and the
 * `test-results` reports.
 */
export interface ViewExtras {
  previousStatus?: string;
  changed?: boolean;
  vars?: Record<string, string>;
  /** Who `{{mention}}` names (people/mention.ts), only on a failure. */
  mention?: PersonValue;
  tests?: TestsView;
  /** What the GitHub API told about this job or the run's jobs (`summary`). */
  run?: WholeRunFacts;
  /** The commits to list (`commits`): a push's, or a release's since the previous one. */
  commits?: CommitList;
  /** How long this job (else the run) has run, in seconds, when known. */
  durationSeconds?: number;
}

const ICONS: Readonly<Record<Outcome, string>> = {
  success: '✅',
  failure: '❌',
  cancelled: '⚪',
  started: '🚀',
  unknown: '❔',
  none: '🔵',
};

/**
 * Build the template view from the runner's `GITHUB_*` variables and the event payload.
 * Every string in the result is defined ('' when the fact is unknown), so no template can
 * print "undefined", whatever the event.
 *
 * @param env the runner's variables (only `GITHUB_*` names are read)
 * @param event the parsed event payload, `{}` when there is none
 * @param status the outcome to report, e.g. `${{ job.status }}` or a run's conclusion;
 *   case-insensitive
 * @param extra the previous run's status and whether it changed, from `send-when`
 */
export function buildView(
  env: Record<string, string | undefined>,
  event: Record<string, unknown>,
  status: string,
  extra: ViewExtras = {},
): TemplateView {
  const github = githubView(env, event);
  // The event's kind knows better, for a PR's head or an upstream run (src/context/events/).
  const facts = runFacts(event, github);
  const normalized = reportedStatus(normalizeStatus(status), facts.status);
  const outcome = outcomeOf(normalized);
  const repositoryUrl = joinUrl(github.server_url, github.repository);
  const commitSha = facts.deletedRef ? '' : facts.sha || github.sha;
  const branch = facts.branch || github.ref_name;
  // The repository the branch lives in: a fork's for a PR (or upstream run) from a fork.
  const branchRepositoryUrl = webUrl(facts.forkUrl ?? '') || repositoryUrl;
  const commitTitle =
    facts.title || text(record(event, 'head_commit'), 'message') || facts.laterTitle || '';

  const view: TemplateView = {
    github,
    status: normalized,
    status_text: statusText(normalized),
    outcome,
    status_icon: ICONS[outcome],
    actor: github.triggering_actor || github.actor,
    short_sha: commitSha.slice(0, 7),
    commit_sha: commitSha,
    run_url: runUrl(repositoryUrl, github.run_id, github.run_attempt),
    repository_url: repositoryUrl,
    commit_url: repositoryUrl && commitSha ? `${repositoryUrl}/commit/${commitSha}` : '',
    commit_title: firstLine(commitTitle),
    branch,
    branch_url: facts.deletedRef ? '' : branchUrl(branchRepositoryUrl, branch),
    compare_url: extra.commits?.compareUrl || webUrl(text(event, 'compare')),
    commits: extra.commits?.commits ?? [],
    commits_more: extra.commits?.more ?? 0,
    duration: formatDuration(extra.durationSeconds),
    ...viewParts(event, github.event_name),
    // Set by withAnswers below, in this place of the view.
    previous_status: '',
    changed: false,
    ...optional('vars', extra.vars),
    mention: '',
    ...optional('tests', extra.tests),
    ...wholeRunViewOf(extra.run),
  };
  return withAnswers(view, extra);
}

/** What the send-when and people steps answer after reading the view. */
export type ViewAnswers = Pick<ViewExtras, 'previousStatus' | 'changed' | 'mention'>;

/**
 * `view` completed with the send-when step's and the people step's answers: the previous run's
 * status, whether this one changed, who `{{mention}}` names. A run builds its view once, before
 * those steps read it; their answers are set here, without building it again.
 */
export function withAnswers(view: TemplateView, answers: ViewAnswers): TemplateView {
  const previous = normalizeStatus(answers.previousStatus);
  return {
    ...view,
    previous_status: previous,
    changed: answers.changed ?? outcomeChanged(previous, view.status),
    mention: answers.mention ?? '',
  };
}

/**
 * The status reported: the payload's own (a deployment's state) when it has one, unless the
 * `status` input says the job itself failed or was cancelled — that is news the state cannot
 * tell (a failed smoke test after a successful deploy).
 */
function reportedStatus(input: string, payload: string | undefined): string {
  if (!payload) return input;
  const own = outcomeOf(input);
  return own === 'failure' || own === 'cancelled' ? input : payload;
}

function githubView(env: Record<string, string | undefined>, event: Json): GithubView {
  const get = (name: string): string => env[`GITHUB_${name}`] ?? '';
  const ref = get('REF');
  return {
    repository: get('REPOSITORY'),
    repository_owner: get('REPOSITORY_OWNER') || get('REPOSITORY').split('/')[0] || '',
    actor: get('ACTOR'),
    triggering_actor: get('TRIGGERING_ACTOR'),
    sha: get('SHA'),
    ref,
    ref_name: get('REF_NAME') || ref.replace(/^refs\/(heads|tags)\//, ''),
    head_ref: get('HEAD_REF'),
    base_ref: get('BASE_REF'),
    workflow: get('WORKFLOW'),
    job: get('JOB'),
    run_id: get('RUN_ID'),
    run_number: get('RUN_NUMBER'),
    run_attempt: get('RUN_ATTEMPT'),
    event_name: get('EVENT_NAME'),
    // GitHub Enterprise Server sets its own; a trailing slash would double up in every link.
    server_url: (get('SERVER_URL') || 'https://github.com').replace(/\/+$/, ''),
    api_url: get('API_URL'),
    event,
  };
}

function runUrl(repositoryUrl: string, runId: string, runAttempt: string): string {
  if (!repositoryUrl || !runId) return '';
  // The bare run page shows the latest attempt; a re-run's message must link its own attempt.
  // GitHub serves each attempt at .../actions/runs/{id}/attempts/{n}.
  const attempt = Number(runAttempt);
  const suffix = Number.isInteger(attempt) && attempt > 1 ? `/attempts/${attempt}` : '';
  return `${repositoryUrl}/actions/runs/${encodeURIComponent(runId)}${suffix}`;
}

function branchUrl(repositoryUrl: string, branch: string): string {
  if (!repositoryUrl || !branch) return '';
  // Keep the slashes of `feature/x`; encode what would break a URL (`#`, `?`, spaces, `%`).
  return `${repositoryUrl}/tree/${branch.split('/').map(encodeURIComponent).join('/')}`;
}

function joinUrl(serverUrl: string, repository: string): string {
  return serverUrl && repository ? `${serverUrl}/${repository}` : '';
}

/** Spread helper: adds the key only when there is a value, so optional fields stay absent. */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
