/**
 * `notify` (src/inputs/notify.ts): true, false, or the outcomes to alert on, with fixed and
 * broken told from the previous run's outcome.
 */
import { describe, expect, it } from 'vitest';
import { NOTIFY_WORDS, needsPrevious, notifies, parseNotify } from '../../src/inputs/notify.js';

function parse(raw: string) {
  const problems: string[] = [];
  return { rule: parseNotify(raw, problems), problems };
}

describe('parseNotify', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['false', false],
    ['', false],
  ])('%s is a plain flag', (raw, rule) => {
    expect(parse(raw)).toEqual({ rule, problems: [] });
  });

  it('reads a list separated by commas or new lines, any case, once each', () => {
    expect(parse('Failure, fixed\nfailure\n timed_out ')).toEqual({
      rule: ['failure', 'fixed', 'timed_out'],
      problems: [],
    });
  });

  it('names every unknown word and the accepted ones', () => {
    const { problems } = parse('failure, fixd, yes');
    expect(problems).toEqual([
      `\`notify\` is 'failure, fixd, yes': 'fixd', 'yes' are not outcomes; expected true, false, or a list of ${NOTIFY_WORDS.join(', ')}.`,
    ]);
    expect(NOTIFY_WORDS).toEqual(expect.arrayContaining(['success', 'failure', 'fixed', 'broken']));
  });

  it('asks for the previous run only for fixed or broken', () => {
    expect(needsPrevious(['failure'])).toBe(false);
    expect(needsPrevious(['failure', 'fixed'])).toBe(true);
    expect(needsPrevious(['broken'])).toBe(true);
    expect(needsPrevious(true)).toBe(false);
  });
});

describe('notifies', () => {
  const rule = ['failure', 'fixed'];
  it.each([
    // status, previous, alerts
    ['failure', '', true],
    ['timed_out', 'failure', true], // a failure by another word
    ['error', '', true],
    ['success', 'failure', true], // fixed
    ['success', 'success', false],
    ['success', '', false], // nothing to be fixed from
    ['neutral', 'failure', true], // a success by another word, after a failure
    ['cancelled', 'failure', false],
    ['started', 'failure', false],
  ])('failure, fixed: %s after %s → %s', (status, previous, expected) => {
    expect(notifies(rule, status, previous)).toBe(expected);
  });

  it('broken: the first failure after a success only', () => {
    expect(notifies(['broken'], 'failure', 'success')).toBe(true);
    expect(notifies(['broken'], 'failure', 'failure')).toBe(false);
    expect(notifies(['broken'], 'failure', '')).toBe(false);
  });

  it('a listed word matches itself, a family name every word of the family', () => {
    expect(notifies(['timed_out'], 'timed_out', '')).toBe(true);
    expect(notifies(['timed_out'], 'failure', '')).toBe(false);
    expect(notifies(['success'], 'neutral', '')).toBe(true);
    expect(notifies(['started'], 'in_progress', '')).toBe(true);
    expect(notifies(['skipped'], '', '')).toBe(false);
  });

  it('true and false stay what they were', () => {
    expect(notifies(true, 'success', '')).toBe(true);
    expect(notifies(false, 'failure', 'success')).toBe(false);
  });
});
