/**
 * `workflow_dispatch`: a run started by hand.
 * Over the real payload in __tests__/fixtures/events/workflow_dispatch.json (src/context/events/workflow-dispatch.ts).
 */
import { describe, expect, it } from 'vitest';
import { kindOf } from '../../../src/context/events/registry.js';
import { assertWords, run } from './helpers.js';
import { WORKFLOW_DISPATCH_WORDS } from '../../words/workflow-dispatch.ts';

assertWords(WORKFLOW_DISPATCH_WORDS);

describe('workflow_dispatch events', () => {
  it('are described by the workflow_dispatch kind', () => {
    expect(kindOf(run('workflow_dispatch', 'workflow_dispatch', 'success').view).name).toBe(
      'workflow_dispatch',
    );
  });

  it('link the card, and describe it by the message on one line (no commit title)', () => {
    const { card, text } = run('workflow_dispatch', 'workflow_dispatch', 'success');
    expect(card).toMatchObject({
      url: 'https://github.com/acme/widgets/actions/runs/4242',
      description: { value: text.replace('\n', ' '), format: 'text' },
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
