/**
 * Any other event (here `issue_comment`): the build alert, naming the event.
 * Over the real payload in __tests__/fixtures/events/issue_comment.json (src/context/events/fallback.ts).
 */
import { describe, expect, it } from 'vitest';
import { kindOf } from '../../../src/context/events/registry.js';
import { run } from './helpers.js';

describe('fallback events', () => {
  it('are described by the fallback kind', () => {
    expect(kindOf(run('issue_comment', 'issue_comment', 'success').view).name).toBe('fallback');
  });

  it('word the success message and card', () => {
    const { text, html, card } = run('issue_comment', 'issue_comment', 'success');
    expect(text).toBe(
      '✅ acme/widgets: CI succeeded on main (issue_comment, 9f8e7d6) by alice\nhttps://github.com/acme/widgets/actions/runs/4242',
    );
    expect(html).toBe(
      '✅ <a href="https://github.com/acme/widgets">acme/widgets</a>: <b>CI</b> succeeded on <a href="https://github.com/acme/widgets/tree/main">main</a> (issue_comment, <a href="https://github.com/acme/widgets/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"><code>9f8e7d6</code></a>) by alice · <a href="https://github.com/acme/widgets/actions/runs/4242">run #42</a>',
    );
    expect(card).toMatchObject({
      title: 'acme/widgets — CI succeeded',
      url: 'https://github.com/acme/widgets/actions/runs/4242',
      description: {
        value:
          '✅ acme/widgets: CI succeeded on main (issue_comment, 9f8e7d6) by alice https://github.com/acme/widgets/actions/runs/4242',
        format: 'text',
      },
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
