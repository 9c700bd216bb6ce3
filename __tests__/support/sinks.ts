/**
 * Every place a step's text ends up where a person or a later step can read it, and a check that
 * no secret is there whole or in part. Shared by the hostile end-to-end tests and the fuzzing
 * suite, so both hold the action to the same definition of "leaked".
 */
import type { StepResult } from '../../scripts/lib/action-runner.ts';

/** Shortest piece of a secret that counts as a leak (secrets under 16 count only whole). */
export const FRAGMENT = 12;

/** The log (masking commands aside), stderr, every output and the step summary. */
export function allSinks(
  result: Pick<StepResult, 'stdout' | 'stderr' | 'outputs' | 'summary'>,
): string[] {
  const log = result.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return [log, result.stderr, result.summary, ...Object.values(result.outputs)];
}

/**
 * The pieces of `secrets` (at least `FRAGMENT` characters, or a whole shorter secret) found in
 * `texts`, as `secret#index: piece`; empty when nothing leaked.
 */
export function fragmentsOf(texts: readonly string[], secrets: readonly string[]): string[] {
  const found: string[] = [];
  secrets.forEach((secret, index) => {
    if (!secret) return;
    const size = secret.length < 16 ? secret.length : FRAGMENT;
    const pieces = new Set<string>();
    for (let i = 0; i + size <= secret.length; i++) pieces.add(secret.slice(i, i + size));
    for (const text of texts) {
      for (let i = 0; i + size <= text.length; i++) {
        const piece = text.slice(i, i + size);
        if (pieces.has(piece)) {
          found.push(`secret#${index}: ${piece}`);
          break;
        }
      }
    }
  });
  return found;
}

/**
 * The forms of `secret` that the runner masks in its own log and that must reach none of ours:
 * its base64 as it appears inside a longer base64 text, at each of the three byte alignments
 * (only the characters that depend on the secret alone), the same in base64url, and its URL
 * encoding. (`x-access-token:<secret>` in base64 holds one of these.)
 */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>();
  for (const pad of ['', 'a', 'ab']) {
    const b64 = Buffer.from(pad + secret).toString('base64');
    // The first group mixes the padding's bytes in; the last one the next text's.
    const body = b64.slice(pad ? 4 : 0, b64.length - 4);
    forms.add(body);
    forms.add(body.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  forms.add(encodeURIComponent(secret));
  return [...forms].filter((form) => form.length >= 16 && form !== secret);
}
