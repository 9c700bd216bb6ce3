import { describe, expect, it } from 'vitest';
import { validateCard } from '../../sandbox/card-schema.ts';
import { validateNotification } from '../../sandbox/notification-schema.ts';

const valid = {
  style: 'application',
  id: 'run-42',
  title: 'Build #42 passed',
  url: 'https://github.com/o/r/actions/runs/42',
  format: 'medium',
  description: { value: '<b>main</b> at abc1234', format: 'html' },
  icon: { url: 'https://example.test/icon.png', 'url@2x': 'https://example.test/icon@2x.png' },
  thumbnail: { url: 'https://example.test/t.png', width: 32, height: 32 },
  activity: { html: 'octocat pushed', icon: 'https://example.test/a.png' },
  attributes: [
    { label: 'Status', value: { label: 'success', style: 'lozenge-success' } },
    { label: 'Commit', value: { label: 'abc1234', url: 'https://example.test/c' } },
  ],
};

describe('validateCard', () => {
  it('accepts a full application card', () => {
    expect(validateCard(valid)).toEqual([]);
  });

  it('accepts a minimal card and a string description', () => {
    expect(validateCard({ style: 'link', title: 't', description: 'plain' })).toEqual([]);
  });

  it('names the path of an unknown lozenge style', () => {
    const attributes = [
      ...valid.attributes,
      { label: 'x', value: { label: 'y', style: 'lozenge-pink' } },
    ];
    expect(validateCard({ ...valid, attributes })).toEqual([
      expect.stringMatching(
        /^card\.attributes\[2\]\.value\.style: must be one of lozenge-success, .*"lozenge-pink"/,
      ),
    ]);
  });

  it.each([
    [
      { ...valid, style: 'poster' },
      'card.style: must be one of file, image, application, link, media',
    ],
    [{ ...valid, style: undefined }, 'card.style: required'],
    [{ ...valid, title: '' }, 'card.title: must be 1–500 characters long, got 0'],
    [{ ...valid, title: 'x'.repeat(501) }, 'card.title: must be 1–500 characters long, got 501'],
    [{ ...valid, format: 'large' }, 'card.format: must be one of compact, medium'],
    [
      { ...valid, description: 'd'.repeat(1001) },
      'card.description: must be 1–1000 characters long',
    ],
    [
      { ...valid, description: { value: 'v', format: 'markdown' } },
      'card.description.format: must be one of html, text',
    ],
    [{ ...valid, description: { format: 'html' } }, 'card.description.value: required'],
    [{ ...valid, url: 'not a url' }, 'card.url: must be an absolute URL'],
    [{ ...valid, icon: { 'url@2x': 'https://x.test/i' } }, 'card.icon.url: required'],
    [
      { ...valid, thumbnail: { url: 'https://x.test/t', width: -1 } },
      'card.thumbnail.width: must be a whole number',
    ],
    [{ ...valid, activity: {} }, 'card.activity.html: required'],
    [{ ...valid, attributes: {} }, 'card.attributes: must be an array'],
    [
      { ...valid, attributes: [{ label: 'l'.repeat(51), value: { label: 'v' } }] },
      'card.attributes[0].label: must be 1–50 characters long, got 51',
    ],
    [{ ...valid, attributes: [{ label: 'l' }] }, 'card.attributes[0].value: required'],
    [
      { ...valid, attributes: [{ label: 'l', value: {} }] },
      'card.attributes[0].value.label: required',
    ],
    [
      { ...valid, attributes: [{ label: 'l', value: { label: 'v', url: 'nope' } }] },
      'card.attributes[0].value.url: must be an absolute URL',
    ],
  ])('rejects %#', (card, problem) => {
    const problems = validateCard(card);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it('allows at most 10 attributes', () => {
    const attribute = { label: 'l', value: { label: 'v' } };
    expect(validateCard({ ...valid, attributes: Array(10).fill(attribute) })).toEqual([]);
    expect(validateCard({ ...valid, attributes: Array(11).fill(attribute) })).toEqual([
      'card.attributes: at most 10 attributes, got 11',
    ]);
  });

  it('reports every problem, and non-objects at once', () => {
    expect(validateCard({ style: 'x' })).toHaveLength(2);
    expect(validateCard('card')).toEqual(['card: must be an object, got "card"']);
    expect(validateCard(null)).toEqual(['card: must be an object, got null']);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validateCard({ style: 'link', title: '🚀'.repeat(500) })).toEqual([]);
  });
});

describe('validateNotification', () => {
  it('fills in HipChat defaults: yellow, html, no notify', () => {
    expect(validateNotification({ message: 'hi' })).toEqual({
      ok: true,
      notification: { message: 'hi', color: 'yellow', messageFormat: 'html', notify: false },
    });
  });

  it.each([
    [{}, 'message: required'],
    [{ message: '' }, 'message: must be 1–10000 characters long, got 0'],
    [{ message: 'x'.repeat(10_001) }, 'message: must be 1–10000 characters long, got 10001'],
    [{ message: 42 }, 'message: must be a string, got 42'],
    [
      { message: 'm', color: 'blue' },
      'color: must be one of yellow, green, red, purple, gray, random; got "blue"',
    ],
    [{ message: 'm', message_format: 'markdown' }, 'message_format: must be one of html, text'],
    [{ message: 'm', notify: 'true' }, 'notify: must be true or false, got "true"'],
    [{ message: 'm', from: 'f'.repeat(65) }, 'from: must be 0–64 characters long, got 65'],
    [{ message: 'm', card: { style: 'link' } }, 'card.title: required'],
    [[], 'Request body must be a JSON object, got an array'],
  ])('rejects %#', (body, problem) => {
    const check = validateNotification(body);
    expect(check.ok).toBe(false);
    // Compare the start, so a failure shows the whole message.
    expect(check.ok ? '' : check.problem.slice(0, problem.length)).toBe(problem);
  });
});
