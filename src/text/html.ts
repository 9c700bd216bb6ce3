/**
 * HTML escaping, shared by everything that writes HTML: templates (`{{x}}` in `html`), the
 * built-in messages' own words, card fields and the step summary. A module of its own, so the
 * built-in templates can use it without a cycle through template.ts.
 */

/** Escape the five characters that matter in HTML text and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
