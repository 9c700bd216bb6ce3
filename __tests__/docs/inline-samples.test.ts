/**
 * The sample messages written inline in README.md and docs/ — a code span such as the built-in
 * messages table of docs/templates.md, and the card titles of docs/cards.md — say what the
 * built-in messages say: each agrees with a row of an event kind's words table
 * (__tests__/words/), the words the unit tests assert the sources say. A sample may leave words
 * out with `…` and use any facts; its words must be the table's. (Quoted and block samples are
 * run from their examples on the bundle: samples.test.ts.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_WORDS } from '../words/all.ts';
import { agrees } from '../words/table.ts';

const ROOT = new URL('../../', import.meta.url);
const DOCS = ['README.md', ...readdirSync(new URL('docs/', ROOT)).map((f) => `docs/${f}`)].filter(
  (f) => f.endsWith('.md'),
);

/** The outcome icons a built-in message starts with. */
const ICON = /^(?:✅|❌|⚪|🚀|🔵) /u;

/** A sample and where it is. */
interface Sample {
  file: string;
  line: number;
  text: string;
}

/** The samples written inline on a page: code spans starting with an outcome icon, and card titles. */
function samplesOf(file: string): { messages: Sample[]; cardTitles: Sample[] } {
  const lines = readFileSync(new URL(file, ROOT), 'utf8').split('\n');
  const messages: Sample[] = [];
  const cardTitles: Sample[] = [];
  let fenced = false;
  lines.forEach((source, index) => {
    if (source.trimStart().startsWith('```')) fenced = !fenced;
    if (fenced) return;
    for (const [, span] of source.matchAll(/`([^`\n]+)`/g)) {
      const sample = { file, line: index + 1, text: span! };
      if (ICON.test(span!)) messages.push(sample);
      else if (file === 'docs/cards.md' && source.startsWith('| title')) cardTitles.push(sample);
    }
  });
  return { messages, cardTitles };
}

/** What a room shows of an html message: its text, without tags or entities. */
function visible(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Each row's message as a sample may show it: the text headline, or the html as a room shows it. */
const MESSAGE_FORMS = ALL_WORDS.flatMap((table) =>
  table.rows.flatMap((row) => [row.text.split('\n')[0]!, visible(row.html)]),
);
const CARD_TITLES = ALL_WORDS.flatMap((table) => table.rows.map((row) => visible(row.card)));

const SAMPLES = DOCS.map(samplesOf);
const MESSAGES = SAMPLES.flatMap((s) => s.messages);
const TITLES = SAMPLES.flatMap((s) => s.cardTitles);

describe('inline sample messages in the docs', () => {
  it('are found where the docs show them', () => {
    const files = new Set(MESSAGES.map((s) => s.file));
    for (const file of ['README.md', 'docs/templates.md']) {
      expect(files).toContain(file);
    }
    expect(TITLES.length).toBeGreaterThanOrEqual(3);
  });

  it.each(MESSAGES.map((s) => [`${s.file}:${s.line}`, s] as const))(
    '%s says what a built-in message says',
    (_where, sample) => {
      expect(
        MESSAGE_FORMS.some((form) => agrees(sample.text, form)),
        `${sample.text}\nagrees with no row of __tests__/words/`,
      ).toBe(true);
    },
  );

  it.each(TITLES.map((s) => [`${s.file}:${s.line} ${s.text}`, s] as const))(
    '%s is a card title a table gives',
    (_where, sample) => {
      expect(CARD_TITLES.some((form) => agrees(sample.text, form))).toBe(true);
    },
  );

  it('would catch a stale sample', () => {
    expect(MESSAGE_FORMS.some((f) => agrees('❌ acme/widgets: CI broke on main …', f))).toBe(false);
    expect(MESSAGE_FORMS.some((f) => agrees('❌ acme/widgets: CI failed on main …', f))).toBe(true);
  });
});
