/**
 * `release`: announced when its workflow succeeded; otherwise the workflow is the news.
 * Over the real payload in __tests__/fixtures/events/release.json (src/context/events/release.ts).
 */
import { describe, expect, it } from 'vitest';
import { kindOf, partShapes, viewParts } from '../../../src/context/events/registry.js';
import { assertWords, payload, run } from './helpers.js';
import { RELEASE_WORDS } from '../../words/release.ts';

assertWords(RELEASE_WORDS);

describe('release events', () => {
  it('are described by the release kind', () => {
    expect(kindOf(run('release', 'release', 'success').view).name).toBe('release');
  });

  it.each(['success', 'failure', 'started'])('link the card to the release (%s)', (status) => {
    const { card } = run('release', 'release', status);
    expect(card).toMatchObject({
      url: 'https://github.com/acme/widgets/releases/tag/v1.2.0',
      description: { value: 'Widgets 1.2 "Sprocket"', format: 'text' },
    });
  });

  it('take the commit, branch and title from the payload', () => {
    const { view } = run('release', 'release', 'success');
    expect(view).toMatchObject({
      commit_sha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      branch: 'main',
      branch_url: 'https://github.com/acme/widgets/tree/main',
      commit_title: '',
    });
  });

  it('add the release part, with every field its definition has', () => {
    const { view } = run('release', 'release', 'success');
    expect(view.release).toEqual({
      tag: 'v1.2.0',
      name: 'Widgets 1.2 "Sprocket"',
      url: 'https://github.com/acme/widgets/releases/tag/v1.2.0',
      prerelease: false,
      author: 'carol',
    });
    expect(Object.keys(view.release!).sort()).toEqual(Object.keys(partShapes().release).sort());
    // Other events' payloads do not make one.
    expect(viewParts(payload('release'), 'push').release).toBeUndefined();
  });

  it('a deleted release links nowhere it was: no release.url, the card opens the run', () => {
    const { view, html, card } = run('release', 'release', 'success', {
      payload: { action: 'deleted' },
    });
    expect(view.release?.url).toBe('');
    expect(html).not.toContain('/releases/');
    expect(card.url).toBe('https://github.com/acme/widgets/actions/runs/4242');
  });
});
