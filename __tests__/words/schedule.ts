/** What a scheduled run's built-in message says (src/context/events/schedule.ts). */
import { OUTCOME_WORDS } from './table.ts';
import type { KindWords, OutcomeName, Sentences } from './table.ts';

/** `❌ acme/widgets: scheduled run of Nightly failed on main (9f8e7d6)`: nobody started it. */
export function scheduledRunAlert(outcome: OutcomeName): Sentences {
  const { icon, verb } = OUTCOME_WORDS[outcome];
  return {
    text: `${icon} {{github.repository}}: scheduled run of {{github.workflow}} ${verb} on {{branch}} ({{short_sha}})\n{{run_url}}`,
    html: `${icon} <a href="{{repository_url}}">{{github.repository}}</a>: scheduled run of <b>{{github.workflow}}</b> ${verb} on <a href="{{branch_url}}">{{branch}}</a> (<a href="{{commit_url}}"><code>{{short_sha}}</code></a>) · <a href="{{run_url}}">run #{{github.run_number}}</a>`,
    card: `{{github.repository}} — {{github.workflow}} ${verb}`,
  };
}

export const SCHEDULE_WORDS: KindWords = {
  kind: 'schedule',
  event: 'schedule',
  fixture: 'schedule',
  rows: [
    { name: 'success', status: 'success', ...scheduledRunAlert('success') },
    { name: 'failure', status: 'failure', ...scheduledRunAlert('failure') },
    { name: 'cancelled', status: 'cancelled', ...scheduledRunAlert('cancelled') },
    { name: 'no status', status: '', ...scheduledRunAlert('') },
    { name: 'started', status: 'started', ...scheduledRunAlert('started') },
  ],
};
