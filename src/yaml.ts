/**
 * YAML for inputs that hold a map (`users`, and any other such input): the `yaml` package,
 * loaded on demand (its own chunk) so runs that set no such input never load it.
 */

/** Largest YAML input read, in characters: a map of people or values, not a document store. */
export const MAX_YAML_LENGTH = 65_536;

/** Options of {@link parseYaml}. */
export interface YamlOptions {
  /**
   * `failsafe` (default): every scalar is a string, so `0123`, `yes` or `1e3` stay as written;
   * `core`: YAML 1.2's numbers, booleans and null.
   */
  schema?: 'failsafe' | 'core';
}

/**
 * Parses `text` as YAML (JSON is YAML too). Throws an Error whose message is one line naming
 * the problem and where it is (`line 2, column 6`), never the input's text: it may hold values
 * a workflow would rather not print. Aliases are refused (no "billion laughs"), keys must be
 * unique.
 */
export async function parseYaml(text: string, options: YamlOptions = {}): Promise<unknown> {
  if (text.length > MAX_YAML_LENGTH) {
    throw new Error(`it is ${text.length} characters long; at most ${MAX_YAML_LENGTH} are read`);
  }
  const { parse } = await import('yaml');
  try {
    return parse(text, {
      schema: options.schema ?? 'failsafe',
      uniqueKeys: true,
      maxAliasCount: 0,
      prettyErrors: true,
    }) as unknown;
  } catch (error) {
    throw new Error(describeYamlError(error), { cause: error });
  }
}

function describeYamlError(error: unknown): string {
  const { message, linePos } = error as {
    message?: unknown;
    linePos?: { line: number; col: number }[];
  };
  const first = (typeof message === 'string' ? message : String(error)).split('\n', 1)[0] ?? '';
  // yaml appends " at line L, column C:" followed by the source; keep only the words.
  const words = first.replace(/\s+at line \d+, column \d+:?$/, '');
  const at = linePos?.[0];
  if (/Alias resolution is disabled/i.test(words)) return 'YAML aliases (*name) are not accepted';
  return at === undefined ? words : `${words} (line ${at.line}, column ${at.col})`;
}
