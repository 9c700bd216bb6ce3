/**
 * `schedule`: a scheduled run, which names nobody as its trigger.
 * Over the real payload in __tests__/fixtures/events/schedule.json (src/context/events/schedule.ts).
 */
import { describe, expect, it } from 'vitest';
import { kindOf } from '../../../src/context/events/registry.js';
import { assertWords, run } from './helpers.js';
import { SCHEDULE_WORDS } from '../../words/schedule.ts';

assertWords(SCHEDULE_WORDS);

describe('schedule events', () => {
  it('are described by the schedule kind', () => {
    expect(kindOf(run('schedule', 'schedule', 'failure').view).name).toBe('schedule');
  });

  it('link the card, and describe it by the message on one line (no commit title)', () => {
    const { card, text } = run('schedule', 'schedule', 'failure');
    expect(card).toMatchObject({
      url: 'https://github.com/acme/widgets/actions/runs/4242',
      description: { value: text.replace('\n', ' '), format: 'text' },
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

  it('the card names no Actor either: github.actor is whoever last edited the cron line', () => {
    const { card, view } = run('schedule', 'schedule', 'failure');
    expect(view.actor).not.toBe('');
    expect(card.attributes?.map((a) => a.label)).not.toContain('Actor');
    // Other kinds do name theirs.
    expect(run('push', 'push', 'failure').card.attributes?.map((a) => a.label)).toContain('Actor');
  });
});
