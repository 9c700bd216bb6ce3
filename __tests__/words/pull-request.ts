/** What a pull request's built-in message says (src/context/events/pull-request.ts). */
import { OUTCOME_WORDS } from './table.ts';
import type { KindWords, OutcomeName, Sentences } from './table.ts';

/** `❌ acme/widgets: CI failed on PR #12 — “Add the widget” (feature/x, abcdef0) by bob`. */
export function pullRequestAlert(outcome: OutcomeName): Sentences {
  const { icon, verb } = OUTCOME_WORDS[outcome];
  return {
    text: `${icon} {{github.repository}}: {{github.workflow}} ${verb} on PR #{{pull_request.number}} — “{{commit_title}}” ({{branch}}, {{short_sha}}) by {{actor}}\n{{run_url}}`,
    html: `${icon} <a href="{{repository_url}}">{{github.repository}}</a>: <b>{{github.workflow}}</b> ${verb} on <a href="{{pull_request.url}}">PR #{{pull_request.number}}</a> — {{commit_title}} (<a href="{{branch_url}}">{{branch}}</a>, <a href="{{commit_url}}"><code>{{short_sha}}</code></a>) by {{actor}} · <a href="{{run_url}}">run #{{github.run_number}}</a>`,
    card: `{{github.repository}} #{{pull_request.number}} — {{github.workflow}} ${verb}`,
  };
}

export const PULL_REQUEST_WORDS: KindWords = {
  kind: 'pull_request',
  event: 'pull_request',
  fixture: 'pull_request',
  rows: [
    { name: 'success', status: 'success', ...pullRequestAlert('success') },
    { name: 'failure', status: 'failure', ...pullRequestAlert('failure') },
    { name: 'cancelled', status: 'cancelled', ...pullRequestAlert('cancelled') },
    { name: 'no status', status: '', ...pullRequestAlert('') },
    { name: 'started', status: 'started', ...pullRequestAlert('started') },
    {
      name: 'failure, pull_request_target',
      status: 'failure',
      event: 'pull_request_target',
      ...pullRequestAlert('failure'),
    },
  ],
};
