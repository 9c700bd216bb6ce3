/**
 * `push`: the build alert, its commit title the head commit's.
 * Over the real payload in __tests__/fixtures/events/push.json (src/context/events/push.ts).
 */
import { describe, expect, it } from 'vitest';
import { kindOf } from '../../../src/context/events/registry.js';
import { assertWords, run } from './helpers.js';
import { PUSH_WORDS } from '../../words/push.ts';

assertWords(PUSH_WORDS);

describe('push events', () => {
  it('are described by the push kind', () => {
    expect(kindOf(run('push', 'push', 'success').view).name).toBe('push');
  });

  it('link the card and describe it', () => {
    const { card } = run('push', 'push', 'success');
    expect(card).toMatchObject({
      url: 'https://github.com/acme/widgets/actions/runs/4242',
      description: { value: 'Fix the <parser> & "quotes"', format: 'text' },
    });
  });

  it('take the commit, branch and title from the payload', () => {
    const { view } = run('push', 'push', 'success');
    expect(view).toMatchObject({
      commit_sha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      branch: 'main',
      branch_url: 'https://github.com/acme/widgets/tree/main',
      commit_title: 'Fix the <parser> & "quotes"',
    });
  });
});
