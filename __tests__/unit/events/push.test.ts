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

  it('a push that deletes a branch names no commit and links neither commit nor branch', () => {
    const deleted = {
      ref: 'refs/heads/feature/x',
      deleted: true,
      after: '0000000000000000000000000000000000000000',
      head_commit: null,
    };
    const env = { GITHUB_REF: 'refs/heads/feature/x', GITHUB_REF_NAME: 'feature/x' };
    const { view, text, html, card } = run('push', 'push', 'success', { env, payload: deleted });
    expect(view).toMatchObject({ commit_sha: '', short_sha: '', commit_url: '', branch_url: '' });
    expect(text).toContain('— deleted branch feature/x');
    expect(html).not.toContain('/commit/');
    expect(html).not.toContain('/tree/');
    expect(html).not.toContain('0000000');
    const labels = card.attributes?.map((a) => a.label);
    expect(labels).not.toContain('Commit');
    expect(card.attributes?.find((a) => a.label === 'Branch')?.value).toEqual({
      label: 'feature/x',
    });
  });
});
