/**
 * `npm run inputs`: writes src/inputs/action-inputs.ts from action.yml, the one source of the inputs'
 * names and defaults, so the parser reads both from there without parsing YAML at start-up.
 * `npm run inputs -- --check` (in `npm run lint`) writes nothing and fails when the module is
 * not what action.yml makes.
 *
 * A default that is an expression (`${{ github.token }}`) is the runner's to evaluate: the module
 * lists it among the names but not among the defaults.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { parse } from 'yaml';
import { ROOT } from './lib/action-runner.ts';

export const MODULE = path.join(ROOT, 'src', 'inputs', 'action-inputs.ts');

/** What the module needs of action.yml. */
interface ActionInputs {
  inputs: Record<string, { default?: unknown }>;
}

/** The module's source for action.yml's text, formatted as the repository formats TypeScript. */
export async function inputsModule(actionYml: string): Promise<string> {
  const { inputs } = parse(actionYml) as ActionInputs;
  const names = Object.keys(inputs);
  const defaults = Object.entries(inputs)
    .filter(([, spec]) => spec.default !== undefined && !String(spec.default).includes('${{'))
    .map(([name, spec]) => `  ${JSON.stringify(name)}: ${JSON.stringify(String(spec.default))},`);
  const source = [
    '// Generated from action.yml by `npm run inputs` (scripts/generate-inputs.ts): do not edit.',
    '// `npm run lint` fails when it differs from what action.yml makes.',
    '',
    '/** Every input action.yml declares, in its order. */',
    `export const INPUT_NAMES = ${JSON.stringify(names)} as const;`,
    '',
    '/** An input of the action. */',
    'export type InputName = (typeof INPUT_NAMES)[number];',
    '',
    '/**',
    " * action.yml's defaults, for inputs the runner leaves empty (runs outside a runner, e.g.",
    " * tests and the preview). Expressions (`${{ … }}`) are the runner's to evaluate: not here.",
    ' */',
    'export const INPUT_DEFAULTS = {',
    ...defaults,
    '} as const satisfies Partial<Record<InputName, string>>;',
    '',
  ].join('\n');
  const options = await resolveConfig(MODULE);
  return format(source, { ...options, filepath: MODULE });
}

if (import.meta.main) {
  const expected = await inputsModule(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
  let current = '';
  try {
    current = readFileSync(MODULE, 'utf8');
  } catch {
    // not written yet
  }
  const relative = path.relative(ROOT, MODULE);
  if (process.argv.includes('--check')) {
    if (current !== expected) {
      console.error(`✗ ${relative} differs from action.yml's inputs: run npm run inputs.`);
      process.exitCode = 1;
    } else console.log(`✓ ${relative} matches action.yml's inputs`);
  } else {
    if (current !== expected) writeFileSync(MODULE, expected);
    console.log(current === expected ? `${relative} is up to date.` : `${relative} written.`);
  }
}
