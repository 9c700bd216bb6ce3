/**
 * What an event kind is: the small interface every module of src/context/events/ implements, and the
 * view every run has, which the kinds build on. Types only.
 */
import type { Outcome } from '../../inputs/status.js';
import type { WholeRunView } from '../../whole-run/view.js';
import type { CommitView } from '../../commits/view.js';
import type { Spec } from './pieces.js';

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

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

/**
 * What the view says of every run, whatever its event. Strings are never undefined: a missing
 * fact is `''`. Each event kind adds its own part (`pull_request`, `release`…): registry.ts.
 * What the GitHub API tells of the run's jobs (`summary`) is in `WholeRunView`: every run has
 * those names too, empty without API facts.
 */
export interface RunView extends WholeRunView {
  github: GithubView;
  /** The `status` input, trimmed and lower-cased: one of `STATUSES` (status.ts), or `''`. */
  status: string;
  /**
   * Human words for the status: `succeeded`, `failed`, `was cancelled`, `was skipped`,
   * `timed out`, `failed to start`…, or `finished` (`neutral`, or no status): see status.ts.
   */
  status_text: string;
  /**
   * One of `success`, `failure`, `cancelled`, `started`, `unknown`, `none`: which built-in
   * template family applies.
   */
  outcome: Outcome;
  /** A one-character marker for the outcome: ✅ success, ❌ failure, ⚪ cancelled, 🚀 started, ❔ unknown, 🔵 none. */
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
  /** Push compare link when GitHub gave one; a release's comparison with the previous one. */
  compare_url: string;
  /**
   * With `commits`: the push's first commits, or a release's since the previous release
   * (oldest first); empty otherwise.
   */
  commits: CommitView[];
  /** How many more commits there are than `commits` lists. */
  commits_more: number;
  /**
   * How long this job has run (`4m 05s`), from the jobs listing's `started_at` when the action
   * read it (else the run's first job's); '' when unknown.
   */
  duration: string;
  /** Status of the previous completed run (only with `send-when`), '' if unknown. */
  previous_status: string;
  /** Whether the status differs from the previous completed run (only with `send-when`). */
  changed: boolean;
}

/**
 * An event kind's own part of the view (`release`, `pull_request`…): its key, its definition
 * (every field, with an empty value: what `template.ts` checks variable names against when a
 * run has no such part), and how to read it from a payload.
 */
export interface ViewPart<K extends string = string, V extends object = object> {
  readonly key: K;
  readonly shape: V;
  /** The part for this payload; undefined when the run has none. */
  read(event: Json, eventName: string): V | undefined;
}

/** The view a kind's functions see: the run's, with the kind's part when it has one. */
export type ViewWith<P> = RunView &
  (P extends ViewPart<infer K, infer V> ? { [Key in K]: V } : unknown);

/** Facts of the run that a payload knows better than the GITHUB_* variables. */
export interface RunFacts {
  /** The commit being reported. */
  sha?: string;
  branch?: string;
  /** The web page of the repository the branch lives in (a fork's). */
  forkUrl?: string;
  /** The commit title, before a push's head commit message. */
  title?: string;
  /** The commit title, after a push's head commit message. */
  laterTitle?: string;
  /**
   * The run's ref was deleted (a push with `deleted: true`): there is no commit to name (the
   * `after` sha is forty zeros, GITHUB_SHA the default branch's) and no branch page to link.
   */
  deletedRef?: boolean;
  /**
   * The status the payload itself reports (a deployment's state), a word of status.ts: it is
   * the run's status unless the `status` input says the job failed or was cancelled.
   */
  status?: string;
}

/** A card attribute a kind adds: its label, its value, and the value's link or style. */
export type CardRow = [label: string, value: string, extra: { url?: string }];

/** What the card says differently for a kind (every function may return '' for "nothing"). */
export interface CardWords<V> {
  /** A title of its own, when the kind has one for this view (a published release's). */
  title?(view: V, repo: string): string;
  /** What the title is about, after the repository: `v1.2.0`, `#12`. */
  subject?(view: V): string;
  /** The workflow the title names. */
  workflow?(view: V): string;
  /** The outcome in words. */
  verb?(view: V): string;
  /** The page the card opens. */
  url?(view: V): string;
  /** The description, before the commit title. */
  description?(view: V): string;
  /** The description, when there is no commit title. */
  laterDescription?(view: V): string;
  /** Attributes of the kind's own, after Status (rows whose value is '' are left out). */
  attributes?(view: V): CardRow[];
}

/**
 * One kind of event: which runs it describes, its part of the view, the facts it knows, its
 * built-in message and its card. Modules of src/context/events/ define one each; registry.ts lists them.
 */
export interface EventKind<P extends ViewPart | undefined = ViewPart | undefined> {
  readonly name: string;
  /** Whether a run of `eventName` is this kind's (the fallback takes every event). */
  matches(eventName: string): boolean;
  readonly part: P;
  /** Facts of the run from the payload, for runs this kind matches. */
  facts?(event: Json, github: GithubView): RunFacts;
  /** The built-in message, as pieces (pieces.ts), for each outcome. */
  message(view: ViewWith<P>): Spec;
  readonly card?: CardWords<ViewWith<P>>;
  /** Nobody started a run of this kind (a schedule's actor last edited the cron line): no Actor. */
  readonly anonymous?: boolean;
}
