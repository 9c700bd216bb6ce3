/** What any other event's built-in message says (src/context/events/fallback.ts): its name. */
import { OUTCOME_WORDS } from './table.ts';
import type { KindWords, OutcomeName, Sentences } from './table.ts';

/** `❌ acme/widgets: CI failed on main (issue_comment, 9f8e7d6) by frank`. */
export function otherEventAlert(outcome: OutcomeName): Sentences {
  const { icon, verb } = OUTCOME_WORDS[outcome];
  return {
    text: `${icon} {{github.repository}}: {{github.workflow}} ${verb} on {{branch}} ({{github.event_name}}, {{short_sha}}) by {{actor}}\n{{run_url}}`,
    html: `${icon} <a href="{{repository_url}}">{{github.repository}}</a>: <b>{{github.workflow}}</b> ${verb} on <a href="{{branch_url}}">{{branch}}</a> ({{github.event_name}}, <a href="{{commit_url}}"><code>{{short_sha}}</code></a>) by {{actor}} · <a href="{{run_url}}">run #{{github.run_number}}</a>`,
    card: `{{github.repository}} — {{github.workflow}} ${verb}`,
  };
}

export const FALLBACK_WORDS: KindWords = {
  kind: 'fallback',
  event: 'issue_comment',
  fixture: 'issue_comment',
  rows: [
    { name: 'success', status: 'success', ...otherEventAlert('success') },
    { name: 'failure', status: 'failure', ...otherEventAlert('failure') },
    { name: 'cancelled', status: 'cancelled', ...otherEventAlert('cancelled') },
    { name: 'no status', status: '', ...otherEventAlert('') },
    { name: 'started', status: 'started', ...otherEventAlert('started') },
  ],
};
