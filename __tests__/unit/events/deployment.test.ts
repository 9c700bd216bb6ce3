/**
 * `deployment` and `deployment_status`: environment, URL, ref, outcome and who, in the message
 * and the card. Over the payloads in __tests__/fixtures/events/deployment*.json, every example
 * of `@octokit/webhooks-examples`, and hostile variants (src/context/events/deployment.ts).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { kindOf, partShapes } from '../../../src/context/events/registry.js';
import { buildView } from '../../../src/context/view.js';
import { buildCard } from '../../../src/message/card.js';
import { renderDefault } from '../../../src/message/template.js';
import { assertWords, payload, run } from './helpers.js';
import { DEPLOYMENT_WORDS } from '../../words/deployment.ts';

interface Example {
  name: string;
  examples: Record<string, unknown>[];
}

/** Every deployment and deployment_status example payload GitHub's community collected. */
function examples(): [string, Record<string, unknown>][] {
  const require = createRequire(import.meta.url);
  const all = require('@octokit/webhooks-examples/api.github.com/index.json') as Example[];
  return all
    .filter((e) => e.name === 'deployment' || e.name === 'deployment_status')
    .flatMap((e) => e.examples.map((x): [string, Record<string, unknown>] => [e.name, x]));
}

const ENV = {
  GITHUB_REPOSITORY: 'Codertocat/Hello-World',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_WORKFLOW: 'Deploy',
  GITHUB_RUN_ID: '77',
  GITHUB_RUN_NUMBER: '7',
};

assertWords(DEPLOYMENT_WORDS);

describe('deployment events', () => {
  it('are described by the deployment kind', () => {
    expect(kindOf(run('deployment', 'deployment', 'success').view).name).toBe('deployment');
    expect(kindOf(run('deployment_status', 'deployment_status', '').view).name).toBe('deployment');
  });

  it('a failure links the run first, then the environment; otherwise the environment only', () => {
    const lines = (status: string) => run('deployment', 'deployment', status).text.split('\n');
    expect(lines('failure').slice(1)).toEqual([
      'https://github.com/acme/widgets/actions/runs/4242',
      'https://github.com/acme/widgets/deployments/production',
    ]);
    expect(lines('success').slice(1)).toEqual([
      'https://github.com/acme/widgets/deployments/production',
    ]);
  });

  it('card: the URL, and the Environment and URL attributes', () => {
    const { card } = run('deployment_status', 'deployment_status', 'success');
    expect(card).toMatchObject({
      url: 'https://widgets.example.com/',
      description: { value: 'Deployed by the release pipeline', format: 'text' },
    });
    expect(card.attributes?.slice(0, 3)).toEqual([
      { label: 'Status', value: { label: 'success', style: 'lozenge-success' } },
      { label: 'Environment', value: { label: 'production' } },
      {
        label: 'URL',
        value: { label: 'https://widgets.example.com/', url: 'https://widgets.example.com/' },
      },
    ]);
  });

  it.each([
    ['queued', '🚀', 'Deploying v1.4.2 to production is queued', 'yellow'],
    ['pending', '🚀', 'Deploying v1.4.2 to production is pending', 'yellow'],
    ['in_progress', '🚀', 'Deploying v1.4.2 to production started', 'yellow'],
    ['success', '✅', 'Deployed v1.4.2 to production', 'green'],
    ['failure', '❌', 'Deploy of v1.4.2 to production failed', 'red'],
    ['error', '❌', 'Deploy of v1.4.2 to production errored', 'red'],
    ['inactive', '🔵', 'Deployment of v1.4.2 to production is inactive', 'yellow'],
  ])('state %s: the status reported is the state, worded as such', (state, icon, words) => {
    const event = payload('deployment_status');
    (event.deployment_status as Record<string, unknown>).state = state;
    // The notifying job itself succeeded: its own status is not the news.
    const view = buildView({ ...ENV, GITHUB_EVENT_NAME: 'deployment_status' }, event, 'success');
    expect(view.deployment?.state).toBe(state);
    expect(renderDefault(view, 'text')).toContain(`${icon} Codertocat/Hello-World: ${words} `);
  });

  it("a failed or cancelled job overrides the deployment's state", () => {
    const view = buildView(
      { ...ENV, GITHUB_EVENT_NAME: 'deployment_status' },
      payload('deployment_status'),
      'failure',
    );
    expect(view.status).toBe('failure');
  });

  it('add the deployment part, with every field its definition has', () => {
    const { view } = run('deployment_status', 'deployment_status', 'success');
    expect(view.deployment).toEqual({
      environment: 'production',
      url: 'https://widgets.example.com/',
      state: 'success',
      ref: 'v1.4.2',
      sha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      creator: 'dave',
      description: 'Deployed by the release pipeline',
    });
    expect(Object.keys(view.deployment!).sort()).toEqual(
      Object.keys(partShapes().deployment).sort(),
    );
  });
});

