/**
 * The run's secrets and the one way text leaves the action without them.
 *
 * Untrusted text — every answer a server sends (before anything cuts a snippet out of it), the
 * event's text in the posted message, log lines and test reports — passes through
 * `redactUntrusted`: a server may echo the first half of a token, so besides whole secrets every
 * run of at least `FRAGMENT` characters that also occurs in a secret is replaced. Every sink (log
 * lines, annotations, outputs, the step summary) then passes through `redact`, for whole
 * secrets: the action's own words may share a run with a readable secret (`oauth-secret` in
 * `sandbox-oauth-secret`), and only untrusted text can carry a piece of one.
 *
 * Each secret counts in every form the runner masks (secret-forms.ts: base64 in three
 * alignments, base64url, URL encoding, and those of `x-access-token:<secret>`). The forms are
 * indexed once per set of secrets (SecretIndex), so a text is scanned in time linear in its
 * length whatever the number of secrets: a log of a million short lines costs no more with
 * secrets than without.
 */
import { secretForms } from './secret-forms.js';

/**
 * Shortest run of a secret's characters that is redacted on its own, and the shortest secret
 * that is searched for in pieces at all (shorter ones count only whole). A HipChat token is 40
 * random characters: 12 of them left in a text leave nothing guessable, and a run of 12 that a
 * random token shares with ordinary text does not happen — while 5 or 6 would blank words.
 */
export const FRAGMENT = 12;
const PIECEWISE = 16;
/** Shortest beginning of a secret removed where a cut ends a text (`trimEdge`). */
const EDGE = 4;

/** What replaces a secret or a fragment of one. */
export const REDACTED = '***';

/** Redaction as the fitting of text needs it (text/fit.ts). */
export interface Redactor {
  /** `text` without any secret, whole or in part, in any form. */
  redactUntrusted(text: string): string;
  /** `head` (a text cut short) without a secret's beginning at its end. */
  trimEdge(head: string): string;
}

/** A growing set of secrets (the add-on token joins once minted). */
export class Secrets implements Redactor {
  readonly #values = new Set<string>();
  #index: SecretIndex | undefined;

  /** Adds a secret (and each line of a multi-line one, as the runner masks line by line). */
  add(secret: string): void {
    if (!secret) return;
    this.#values.add(secret);
    const lines = secret.split(/\r?\n/).map((line) => line.trim());
    if (lines.length > 1) for (const line of lines) if (line) this.#values.add(line);
    this.#index = undefined;
  }

  /** The secrets, longest first. */
  list(): string[] {
    return [...this.#values].sort((a, b) => b.length - a.length);
  }

  /** `text` with every secret, and every fragment of one, in every form, replaced by `***`. */
  redactUntrusted(text: string): string {
    return this.#values.size === 0 ? text : this.#indexed().redact(text, true);
  }

  /** `text` with every whole secret, in every form, replaced by `***`. */
  redact(text: string): string {
    return this.#values.size === 0 ? text : this.#indexed().redact(text, false);
  }

  /** `head` with a secret's beginning (4 characters or more, any form) at its end replaced. */
  trimEdge(head: string): string {
    return this.#values.size === 0 ? head : this.#indexed().trimEdge(head);
  }

  /** Whether `text` still holds a secret or a fragment of one. */
  holds(text: string): boolean {
    return this.#values.size > 0 && this.#indexed().marks(text, true).includes(1);
  }

  #indexed(): SecretIndex {
    this.#index ??= new SecretIndex(this.list());
    return this.#index;
  }
}

/** No secrets: for callers that have none (the preview). */
export const NO_SECRETS: Redactor = { redactUntrusted: (text) => text, trimEdge: (head) => head };

/**
 * Every form of a set of secrets, indexed for scanning: whole forms by their first `FRAGMENT`
 * characters (shorter forms by length), the `FRAGMENT`-character runs of long forms, and the
 * beginnings of every form for `trimEdge`. Built once; each scan is one pass over the text.
 */
class SecretIndex {
  /** Long forms (≥ FRAGMENT) by their first FRAGMENT characters. */
  readonly #byHead = new Map<string, string[]>();
  /** Short forms by length. */
  readonly #short = new Map<number, Set<string>>();
  /** Every FRAGMENT-character run of a form of PIECEWISE characters or more. */
  readonly #grams = new Set<string>();
  /** Beginnings (EDGE characters or more, short of the whole) of every form. */
  readonly #heads = new Set<string>();
  #longestHead = 0;

  constructor(secrets: readonly string[]) {
    for (const form of new Set(secrets.filter(Boolean).flatMap(secretForms))) this.#addForm(form);
  }

  #addForm(form: string): void {
    if (form.length >= FRAGMENT) {
      const head = form.slice(0, FRAGMENT);
      this.#byHead.set(head, [...(this.#byHead.get(head) ?? []), form]);
    } else {
      const same = this.#short.get(form.length) ?? new Set<string>();
      this.#short.set(form.length, same.add(form));
    }
    if (form.length >= PIECEWISE) {
      for (let i = 0; i + FRAGMENT <= form.length; i++)
        this.#grams.add(form.slice(i, i + FRAGMENT));
    }
    for (let k = EDGE; k < form.length; k++) this.#heads.add(form.slice(0, k));
    this.#longestHead = Math.max(this.#longestHead, form.length - 1);
  }

  /** 1 for each character of `text` inside a form (or, with `fragments`, a run of one). */
  marks(text: string, fragments: boolean): Uint8Array {
    const marks = new Uint8Array(text.length);
    for (let i = 0; i + FRAGMENT <= text.length; i++) {
      const gram = text.slice(i, i + FRAGMENT);
      if (fragments && this.#grams.has(gram)) marks.fill(1, i, i + FRAGMENT);
      for (const form of this.#byHead.get(gram) ?? []) {
        if (text.startsWith(form, i)) marks.fill(1, i, i + form.length);
      }
    }
    for (const [size, forms] of this.#short) {
      for (let i = 0; i + size <= text.length; i++) {
        if (forms.has(text.slice(i, i + size))) marks.fill(1, i, i + size);
      }
    }
    return marks;
  }

  /** `text` with what `marks` covers replaced by `***`, adjacent pieces as one. */
  redact(text: string, fragments: boolean): string {
    if (!text) return text;
    const marks = this.marks(text, fragments);
    if (!marks.includes(1)) return text;
    let out = '';
    for (let i = 0; i < text.length; i++) {
      if (!marks[i]) out += text[i];
      else if (i === 0 || !marks[i - 1]) out += REDACTED;
    }
    return out;
  }

  /** `head` with the longest beginning of a form that ends it replaced by `***`. */
  trimEdge(head: string): string {
    for (let k = Math.min(this.#longestHead, head.length); k >= EDGE; k--) {
      if (this.#heads.has(head.slice(head.length - k))) return `${head.slice(0, -k)}${REDACTED}`;
    }
    return head;
  }
}

/**
 * `text` with every secret and every fragment of one (a run of `FRAGMENT` or more characters
 * that also occurs in a secret), in every form, replaced by `***`, adjacent pieces as one.
 * Indexes `secrets` on each call: hold a `Secrets` to scan many texts.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const live = secrets.filter(Boolean);
  if (live.length === 0 || !text) return text;
  return new SecretIndex(live).redact(text, true);
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
