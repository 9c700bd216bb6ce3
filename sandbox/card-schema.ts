/**
 * The HipChat card schema (as shipped by the Jenkins hipchat-plugin, see the API notes),
 * checked by hand so that every problem names the exact field path.
 */

/** Card styles HipChat draws. */
const CARD_STYLES = ['file', 'image', 'application', 'link', 'media'] as const;
/** Card formats. */
const CARD_FORMATS = ['compact', 'medium'] as const;
/** Styles of a card attribute value. */
const LOZENGE_STYLES = [
  'lozenge-success',
  'lozenge-error',
  'lozenge-current',
  'lozenge-complete',
  'lozenge-moved',
  'lozenge',
] as const;
/** Most attributes a card may carry. */
const MAX_CARD_ATTRIBUTES = 10;

/** A list of problems, each `"<path>: <what is wrong>"`. */
type Problems = string[];

/** Length in characters (code points), as HipChat counts, not UTF-16 units. */
function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** Describes a JSON value for messages: `"blue"`, `42`, `an array`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks an optional (or, with `required`, mandatory) string of `min`–`max` characters. */
export function checkString(
  problems: Problems,
  path: string,
  value: unknown,
  rule: { min: number; max?: number; required?: boolean },
): void {
  if (value === undefined) {
    if (rule.required === true) problems.push(`${path}: required`);
    return;
  }
  if (typeof value !== 'string') {
    problems.push(`${path}: must be a string, got ${describe(value)}`);
    return;
  }
  const length = charLength(value);
  if (length < rule.min || (rule.max !== undefined && length > rule.max)) {
    const range = rule.max === undefined ? `at least ${rule.min}` : `${rule.min}–${rule.max}`;
    problems.push(`${path}: must be ${range} characters long, got ${length}`);
  }
}

/** Checks an optional (or mandatory) value against a list of accepted strings. */
export function checkEnum(
  problems: Problems,
  path: string,
  value: unknown,
  accepted: readonly string[],
  required = false,
): void {
  if (value === undefined) {
    if (required) problems.push(`${path}: required`);
    return;
  }
  if (typeof value !== 'string' || !accepted.includes(value)) {
    problems.push(`${path}: must be one of ${accepted.join(', ')}; got ${describe(value)}`);
  }
}

function checkUrl(problems: Problems, path: string, value: unknown, required = false): void {
  if (value === undefined) {
    if (required) problems.push(`${path}: required`);
    return;
  }
  if (typeof value !== 'string' || !URL.canParse(value)) {
    problems.push(`${path}: must be an absolute URL, got ${describe(value)}`);
  }
}

function checkObject(
  problems: Problems,
  path: string,
  value: unknown,
): value is Record<string, unknown> {
  if (isObject(value)) return true;
  problems.push(`${path}: must be an object, got ${describe(value)}`);
  return false;
}

/** An icon is a URL or `{url, url@2x?}`. */
function checkIcon(problems: Problems, path: string, value: unknown): void {
  if (value === undefined || typeof value === 'string') {
    checkUrl(problems, path, value);
    return;
  }
  if (!checkObject(problems, path, value)) return;
  checkUrl(problems, `${path}.url`, value.url, true);
  checkUrl(problems, `${path}['url@2x']`, value['url@2x']);
}

function checkDimension(problems: Problems, path: string, value: unknown): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) {
    problems.push(`${path}: must be a whole number ≥ 0, got ${describe(value)}`);
  }
}

function checkDescription(problems: Problems, path: string, value: unknown): void {
  if (value === undefined || typeof value === 'string') {
    checkString(problems, path, value, { min: 1, max: 1000 });
    return;
  }
  if (!isObject(value)) {
    problems.push(`${path}: must be a string or {value, format}, got ${describe(value)}`);
    return;
  }
  checkString(problems, `${path}.value`, value.value, { min: 1, max: 1000, required: true });
  checkEnum(problems, `${path}.format`, value.format, ['html', 'text'], true);
}

function checkAttributes(problems: Problems, path: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    problems.push(`${path}: must be an array, got ${describe(value)}`);
    return;
  }
  if (value.length > MAX_CARD_ATTRIBUTES) {
    problems.push(`${path}: at most ${MAX_CARD_ATTRIBUTES} attributes, got ${value.length}`);
  }
  value.forEach((attribute: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!checkObject(problems, at, attribute)) return;
    checkString(problems, `${at}.label`, attribute.label, { min: 1, max: 50 });
    if (attribute.value === undefined) {
      problems.push(`${at}.value: required`);
      return;
    }
    if (!checkObject(problems, `${at}.value`, attribute.value)) return;
    const v = attribute.value;
    checkString(problems, `${at}.value.label`, v.label, { min: 1, required: true });
    checkUrl(problems, `${at}.value.url`, v.url);
    checkEnum(problems, `${at}.value.style`, v.style, LOZENGE_STYLES);
    checkIcon(problems, `${at}.value.icon`, v.icon);
  });
}

/**
 * Validates a HipChat card. Returns every problem found, each starting with the field path
 * (`card.attributes[2].value.style: must be one of …`); an empty list means the card is valid.
 * Unknown fields are ignored, as JSON-schema validation without `additionalProperties` does.
 */
export function validateCard(card: unknown, path = 'card'): string[] {
  const problems: Problems = [];
  if (!checkObject(problems, path, card)) return problems;
  checkEnum(problems, `${path}.style`, card.style, CARD_STYLES, true);
  checkString(problems, `${path}.title`, card.title, { min: 1, max: 500, required: true });
  checkString(problems, `${path}.id`, card.id, { min: 1 });
  checkUrl(problems, `${path}.url`, card.url);
  checkEnum(problems, `${path}.format`, card.format, CARD_FORMATS);
  checkDescription(problems, `${path}.description`, card.description);
  if (card.thumbnail !== undefined && checkObject(problems, `${path}.thumbnail`, card.thumbnail)) {
    const t = card.thumbnail;
    checkUrl(problems, `${path}.thumbnail.url`, t.url, true);
    checkUrl(problems, `${path}.thumbnail['url@2x']`, t['url@2x']);
    checkDimension(problems, `${path}.thumbnail.width`, t.width);
    checkDimension(problems, `${path}.thumbnail.height`, t.height);
  }
  if (card.activity !== undefined && checkObject(problems, `${path}.activity`, card.activity)) {
    checkString(problems, `${path}.activity.html`, card.activity.html, { min: 1, required: true });
    checkIcon(problems, `${path}.activity.icon`, card.activity.icon);
  }
  checkIcon(problems, `${path}.icon`, card.icon);
  checkAttributes(problems, `${path}.attributes`, card.attributes);
  return problems;
}
