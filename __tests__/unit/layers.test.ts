/**
 * The layer check of `npm run lint` (scripts/lib/layers.ts) over small in-memory module sets:
 * each rule fails on the code it forbids and lets the code it allows through.
 */
import { describe, expect, it } from 'vitest';
import { checkLayers, cycles } from '../../scripts/lib/layers.ts';

const messages = (sources: Record<string, string>): string[] =>
  checkLayers(new Map(Object.entries(sources))).map((p) => `${p.file}:${p.line}: ${p.message}`);

describe('checkLayers', () => {
  it('passes modules that import one way', () => {
    expect(
      messages({
        'a.ts': "import { b } from './b.js';\nexport const a = b;",
        'b.ts': 'export const b = 1;',
      }),
    ).toEqual([]);
  });

  it('fails on an import cycle, type-only imports included', () => {
    expect(
      messages({
        'hipchat/client.ts': "import type { T } from './errors.js';\nexport const c = 1;",
        'hipchat/errors.ts': "import type { C } from './client.js';\nexport type T = 1;",
      }),
    ).toEqual([
      'hipchat/client.ts:1: import cycle: hipchat/client.ts → hipchat/errors.ts → hipchat/client.ts',
    ]);
  });

  it('fails on a cycle through a dynamic import', () => {
    const found = messages({
      'a.ts': "export const a = () => import('./b.js');",
      'b.ts': "import { a } from './a.js';\nexport const b = a;",
    });
    expect(found).toEqual(['a.ts:1: import cycle: a.ts → b.ts → a.ts']);
  });

  it('fails when a pure module imports a value from an I/O module, not a type', () => {
    expect(
      messages({
        'retry-policy.ts': "import { isLoopback } from './http/hosts.js';",
        'http/hosts.ts': 'export const isLoopback = 1;',
      }),
    ).toEqual([
      'retry-policy.ts:1: pure module imports the I/O module http/hosts.ts: pass what it needs in, or import only its types',
    ]);
    expect(
      messages({
        'message.ts': "import type { Inputs } from './inputs.js';",
        'inputs.ts': 'export type Inputs = 1;',
      }),
    ).toEqual([]);
  });

  it('fails when a pure module imports a package that does I/O; edge modules may', () => {
    expect(messages({ 'card.ts': "import { readFileSync } from 'node:fs';" })).toEqual([
      "card.ts:1: pure module imports 'node:fs', which does I/O: move the I/O to an edge module (EDGE_MODULES)",
    ]);
    expect(messages({ 'inputs/inputs.ts': "import { readFileSync } from 'node:fs';" })).toEqual([]);
    expect(messages({ 'card.ts': "import { randomUUID } from 'node:crypto';" })).toEqual([]);
  });

  it('fails on re-export hubs', () => {
    expect(
      messages({
        'message/template.ts':
          "import { escapeHtml } from '../text/html.js';\nexport { escapeHtml };",
        'context/view.ts': "export { outcomeOf } from '../inputs/status.js';",
        'text/html.ts': 'export const escapeHtml = 1;',
        'inputs/status.ts': 'export const outcomeOf = 1;',
      }),
    ).toEqual([
      "message/template.ts:2: re-exports the imported 'escapeHtml': import it from where it is defined instead",
      "context/view.ts:1: re-exports from '../inputs/status.js': import it from there instead",
    ]);
  });

  it('fails on an import of a file src/ does not have', () => {
    expect(messages({ 'a.ts': "import { b } from './gone.js';" })).toEqual([
      "a.ts:1: imports './gone.js', which is not a module of src/",
    ]);
  });
});

describe('checkLayers: folders in the order of the flow', () => {
  it('passes imports within a folder and from earlier folders, nested folders included', () => {
    expect(
      messages({
        'main.ts': "import { m } from './message/compose.js';",
        'message/compose.ts': "import { v } from '../context/view.js';\nexport const m = v;",
        'context/view.ts': "import { k } from './events/kind.js';\nexport const v = k;",
        'context/events/kind.ts': "import { e } from '../../text/html.js';\nexport const k = e;",
        'text/html.ts': 'export const e = 1;',
      }),
    ).toEqual([]);
  });

  it('fails on an injected back-reference to a later folder, type-only included', () => {
    expect(
      messages({
        'text/html.ts': "import type { View } from '../context/view.js';\nexport const e = 1;",
        'context/view.ts': 'export type View = 1;',
      }),
    ).toEqual([
      'text/html.ts:1: text/ imports context/view.ts from the later folder context/: move the shared piece to text/ or an earlier folder (FOLDER_ORDER)',
    ]);
  });

  it('fails on a folder importing the root, on an unplaced folder and on a crowded root', () => {
    expect(
      messages({
        'report/outputs.ts': "import type { Run } from '../main.js';",
        'main.ts': 'export type Run = 1;',
        'misc/util.ts': 'export const u = 1;',
        'index.ts': '',
        'a.ts': '',
        'b.ts': '',
      }),
    ).toEqual([
      "report/outputs.ts:1: report/ imports main.ts from src/'s root: move the shared piece to report/ or an earlier folder (FOLDER_ORDER)",
      'misc/util.ts:1: folder misc/ is not in FOLDER_ORDER: place it in the flow',
      "main.ts:1: src/'s root holds 4 modules (a.ts, b.ts, index.ts, main.ts); at most 3: move the others into the folder of their step",
    ]);
  });
});

describe('cycles', () => {
  it('finds one cycle per strongly connected component, and self-imports', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c'], ['e']]);
  });
});
