/**
 * The pieces a built-in message is made of, and how they are written out as a Mustache template
 * per format. Literals are ours, so they never contain `{{`; every fact is a `{{variable}}`, so
 * it goes through `render` with the same escaping and mention defusing as a user's template.
 */
import { escapeHtml } from '../../text/html.js';
import type { MessageFormat } from '../../hipchat/types.js';

/** A piece of a built-in message, rendered per format by `emit`. */
export type Piece =
  | string
  | { readonly variable: string }
  | { readonly tag: 'b' | 'code'; readonly body: readonly Piece[] }
  | { readonly href: string; readonly body: readonly Piece[] }
  | { readonly only: MessageFormat; readonly body: readonly Piece[] };

/** A built-in message before it is written out as a template. */
export interface Spec {
  headline: Piece[];
  /** Name of the view variable holding the link to act on, and its html label. */
  link?: Link;
  /** Further links, after it. */
  also?: Link[];
}

/** A link line: the view variable holding the URL, and its html label. */
export interface Link {
  url: string;
  label: Piece[];
}

/** A view variable, written out as `{{name}}`: a fact goes through `render`'s escaping. */
export function variable(name: string): Piece {
  return { variable: name };
}

export function bold(...body: Piece[]): Piece {
  return { tag: 'b', body };
}

export function code(...body: Piece[]): Piece {
  return { tag: 'code', body };
}

/** A link in html; just its text in `text`, where the link line carries the URL. */
export function link(href: string, ...body: Piece[]): Piece {
  return { href, body };
}

/**
 * Quotes in text, where they set a commit title apart (typographic ones, so a title with its own
 * "quotes" still reads right); html sets it apart without them.
 */
export function quoted(body: Piece): Piece[] {
  return [{ only: 'text', body: ['“'] }, body, { only: 'text', body: ['”'] }];
}

export function joinWith(separator: Piece): (group: Piece[], index: number) => Piece[] {
  return (group, index) => (index === 0 ? group : [separator, ...group]);
}

/** Write pieces out as template source. */
export function emit(pieces: readonly Piece[], format: MessageFormat): string {
  return pieces.map((piece) => emitPiece(piece, format)).join('');
}

function emitPiece(piece: Piece, format: MessageFormat): string {
  if (typeof piece === 'string') return format === 'html' ? escapeHtml(piece) : piece;
  if ('variable' in piece) return `{{${piece.variable}}}`;
  if ('only' in piece) return piece.only === format ? emit(piece.body, format) : '';
  const body = emit(piece.body, format);
  if (format === 'text') return body;
  if ('href' in piece) return `<a href="{{${piece.href}}}">${body}</a>`;
  return `<${piece.tag}>${body}</${piece.tag}>`;
}
