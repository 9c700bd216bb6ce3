/**
 * The README's input and output tables, written from action.yml and read back: plain functions
 * over the two texts (the files are read, never written).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/action-runner.ts';
import {
  docsProblems,
  loadActionDocs,
  readTable,
  tableLines,
  updateReadme,
} from '../../scripts/generate-docs.ts';
import type { ActionDocs } from '../../scripts/generate-docs.ts';
import { inputSince } from '../../scripts/lib/changelog.ts';

const ACTION: ActionDocs = {
  description: 'Posts notifications.',
  inputs: {
    room: { description: 'Room id or name.', required: true },
    status: {
      description: 'The outcome,\n  folded over lines | with a pipe.',
      default: '${{ a || b }}',
    },
    template: { description: 'A template.', default: '' },
  },
  outputs: { sent: { description: 'How many rooms.' } },
};
const README = [
  '# x',
  '<!-- start inputs -->',
  'stale',
  '<!-- end inputs -->',
  'between',
  '<!-- start outputs -->',
  '<!-- end outputs -->',
  'after',
].join('\n');

describe('README tables from action.yml', () => {
  it('writes one row per input, defaults as code, pipes escaped, between the markers', () => {
    expect(tableLines(ACTION, 'inputs')).toEqual([
      '| input | default | description |',
      '| --- | --- | --- |',
      '| `room` | required | Room id or name. |',
      '| `status` | `${{ a \\|\\| b }}` | The outcome, folded over lines \\| with a pipe. |',
      "| `template` | '' | A template. |",
    ]);
    const updated = updateReadme(README, ACTION);
    expect(updated).not.toContain('stale');
    expect(updated).toContain('\nbetween\n');
    expect(updated.endsWith('<!-- end outputs -->\nafter')).toBe(true);
    expect(updateReadme(updated, ACTION)).toBe(updated);
  });

  it('reads the rows back as names, defaults and descriptions', () => {
    const updated = updateReadme(README, ACTION);
    expect(readTable(updated, 'inputs')).toEqual([
      { name: 'room', default: undefined, description: 'Room id or name.' },
      {
        name: 'status',
        default: '${{ a || b }}',
        description: 'The outcome, folded over lines | with a pipe.',
      },
      { name: 'template', default: '', description: 'A template.' },
    ]);
    expect(readTable(updated, 'outputs')).toEqual([
      { name: 'sent', description: 'How many rooms.' },
    ]);
  });

  it('finds a README that disagrees with action.yml, missing markers and a long description', () => {
    const updated = updateReadme(README, ACTION);
    expect(docsProblems(updated, ACTION)).toEqual([]);
    const changed = {
      ...ACTION,
      inputs: { ...ACTION.inputs, template: { description: 'A template.', default: 'x' } },
    };
    expect(docsProblems(updated, changed)).toEqual([
      expect.stringMatching(
        /^README\.md's tables differ from action\.yml and CHANGELOG\.md \(first at line \d+\): run npm run docs/,
      ),
    ]);
    expect(docsProblems('# no markers', ACTION)).toEqual([
      'README.md has no "<!-- start inputs -->" … "<!-- end inputs -->" markers.',
    ]);
    expect(docsProblems(updated, { ...ACTION, description: 'x'.repeat(126) })).toEqual([
      "action.yml's description is 126 characters; the Marketplace shows 125.",
    ]);
  });

  it('says in which release each input came, from CHANGELOG.md, and fails for one it never names', () => {
    const since = { room: '1.0.0', status: '2.0.0', template: 'unreleased' };
    expect(tableLines(ACTION, 'inputs', since)).toEqual([
      '| input | default | since | description |',
      '| --- | --- | --- | --- |',
      '| `room` | required | 1.0.0 | Room id or name. |',
      '| `status` | `${{ a \\|\\| b }}` | 2.0.0 | The outcome, folded over lines \\| with a pipe. |',
      "| `template` | '' | unreleased | A template. |",
    ]);
    const updated = updateReadme(README, ACTION, since);
    expect(readTable(updated, 'inputs').map((row) => [row.name, row.since])).toEqual([
      ['room', '1.0.0'],
      ['status', '2.0.0'],
      ['template', 'unreleased'],
    ]);
    expect(docsProblems(updated, ACTION, since)).toEqual([]);
    expect(docsProblems(updated, ACTION, { ...since, template: undefined })[0]).toBe(
      'CHANGELOG.md names `template` in no section: add an entry under [Unreleased] that names it in backticks.',
    );
  });

  it('holds for the committed README, action.yml and CHANGELOG.md', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const changelog = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    const action = loadActionDocs();
    const since = inputSince(changelog, Object.keys(action.inputs));
    expect(docsProblems(readme, action, since)).toEqual([]);
    expect(readTable(readme, 'inputs').map((row) => row.name)).toEqual(Object.keys(action.inputs));
  });
});
