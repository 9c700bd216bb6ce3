import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_ID } from '../../src/inputs/follow-up.js';
import { findOurs } from '../../src/follow-up/match.js';
import type { HistoryAnswer, Ours } from '../../src/follow-up/match.js';

// The step ran from 12:00:00.000 to 12:00:03.000 on the runner's clock; the server's clock is
// an hour ahead (its Date header says 13:00:03), so only the server's clock can place items.
const START = Date.UTC(2026, 11, 7, 12, 0, 0);
const step = { startMs: START, answeredMs: START + 3000 };
const SERVER_NOW = START + 3_600_000 + 3000;
const at = (offsetMs: number) =>
  new Date(SERVER_NOW + offsetMs).toISOString().replace('Z', '000+00:00');

const ours: Ours = { message: '🚀 <b>Deploy</b> started', from: 'CI' };
const ID = '6f2c1a3e-9b4d-4e8f-a1c2-3d4e5f607182';
const OTHER = '0d1e2f30-4152-4637-8899-aabbccddeeff';

function answer(items: unknown, headers: Record<string, string> = {}): HistoryAnswer {
  return {
    status: 200,
    headers: {
      date: new Date(SERVER_NOW).toUTCString(),
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify({ items }),
  };
}

const notification = (over: Record<string, unknown> = {}) => ({
  id: ID,
  date: at(-1500),
  type: 'notification',
  from: 'CI',
  message: ours.message,
  message_format: 'html',
  ...over,
});

describe('findOurs', () => {
  it('finds the one notification of this step among others, people and earlier twins', () => {
    const items = [
      notification({ id: OTHER, date: at(-600_000) }), // an identical one, ten minutes earlier
      {
        id: 'a1',
        date: at(-1000),
        type: 'message',
        from: { id: 1, name: 'Alice' },
        message: ours.message,
      },
      notification({ id: 'b2', from: 'Jenkins' }),
      notification({ id: 'c3', message: 'something else' }),
      notification(),
    ];
    expect(findOurs(answer(items), ours, step)).toEqual({ id: ID });
  });

  it("places items on the server's clock, not the runner's", () => {
    // On the runner's clock this item would be an hour in the future: it is still ours.
    expect(findOurs(answer([notification()]), ours, step)).toEqual({ id: ID });
    // Posted before the step started (server time): not ours.
    const before = findOurs(answer([notification({ date: at(-6000) })]), ours, step);
    expect(before).toEqual({ reason: expect.stringContaining('none of the room') });
  });

  it('gives no id, and says why, when two identical notifications fall in the window', () => {
    const result = findOurs(answer([notification({ id: OTHER }), notification()]), ours, step);
    expect(result).toEqual({ reason: expect.stringMatching(/^2 notifications .* no id is given/) });
    expect((result as { reason: string }).reason).toContain('card: true');
  });

  it("tells twins apart by the card's id when a card was sent (as an object or as JSON text)", () => {
    const card = { ...ours, cardId: 'card-ours' };
    const items = [
      notification({ id: OTHER, card: { id: 'card-twin' } }),
      notification({ card: JSON.stringify({ id: 'card-ours', style: 'application' }) }),
    ];
    expect(findOurs(answer(items), card, step)).toEqual({ id: ID });
  });

  it('takes any label when the notification was sent without `from`', () => {
    const result = findOurs(
      answer([notification({ from: 'Integration' })]),
      { ...ours, from: '' },
      step,
    );
    expect(result).toEqual({ id: ID });
    // A person's message is never a notification, whatever it says.
    const person = notification({ type: 'message', from: { name: 'Eve' } });
    expect(findOurs(answer([person]), { ...ours, from: '' }, step)).toHaveProperty('reason');
  });

  it("uses the runner's clock, with slack, when the answer has no Date header", () => {
    const local = new Date(START + 1500).toISOString();
    const body = answer([notification({ date: local })], {});
    delete body.headers.date;
    expect(findOurs(body, ours, step)).toEqual({ id: ID });
    const far = answer([notification({ date: new Date(START - 600_000).toISOString() })]);
    delete far.headers.date;
    expect((findOurs(far, ours, step) as { reason: string }).reason).toContain("runner's clock");
  });

  it.each([
    ['not a message id', { id: 'x y' }],
    ['an id too long', { id: 'a'.repeat(37) }],
    ['an id that is a number', { id: 42 }],
    ['no date', { date: undefined }],
    ['a date that is not one', { date: 'yesterday' }],
  ])('skips an item with %s', (_what, over) => {
    expect(findOurs(answer([notification(over)]), ours, step)).toHaveProperty('reason');
  });

  it.each([
    [
      'a login page',
      {
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<!doctype html><title>Sign in</title>',
      },
      /HTML page \("Sign in"\)/,
    ],
    ['garbage', { status: 200, headers: {}, body: 'ok' }, /not JSON/],
    [
      'JSON without items',
      { status: 200, headers: {}, body: '{"items": "none"}' },
      /no list of items/,
    ],
    [
      'a body cut at the cap',
      { status: 200, headers: {}, body: '{"items": [', truncated: true },
      /cut short/,
    ],
    ['JSON null', { status: 200, headers: {}, body: 'null' }, /no list of items/],
  ])('reads %s as no history, never throwing', (_what, response, reason) => {
    const result = findOurs(response as HistoryAnswer, ours, step);
    expect((result as { reason: string }).reason).toMatch(reason);
  });

  it('looks at no more than the last 1000 items of a huge list', () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      notification({ id: `n${i}`, message: 'x' }),
    );
    const result = findOurs(answer([notification(), ...many]), ours, step);
    expect((result as { reason: string }).reason).toContain('latest 1000 messages');
  });
});

describe('findOurs on any answer', () => {
  const item = fc.record(
    {
      id: fc.oneof(fc.constant(ID), fc.uuid(), fc.string({ maxLength: 40 }), fc.integer()),
      date: fc.oneof(fc.constant(at(-1500)), fc.string({ maxLength: 30 }), fc.constant(null)),
      type: fc.oneof(fc.constant('notification'), fc.constant('message'), fc.anything()),
      from: fc.oneof(fc.constant('CI'), fc.anything()),
      message: fc.oneof(fc.constant(ours.message), fc.string()),
      card: fc.oneof(fc.constant(undefined), fc.anything(), fc.string()),
    },
    { requiredKeys: [] },
  );
  const bodies = fc.oneof(
    fc.string(),
    fc.json(),
    fc
      .array(fc.oneof(item, fc.anything()), { maxLength: 8 })
      .map((items) => JSON.stringify({ items })),
  );

  it('never throws, and an id it gives is a valid id that the answer holds', () => {
    fc.assert(
      fc.property(bodies, fc.boolean(), (body, truncated) => {
        const result = findOurs(
          { status: 200, headers: { date: new Date(SERVER_NOW).toUTCString() }, body, truncated },
          ours,
          step,
        );
        if ('id' in result) {
          expect(result.id).toMatch(MESSAGE_ID);
          expect(body).toContain(JSON.stringify(result.id));
        } else {
          expect(result.reason).toMatch(/\.$/);
          expect(result.reason).not.toMatch(/[\r\n]/);
        }
      }),
      { numRuns: 300, seed: 19 },
    );
  });
});
