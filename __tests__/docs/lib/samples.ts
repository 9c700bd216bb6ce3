/**
 * The sample messages of the docs and the examples that post them. A sample is a blockquote or
 * a plain (`text`, or no language) code block that starts with a status icon; each one must be
 * listed here with the example it shows, and the docs tier runs that example and compares.
 */
import { micromark } from 'micromark';
import { decodeEntities, sanitizeMessageHtml } from '../../../scripts/lib/hipchat-html.ts';
import type { ActionStep } from './examples.ts';
import { actionSteps, toExample } from './examples.ts';
import type { Failures } from './run-example.ts';
import { scanDoc, userDocs, where } from '../../../scripts/lib/markdown-docs.ts';

/** A place in the docs: a file and the heading a block sits under. */
interface Place {
  file: string;
  heading: string;
}

export interface Scenario {
  /** Where the sample is. */
  sample: Place;
  /** Where the example that posts it is: the first hipchat-notify step under that heading. */
  example: Place;
  /** The run's jobs that failed (for `summary: run`). */
  failures?: Failures;
}

export const SCENARIOS: Scenario[] = [
  {
    sample: { file: 'README.md', heading: 'In 30 seconds' },
    example: { file: 'README.md', heading: 'In 30 seconds' },
  },
  {
    sample: { file: 'docs/test-results.md', heading: 'Test results in the alert' },
    example: { file: 'docs/test-results.md', heading: 'Test results in the alert' },
  },
  {
    sample: { file: 'docs/whole-run.md', heading: '`summary: job`' },
    example: { file: 'README.md', heading: 'In 30 seconds' },
  },
  {
    sample: { file: 'docs/whole-run.md', heading: '`summary: run`' },
    example: { file: 'docs/whole-run.md', heading: '`summary: run`' },
    failures: {
      'test (22, ubuntu-latest)': { seconds: 252 },
      'test (24, windows-latest)': { seconds: 63 },
    },
  },
];

/** The status icons a message starts with. */
const ICONS = /^\s*(❌|✅|⚪|🔵|🚀|🟡)/u;

/** A sample found in the docs: where, and its text as a reader sees it. */
export interface Sample {
  file: string;
  line: number;
  heading: string;
  /** Blockquotes are compared as flowing text; code blocks line by line. */
  kind: 'quote' | 'block';
  text: string;
}

/** Markdown to the text a reader sees: rendered, tags dropped, entities decoded. */
function readText(markdown: string): string {
  return decodeEntities(micromark(markdown).replace(/<[^>]*>/g, ''));
}

/** Every sample message in the user docs. */
export function findSamples(): Sample[] {
  return userDocs().flatMap((file) => {
    const { blocks, quotes } = scanDoc(file);
    return [
      ...quotes
        .filter((q) => ICONS.test(q.markdown))
        .map((q) => ({
          file,
          line: q.line,
          heading: q.heading,
          kind: 'quote' as const,
          text: readText(q.markdown),
        })),
      ...blocks
        .filter((b) => (b.lang === '' || b.lang === 'text') && ICONS.test(b.text))
        .map((b) => ({
          file,
          line: b.line,
          heading: b.heading,
          kind: 'block' as const,
          text: b.text,
        })),
    ];
  });
}

/** The sample a scenario names; throws unless there is exactly one there. */
export function sampleAt(place: Place, samples = findSamples()): Sample {
  const found = samples.filter((s) => s.file === place.file && s.heading === place.heading);
  if (found.length !== 1) {
    throw new Error(
      `${place.file} "${place.heading}": ${found.length} samples (${found.map(where).join(', ')}), expected one`,
    );
  }
  return found[0]!;
}

/** The example a scenario names: the first hipchat-notify step under the heading. */
export function exampleAt(place: Place): ActionStep {
  const blocks = scanDoc(place.file).blocks.filter(
    (b) => (b.lang === 'yaml' || b.lang === 'yml') && b.heading === place.heading,
  );
  const step = blocks.flatMap((b) => actionSteps(toExample(b)))[0];
  if (!step) throw new Error(`${place.file} "${place.heading}": no hipchat-notify step there`);
  return step;
}

/** A posted message as the room shows it: `html` rendered to its text, `text` as sent. */
export function roomText(message: string, format: string): string {
  if (format !== 'html') return message;
  const html = sanitizeMessageHtml(message)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li>/gi, '\n• ')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(html);
}

/** Text compared as flowing prose: whitespace runs are one space. */
export const flowing = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Text compared line by line: trailing spaces and the final newline ignored. */
export const lines = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
