/**
 * What a workflow_run's built-in message says (src/context/events/workflow-run.ts): the run that
 * triggered this one, its name, branch, commit and page.
 */
import { OUTCOME_WORDS } from './table.ts';
import type { KindWords, OutcomeName, Sentences } from './table.ts';

/** `❌ acme/widgets: Build failed on release/2.x — “Speed up the build” (1234567) by dave`. */
export function upstreamRunAlert(outcome: OutcomeName): Sentences {
  const { icon, verb } = OUTCOME_WORDS[outcome];
  return {
    text: `${icon} {{github.repository}}: {{workflow_run.name}} ${verb} on {{branch}} — “{{commit_title}}” ({{short_sha}}) by {{actor}}\n{{workflow_run.url}}`,
    html: `${icon} <a href="{{repository_url}}">{{github.repository}}</a>: <b>{{workflow_run.name}}</b> ${verb} on <a href="{{branch_url}}">{{branch}}</a> — {{commit_title}} (<a href="{{commit_url}}"><code>{{short_sha}}</code></a>) by {{actor}} · <a href="{{workflow_run.url}}">view run</a>`,
    card: `{{github.repository}} — {{workflow_run.name}} ${verb}`,
  };
}

export const WORKFLOW_RUN_WORDS: KindWords = {
  kind: 'workflow_run',
  event: 'workflow_run',
  fixture: 'workflow_run',
  rows: [
    { name: 'success', status: 'success', ...upstreamRunAlert('success') },
    { name: 'failure', status: 'failure', ...upstreamRunAlert('failure') },
    { name: 'cancelled', status: 'cancelled', ...upstreamRunAlert('cancelled') },
    { name: 'no status', status: '', ...upstreamRunAlert('') },
    // Not finished: the status default gives the upstream run's status, a start note.
    { name: 'queued', status: 'queued', ...upstreamRunAlert('queued') },
    { name: 'requested', status: 'requested', ...upstreamRunAlert('requested') },
    ...(['timed_out', 'startup_failure', 'neutral', 'action_required', 'stale'] as const).map(
      (status) => ({ name: status, status, ...upstreamRunAlert(status) }),
    ),
  ],
};
