/**
 * `workflow_dispatch`: a run started by hand.
 * Over the real payload in __tests__/fixtures/events/workflow_dispatch.json (src/context/events/workflow-dispatch.ts).
 */
import { describe, expect, it } from 'vitest';
import { kindOf } from '../../../src/context/events/registry.js';
import { run } from './helpers.js';

describe('workflow_dispatch events', () => {
  it('are described by the workflow_dispatch kind', () => {
    expect(kindOf(run('workflow_dispatch', 'workflow_dispatch', 'success').view).name).toBe(
      'workflow_dispatch',
    );
  });

  it('word the success message and card', () => {
    const { text, html, card } = run('workflow_dispatch', 'workflow_dispatch', 'success');
    expect(text).toBe(
      '✅ acme/widgets: manual run of CI succeeded on main (9f8e7d6) by alice\nhttps://github.com/acme/widgets/actions/runs/4242',
    );
    expect(html).toBe(
      '✅ <a href="https://github.com/acme/widgets">acme/widgets</a>: manual run of <b>CI</b> succeeded on <a href="https://github.com/acme/widgets/tree/main">main</a> (<a href="https://github.com/acme/widgets/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"><code>9f8e7d6</code></a>) by alice · <a href="https://github.com/acme/widgets/actions/runs/4242">run #42</a>',
    );
    expect(card).toMatchObject({
      title: 'acme/widgets — CI succeeded',
      url: 'https://github.com/acme/widgets/actions/runs/4242',
      description: {
        value:
          '✅ acme/widgets: manual run of CI succeeded on main (9f8e7d6) by alice https://github.com/acme/widgets/actions/runs/4242',
        format: 'text',
      },
    });
  });

  it('take the commit, branch and title from the payload', () => {
    const { view } = run('workflow_dispatch', 'workflow_dispatch', 'success');
    expect(view).toMatchObject({
      commit_sha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      branch: 'main',
      branch_url: 'https://github.com/acme/widgets/tree/main',
      commit_title: '',
    });
  });
});
