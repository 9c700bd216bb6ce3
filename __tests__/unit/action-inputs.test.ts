/**
 * action.yml is the one source of the inputs' names and defaults. src/inputs/action-inputs.ts is
 * generated from it (scripts/generate-inputs.ts), and the parser, action.yml and the README's
 * generated table must agree on every name and default.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUT_DEFAULTS, INPUT_NAMES } from '../../src/inputs/action-inputs.js';
import { maskSecrets, parseInputs } from '../../src/inputs/inputs.js';
import { loadYamlParser } from '../../src/inputs/yaml-loader.js';
import { readTable } from '../../scripts/generate-docs.ts';
import { MODULE, inputsModule } from '../../scripts/generate-inputs.ts';
import { ROOT } from '../../scripts/lib/action-runner.ts';

const actionYml = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
const action = parse(actionYml) as { inputs: Record<string, { default?: string }> };
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/**
 * Inputs the parser reads that action.yml does not declare yet (a feature under way). Each must
 * move to action.yml, and out of this list, before it is released: the test fails once
 * action.yml declares one of them.
 */
const NOT_YET_DECLARED: string[] = [];

/** The inputs a minimal valid run gives; everything else is left empty, as a runner would not. */
const GIVEN: Record<string, string> = {
  token: 'token-value',
  room: 'CI',
  server: 'https://hipchat.example.com',
};

/** Every name the action reads, in the order it reads them, for one run. */
async function namesRead(values: Record<string, string>): Promise<Set<string>> {
  const seen = new Set<string>();
  const read = (name: string): string => {
    seen.add(name);
    return values[name] ?? '';
  };
  maskSecrets(read, () => {});
  parseInputs(read, ROOT, await loadYamlParser(read));
  return seen;
}

describe('action.yml, the one source of input facts', () => {
  it('src/inputs/action-inputs.ts is what action.yml makes (npm run inputs)', async () => {
    expect(readFileSync(MODULE, 'utf8')).toBe(await inputsModule(actionYml));
  });

  it('the parser reads exactly the inputs action.yml declares, and the README lists them', async () => {
    const declared = Object.keys(action.inputs);
    expect([...INPUT_NAMES]).toEqual(declared);
    expect(declared.filter((name) => NOT_YET_DECLARED.includes(name))).toEqual([]);
    expect([...(await namesRead(GIVEN))].sort()).toEqual([...declared, ...NOT_YET_DECLARED].sort());
    expect(readTable(readme, 'inputs').map((row) => row.name)).toEqual(declared);
  });

  it('defaults are equal: action.yml, the generated module and the README', () => {
    for (const [name, spec] of Object.entries(action.inputs)) {
      const literal = spec.default !== undefined && !String(spec.default).includes('${{');
      expect(INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS], name).toBe(
        literal ? String(spec.default) : undefined,
      );
    }
    const rows = readTable(readme, 'inputs');
    for (const row of rows) {
      const spec = action.inputs[row.name]!;
      expect(row.default, row.name).toBe(
        spec.default === undefined ? undefined : String(spec.default),
      );
    }
  });

  it('an input left empty means what its action.yml default says', async () => {
    const filled = { ...INPUT_DEFAULTS, ...GIVEN } as Record<string, string>;
    const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';
    const empty = parseInputs(read(GIVEN), ROOT, await loadYamlParser(read(GIVEN)));
    const explicit = parseInputs(read(filled), ROOT, await loadYamlParser(read(filled)));
    expect(empty).toEqual(explicit);
    // Not a test of nothing: the defaults did fill something in.
    expect(empty).toMatchObject({
      color: 'auto',
      format: 'html',
      maxWaitMs: 300_000,
      failOnError: true,
    });
  });
});
