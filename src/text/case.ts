/** Case of text in sentences the action writes. */

/** `text` with its first character in upper case: a clause that starts a sentence. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
