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
        'retry-policy.ts': "import { isLoopback } from './hipchat/hosts.js';",
        'hipchat/hosts.ts': 'export const isLoopback = 1;',
      }),
    ).toEqual([
      'retry-policy.ts:1: pure module imports the I/O module hipchat/hosts.ts: pass what it needs in, or import only its types',
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
        'template.ts': "import { escapeHtml } from './html.js';\nexport { escapeHtml };",
        'context.ts': "export { outcomeOf } from './status.js';",
        'html.ts': 'export const escapeHtml = 1;',
        'status.ts': 'export const outcomeOf = 1;',
      }),
    ).toEqual([
      "template.ts:2: re-exports the imported 'escapeHtml': import it from where it is defined instead",
      "context.ts:1: re-exports from './status.js': import it from there instead",
    ]);
  });

  it('fails on an import of a file src/ does not have', () => {
    expect(messages({ 'a.ts': "import { b } from './gone.js';" })).toEqual([
      "a.ts:1: imports './gone.js', which is not a module of src/",
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
