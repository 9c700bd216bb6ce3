/**
 * `workflow_run`: the upstream run's name, commit, branch and link.
 * Over the real payload in __tests__/fixtures/events/workflow_run.json (src/context/events/workflow-run.ts).
 */
import { describe, expect, it } from 'vitest';
import { kindOf, partShapes, viewParts } from '../../../src/context/events/registry.js';
import { assertWords, payload, run } from './helpers.js';
import { WORKFLOW_RUN_WORDS } from '../../words/workflow-run.ts';

assertWords(WORKFLOW_RUN_WORDS);

describe('workflow_run events', () => {
  it('are described by the workflow_run kind', () => {
    expect(kindOf(run('workflow_run', 'workflow_run', 'failure').view).name).toBe('workflow_run');
  });

  it('link the card and describe it', () => {
    const { card } = run('workflow_run', 'workflow_run', 'failure');
    expect(card).toMatchObject({
      url: 'https://github.com/acme/widgets/actions/runs/9876543210',
      description: { value: 'Speed up the build', format: 'text' },
    });
  });

  it('take the commit, branch and title from the payload', () => {
    const { view } = run('workflow_run', 'workflow_run', 'failure');
    expect(view).toMatchObject({
      commit_sha: '1234567890abcdef1234567890abcdef12345678',
      branch: 'release/2.x',
      branch_url: 'https://github.com/acme/widgets/tree/release/2.x',
      commit_title: 'Speed up the build',
    });
  });

  it('add the workflow_run part, with every field its definition has', () => {
    const { view } = run('workflow_run', 'workflow_run', 'failure');
    expect(view.workflow_run).toEqual({
      name: 'Build',
      conclusion: 'failure',
      url: 'https://github.com/acme/widgets/actions/runs/9876543210',
      branch: 'release/2.x',
      event: 'push',
    });
    expect(Object.keys(view.workflow_run!).sort()).toEqual(
      Object.keys(partShapes().workflow_run).sort(),
    );
    // Other events' payloads do not make one.
    expect(viewParts(payload('workflow_run'), 'push').workflow_run).toBeUndefined();
  });
});
