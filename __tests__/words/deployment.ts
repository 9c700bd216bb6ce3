/**
 * What a deployment's built-in message says (src/context/events/deployment.ts): what was
 * deployed where, worded per outcome — `🚀 … Deploying v1.4.2 to production started`,
 * `✅ … Deployed v1.4.2 to production`, `❌ … Deploy of v1.4.2 to production failed` — the
 * environment linked to its URL, the commit and who deployed; a failure links the run first.
 */
import type { KindWords, Sentences } from './table.ts';

const REPO = '<a href="{{repository_url}}">{{github.repository}}</a>';
const ENV = '<a href="{{deployment.url}}"><b>{{deployment.environment}}</b></a>';
const SHA = '<a href="{{commit_url}}"><code>{{short_sha}}</code></a>';
const DEPLOYED = '<a href="{{deployment.url}}">view deployment</a>';
const RUN = '<a href="{{run_url}}">run #{{github.run_number}}</a>';

/** One outcome's sentences: the words around `{{deployment.ref}} to <environment>`. */
function deploy(
  icon: string,
  before: string,
  after: string,
  { failed = false, described = false } = {},
): Sentences {
  const what = `${before} {{deployment.ref}} to`;
  const text = described ? ' — “{{deployment.description}}”' : '';
  const html = described ? ' — {{deployment.description}}' : '';
  const tail = `({{short_sha}}) by {{deployment.creator}}`;
  return {
    text: `${icon} {{github.repository}}: ${what} {{deployment.environment}}${after}${text} ${tail}\n${failed ? '{{run_url}}\n' : ''}{{deployment.url}}`,
    html: `${icon} ${REPO}: ${what} ${ENV}${after}${html} (${SHA}) by {{deployment.creator}} · ${failed ? `${RUN} · ` : ''}${DEPLOYED}`,
    card: `{{github.repository}} — ${what} {{deployment.environment}}${after}`,
  };
}

/** A deployment_status payload whose state is `state`. */
const state = (s: string) => ({
  deployment_status: {
    state: s,
    environment: 'production',
    environment_url: 'https://widgets.example.com',
    description: 'Deployed by the release pipeline',
    creator: { login: 'dave' },
  },
});

export const DEPLOYMENT_WORDS: KindWords = {
  kind: 'deployment',
  event: 'deployment',
  fixture: 'deployment',
  rows: [
    { name: 'started', status: 'started', ...deploy('🚀', 'Deploying', ' started') },
    { name: 'success', status: 'success', ...deploy('✅', 'Deployed', '') },
    {
      name: 'failure',
      status: 'failure',
      ...deploy('❌', 'Deploy of', ' failed', { failed: true }),
    },
    { name: 'cancelled', status: 'cancelled', ...deploy('⚪', 'Deploy of', ' was cancelled') },
    ...(
      [
        ['queued', '🚀', 'Deploying', ' is queued'],
        ['in_progress', '🚀', 'Deploying', ' started'],
        ['success', '✅', 'Deployed', ''],
        ['error', '❌', 'Deploy of', ' errored'],
        ['inactive', '🔵', 'Deployment of', ' is inactive'],
      ] as const
    ).map(([s, icon, before, after]) => ({
      name: `state ${s}`,
      status: 'success',
      event: 'deployment_status',
      payload: state(s),
      ...deploy(icon, before, after, { failed: s === 'error', described: true }),
    })),
  ],
};
