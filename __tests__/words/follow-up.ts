/**
 * What a built-in follow-up says (`attach-to`; src/context/events/run-message.ts `followUpSpec`):
 * the outcome since the notification it answers, without the repository, branch, commit or
 * author that notification shows, then the run's link. The card's title is the same outcome.
 */
import { apiJob } from './push.ts';
import { OUTCOME_WORDS } from './table.ts';
import type { KindWords, OutcomeName, Sentences, WordsRow } from './table.ts';

/** `✅ Deploy succeeded · run #42`; with `summary: job`, the failed step and the job's page. */
export function followUp(outcome: OutcomeName, extras: { job?: boolean } = {}): Sentences {
  const { icon, verb } = OUTCOME_WORDS[outcome];
  const [step, htmlStep] = extras.job
    ? [' at step {{failed_step}}', ' at step <b>{{failed_step}}</b>']
    : ['', ''];
  const [job, htmlJob] = extras.job
    ? ['\n{{job_url}}', '<a href="{{job_url}}">job</a> · ']
    : ['', ''];
  return {
    text: `${icon} {{github.workflow}} ${verb}${step}${job}\n{{run_url}}`,
    html: `${icon} <b>{{github.workflow}}</b> ${verb}${htmlStep} · ${htmlJob}<a href="{{run_url}}">run #{{github.run_number}}</a>`,
    card: `{{github.workflow}} ${verb}`,
  };
}

function row(name: string, status: string, outcome: OutcomeName, more: Partial<WordsRow> = {}) {
  return { name, status, followUp: true, ...followUp(outcome), ...more };
}

const after = (previousStatus: string) => ({ extras: { previousStatus } });

export const FOLLOW_UP_WORDS: KindWords = {
  kind: 'follow-up',
  event: 'push',
  fixture: 'push',
  rows: [
    row('success', 'success', 'success'),
    row('success, a deploy', 'success', 'success', { env: { GITHUB_WORKFLOW: 'Deploy' } }),
    row('failure', 'failure', 'failure'),
    row('cancelled', 'cancelled', 'cancelled'),
    row('success after failure', 'success', 'fixed', after('failure')),
    row('failure after failure', 'failure', 'stillFailing', after('failure')),
    {
      name: 'failure, summary: job',
      status: 'failure',
      followUp: true,
      env: { GITHUB_WORKFLOW: 'Deploy' },
      extras: {
        run: { scope: 'job', own: apiJob('deploy', 'in_progress', 'Migrate'), jobs: [] },
      },
      ...followUp('failure', { job: true }),
    },
  ],
};
