/**
 * What HipChat does to a message before a person sees it, for the preview page:
 * - `html` messages keep only HipChat's safe subset (hipchat-api.md): `a` (http/https/mailto
 *   href), `b`, `i`, `strong`, `em`, `br`, `img`, `pre`, `code`, lists, tables, and `span` with a
 *   few style properties. Everything else is dropped — its text kept, except inside `script`,
 *   `style` and the like, whose content goes too. No attribute other than those survives, so no
 *   event handler (`onerror=…`) and no `javascript:` link reaches the page.
 * - `text` messages are shown as written, with URLs linked and live @mentions highlighted.
 *
 * A small tokenizer, not a full HTML parser: it only has to be safe (every byte it emits is
 * either escaped text or a tag it built itself from the allow-list) and close to what the room
 * shows. Pure functions; no DOM needed.
 */

/** Tags HipChat renders in an `html` message, with the attributes each may keep. */
const MESSAGE_TAGS: Readonly<Record<string, readonly string[]>> = {
  a: ['href'],
  b: [],
  i: [],
  strong: [],
  em: [],
  br: [],
  img: ['src', 'alt'],
  pre: [],
  code: [],
  ul: [],
  ol: [],
  li: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  td: [],
  th: [],
  span: ['style'],
};

/** Tags HipChat renders inside card fields (description in html format, activity). */
const CARD_TAGS: Readonly<Record<string, readonly string[]>> = {
  a: ['href'],
  b: [],
  i: [],
  strong: [],
  span: ['style'],
};

/** Elements whose content is never shown: dropped with the tags. */
const DROPPED_WITH_CONTENT = new Set([
  'script',
  'style',
  'template',
  'textarea',
  'title',
  'iframe',
  'object',
  'noscript',
  'noembed',
  'noframes',
  'xmp',
  'svg',
  'math',
]);

const VOID_TAGS = new Set(['br', 'img']);

