/**
 * The run's secrets and the one way text leaves the action without them.
 *
 * Untrusted text — every answer a server sends (before anything cuts a snippet out of it) and
 * the event's text in the posted message — passes through `redactUntrusted`: a server may echo
 * the first half of a token, so besides whole secrets every run of at least `FRAGMENT`
 * characters that also occurs in a secret is replaced. Every sink (log lines, annotations,
 * outputs, the step summary) then passes through `redact`, for whole secrets: the action's own
 * words may share a run with a readable secret (`oauth-secret` in `sandbox-oauth-secret`),
 * and only untrusted text can carry a piece of one.
 */

/**
 * Shortest run of a secret's characters that is redacted on its own, and the shortest secret
 * that is searched for in pieces at all (shorter ones count only whole). A HipChat token is 40
 * random characters: 12 of them left in a text leave nothing guessable, and a run of 12 that a
 * random token shares with ordinary text does not happen — while 5 or 6 would blank words.
 */
export const FRAGMENT = 12;
const PIECEWISE = 16;

/** What replaces a secret or a fragment of one. */
export const REDACTED = '***';

/** A growing set of secrets (the add-on token joins once minted). */
export class Secrets {
  readonly #values = new Set<string>();

  /** Adds a secret (and each line of a multi-line one, as the runner masks line by line). */
  add(secret: string): void {
    if (!secret) return;
    this.#values.add(secret);
    const lines = secret.split(/\r?\n/).map((line) => line.trim());
    if (lines.length > 1) for (const line of lines) if (line) this.#values.add(line);
  }

  /** The secrets, longest first. */
  list(): string[] {
    return [...this.#values].sort((a, b) => b.length - a.length);
  }

  /** `text` with every secret, and every fragment of one, replaced by `***`. */
  redactUntrusted(text: string): string {
    return redact(text, this.list());
  }

  /** `text` with every whole secret replaced by `***`, longest first. */
  redact(text: string): string {
    return this.list().reduce((out, secret) => out.split(secret).join(REDACTED), text);
  }

  /** Whether `text` still holds a secret or a fragment of one. */
  holds(text: string): boolean {
    return covered(text, this.list()).some(Boolean);
  }
}

/** Marks the characters of `text` that belong to a secret or a fragment of one. */
function covered(text: string, secrets: readonly string[]): boolean[] {
  const marks = new Array<boolean>(text.length).fill(false);
  for (const secret of secrets) {
    const size = secret.length < PIECEWISE ? secret.length : FRAGMENT;
    const grams = new Set<string>();
    for (let i = 0; i + size <= secret.length; i++) grams.add(secret.slice(i, i + size));
    for (const gram of grams) {
      for (let at = text.indexOf(gram); at >= 0; at = text.indexOf(gram, at + 1)) {
        marks.fill(true, at, at + size);
      }
    }
  }
  return marks;
}

/**
 * `text` with every secret and every fragment of one (a run of `FRAGMENT` or more characters
 * that also occurs in a secret) replaced by `***`, adjacent pieces as one.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const live = secrets.filter(Boolean);
  if (live.length === 0 || !text) return text;
  const marks = covered(text, live);
  if (!marks.includes(true)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (!marks[i]) out += text[i];
    else if (i === 0 || !marks[i - 1]) out += REDACTED;
  }
  return out;
}

/** Every string in `value` (objects and arrays walked) redacted as untrusted: the posted message. */
export function redactDeep<T>(value: T, secrets: Secrets): T {
  if (typeof value === 'string') return secrets.redactUntrusted(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, secrets)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)]),
    ) as T;
  }
  return value;
}
