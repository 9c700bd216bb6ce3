/**
 * `pull_request`: the alert names the PR; commit, branch and title are the PR head's.
 * Over the real payload in __tests__/fixtures/events/pull_request.json (src/context/events/pull-request.ts).
 */
import { describe, expect, it } from 'vitest';
import { kindOf, partShapes, viewParts } from '../../../src/context/events/registry.js';
import { assertWords, payload, run } from './helpers.js';
import { PULL_REQUEST_WORDS } from '../../words/pull-request.ts';

assertWords(PULL_REQUEST_WORDS);

describe('pull_request events', () => {
  it('are described by the pull_request kind', () => {
    expect(kindOf(run('pull_request', 'pull_request', 'failure').view).name).toBe('pull_request');
  });

  it('link the card and describe it', () => {
    const { card } = run('pull_request', 'pull_request', 'failure');
    expect(card).toMatchObject({
      url: 'https://github.com/acme/widgets/actions/runs/4242',
      description: { value: 'Add the widget @⁠all should see', format: 'text' },
    });
  });

  it('take the commit, branch and title from the payload', () => {
    const { view } = run('pull_request', 'pull_request', 'failure');
    expect(view).toMatchObject({
      commit_sha: 'abcdef0123456789abcdef0123456789abcdef01',
      branch: 'feature/new-widget',
      branch_url: 'https://github.com/bob/widgets/tree/feature/new-widget',
      commit_title: 'Add the widget @all should see',
    });
  });

  it('add the pull_request part, with every field its definition has', () => {
    const { view } = run('pull_request', 'pull_request', 'failure');
    expect(view.pull_request).toEqual({
      number: 12,
      title: 'Add the widget @all should see',
      url: 'https://github.com/acme/widgets/pull/12',
      author: 'bob',
      base: 'main',
      head: 'feature/new-widget',
    });
    expect(Object.keys(view.pull_request!).sort()).toEqual(
      Object.keys(partShapes().pull_request).sort(),
    );
    // Other events' payloads do not make one.
    expect(viewParts(payload('pull_request'), 'push').pull_request).toBeDefined();
  });
});
