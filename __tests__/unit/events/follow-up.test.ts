/**
 * A follow-up (`attach-to`): the built-in message of any run sent as an answer to an earlier
 * notification says only the outcome since (src/context/events/run-message.ts).
 */
import { describe, expect, it } from 'vitest';
import { assertWords, run } from './helpers.js';
import { FOLLOW_UP_WORDS } from '../../words/follow-up.ts';

assertWords(FOLLOW_UP_WORDS);

describe('follow-ups', () => {
  it.each(['push', 'pull_request', 'release', 'workflow_run', 'schedule', 'workflow_dispatch'])(
    'of a %s run leave out what the notification they answer shows',
    (event) => {
      const { view, html, card } = run(event, event, 'success', { followUp: true });
      const shown = html.replace(/<[^>]*>/g, '');
      for (const fact of [view.github.repository, view.branch, view.short_sha, view.actor]) {
        if (fact) expect(shown).not.toContain(fact);
      }
      expect(card.attributes?.map((a) => a.label)).toEqual(['Status']);
      expect(card.description).toBeUndefined();
    },
  );
});
