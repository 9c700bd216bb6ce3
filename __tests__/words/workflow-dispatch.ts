/** What a manual run's built-in message says (src/context/events/workflow-dispatch.ts). */
import { OUTCOME_WORDS } from './table.ts';
import type { KindWords, OutcomeName, Sentences } from './table.ts';

/** `❌ acme/widgets: manual run of Deploy failed on main (9f8e7d6) by erin`. */
export function manualRunAlert(outcome: OutcomeName): Sentences {
  const { icon, verb } = OUTCOME_WORDS[outcome];
  return {
    text: `${icon} {{github.repository}}: manual run of {{github.workflow}} ${verb} on {{branch}} ({{short_sha}}) by {{actor}}\n{{run_url}}`,
    html: `${icon} <a href="{{repository_url}}">{{github.repository}}</a>: manual run of <b>{{github.workflow}}</b> ${verb} on <a href="{{branch_url}}">{{branch}}</a> (<a href="{{commit_url}}"><code>{{short_sha}}</code></a>) by {{actor}} · <a href="{{run_url}}">run #{{github.run_number}}</a>`,
    card: `{{github.repository}} — {{github.workflow}} ${verb}`,
  };
}

export const WORKFLOW_DISPATCH_WORDS: KindWords = {
  kind: 'workflow_dispatch',
  event: 'workflow_dispatch',
  fixture: 'workflow_dispatch',
  rows: [
    { name: 'success', status: 'success', ...manualRunAlert('success') },
    { name: 'failure', status: 'failure', ...manualRunAlert('failure') },
    { name: 'cancelled', status: 'cancelled', ...manualRunAlert('cancelled') },
    { name: 'no status', status: '', ...manualRunAlert('') },
    { name: 'started', status: 'started', ...manualRunAlert('started') },
  ],
};
