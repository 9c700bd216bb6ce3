/**
 * The forms of a secret that the runner masks in its own log, and that therefore must not reach
 * the sinks that are ours (the message, outputs, step summary): the secret itself, its base64
 * in each of the three alignments it can take inside a longer base64 text (and base64url), and
 * its URL encoding. A token usually travels as `x-access-token:<token>` in Basic auth, so that
 * pair's forms are included for every secret. Pure.
 */

/** Secrets shorter than this get no encoded forms: their encodings would blank ordinary words. */
const ENCODED_FROM = 8;

/** Every form of `secret` worth searching for, the secret first. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  if (secret.length >= ENCODED_FROM) {
    for (const value of [secret, `x-access-token:${secret}`]) {
      for (const form of base64Forms(value)) forms.add(form);
      const url = encodeURIComponent(value);
      forms.add(url);
      forms.add(url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()));
    }
  }
  return [...forms].filter((form) => form.length >= Math.min(secret.length, ENCODED_FROM));
}

/**
 * The base64 and base64url of `value` as it appears inside any longer base64 text: for each of
 * the three byte offsets it may start at, the characters that depend on its bytes alone.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: string[] = [];
  for (let skip = 0; skip < 3 && skip < bytes.length; skip++) {
    // Starting `skip` bytes in puts the rest on a 3-byte boundary: its characters are its own.
    const rest = bytes.subarray(skip);
    const whole = Math.floor(rest.length / 3) * 4 + (rest.length % 3);
    const encoded = rest.toString('base64').slice(0, whole);
    forms.push(encoded, encoded.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}
