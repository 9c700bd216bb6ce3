/**
 * What a release's built-in message says (src/context/events/release.ts): the release when its
 * workflow succeeded; the workflow, when it failed, was cancelled or only started.
 */
import { apiJob } from './push.ts';
import type { KindWords, Sentences } from './table.ts';

/** `✅ acme/widgets: v1.2.0 released — “Widgets 1.2” by carol`, linking the release notes. */
export function announcement(icon: string, what: string, card = 'released'): Sentences {
  return {
    text: `${icon} {{github.repository}}: ${what} — “{{release.name}}” by {{release.author}}\n{{release.url}}`,
    html: `${icon} <a href="{{repository_url}}">{{github.repository}}</a>: ${what} — {{release.name}} by {{release.author}} · <a href="{{release.url}}">release notes</a>`,
    card: `{{github.repository}} {{release.tag}} ${card}`,
  };
}

/** `❌ acme/widgets: release workflow Release failed for v1.2.0 — “Widgets 1.2” by carol`. */
export function workflowAlert(
  icon: string,
  verb: string,
  extras = { job: false, counts: '' },
): Sentences {
  const { job, counts } = extras;
  const step = job ? ' at step {{failed_step}}' : '';
  const htmlStep = job ? ' at step <b>{{failed_step}}</b>' : '';
  const [jobLine, jobLink] = job ? ['\n{{job_url}}', '<a href="{{job_url}}">job</a> · '] : ['', ''];
  return {
    text: `${icon} {{github.repository}}: release workflow {{github.workflow}} ${verb}${step} for {{release.tag}}${counts && ` — ${counts}`} — “{{release.name}}” by {{release.author}}${jobLine}\n{{run_url}}`,
    html: `${icon} <a href="{{repository_url}}">{{github.repository}}</a>: release workflow <b>{{github.workflow}}</b> ${verb}${htmlStep} for <a href="{{release.url}}">{{release.tag}}</a>${counts && ` — ${counts}`} — {{release.name}} by {{release.author}} · ${jobLink}<a href="{{run_url}}">run #{{github.run_number}}</a>`,
    card: `{{github.repository}} {{release.tag}} — {{github.workflow}} ${verb}`,
  };
}

export const RELEASE_WORDS: KindWords = {
  kind: 'release',
  event: 'release',
  fixture: 'release',
  rows: [
    { name: 'success', status: 'success', ...announcement('✅', '{{release.tag}} released') },
    { name: 'no status', status: '', ...announcement('🔵', '{{release.tag}} released') },
    { name: 'failure', status: 'failure', ...workflowAlert('❌', 'failed') },
    { name: 'cancelled', status: 'cancelled', ...workflowAlert('⚪', 'was cancelled') },
    { name: 'started', status: 'started', ...workflowAlert('🚀', 'started') },
    { name: 'unknown', status: 'unknown', ...workflowAlert('❔', 'outcome unknown') },
    {
      name: 'success, a pre-release named by its tag',
      status: 'success',
      payload: {
        action: 'published',
        release: {
          tag_name: 'v2.0.0-rc.1',
          name: '',
          prerelease: true,
          html_url: 'https://github.com/acme/widgets/releases/tag/v2.0.0-rc.1',
          author: { login: 'carol' },
        },
      },
      text: '✅ {{github.repository}}: pre-release {{release.tag}} published by {{release.author}}\n{{release.url}}',
      html: '✅ <a href="{{repository_url}}">{{github.repository}}</a>: pre-release {{release.tag}} published by {{release.author}} · <a href="{{release.url}}">release notes</a>',
      card: '{{github.repository}} {{release.tag}} pre-released',
    },
    {
      name: 'success, edited',
      status: 'success',
      payload: { action: 'edited' },
      ...announcement('✅', 'release {{release.tag}} updated', 'updated'),
    },
    {
      name: 'success, created',
      status: 'success',
      payload: { action: 'created' },
      ...announcement('✅', 'release {{release.tag}} created', 'created'),
    },
    {
      name: 'success, deleted: its page is gone, nothing links it',
      status: 'success',
      payload: { action: 'deleted' },
      text: '✅ {{github.repository}}: release {{release.tag}} deleted — “{{release.name}}” by {{release.author}}',
      html: '✅ <a href="{{repository_url}}">{{github.repository}}</a>: release {{release.tag}} deleted — {{release.name}} by {{release.author}}',
      card: '{{github.repository}} {{release.tag}} deleted',
    },
    {
      name: 'failure, summary: job',
      status: 'failure',
      extras: {
        run: { scope: 'job', own: apiJob('publish', 'in_progress', 'Upload assets'), jobs: [] },
      },
      ...workflowAlert('❌', 'failed', { job: true, counts: '' }),
    },
    {
      name: 'failure, summary: run',
      status: 'failure',
      extras: {
        run: {
          scope: 'run',
          jobs: [
            apiJob('build', 'success'),
            apiJob('sign', 'failure', 'Sign'),
            apiJob('docs', 'skipped'),
          ],
        },
      },
      ...workflowAlert('❌', 'failed', { job: false, counts: '1 of 3 jobs failed' }),
    },
  ],
};
