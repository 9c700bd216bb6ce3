/**
 * `deployment` and `deployment_status`: what was deployed (the ref and commit), where (the
 * environment and its URL), how it went and who did it — `✅ acme/app: Deployed v1.4.2 to
 * production`. On `deployment_status` the deployment's state is the news: it is the status
 * reported (deployment-state.ts), unless the job itself failed or was cancelled.
 *
 * A payload without an environment has no part: the run gets the generic words. Every link is
 * kept only as a normalised http(s) URL, every name on one line and bounded.
 */
import { pageUrl } from '../../whole-run/jobs.js';
import type { EventKind, ViewPart, ViewWith } from './kind.js';
import { clean, record, text } from './payload.js';
import { bold, code, link, quoted, variable } from './pieces.js';
import type { Piece, Spec } from './pieces.js';
import { DEPLOYMENT_STATES, statusOfState } from './deployment-state.js';
import { repository, runLink } from './run-message.js';

/** `{{deployment.*}}`. */
export interface DeploymentView {
  /** `production`, `github-pages`… */
  environment: string;
  /**
   * The environment's URL (`environment_url`), else the deployment's log (`log_url`,
   * `target_url`), else the environment's deployments page on GitHub; '' when none is known.
   */
  url: string;
  /** GitHub's state of a `deployment_status` (`success`, `failure`, `in_progress`…); '' otherwise. */
  state: string;
  /** The branch, tag or commit deployed. */
  ref: string;
  /** The commit deployed. */
  sha: string;
  /** Who created the deployment status (else the deployment). */
  creator: string;
  /** The status's description, else the deployment's; '' when neither has one. */
  description: string;
}

/** Longest environment, ref and creator kept (GitHub's own limits are smaller). */
const MAX_NAME = 100;
const MAX_DESCRIPTION = 200;

/** A name from the payload: one line, at most `max` characters. */
function bounded(value: string, max = MAX_NAME): string {
  const flat = clean(value);
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A 40- (or 64-) hex commit id. */
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i;

const part: ViewPart<'deployment', DeploymentView> = {
  key: 'deployment',
  shape: { environment: '', url: '', state: '', ref: '', sha: '', creator: '', description: '' },
  read(event, eventName) {
    if (eventName !== 'deployment' && eventName !== 'deployment_status') return undefined;
    const deployment = record(event, 'deployment');
    const status = record(event, 'deployment_status');
    const environment = bounded(text(status, 'environment') || text(deployment, 'environment'));
    if (!environment) return undefined;
    const state = text(status, 'state').toLowerCase();
    const sha = text(deployment, 'sha');
    return {
      environment,
      url: urlOf(event, status, environment),
      state: DEPLOYMENT_STATES.includes(state) ? state : '',
      ref: bounded(text(deployment, 'ref'), 255),
      sha: SHA.test(sha) ? sha.toLowerCase() : '',
      creator: bounded(
        text(record(status, 'creator'), 'login') || text(record(deployment, 'creator'), 'login'),
      ),
      description: bounded(
        text(status, 'description') || text(deployment, 'description'),
        MAX_DESCRIPTION,
      ),
    };
  },
};

/** The first web page of: the environment, the deployment's log, the environment on GitHub. */
function urlOf(
  event: Record<string, unknown>,
  status: Record<string, unknown>,
  env: string,
): string {
  const own =
    pageUrl(text(status, 'environment_url')) ||
    pageUrl(text(status, 'log_url')) ||
    pageUrl(text(status, 'target_url'));
  if (own) return own;
  const repo = pageUrl(text(record(event, 'repository'), 'html_url'));
  return repo ? `${repo.replace(/\/+$/, '')}/deployments/${encodeURIComponent(env)}` : '';
}

type View = ViewWith<typeof part>;

export const deployment: EventKind<typeof part> = {
  name: 'deployment',
  matches: (eventName) => eventName === 'deployment' || eventName === 'deployment_status',
  part,
  facts(event) {
    const d = record(event, 'deployment');
    const ref = text(d, 'ref');
    const sha = text(d, 'sha');
    return {
      ...(SHA.test(sha) ? { sha } : {}),
      // A deployment of a bare commit has no branch to name.
      ...(ref && !SHA.test(ref) ? { branch: ref } : {}),
      status: statusOfState(text(record(event, 'deployment_status'), 'state')),
    };
  },
  message: deploymentSpec,
  card: {
    title: (view, repo) => `${repo} — ${sentence(view)}`,
    url: (view) => view.deployment.url,
    description: (view) => view.deployment.description,
    attributes: (view) => [
      ['Environment', view.deployment.environment, {}],
      ['URL', view.deployment.url, view.deployment.url ? { url: view.deployment.url } : {}],
    ],
  },
};

/** What was deployed, as the headline names it: the ref, or the short commit. */
function refPiece(view: View): Piece[] {
  const { ref } = view.deployment;
  if (ref && !SHA.test(ref)) return [variable('deployment.ref')];
  return view.short_sha ? [code(variable('short_sha'))] : [];
}

/**
 * `Deployed v1.4.2 to production`, `Deploying … started`, `Deploy of … failed`: the outcome's
 * words around what and where, as pieces (`env` is the environment, linked or not).
 */
function wording(view: View, what: Piece[], env: Piece): Piece[] {
  const of = what.length > 0 ? [' ', ...what] : [];
  switch (view.outcome) {
    case 'success':
      return ['Deployed', ...of, ' to ', env];
    case 'started':
      return ['Deploying', ...of, ' to ', env, ` ${view.status_text || 'started'}`];
    default:
      return [
        view.status === 'inactive' ? 'Deployment' : 'Deploy',
        ...(of.length > 0 ? [' of', ...of] : []),
        ' to ',
        env,
        // `outcome unknown` is a fact about the report, not a verb of the deploy.
        `${view.outcome === 'unknown' ? ':' : ''} ${view.status_text || 'finished'}`,
      ];
  }
}

/** The headline's words as plain text, for the card's title. */
function sentence(view: View): string {
  const { ref } = view.deployment;
  const what = ref && !SHA.test(ref) ? ref : view.short_sha;
  return wording(view, what ? [what] : [], view.deployment.environment).join('');
}

function deploymentSpec(view: View): Spec {
  const d = view.deployment;
  const env = bold(variable('deployment.environment'));
  const headline: Piece[] = [
    ...repository(view),
    ': ',
    ...wording(view, refPiece(view), d.url ? link('deployment.url', env) : env),
  ];
  if (d.description) headline.push(' — ', ...quoted(variable('deployment.description')));
  if (d.ref && !SHA.test(d.ref) && view.short_sha) {
    const sha = code(variable('short_sha'));
    headline.push(' (', view.commit_url ? link('commit_url', sha) : sha, ')');
  }
  if (d.creator) headline.push(' by ', variable('deployment.creator'));
  else if (view.actor) headline.push(' by ', variable('actor'));
  const deployed = d.url ? { url: 'deployment.url', label: ['view deployment'] } : undefined;
  const run = runLink(view).link;
  // A failure is read in the run's log first; otherwise the deployment itself is the news.
  if (view.outcome === 'failure' && run) {
    return { headline, link: run, ...(deployed ? { also: [deployed] } : {}) };
  }
  if (deployed) return { headline, link: deployed };
  return run ? { headline, link: run } : { headline };
}
