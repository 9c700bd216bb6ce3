/**
 * Answer headers as the rest of the action reads them, for HipChat and the GitHub API alike.
 * Pure: it only reshapes what undici parsed (undici bounds the header block's size).
 */

/**
 * undici's headers as one plain map: names lower-cased, a repeated header's values joined with
 * `, ` (as HTTP allows for a list), an absent value left out.
 */
export function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  // No prototype: a header named `constructor` or `__proto__` is a header like any other here.
  const out = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
