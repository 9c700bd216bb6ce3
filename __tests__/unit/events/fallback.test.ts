/**
 * Any other event (here `issue_comment`): the build alert, naming the event.
 * Over the real payload in __tests__/fixtures/events/issue_comment.json (src/context/events/fallback.ts).
 */
import { describe, expect, it } from 'vitest';
import { kindOf } from '../../../src/context/events/registry.js';
import { assertWords, run } from './helpers.js';
import { FALLBACK_WORDS } from '../../words/fallback.ts';

assertWords(FALLBACK_WORDS);

describe('fallback events', () => {
  it('are described by the fallback kind', () => {
    expect(kindOf(run('issue_comment', 'issue_comment', 'success').view).name).toBe('fallback');
  });

  it("link the card, and describe it by the subject's title (no commit title)", () => {
    const { card } = run('issue_comment', 'issue_comment', 'success');
    expect(card).toMatchObject({
      url: 'https://github.com/acme/widgets/actions/runs/4242',
      description: { value: 'Something is broken', format: 'text' },
    });
  });

  it('take the commit, branch and title from the payload', () => {
    const { view } = run('issue_comment', 'issue_comment', 'success');
    expect(view).toMatchObject({
      commit_sha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      branch: 'main',
      branch_url: 'https://github.com/acme/widgets/tree/main',
      commit_title: '',
    });
  });
});
