/**
 * `schedule`: a scheduled run, which names nobody as its trigger.
 * Over the real payload in __tests__/fixtures/events/schedule.json (src/context/events/schedule.ts).
 */
import { describe, expect, it } from 'vitest';
import { kindOf } from '../../../src/context/events/registry.js';
import { run } from './helpers.js';

describe('schedule events', () => {
  it('are described by the schedule kind', () => {
    expect(kindOf(run('schedule', 'schedule', 'failure').view).name).toBe('schedule');
  });

  it('word the failure message and card', () => {
    const { text, html, card } = run('schedule', 'schedule', 'failure');
    expect(text).toBe(
      '❌ acme/widgets: scheduled run of CI failed on main (9f8e7d6)\nhttps://github.com/acme/widgets/actions/runs/4242',
    );
    expect(html).toBe(
      '❌ <a href="https://github.com/acme/widgets">acme/widgets</a>: scheduled run of <b>CI</b> failed on <a href="https://github.com/acme/widgets/tree/main">main</a> (<a href="https://github.com/acme/widgets/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"><code>9f8e7d6</code></a>) · <a href="https://github.com/acme/widgets/actions/runs/4242">run #42</a>',
    );
    expect(card).toMatchObject({
      title: 'acme/widgets — CI failed',
      url: 'https://github.com/acme/widgets/actions/runs/4242',
      description: {
        value:
          '❌ acme/widgets: scheduled run of CI failed on main (9f8e7d6) https://github.com/acme/widgets/actions/runs/4242',
        format: 'text',
      },
    });
  });

  it('take the commit, branch and title from the payload', () => {
    const { view } = run('schedule', 'schedule', 'failure');
    expect(view).toMatchObject({
      commit_sha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      branch: 'main',
      branch_url: 'https://github.com/acme/widgets/tree/main',
      commit_title: '',
    });
  });
});
