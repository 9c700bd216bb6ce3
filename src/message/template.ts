/**
 * Messages from templates: render a Mustache template over the view, safely for the format,
 * fit the result into HipChat's limit, and check templates before anything is sent.
 *
 * Safety rules, all enforced here and nowhere else:
 * - `{{x}}` is HTML-escaped in `html`; in `text` it is inserted as-is except that @mentions in
 *   the value are defused, so a PR title cannot ping the room. `{{{x}}}` / `{{& x}}` is verbatim.
 * - The one live mention is a person value made by `personValue` (the `{{mention}}` variable):
 *   `@mention_name` in `text` only when the action resolved that person itself; their name,
 *   escaped or defused, in every other case (html, unresolved), whichever brace form is used.
 * - Lookups see own data properties of the view only: no prototypes (`constructor`,
 *   `__proto__`), no functions called, no environment (the view holds none).
 */
import Mustache from 'mustache';
import type { RenderOptions } from 'mustache';
import type { PersonValue, TemplateView } from '../context/view.js';
import type { MessageFormat } from '../hipchat/types.js';
import { defaultTemplate } from './builtin.js';
import { escapeHtml } from '../text/html.js';
import { partShapes } from '../context/events/registry.js';
import { lineAt, parseTemplate } from '../inputs/template-syntax.js';
import type { TemplateTokens } from '../inputs/template-syntax.js';
import { defuseMentions, isMentionName } from '../text/mentions.js';

/**
 * How each person value renders per format. Held outside the object, so no value copied from
 * an event or a server (plain JSON) can pass for one: only `personValue` makes entries.
 */
const PERSON_RENDERINGS = new WeakMap<object, Record<MessageFormat, string>>();

/**
 * A person for the view's `{{mention}}`: with a valid `mentionName` it renders as a live
 * `@mentionName` in `text`; without one (unresolved, a bot) as `name` with mentions defused.
 * In `html`, where HipChat never pings, it is always `name`, escaped. `name` is untrusted.
 */
export function personValue(name: string, mentionName = ''): PersonValue {
  const live = mentionName !== '' && isMentionName(mentionName);
  const value: PersonValue = Object.freeze({ name, mention_name: live ? mentionName : '' });
  PERSON_RENDERINGS.set(value, {
    text: live ? `@${mentionName}` : defuseMentions(name),
    html: escapeHtml(name),
  });
  return value;
}

/**
 * Render `template` over `view` for HipChat's `format`.
 * Throws a `TemplateError` (with the line) when the template is malformed.
 */
export function render(template: string, view: TemplateView, format: MessageFormat): string {
  const tokens = parseTemplate(template);
  const options: RenderOptions = { escape: format === 'html' ? escapeValueHtml : escapeValueText };
  const shared = writer();
  shared.format = format;
  return shared.renderTokens(
    tokens as string[][],
    new SafeContext(view),
    undefined,
    template,
    options,
  );
}

/** The built-in message for this view: `render(defaultTemplate(view, format), view, format)`. */
export function renderDefault(view: TemplateView, format: MessageFormat): string {
  return render(defaultTemplate(view, format), view, format);
}

function escapeValueHtml(value: unknown): string {
  return personText(value, 'html') ?? escapeHtml(stringify(value));
}

function escapeValueText(value: unknown): string {
  return personText(value, 'text') ?? defuseMentions(stringify(value));
}

function personText(value: unknown, format: MessageFormat): string | undefined {
  return typeof value === 'object' && value !== null
    ? PERSON_RENDERINGS.get(value)?.[format]
    : undefined;
}

/**
 * What a value looks like in a message: numbers and booleans as written, objects and arrays
 * as JSON (`{{github.event.inputs}}` is more useful that way than `[object Object]`).
 */
function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value) ?? '';
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Lookups

interface Hit {
  found: boolean;
  value: unknown;
}

const MISS: Hit = { found: false, value: undefined };

/**
 * Resolve a dotted `name` inside one view, through own properties of objects and arrays only.
 * A function is treated as absent: the view is data, nothing in it is ever called.
 */
function resolveIn(view: unknown, name: string): Hit {
  let current = view;
  for (const part of name.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, part)) {
      return MISS;
    }
    current = (current as Record<string, unknown>)[part];
  }
  return typeof current === 'function' ? MISS : { found: true, value: current };
}

/**
 * Mustache's context stack with safe lookups. Like Mustache, a name is tried in the innermost
 * section's view first and then outward (a dotted name must resolve whole within one view);
 * unlike stock Mustache it never follows prototypes (`{{constructor}}`, `{{x.__proto__}}`)
 * and never calls a function.
 */
class SafeContext extends Mustache.Context {
  override push(view: unknown): SafeContext {
    return new SafeContext(view, this);
  }

  override lookup(name: string): unknown {
    if (name === '.') return typeof this.view === 'function' ? undefined : this.view;
    const hit = resolveIn(this.view, name);
    if (hit.found) return hit.value;
    return this.parent ? this.parent.lookup(name) : undefined;
  }
}

/**
 * `{{{x}}}` renders objects as JSON too (stock Mustache would print `[object Object]`), and a
 * person value exactly as `{{x}}` would: its name comes from outside and is never verbatim.
 */
