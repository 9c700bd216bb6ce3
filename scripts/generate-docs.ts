/**
 * `npm run docs`: writes the README's input and output tables from action.yml, the one source of
 * their names, defaults and descriptions. `npm run docs -- --check` (in `npm run all` and
 * `.ci/run`) writes nothing and fails when the README's tables are not what action.yml makes,
 * or when action.yml's description is too long for the Marketplace.
 *
 * Each table stands between `<!-- start NAME -->` and `<!-- end NAME -->` (NAME is `inputs` or
 * `outputs`), one row per line, in action.yml's order:
 *
 *   | `name` | default | since | description |        (inputs)
 *   | `name` | description |                          (outputs)
 *
 * where default is `` `value` `` (YAML's exact text; `|` written `\|`), `''` for an empty
 * default, or `required` when the input has none; since is the release whose CHANGELOG.md section
 * first names the input (`` `name` `` or `` `name: value` ``), or `unreleased` while only
 * `[Unreleased]` does. An input no section names fails the check. `readTable()` reads them back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './lib/action-runner.ts';
import { inputSince } from './lib/changelog.ts';

/** The Marketplace shows at most this many characters of an action's description. */
export const MAX_DESCRIPTION = 125;

/** What the tables need of action.yml. */
export interface ActionDocs {
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

/** One row of a table as read back: the name, and for inputs the default (undefined: required). */
export interface TableRow {
  name: string;
  default?: string;
  /** The release the input came with, when the table says it. */
  since?: string;
  description: string;
}

/** The release each input came with (CHANGELOG.md's sections), by input name. */
export type Since = Record<string, string | undefined>;

/** action.yml, parsed. */
export function loadActionDocs(file = path.join(ROOT, 'action.yml')): ActionDocs {
  return parse(readFileSync(file, 'utf8')) as ActionDocs;
}

/** Text for one table cell: one line, `|` escaped. */
const cell = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');

/** The default column: `` `value` ``, `''` for empty, `required` when there is none. */
function defaultCell(input: ActionDocs['inputs'][string]): string {
  if (input.default === undefined) return 'required';
  const value = String(input.default);
  return value === '' ? "''" : `\`${cell(value)}\``;
}

/** The rows of the `inputs` or `outputs` table, header included, as action.yml makes them. */
export function tableLines(
  action: ActionDocs,
  name: 'inputs' | 'outputs',
  since?: Since,
): string[] {
  if (name === 'inputs' && since) {
    return [
      '| input | default | since | description |',
      '| --- | --- | --- | --- |',
      ...Object.entries(action.inputs).map(
        ([input, spec]) =>
          `| \`${input}\` | ${defaultCell(spec)} | ${since[input] ?? '?'} | ${cell(spec.description)} |`,
      ),
    ];
  }
  if (name === 'inputs') {
    return [
      '| input | default | description |',
      '| --- | --- | --- |',
      ...Object.entries(action.inputs).map(
        ([input, spec]) => `| \`${input}\` | ${defaultCell(spec)} | ${cell(spec.description)} |`,
      ),
    ];
  }
  return [
    '| output | description |',
    '| --- | --- |',
    ...Object.entries(action.outputs).map(
      ([output, spec]) => `| \`${output}\` | ${cell(spec.description)} |`,
    ),
  ];
}

const START = (name: string): string => `<!-- start ${name} -->`;
const END = (name: string): string => `<!-- end ${name} -->`;

/** The README with both tables replaced by what action.yml makes. Throws if a marker is missing. */
export function updateReadme(readme: string, action: ActionDocs, since?: Since): string {
  let text = readme;
  for (const name of ['inputs', 'outputs'] as const) {
    const start = text.indexOf(START(name));
    const end = text.indexOf(END(name));
    if (start < 0 || end < start) {
      throw new Error(`README.md has no "${START(name)}" … "${END(name)}" markers.`);
    }
    const block = [
      START(name),
      '<!-- prettier-ignore-start -->',
      ...tableLines(action, name, since),
      '<!-- prettier-ignore-end -->',
    ].join('\n');
    text = text.slice(0, start) + block + '\n' + text.slice(end);
  }
  return text;
}

/** Reads the rows between a table's markers back: what the README tells workflow authors. */
export function readTable(readme: string, name: 'inputs' | 'outputs'): TableRow[] {
  const start = readme.indexOf(START(name));
  const end = readme.indexOf(END(name));
  if (start < 0 || end < start) return [];
  const lines = readme.slice(start, end).split('\n');
  const withSince = lines.some((line) => /^\| input \| default \| since \|/.test(line));
  const rows = lines.filter((line) => /^\| `/.test(line));
  return rows.map((line) => {
    // Split on `|` not escaped as `\|`, then undo the escaping.
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((part) => part.trim().replace(/\\\|/g, '|'));
    const rowName = cells[0]!.replace(/^`|`$/g, '');
    if (name === 'outputs') return { name: rowName, description: cells[1] ?? '' };
    const column = cells[1] ?? '';
    const value =
      column === 'required' ? undefined : column === "''" ? '' : column.replace(/^`|`$/g, '');
    if (withSince) {
      return { name: rowName, default: value, since: cells[2], description: cells[3] ?? '' };
    }
    return { name: rowName, default: value, description: cells[2] ?? '' };
  });
}

/** Why action.yml and the README do not agree, one line each; empty when they do. */
export function docsProblems(readme: string, action: ActionDocs, since?: Since): string[] {
  const problems: string[] = [];
  for (const [input, version] of Object.entries(since ?? {})) {
    if (version === undefined) {
      problems.push(
        `CHANGELOG.md names \`${input}\` in no section: add an entry under [Unreleased] that names it in backticks.`,
      );
    }
  }
  if (action.description.length > MAX_DESCRIPTION) {
    problems.push(
      `action.yml's description is ${action.description.length} characters; the Marketplace shows ${MAX_DESCRIPTION}.`,
    );
  }
  let expected: string;
  try {
    expected = updateReadme(readme, action, since);
  } catch (error) {
    return [...problems, (error as Error).message];
  }
  if (expected !== readme) {
    const have = readme.split('\n');
    const want = expected.split('\n');
    const line = want.findIndex((text, i) => text !== have[i]);
    problems.push(
      `README.md's tables differ from action.yml and CHANGELOG.md (first at line ${line + 1}): run npm run docs and commit README.md.`,
    );
  }
  return problems;
}

if (import.meta.main) {
  const file = path.join(ROOT, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const action = loadActionDocs();
  const changelog = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
  const since = inputSince(changelog, Object.keys(action.inputs));
  if (process.argv.includes('--check')) {
    const problems = docsProblems(readme, action, since);
    for (const problem of problems) console.error(`✗ ${problem}`);
    if (problems.length) process.exitCode = 1;
    else console.log('✓ README.md input and output tables match action.yml');
  } else {
    const updated = updateReadme(readme, action, since);
    if (updated !== readme) writeFileSync(file, updated);
    for (const problem of docsProblems(updated, action, since)) console.error(`✗ ${problem}`);
    console.log(updated === readme ? 'README.md is up to date.' : 'README.md tables rewritten.');
  }
}
