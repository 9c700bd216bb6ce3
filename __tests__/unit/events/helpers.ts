/**
 * What the event tests share: a real payload from `__tests__/fixtures/events/`, the runner's
 * variables for it, and what the action makes of them (the view, the built-in message in both
 * formats, the card).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCard } from '../../../src/message/card.js';
import { buildView } from '../../../src/context/view.js';
import type { TemplateView, ViewExtras } from '../../../src/context/view.js';
import { readEvent } from '../../../src/context/event-file.js';
import type { Card } from '../../../src/hipchat/types.js';
import { render } from '../../../src/message/template.js';
import { defaultTemplate } from '../../../src/message/builtin.js';
import { ACME_WIDGETS_FACTS } from '../../support/acme-widgets.ts';
import type { KindWords, WordsRow } from '../../words/table.ts';

/** The payload of `__tests__/fixtures/events/<name>.json`. */
export function payload(name: string): Record<string, unknown> {
  return readEvent(fileURLToPath(new URL(`../../fixtures/events/${name}.json`, import.meta.url)));
}

/** The runner's variables for a run of acme/widgets' CI workflow. */
function runnerEnv(eventName: string, overrides: Record<string, string> = {}) {
  return {
    ...ACME_WIDGETS_FACTS,
    GITHUB_WORKFLOW: 'CI',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_SERVER_URL: 'https://github.com',
    ...overrides,
  };
}

/** What the action makes of a run of `eventName` with the fixture's payload. */
export interface Rendered {
  view: TemplateView;
  text: string;
  html: string;
  card: Card;
}

/** The view, the built-in message (text and html) and the card for one run. */
export function run(
  eventName: string,
  fixture: string,
  status: string,
  options: {
    env?: Record<string, string>;
    extras?: ViewExtras;
    payload?: object;
    followUp?: boolean;
  } = {},
): Rendered {
  const view = buildView(
    runnerEnv(eventName, options.env),
    { ...payload(fixture), ...options.payload },
    status,
    options.extras,
  );
  // A follow-up (`attach-to`) has words of its own: the built-in message chooses them so.
  const followUp = options.followUp ?? false;
  const text = render(defaultTemplate(view, 'text', followUp), view, 'text');
  return {
    view,
    text,
    html: render(defaultTemplate(view, 'html', followUp), view, 'html'),
    card: buildCard(view, { message: text, format: 'text', id: 'card-id', followUp }),
  };
}

/** The run a row of a words table describes, over the table's fixture. */
export function runRow(table: KindWords, row: WordsRow): Rendered {
  return run(row.event ?? table.event, table.fixture, row.status, row);
}

/**
 * The one place a kind's sentences are asserted: for each row of its table (__tests__/words/),
 * the built-in message in both formats and the card's title are the row's, with the run's facts
 * in its slots.
 */
export function assertWords(table: KindWords): void {
  describe(`${table.kind}: the words table`, () => {
    it.each(table.rows.map((row) => [row.name, row] as const))('%s', (_name, row) => {
      const { view, text, html, card } = runRow(table, row);
      expect(text).toBe(render(row.text, view, 'text'));
      expect(html).toBe(render(row.html, view, 'html'));
      expect(card.title).toBe(render(row.card, view, 'html'));
    });
  });
}
