/**
 * `release`: announced when its workflow succeeded; otherwise the workflow is the news.
 * Over the real payload in __tests__/fixtures/events/release.json (src/context/events/release.ts).
 */
import { describe, expect, it } from 'vitest';
import { kindOf, partShapes, viewParts } from '../../../src/context/events/registry.js';
import { payload, run } from './helpers.js';

describe('release events', () => {
  it('are described by the release kind', () => {
    expect(kindOf(run('release', 'release', 'success').view).name).toBe('release');
  });

  it('word the success message and card', () => {
    const { text, html, card } = run('release', 'release', 'success');
    expect(text).toBe(
      '✅ acme/widgets: v1.2.0 released — “Widgets 1.2 "Sprocket"” by carol\nhttps://github.com/acme/widgets/releases/tag/v1.2.0',
    );
    expect(html).toBe(
      '✅ <a href="https://github.com/acme/widgets">acme/widgets</a>: v1.2.0 released — Widgets 1.2 &quot;Sprocket&quot; by carol · <a href="https://github.com/acme/widgets/releases/tag/v1.2.0">release notes</a>',
    );
    expect(card).toMatchObject({
      title: 'acme/widgets v1.2.0 released',
      url: 'https://github.com/acme/widgets/releases/tag/v1.2.0',
      description: { value: 'Widgets 1.2 "Sprocket"', format: 'text' },
    });
  });

  it("with the API: the failed step of this job, or how the run's jobs ended", () => {
    const job = (name: string, conclusion: string, failedStep = '') => ({
      id: 1,
      name,
      conclusion,
      completed: true,
      url: 'https://github.com/acme/widgets/actions/runs/4242/job/1',
      failedStep,
      attempt: 1,
    });
    const own = job('publish', 'in_progress', 'Upload assets');
    const ofJob = run('release', 'release', 'failure', {
      extras: { run: { scope: 'job', own, jobs: [] } },
    });
    expect(ofJob.text.split('\n')[0]).toBe(
      '❌ acme/widgets: release workflow CI failed at step Upload assets for v1.2.0 — “Widgets 1.2 "Sprocket"” by carol',
    );
    const jobs = [job('build', 'success'), job('sign', 'failure', 'Sign'), job('docs', 'skipped')];
    const ofRun = run('release', 'release', 'failure', { extras: { run: { scope: 'run', jobs } } });
    expect(ofRun.text.split('\n')[0]).toBe(
      '❌ acme/widgets: release workflow CI failed for v1.2.0 — 1 of 3 jobs failed — “Widgets 1.2 "Sprocket"” by carol',
    );
  });

  it('word the failure message and card', () => {
    const { text, html, card } = run('release', 'release', 'failure');
    expect(text).toBe(
      '❌ acme/widgets: release workflow CI failed for v1.2.0 — “Widgets 1.2 "Sprocket"” by carol\nhttps://github.com/acme/widgets/actions/runs/4242',
    );
    expect(html).toBe(
      '❌ <a href="https://github.com/acme/widgets">acme/widgets</a>: release workflow <b>CI</b> failed for <a href="https://github.com/acme/widgets/releases/tag/v1.2.0">v1.2.0</a> — Widgets 1.2 &quot;Sprocket&quot; by carol · <a href="https://github.com/acme/widgets/actions/runs/4242">run #42</a>',
    );
    expect(card).toMatchObject({
      title: 'acme/widgets v1.2.0 — CI failed',
      url: 'https://github.com/acme/widgets/releases/tag/v1.2.0',
      description: { value: 'Widgets 1.2 "Sprocket"', format: 'text' },
    });
  });

  it('word the started message and card', () => {
    const { text, html, card } = run('release', 'release', 'started');
    expect(text).toBe(
      '🚀 acme/widgets: release workflow CI started for v1.2.0 — “Widgets 1.2 "Sprocket"” by carol\nhttps://github.com/acme/widgets/actions/runs/4242',
    );
    expect(html).toBe(
      '🚀 <a href="https://github.com/acme/widgets">acme/widgets</a>: release workflow <b>CI</b> started for <a href="https://github.com/acme/widgets/releases/tag/v1.2.0">v1.2.0</a> — Widgets 1.2 &quot;Sprocket&quot; by carol · <a href="https://github.com/acme/widgets/actions/runs/4242">run #42</a>',
    );
    expect(card).toMatchObject({
      title: 'acme/widgets v1.2.0 — CI started',
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
});
