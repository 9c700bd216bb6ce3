/**
 * Inputs written in YAML (or JSON). The `yaml` package is loaded only when one of them is set,
 * so the every-run start-up never evaluates it (its own chunk: scripts/check-bundle.ts).
 */
import type { InputReader } from './inputs.js';
import type { YamlParse } from './vars.js';

/** The inputs whose values are YAML. */
const YAML_INPUTS = ['vars', 'users'] as const;

/** The YAML parser when a YAML input is set, else `undefined` (and nothing is loaded). */
export async function loadYamlParser(read: InputReader): Promise<YamlParse | undefined> {
  if (!YAML_INPUTS.some((name) => read(name).trim())) return undefined;
  const { parseYaml } = await import('./yaml-parse.js');
  return parseYaml;
}
