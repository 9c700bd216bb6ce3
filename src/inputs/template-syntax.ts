/**
 * The syntax of the `template` / `template-file` inputs: parsing a template before anything is
 * sent, and Mustache's parse errors turned into a `TemplateError` that names the line of an
 * unclosed section, a stray closing tag, an unclosed `{{` or a partial.
 */
import Mustache from 'mustache';
import type { OpeningAndClosingTags, TemplateSpans } from 'mustache';

/** Parsed template tokens, as Mustache produces them. */
export type TemplateTokens = TemplateSpans;

// Fixed delimiters: a global `Mustache.tags` change elsewhere must not change how we parse.
const TAGS: OpeningAndClosingTags = ['{{', '}}'];

let parser: Mustache.Writer | undefined;

/**
 * Parse a template, so inputs can be validated before anything is sent.
 * Throws a `TemplateError` naming the line of an unclosed section, a stray closing tag, an
 * unclosed `{{`, or a partial (`{{> name}}`: there are no partials to include).
 */
export function parseTemplate(template: string): TemplateTokens {
  // A private writer with its cache off: Mustache's would keep every distinct template forever,
  // and leaving the global `Mustache` untouched keeps its settings out of our parsing.
  if (!parser) {
    parser = new Mustache.Writer();
    Object.assign(parser, { templateCache: undefined });
  }
  let tokens: TemplateTokens;
  try {
    tokens = parser.parse(template, TAGS) as TemplateTokens;
  } catch (error) {
    throw explainParseError(template, error);
  }
  rejectPartials(template, tokens);
  return tokens;
}

/** A malformed template; `line` is 1-based. */
export class TemplateError extends Error {
  readonly line: number;

  constructor(message: string, line: number) {
    super(`Template error on line ${line}: ${message}`);
    this.name = 'TemplateError';
    this.line = line;
  }
}

/** Mustache's parse error as a `TemplateError` that names the line and what to do. */
function explainParseError(template: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const unclosedSection = /^Unclosed section "(.*)" at (\d+)$/s.exec(message);
  if (unclosedSection) {
    const [, name = '', at = '0'] = unclosedSection;
    return unclosedSectionError(template, name, Number(at));
  }
  const unopened = /^Unopened section "(.*)" at (\d+)$/s.exec(message);
  if (unopened) {
    const [, name = '', at = '0'] = unopened;
    return new TemplateError(
      `{{/${name}}} closes a section that was never opened`,
      lineAt(template, Number(at)),
    );
  }
  const unclosedTag = /^Unclosed tag at (\d+)$/.exec(message);
  if (unclosedTag) {
    const at = unclosedTagStart(template) ?? Number(unclosedTag[1]);
    return new TemplateError(
      'a tag opened with "{{" is never closed with "}}"',
      lineAt(template, at),
    );
  }
  const delimiters = template.search(/\{\{=/);
  return new TemplateError(message, lineAt(template, Math.max(delimiters, 0)));
}

function unclosedSectionError(template: string, name: string, at: number): TemplateError {
  // Mustache reports either the end of the template (the section is never closed) or the
  // position of a closing tag that does not match the innermost open section.
  const closing = /^\{\{\s*\/\s*(.*?)\s*\}\}/s.exec(template.slice(at));
  if (closing && at < template.length) {
    return new TemplateError(
      `{{/${closing[1] ?? ''}}} does not match the open section {{#${name}}}; close that first`,
      lineAt(template, at),
    );
  }
  const opener = lastOpener(template, name);
  return new TemplateError(
    `section {{#${name}}} is never closed (add {{/${name}}})`,
    lineAt(template, opener ?? at),
  );
}

/** Where the last `{{#name}}` / `{{^name}}` starts (default delimiters), if it can be found. */
function lastOpener(template: string, name: string): number | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`\\{\\{\\s*[#^]\\s*${escaped}\\s*\\}\\}`, 'g');
  let last: number | undefined;
  for (const match of template.matchAll(pattern)) last = match.index;
  return last;
}

/** The `{{` that is never closed, scanning tags the way Mustache does with default delimiters. */
function unclosedTagStart(template: string): number | undefined {
  if (template.includes('{{=')) return undefined; // custom delimiters: trust Mustache's position
  let position = 0;
  for (;;) {
    const open = template.indexOf('{{', position);
    if (open < 0) return undefined;
    const closer = template.startsWith('{{{', open) ? '}}}' : '}}';
    const close = template.indexOf(closer, open + 2);
    if (close < 0) return open;
    position = close + closer.length;
  }
}

/** Throws a `TemplateError` for a partial (`{{> name}}`): there are none to include. */
function rejectPartials(template: string, tokens: TemplateSpans): void {
  for (const token of tokens) {
    if (token[0] === '>') {
      throw new TemplateError(
        `partials ({{> ${token[1]}}}) are not supported: put the text in the template`,
        lineAt(template, token[2]),
      );
    }
    const children = token[4];
    if (Array.isArray(children)) rejectPartials(template, children);
  }
}

/** The 1-based line of `index` in `template`. */
export function lineAt(template: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < template.length; i++) if (template[i] === '\n') line++;
  return line;
}
