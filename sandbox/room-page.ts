/**
 * `GET /_sandbox/room?room=CI`: a room's history as a page, the way a client that supports
 * `attach_to` shows it: every message in time order, and a notification attached to another
 * shown under it, indented, instead of on its own. Messages are rendered as HipChat renders
 * them (its html subset, or text), by the preview's sanitizer; the page runs no script and
 * loads nothing.
 */

import type { Room } from './defaults.ts';
import type { HistoryItem } from './history.ts';
import { escapeHtml, renderTextMessage, sanitizeMessageHtml } from '../scripts/lib/hipchat-html.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const BARS: Readonly<Record<string, string>> = {
  yellow: '#f6c342',
  green: '#14892c',
  red: '#d04437',
  purple: '#654982',
  gray: '#707070',
};

const CSS = `
body { margin: 0; font: 14px/1.45 "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif; color: #333; }
header { padding: 10px 20px; background: #205081; color: #fff; font-weight: bold; }
main { padding: 12px 20px; max-width: 820px; }
.item { position: relative; padding: 6px 10px 6px 16px; margin: 0 0 8px; border-radius: 3px; background: #f7f7f7; }
.item .bar { position: absolute; left: 0; top: 0; bottom: 0; width: 5px; border-radius: 3px 0 0 3px; background: #ccc; }
.item .who { font-size: 12px; color: #707070; }
.item .who b { color: #333; }
.replies { margin: 6px 0 0 18px; padding-left: 10px; border-left: 2px solid #ccc; }
.replies .item { background: #fff; }
.text { white-space: pre-wrap; }
.id { font: 11px monospace; color: #999; margin-left: 6px; }
.empty { color: #707070; }
`;

/** Who posted an item, as the room shows it. */
function who(item: HistoryItem): string {
  if (typeof item.from !== 'string') return `<b>${escapeHtml(item.from.name)}</b>`;
  const label = item.from ? ` <span>${escapeHtml(item.from)}</span>` : '';
  return `<b>Notification</b>${label}`;
}

function renderItem(item: HistoryItem, replies: readonly HistoryItem[]): string {
  const body =
    item.messageFormat === 'text'
      ? `<div class="text">${renderTextMessage(item.message)}</div>`
      : `<div>${sanitizeMessageHtml(item.message)}</div>`;
  const bar = BARS[item.color ?? ''] ?? '#ccc';
  const nested = replies.length
    ? `<div class="replies" data-testid="replies">${replies.map((r) => renderItem(r, [])).join('')}</div>`
    : '';
  return [
    `<div class="item" data-testid="item" data-id="${escapeHtml(item.id)}">`,
    `<div class="bar" style="background: ${bar}"></div>`,
    `<div class="who">${who(item)} · ${new Date(item.time).toISOString()}<span class="id">${escapeHtml(item.id)}</span></div>`,
    body,
    nested,
    '</div>',
  ].join('');
}

/** The page of `room`'s history (`items` oldest first): attached items under their parent. */
export function roomPage(room: Room, items: readonly HistoryItem[]): string {
  const replies = new Map<string, HistoryItem[]>();
  for (const item of items) {
    if (item.attachedTo === undefined) continue;
    replies.set(item.attachedTo, [...(replies.get(item.attachedTo) ?? []), item]);
  }
  const top = items.filter((item) => item.attachedTo === undefined);
  const rows = top.map((item) => renderItem(item, replies.get(item.id) ?? [])).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>Sandbox room ${escapeHtml(room.name)}</title>
<style>${CSS}</style>
</head>
<body>
<header># ${escapeHtml(room.name)} <small>(room ${room.id}, HipChat sandbox)</small></header>
<main>${rows || '<p class="empty">No messages yet.</p>'}</main>
</body>
</html>
`;
}