/** `span` style properties kept (the "few" HipChat allows), with a conservative value check. */
const STYLE_PROPERTIES = new Set([
  'color',
  'background-color',
  'font-weight',
  'font-style',
  'text-decoration',
]);
const SAFE_STYLE_VALUE = /^[#\w\s.,%()-]+$/;

/** Escapes text for an HTML text node or a double-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes the entities a browser would in an attribute value (the common named ones, numeric). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (entity, name: string) => {
    if (name[0] !== '#') return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
    const hex = name[1] === 'x' || name[1] === 'X';
    const code = hex ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** A web or mail link that is safe in an `href`, or `undefined` (`javascript:`, `data:`, relative…). */
export function safeUrl(
  raw: string,
  schemes: readonly string[] = ['http:', 'https:'],
): string | undefined {
  // Browsers ignore control characters and spaces inside a scheme: `java\tscript:` is javascript:.
  const url = decodeEntities(raw).trim();
  const compact = url.replace(/[\p{Cc} ]/gu, '').toLowerCase();
  return schemes.some((scheme) => compact.startsWith(scheme)) ? url : undefined;
}

// `<name attrs>` or `</name>`; quoted attribute values may contain `>`.
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/y;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Text between tags, made safe: `<`/`>` escaped, a bare `&` escaped, real entities kept. */
function safeText(text: string): string {
  return text
    .replace(/&(?!(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);)/gi, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = (match[1] ?? '').toLowerCase();
    if (!attributes.has(name)) attributes.set(name, match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

function safeStyle(style: string): string {
  const kept: string[] = [];
  for (const declaration of decodeEntities(style).split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration.slice(colon + 1).trim();
    if (!STYLE_PROPERTIES.has(property) || !SAFE_STYLE_VALUE.test(value)) continue;
    if (/url|expression|var/i.test(value)) continue;
    kept.push(`${property}: ${value}`);
  }
  return kept.join('; ');
}

/** The opening tag we emit for an allowed element, built from scratch. */
function openingTag(
  name: string,
  attributes: Map<string, string>,
  allowed: readonly string[],
): string {
  if (name === 'img') {
    // The preview never loads anything from the network: an image is shown as a labelled
    // placeholder with its address, so the author still sees where it goes.
    const src = safeUrl(attributes.get('src') ?? '', ['http:', 'https:']);
    const alt = decodeEntities(attributes.get('alt') ?? '');
    const label = alt || 'image';
    return `<span class="img-placeholder" title="${escapeHtml(src ?? '(no valid src)')}">🖼 ${escapeHtml(label)}</span>`;
  }
  let out = `<${name}`;
  if (allowed.includes('href')) {
    const href = safeUrl(attributes.get('href') ?? '', ['http:', 'https:', 'mailto:']);
    if (href) out += ` href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer"`;
  }
  if (allowed.includes('style')) {
    const style = safeStyle(attributes.get('style') ?? '');
    if (style) out += ` style="${escapeHtml(style)}"`;
  }
  return `${out}>`;
}

function sanitize(html: string, allowedTags: Readonly<Record<string, readonly string[]>>): string {
  let out = '';
  const open: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += safeText(html.slice(i));
      break;
    }
    out += safeText(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    TAG.lastIndex = lt;
    const match = TAG.exec(html);
    if (!match) {
      // `<` that starts no tag (`a < b`, `<!DOCTYPE`, `<?xml`): shown as text, like a browser.
      const declaration = /^<[!?][^>]*>/.exec(html.slice(lt));
      if (declaration) {
        i = lt + declaration[0].length;
      } else {
        out += '&lt;';
        i = lt + 1;
      }
      continue;
    }
    i = lt + match[0].length;
    const closing = match[1] === '/';
    const name = (match[2] ?? '').toLowerCase();
    if (!closing && DROPPED_WITH_CONTENT.has(name)) {
      // Skip to the matching end tag (or the end): `<script>…</script>` leaves nothing.
      const end = new RegExp(`</${name}\\s*>`, 'ig');
      end.lastIndex = i;
      const close = end.exec(html);
      i = close ? close.index + close[0].length : html.length;
      continue;
    }
    const allowed = Object.hasOwn(allowedTags, name) ? allowedTags[name] : undefined;
    if (!allowed) continue; // unknown tag: dropped, its text stays
    if (closing) {
      const at = open.lastIndexOf(name);
      if (at < 0) continue; // a stray closer must not close the page's own elements
      while (open.length > at) out += `</${open.pop()}>`;
      continue;
    }
    out += openingTag(name, parseAttributes(match[3] ?? ''), allowed);
    if (!VOID_TAGS.has(name)) open.push(name);
  }
  while (open.length > 0) out += `</${open.pop()}>`;
  return out;
}

/** An `html` message as HipChat renders it: only the safe subset, balanced, no script. */
export function sanitizeMessageHtml(html: string): string {
  return sanitize(html, MESSAGE_TAGS);
}

/** HTML inside a card field: only `a`, `b`, `i`, `strong`, `span`. */
export function sanitizeCardHtml(html: string): string {
  return sanitize(html, CARD_TAGS);
}

// A URL as HipChat auto-links it in text; trailing punctuation is the sentence's, not the URL's.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]+/gi;
// A live mention: `@name` not preceded by a word character and not defused (U+2060 after `@`).
const MENTION = /(?<![\p{L}\p{N}_])@(?!\u2060)([\p{L}\p{N}_]+)/gu;

function highlightMentions(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    out += escapeHtml(text.slice(last, match.index));
    out += `<span class="mention" title="pings ${escapeHtml(match[0])}">${escapeHtml(match[0])}</span>`;
    last = match.index + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** A `text` message as HipChat shows it: escaped, URLs linked, live @mentions marked. */
export function renderTextMessage(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const url = match[0].replace(/[.,;:!?'")\]]+$/, '');
    out += highlightMentions(text.slice(last, match.index));
    out += `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return out + highlightMentions(text.slice(last));
}

/**
 * The readable text of an `html` message for a terminal: tags dropped (`<br>` and list items
 * become line breaks), entities decoded; each link's address is listed after the text.
 */
export function htmlToTerminalText(html: string): string {
  const links: string[] = [];
  const text = sanitizeMessageHtml(html)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li>/gi, '\n• ')
    .replace(/<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_all, href: string, label: string) => {
      const shown = decodeEntities(label.replace(/<[^>]*>/g, ''));
      links.push(`  ${shown} → ${decodeEntities(href)}`);
      return label;
    })
    .replace(/<[^>]*>/g, '');
  const lines = [decodeEntities(text)];
  if (links.length > 0) lines.push('links:', ...links);
  return lines.join('\n');
}