describe('every deployment example of @octokit/webhooks-examples', () => {
  const cases = examples();

  it('holds both kinds', () => {
    expect(cases.filter(([name]) => name === 'deployment').length).toBeGreaterThan(0);
    expect(cases.filter(([name]) => name === 'deployment_status').length).toBeGreaterThan(0);
  });

  it.each(cases.map(([name, event], i) => [`${name} #${i}`, name, event] as const))(
    '%s: environment, URL, ref and the right outcome, in message and card',
    (_label, name, event) => {
      const deployment = event.deployment as Record<string, unknown>;
      const status = (event.deployment_status ?? {}) as Record<string, unknown>;
      const environment = String(status.environment ?? deployment.environment);
      const state = String(status.state ?? '');
      // The deploy recipe's workflow reports its job's outcome; a status event, its state.
      const view = buildView({ ...ENV, GITHUB_EVENT_NAME: name }, event, 'success');
      const text = renderDefault(view, 'text');
      const html = renderDefault(view, 'html');
      const url = view.deployment!.url;
      expect(url).toMatch(/^https:\/\/github\.com\//);
      for (const message of [text, html]) {
        expect(message).toContain(environment);
        expect(message).toContain(String(deployment.ref));
        expect(message).toContain(url);
      }
      const expected =
        state === 'in_progress' || state === 'queued' || state === 'pending'
          ? ['🚀', 'Deploying']
          : ['✅', 'Deployed'];
      expect(text.startsWith(`${expected[0]} Codertocat/Hello-World: ${expected[1]} `)).toBe(true);
      const card = buildCard(view, { message: text, format: 'text', id: 'x' });
      expect(card.url).toBe(url);
      expect(card.attributes).toEqual(
        expect.arrayContaining([
          { label: 'Environment', value: { label: environment } },
          expect.objectContaining({ label: 'URL', value: expect.objectContaining({ url }) }),
        ]),
      );
    },
  );
});

describe('malformed deployment payloads', () => {
  const env = { ...ENV, GITHUB_EVENT_NAME: 'deployment_status' };
  const hostile = (patch: Record<string, unknown>): Record<string, unknown> => {
    const event = payload('deployment_status');
    Object.assign(event.deployment_status as Record<string, unknown>, patch);
    return event;
  };

  it('without an environment: the generic words, never a crash', () => {
    const event = payload('deployment_status');
    delete (event.deployment_status as Record<string, unknown>).environment;
    delete (event.deployment as Record<string, unknown>).environment;
    const view = buildView(env, event, 'success');
    expect(view.deployment).toBeUndefined();
    expect(kindOf(view).name).toBe('fallback');
    expect(renderDefault(view, 'text')).toContain('Deploy succeeded');
  });

  it('keeps only normalised http(s) links: javascript:, credentials and line breaks are refused', () => {
    const view = buildView(
      env,
      hostile({
        environment_url: 'javascript:alert(1)',
        log_url: 'https://user:pw@evil.example/',
        target_url: 'https://ok.example/a b\n@all',
      }),
      'success',
    );
    expect(view.deployment!.url).toBe('https://ok.example/a%20b@all');
    expect(renderDefault(view, 'html')).not.toMatch(/javascript:|user:pw/);
  });

  it('escapes and bounds huge or markup-laden fields, on one line', () => {
    const view = buildView(
      env,
      hostile({
        environment: `<script>prod</script>\n@all${'x'.repeat(10_000)}`,
        description: `line one\nline two @here ${'y'.repeat(10_000)}`,
        state: 'SUCCESS; DROP',
      }),
      'success',
    );
    const d = view.deployment!;
    expect(d.environment.length).toBeLessThanOrEqual(100);
    expect(d.description.length).toBeLessThanOrEqual(200);
    expect(d.state).toBe('');
    const html = renderDefault(view, 'html');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;prod&lt;/script&gt; @all');
    const text = renderDefault(view, 'text');
    expect(text.split('\n')[0]).not.toMatch(/(?<![\p{L}\p{N}_])@(all|here)(?!\u2060)/u);
    expect(text.split('\n')).toHaveLength(2);
  });
});