class SafeWriter extends Mustache.Writer {
  /** The format of the render under way (renders are synchronous, one at a time). */
  format: MessageFormat = 'html';

  override unescapedValue(token: string[], context: Mustache.Context): string {
    const value = context.lookup(token[1] ?? '');
    return personText(value, this.format) ?? stringify(value);
  }
}

let sharedWriter: SafeWriter | undefined;

/**
 * One writer for the process, made on first use. Its template cache is off: Mustache would
 * otherwise keep every distinct template string forever, and parsing a notification template
 * costs microseconds. A private writer also leaves the global `Mustache` untouched.
 */
function writer(): SafeWriter {
  if (!sharedWriter) {
    sharedWriter = new SafeWriter();
    Object.assign(sharedWriter, { templateCache: undefined });
  }
  return sharedWriter;
}

// ---------------------------------------------------------------------------------------------
// Unknown variables

/** A name the template uses that the view does not have, with its 1-based line. */
export interface UnknownVariable {
  name: string;
  line: number;
}

interface Frame {
  /** Candidate views (several for a section over an array: one per element). */
  views: unknown[];
  /** Values taken from the event payload, whose keys vary by event. */
  payload: boolean;
  /** Inside a section that cannot render for this run: names there cannot be checked. */
  opaque: boolean;
}

/**
 * Names in `template` that resolve to nothing in `view`: typos like `{{github.repostory}}`.
 * Resolution follows Mustache (and `render`): inside `{{#pull_request}}…{{/pull_request}}` a name
 * is tried in the pull request first, then outward; dotted names and `.` are understood.
 * View fields are checked against the view's shape (`{{pull_request.title}}` is known on a push),
 * `github.event.*` against the actual payload. Section tags (`{{#…}}`, `{{^…}}`) over payload
 * keys are not reported when absent: testing for a key that only some events carry is their
 * purpose. Throws a `TemplateError` when the template is malformed.
 */
export function unknownVariables(template: string, view: TemplateView): UnknownVariable[] {
  const tokens = parseTemplate(template);
  // The event kinds' parts have a known shape even on runs that lack them: `{{#release}}` in a
  // template shared by push and release runs is not a typo, but `{{release.tga}}` is.
  const shaped = { ...partShapes(), ...definedParts(view) };
  const found: UnknownVariable[] = [];
  const seen = new Set<string>();
  const report = (name: string, index: number): void => {
    const line = lineAt(template, index);
    const key = `${line}\n${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ name, line });
  };
  checkTokens(tokens, [{ views: [shaped], payload: false, opaque: false }], report);
  return found;
}

/** The view without the keys a run lacks (an absent part is `undefined` nowhere, but be sure). */
function definedParts(view: TemplateView): Record<string, unknown> {
  return Object.fromEntries(Object.entries(view).filter(([, value]) => value !== undefined));
}

type Report = (name: string, index: number) => void;

function checkTokens(tokens: TemplateTokens, stack: Frame[], report: Report): void {
  for (const token of tokens) {
    const [type, name, start] = token;
    const children = Array.isArray(token[4]) ? token[4] : [];
    if (type === 'name' || type === '&') {
      if (name !== '.' && !find(stack, name).found && !isOpaque(stack)) report(name, start);
    } else if (type === '#' || type === '^') {
      const hit =
        name === '.' ? { found: true, value: undefined, payload: false } : find(stack, name);
      const payloadScoped = isPayloadName(name) || stack.some((frame) => frame.payload);
      if (!hit.found && !payloadScoped && !isOpaque(stack)) report(name, start);
      const inner = type === '#' ? sectionStack(stack, hit) : stack;
      checkTokens(children, inner, report);
    }
  }
}

/** The stack the children of `{{#name}}` are rendered with, as Mustache's renderSection does. */
function sectionStack(stack: Frame[], hit: Hit & { payload: boolean }): Frame[] {
  const value = hit.value;
  const opaqueFrame: Frame = { views: [], payload: true, opaque: true };
  if (!hit.found || value === null || value === undefined) return [...stack, opaqueFrame];
  if (Array.isArray(value)) {
    // An empty list renders nothing, and its elements' keys are unknowable.
    if (value.length === 0) return [...stack, opaqueFrame];
    return [...stack, { views: value, payload: hit.payload, opaque: false }];
  }
  if (typeof value === 'object') {
    return [...stack, { views: [value], payload: hit.payload, opaque: false }];
  }
  // Strings, numbers and booleans add nothing to look names up in.
  return stack;
}

function find(stack: Frame[], name: string): Hit & { payload: boolean } {
  for (let depth = stack.length - 1; depth >= 0; depth--) {
    const frame = stack[depth];
    if (!frame) continue;
    for (const view of frame.views) {
      const hit = resolveIn(view, name);
      if (hit.found) return { ...hit, payload: frame.payload || isPayloadName(name) };
    }
  }
  return { ...MISS, payload: false };
}

function isPayloadName(name: string): boolean {
  return name === 'github.event' || name.startsWith('github.event.');
}

function isOpaque(stack: Frame[]): boolean {
  return stack.some((frame) => frame.opaque);
}
