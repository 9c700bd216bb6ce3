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
import type { KindWords } from '../words/table.ts';

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
  /** The event kind the page says it is about (a table row naming its event), if any. */
  kind?: KindWords;
}

/** The kind a line of a Markdown table is about: its first cell names the event (`push`). */
function kindOfRow(source: string): KindWords | undefined {
  const event = /^\| (?:`([a-z_]+)`|any other) /.exec(source);
  if (!event) return undefined;
  const name = event[1] ?? 'fallback';
  return ALL_WORDS.find((table) => table.event === name || table.kind === name);
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
      const sample = { file, line: index + 1, text: span!, kind: kindOfRow(source) };
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
const formsOf = (tables: readonly KindWords[]) =>
  tables.flatMap((table) =>
    table.rows.flatMap((row) => [row.text.split('\n')[0]!, visible(row.html)]),
  );
const MESSAGE_FORMS = formsOf(ALL_WORDS);
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
        formsOf(sample.kind ? [sample.kind] : ALL_WORDS).some((form) => agrees(sample.text, form)),
        `${sample.text}\nagrees with no row of ${sample.kind ? `the ${sample.kind.kind}` : 'any'} words table`,
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
