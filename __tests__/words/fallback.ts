/**
 * What any other event's built-in message says (src/context/events/fallback.ts,
 * src/context/events/subject.ts): what happened to what — the payload's action and its
 * subject — in the parentheses, else the event's name.
 */
import { OUTCOME_WORDS } from './table.ts';
import type { KindWords, OutcomeName, Sentences } from './table.ts';

/** One alert, with `what` (text, html) in the parentheses and the card's subject. */
function alert(
  outcome: OutcomeName,
  what: { text: string; html: string },
  cardSubject = '',
): Sentences {
  const { icon, verb } = OUTCOME_WORDS[outcome];
  return {
    text: `${icon} {{github.repository}}: {{github.workflow}} ${verb} on {{branch}} (${what.text}, {{short_sha}}) by {{actor}}\n{{run_url}}`,
    html: `${icon} <a href="{{repository_url}}">{{github.repository}}</a>: <b>{{github.workflow}}</b> ${verb} on <a href="{{branch_url}}">{{branch}}</a> (${what.html}, <a href="{{commit_url}}"><code>{{short_sha}}</code></a>) by {{actor}} · <a href="{{run_url}}">run #{{github.run_number}}</a>`,
    card: `{{github.repository}}${cardSubject} — {{github.workflow}} ${verb}`,
  };
}

/** `❌ acme/widgets: CI failed on main (comment created on issue #7 “Something is broken”, 9f8e7d6) by frank`. */
export function otherEventAlert(outcome: OutcomeName): Sentences {
  return alert(
    outcome,
    {
      text: 'comment created on issue #{{subject.number}} “{{subject.name}}”',
      html: 'comment created on issue <a href="{{subject.url}}">#{{subject.number}}</a> {{subject.name}}',
    },
    ' #{{subject.number}}',
  );
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
    {
      name: 'issue opened',
      status: 'success',
      event: 'issues',
      payload: { action: 'opened' },
      ...alert(
        'success',
        {
          text: 'issue #{{subject.number}} “{{subject.name}}” opened',
          html: 'issue <a href="{{subject.url}}">#{{subject.number}}</a> {{subject.name}} opened',
        },
        ' #{{subject.number}}',
      ),
    },
    {
      name: 'tag created',
      status: 'success',
      event: 'create',
      payload: { ref: 'v1.2.0', ref_type: 'tag' },
      ...alert('success', {
        text: 'tag {{subject.name}} created',
        html: 'tag {{subject.name}} created',
      }),
    },
    {
      name: 'check run completed',
      status: 'failure',
      event: 'check_run',
      payload: {
        action: 'completed',
        check_run: {
          name: 'lint',
          conclusion: 'failure',
          html_url: 'https://github.com/acme/widgets/runs/5',
        },
      },
      ...alert('failure', {
        text: 'check run “{{subject.name}}” completed: {{subject.state}}',
        html: 'check run <a href="{{subject.url}}">{{subject.name}}</a> completed: {{subject.state}}',
      }),
    },
    {
      name: 'event without an action',
      status: 'success',
      event: 'page_build',
      payload: { action: undefined },
      ...alert('success', { text: '{{github.event_name}}', html: '{{github.event_name}}' }),
    },
  ],
};
