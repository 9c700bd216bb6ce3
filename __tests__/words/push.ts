/** What a push's built-in message says (src/context/events/push.ts, run-message.ts). */
import { OUTCOME_WORDS } from './table.ts';
import type { KindWords, OutcomeName, Sentences, WordsRow } from './table.ts';

/** What `summary` and a re-run add to the alert. */
interface Extras {
  /** `summary: job`: the step that failed, and the job's page before the run's. */
  job?: boolean;
  /** `summary: run`: how the run's jobs ended. */
  counts?: string;
  /** A re-run: the attempt, in the link. */
  attempt?: boolean;
}

/** `❌ acme/widgets: CI failed on main — “Fix parser” (9f8e7d6) by alice`, then the run. */
export function pushAlert(outcome: OutcomeName, extras: Extras = {}): Sentences {
  const { icon, verb } = OUTCOME_WORDS[outcome];
  const [step, htmlStep] = extras.job
    ? [' at step {{failed_step}}', ' at step <b>{{failed_step}}</b>']
    : ['', ''];
  const [job, htmlJob] = extras.job
    ? ['\n{{job_url}}', '<a href="{{job_url}}">job</a> · ']
    : ['', ''];
  const counts = extras.counts ? ` — ${extras.counts}` : '';
  const attempt = extras.attempt ? ' (attempt {{github.run_attempt}})' : '';
  return {
    text: `${icon} {{github.repository}}: {{github.workflow}} ${verb}${step} on {{branch}}${counts} — “{{commit_title}}” ({{short_sha}}) by {{actor}}${job}\n{{run_url}}`,
    html: `${icon} <a href="{{repository_url}}">{{github.repository}}</a>: <b>{{github.workflow}}</b> ${verb}${htmlStep} on <a href="{{branch_url}}">{{branch}}</a>${counts} — {{commit_title}} (<a href="{{commit_url}}"><code>{{short_sha}}</code></a>) by {{actor}} · ${htmlJob}<a href="{{run_url}}">run #{{github.run_number}}${attempt}</a>`,
    card: `{{github.repository}} — {{github.workflow}} ${verb}`,
  };
}

function row(name: string, status: string, outcome: OutcomeName, more: Partial<WordsRow> = {}) {
  return { name, status, ...pushAlert(outcome), ...more };
}

/** A job of the GitHub API's listing, as `summary` reads it. */
export function apiJob(name: string, conclusion: string, failedStep = '') {
  return {
    id: 1,
    name,
    conclusion,
    completed: true,
    url: 'https://github.com/acme/widgets/actions/runs/4242/job/1',
    failedStep,
    attempt: 1,
  };
}

const after = (previousStatus: string) => ({ extras: { previousStatus } });

export const PUSH_WORDS: KindWords = {
  kind: 'push',
  event: 'push',
  fixture: 'push',
  rows: [
    row('success', 'success', 'success'),
    row('failure', 'failure', 'failure'),
    row('cancelled', 'cancelled', 'cancelled'),
    row('no status', '', ''),
    row('started', 'started', 'started'),
    row('unknown', 'unknown', 'unknown'),
    row('timed_out', 'timed_out', 'timed_out'),
    row('startup_failure', 'startup_failure', 'startup_failure'),
    row('neutral', 'Neutral', 'neutral'),
    row('action_required', 'action_required', 'action_required'),
    row('stale', 'stale', 'stale'),
    row('success after failure', 'success', 'fixed', after('failure')),
    row('success after success', 'success', 'success', after('success')),
    row('timed_out after failure', 'timed_out', 'stillFailing', after('failure')),
    row('failure after failure', 'failure', 'stillFailing', after('failure')),
    row('failure after success', 'failure', 'brokenAgain', after('success')),
    row('failure after cancelled', 'failure', 'failure', after('cancelled')),
    row('cancelled after failure', 'cancelled', 'cancelled', after('failure')),
    {
      name: 'failure, summary: job',
      status: 'failure',
      extras: { run: { scope: 'job', own: apiJob('test', 'in_progress', 'Run tests'), jobs: [] } },
      ...pushAlert('failure', { job: true }),
    },
    {
      name: 'failure, summary: run',
      status: 'failure',
      extras: {
        run: {
          scope: 'run',
          jobs: [
            apiJob('build', 'success'),
            apiJob('test', 'failure', 'Run tests'),
            apiJob('docs', 'skipped'),
          ],
        },
      },
      ...pushAlert('failure', { counts: '1 of 3 jobs failed' }),
    },
    {
      name: 'unknown, summary: run past the listing cap',
      status: 'unknown',
      extras: {
        run: { scope: 'run', jobs: [apiJob('build', 'success')], missing: 2, note: 'x' },
      },
      ...pushAlert('unknown', { counts: '1 of 3 jobs read, none failed' }),
    },
    {
      name: 'failure, a push that deletes a tag',
      status: 'failure',
      env: { GITHUB_REF: 'refs/tags/simple-tag', GITHUB_REF_NAME: 'simple-tag' },
      payload: {
        ref: 'refs/tags/simple-tag',
        deleted: true,
        created: false,
        after: '0000000000000000000000000000000000000000',
        head_commit: null,
        commits: [],
      },
      text: '❌ {{github.repository}}: {{github.workflow}} failed — deleted tag {{branch}} by {{actor}}\n{{run_url}}',
      html: '❌ <a href="{{repository_url}}">{{github.repository}}</a>: <b>{{github.workflow}}</b> failed — deleted tag {{branch}} by {{actor}} · <a href="{{run_url}}">run #{{github.run_number}}</a>',
      card: '{{github.repository}} — {{github.workflow}} failed',
    },
    {
      name: 'failure, a re-run',
      status: 'failure',
      env: { GITHUB_RUN_ATTEMPT: '2' },
      ...pushAlert('failure', { attempt: true }),
    },
  ],
};
