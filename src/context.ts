/**
 * Workflow facts (GITHUB_* variables and the event payload) turned into the template view.
 * Pure: `buildView` takes the environment and the parsed event; nothing here reads process.env
 * or a file (event-file.ts loads the payload the runner wrote).
 */
import { normalizeStatus, outcomeChanged, outcomeOf, statusText } from './status.js';
import type { Outcome } from './status.js';

/** `${{ github.* }}` as workflow authors know it. */
export interface GithubView {
  repository: string;
  repository_owner: string;
  actor: string;
  triggering_actor: string;
  sha: string;
  ref: string;
  ref_name: string;
  head_ref: string;
  base_ref: string;
  workflow: string;
  job: string;
  run_id: string;
  run_number: string;
  run_attempt: string;
  event_name: string;
  server_url: string;
  api_url: string;
  /** The full event payload (`GITHUB_EVENT_PATH`), `{}` when there is none. */
  event: Record<string, unknown>;
}

/** Everything a template can name. Strings are never undefined: a missing fact is `''`. */
export interface TemplateView {
  github: GithubView;
  /** The `status` input, trimmed and lower-cased: one of `STATUSES` (status.ts), or `''`. */
  status: string;
  /**
   * Human words for the status: `succeeded`, `failed`, `was cancelled`, `was skipped`,
   * `timed out`, `failed to start`…, or `finished` (`neutral`, or no status): see status.ts.
   */
  status_text: string;
  /**
   * One of `success`, `failure`, `cancelled`, `started`, `none`: which built-in template family
   * applies.
   */
  outcome: Outcome;
  /** A one-character marker for the outcome: ✅ success, ❌ failure, ⚪ cancelled, 🚀 started, 🔵 none. */
  status_icon: string;
  /** Who started this run: `github.triggering_actor` (differs on a re-run), else `github.actor`. */
  actor: string;
  /** First 7 characters of the commit sha being reported. */
  short_sha: string;
  /**
   * Full sha being reported: the PR head for pull_request* events (not the merge commit),
   * the triggering run's head for workflow_run, `github.sha` otherwise.
   */
  commit_sha: string;
  /** `{server_url}/{repository}/actions/runs/{run_id}` (with `/attempts/N` when N > 1). */
  run_url: string;
  repository_url: string;
  commit_url: string;
  /**
   * First line of the commit message (head commit of a push, or of the triggering run for
   * workflow_run), the PR title for pull_request* events, '' if unknown.
   */
  commit_title: string;
  /**
   * Branch (or tag) name: PR head branch for pull requests, the triggering run's head branch for
   * workflow_run, `ref_name` otherwise.
   */
  branch: string;
  /** Web page of `branch` (in the fork for a PR from a fork), '' if unknown. */
  branch_url: string;
  /** Push compare link when GitHub gave one. */
  compare_url: string;
  /** Set when the payload carries a pull request (pull_request, pull_request_target, reviews). */
  pull_request?: {
    number: number;
    title: string;
    url: string;
    author: string;
    base: string;
    head: string;
  };
  /** Set for release events. `name` falls back to the tag. */
  release?: { tag: string; name: string; url: string; prerelease: boolean; author: string };
  /** Set for workflow_run events: the run that triggered this one. */
  workflow_run?: { name: string; conclusion: string; url: string; branch: string; event: string };
  /** Status of the previous completed run (only with `send-when`), '' if unknown. */
  previous_status: string;
  /** Whether the status differs from the previous completed run (only with `send-when`). */
  changed: boolean;
  /** The `vars` input's map (names to text); absent when the input is empty. */
  vars?: Record<string, string>;
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
 * Facts computed elsewhere: the `send-when` feature's (which change the wording of built-ins)
 * and the workflow's own values from the `vars` input.
 */
export interface ViewExtras {
  previousStatus?: string;
  changed?: boolean;
  vars?: Record<string, string>;
  /** Who `{{mention}}` names (people/mention.ts), only on a failure. */
  mention?: PersonValue;
}

type Json = Record<string, unknown>;

const ICONS: Readonly<Record<Outcome, string>> = {
  success: '✅',
  failure: '❌',
  cancelled: '⚪',
  started: '🚀',
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
  const normalized = normalizeStatus(status);
  const outcome = outcomeOf(normalized);
  const repositoryUrl = joinUrl(github.server_url, github.repository);
  const pullRequest = isPullRequestEvent(github.event_name) ? record(event, 'pull_request') : {};
  const run = github.event_name === 'workflow_run' ? record(event, 'workflow_run') : {};
  const commitSha = text(record(pullRequest, 'head'), 'sha') || text(run, 'head_sha') || github.sha;
  const branch = branchOf(github, pullRequest, run);
  const previous = normalizeStatus(extra.previousStatus);

  return {
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
    commit_title: commitTitle(event, pullRequest, run),
    branch,
    branch_url: branchUrl(branchRepositoryUrl(repositoryUrl, pullRequest, run), branch),
    compare_url: webUrl(text(event, 'compare')),
    ...optional('pull_request', pullRequestView(event)),
    ...optional('release', github.event_name === 'release' ? releaseView(event) : undefined),
    ...optional('workflow_run', github.event_name === 'workflow_run' ? runView(run) : undefined),
    previous_status: previous,
    changed: extra.changed ?? outcomeChanged(previous, normalized),
    ...optional('vars', extra.vars),
    mention: extra.mention ?? '',
  };
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

/** pull_request, pull_request_target, pull_request_review, pull_request_review_comment. */
function isPullRequestEvent(eventName: string): boolean {
  return eventName.startsWith('pull_request');
}

function branchOf(github: GithubView, pullRequest: Json, run: Json): string {
  // On a PR, ref_name is `12/merge`: the head branch is what people recognise.
  const prHead = text(record(pullRequest, 'head'), 'ref');
  if (isPullRequestEvent(github.event_name)) return prHead || github.head_ref || github.ref_name;
  // On workflow_run, GITHUB_REF is the default branch, not the branch the upstream run built.
  return text(run, 'head_branch') || github.ref_name;
}

/** The repository the branch lives in: a fork's for a PR (or upstream run) from a fork. */
function branchRepositoryUrl(repositoryUrl: string, pullRequest: Json, run: Json): string {
  const forkUrl =
    text(record(record(pullRequest, 'head'), 'repo'), 'html_url') ||
    text(record(run, 'head_repository'), 'html_url');
  return webUrl(forkUrl) || repositoryUrl;
}

function commitTitle(event: Json, pullRequest: Json, run: Json): string {
  const title =
    text(pullRequest, 'title') ||
    text(record(event, 'head_commit'), 'message') ||
    text(record(run, 'head_commit'), 'message') ||
    text(run, 'display_title');
  return firstLine(title);
}

function pullRequestView(event: Json): TemplateView['pull_request'] {
  const pr = record(event, 'pull_request');
  if (Object.keys(pr).length === 0) return undefined;
  const number = pr['number'];
  return {
    number: typeof number === 'number' ? number : Number(text(event, 'number')) || 0,
    title: firstLine(text(pr, 'title')),
    url: webUrl(text(pr, 'html_url')),
    author: text(record(pr, 'user'), 'login'),
    base: text(record(pr, 'base'), 'ref'),
    head: text(record(pr, 'head'), 'ref'),
  };
}

function releaseView(event: Json): TemplateView['release'] {
  const release = record(event, 'release');
  const tag = text(release, 'tag_name');
  return {
    tag,
    name: text(release, 'name').trim() || tag,
    url: webUrl(text(release, 'html_url')),
    prerelease: release['prerelease'] === true,
    author: text(record(release, 'author'), 'login'),
  };
}

function runView(run: Json): TemplateView['workflow_run'] {
  return {
    name: text(run, 'name'),
    conclusion: text(run, 'conclusion'),
    url: webUrl(text(run, 'html_url')),
    branch: text(run, 'head_branch'),
    event: text(run, 'event'),
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

/** Payload links end up in `href`s: accept only web links, never `javascript:` or the like. */
function webUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '';
}

function firstLine(message: string): string {
  return (message.split(/\r?\n|\r/, 1)[0] ?? '').trim();
}

/** Spread helper: adds the key only when there is a value, so optional fields stay absent. */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object-valued own property, `{}` when absent or of another type. */
export function record(value: unknown, key: string): Json {
  if (!isRecord(value) || !Object.hasOwn(value, key)) return {};
  const child = value[key];
  return isRecord(child) ? child : {};
}

/** A string (or finite number) own property as text, '' otherwise: never "undefined". */
export function text(value: unknown, key: string): string {
  if (!isRecord(value) || !Object.hasOwn(value, key)) return '';
  const child = value[key];
  if (typeof child === 'string') return child;
  return typeof child === 'number' && Number.isFinite(child) ? String(child) : '';
}
