/**
 * The `vars` input: the workflow's own values for templates, as `{{vars.name}}`. A YAML or JSON
 * map of names to text. Pure: the YAML parser is passed in (it is loaded on demand, only when
 * `vars` is set: see yaml-inputs.ts), so this module reads nothing and loads nothing.
 *
 * Strict on purpose, since a mistake here would otherwise show up as an odd message in the room:
 * the text must be a map; each name an identifier (so `{{vars.name}}` can name it); each value
 * text. YAML reads `version: 1.10` as the number 1.1 and `debug: yes`-like words as booleans, so
 * a non-text value is an error that says to quote it rather than a silent conversion.
 */

/** A YAML parser as the `yaml` package's `parse` is (JSON is YAML too). */
export type YamlParse = (text: string, options: YamlParseOptions) => unknown;

/**
 * The options passed to the parser: no custom tags, few aliases, duplicate keys refused. The
 * `failsafe` schema (every scalar as text) only serves to quote a value back as it was written.
 * `logLevel: 'error'` keeps the parser's warnings (an unknown `%directive`, quoting the input
 * raw) off stderr, where they would bypass the action's log escaping; errors still throw.
 */
export interface YamlParseOptions {
  schema: 'core' | 'failsafe';
  uniqueKeys: true;
  maxAliasCount: number;
  prettyErrors: true;
  logLevel: 'error';
}

/** What `vars` may hold, at most: it is typed into a workflow file, not a data set. */
export const VARS_LIMITS = { bytes: 64 * 1024, names: 100 } as const;

/** The options `parseVars` parses YAML with. */
export const YAML_OPTIONS: YamlParseOptions = {
  schema: 'core',
  uniqueKeys: true,
  // A map of a few values needs no aliases; a small cap stops a "billion laughs" document.
  maxAliasCount: 10,
  prettyErrors: true,
  logLevel: 'error',
};

/** A name `{{vars.name}}` can reach: letters, digits and `_`, not starting with a digit. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The parsed map, or the problems found (each naming `vars`, the value and what is accepted). */
export type VarsResult = { vars: Record<string, string> } | { problems: string[] };

/**
 * Parses the `vars` input. `''` (after trimming) is no vars: `{ vars: {} }`. The map comes back
 * with a null prototype, so a name like `constructor` is an ordinary own key.
 */
export function parseVars(text: string, parseYaml: YamlParse): VarsResult {
  if (!text.trim()) return { vars: Object.create(null) as Record<string, string> };
  if (Buffer.byteLength(text) > VARS_LIMITS.bytes) {
    return {
      problems: [
        `\`vars\` is ${Buffer.byteLength(text).toLocaleString('en')} bytes long: at most ${VARS_LIMITS.bytes.toLocaleString('en')} are accepted (a map of a few names to text).`,
      ],
    };
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text, YAML_OPTIONS);
  } catch (error) {
    return { problems: [`\`vars\` is not valid YAML or JSON: ${parseReason(error)}. ${EXAMPLE}`] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      problems: [`\`vars\` is ${kindOf(parsed)}: expected a map of names to text. ${EXAMPLE}`],
    };
  }
  // Scalars as written (`1.10`, not 1.1), for the advice to quote them: parsed only if needed.
  const asWritten = (name: string): string => {
    const raw = (parseYaml(text, { ...YAML_OPTIONS, schema: 'failsafe' }) ?? {}) as Record<
      string,
      unknown
    >;
    const value = Object.hasOwn(raw, name) ? raw[name] : undefined;
    return typeof value === 'string' ? shown(value) : '…';
  };
  return checkEntries(Object.entries(parsed), asWritten);
}

const EXAMPLE = 'For example `environment: prod` on one line and `version: "1.2"` on the next.';

function checkEntries(
  entries: [string, unknown][],
  asWritten: (name: string) => string,
): VarsResult {
  const problems: string[] = [];
  if (entries.length > VARS_LIMITS.names) {
    problems.push(
      `\`vars\` has ${entries.length} names: at most ${VARS_LIMITS.names} are accepted.`,
    );
  }
  const vars = Object.create(null) as Record<string, string>;
  for (const [name, value] of entries) {
    if (!IDENTIFIER.test(name)) {
      problems.push(
        `\`vars\` name '${shown(name)}' is not an identifier: use letters, digits and _ (not starting with a digit), so that {{vars.name}} can name it.`,
      );
    } else if (typeof value !== 'string') {
      problems.push(
        `\`vars.${name}\` is ${kindOf(value)}: vars are text; quote the value (${name}: "${isScalar(value) ? asWritten(name) : '…'}").`,
      );
    } else {
      vars[name] = value;
    }
  }
  return problems.length > 0 ? { problems } : { vars };
}

/** The parser's reason, first line only: its excerpt of the source is left out of the log. */
function parseReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n', 1)[0] ?? '').replace(/:\s*$/, '').trim() || 'unreadable';
}

/** `a number (1.1)`, `a boolean (true)`, `empty (null)`, `a list`, `a map`, `text`. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty (no value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return `a number (${shown(String(value))})`;
  if (typeof value === 'boolean') return `a boolean (${String(value)})`;
  if (typeof value === 'object') return 'a map';
  return typeof value === 'string' ? `text ('${shown(value)}')` : `a ${typeof value}`;
}

function isScalar(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

/** A name or value in an error: at most 40 characters, line breaks shown as ⏎. */
function shown(text: string): string {
  const flat = text.replace(/\r?\n/g, '⏎');
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}
