/**
 * The preview page: one self-contained HTML file (inline CSS, no script, no network) that shows
 * a notification the way a HipChat room does — the colour bar, the sender and `from` label, the
 * message (html: HipChat's safe subset rendered; text: URLs linked), the card when there is one
 * with the message below it as the fallback, and the facts and warnings a template author needs.
 *
 * A Content-Security-Policy forbids every script and every load from the network, on top of the
 * sanitizer: a `<script>` smuggled in through a commit message can do nothing here.
 */
import type { Card, CardAttribute, Color, NotificationBody } from '../../src/hipchat/types.ts';
import type { Preview } from './preview-build.ts';
import {
  decodeEntities,
  escapeHtml,
  renderTextMessage,
  safeUrl,
  sanitizeCardHtml,
  sanitizeMessageHtml,
} from './hipchat-html.ts';

/** The colour bar (and its light tint) for each HipChat colour, close to HipChat's web client. */
const COLOR_BARS: Readonly<Record<Color, { bar: string; tint: string }>> = {
  yellow: { bar: '#f6c342', tint: '#fffae6' },
  green: { bar: '#14892c', tint: '#e9f6ec' },
  red: { bar: '#d04437', tint: '#fbeceb' },
  purple: { bar: '#654982', tint: '#f1edf6' },
  gray: { bar: '#707070', tint: '#f2f2f2' },
  random: { bar: '#3b73af', tint: '#ffffff' },
};

/** Name shown as the sender: a room notification token's label, as a room admin would set it. */
const SENDER_NAME = 'GitHub Actions';

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #333; font: 14px/1.45 "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif; }
.room-header { display: flex; align-items: center; gap: 10px; padding: 10px 20px; background: #205081; color: #fff; }
.room-header .room { font-weight: bold; font-size: 15px; }
.room-header .hint { opacity: .8; font-size: 12px; margin-left: auto; }
main { padding: 16px 20px 8px; max-width: 820px; }
.notification { position: relative; display: flex; gap: 12px; padding: 10px 12px 10px 18px; margin: 0 0 12px; border-radius: 3px; }
.notification .bar { position: absolute; left: 0; top: 0; bottom: 0; width: 6px; border-radius: 3px 0 0 3px; }
.avatar { flex: none; width: 32px; height: 32px; border-radius: 3px; background: #24292f; color: #fff; font-weight: bold; font-size: 12px; display: flex; align-items: center; justify-content: center; }
.content { min-width: 0; flex: 1; }
.sender { font-size: 13px; margin-bottom: 3px; }
.sender .name { font-weight: bold; color: #333; }
.sender .from { color: #707070; margin-left: 6px; }
.sender .notify { color: #d04437; margin-left: 6px; font-size: 12px; }
.message { word-wrap: break-word; overflow-wrap: anywhere; }
.message.format-text { white-space: pre-wrap; }
.message a, .card a { color: #3b73af; text-decoration: none; }
.message a:hover, .card a:hover { text-decoration: underline; }
.message code, .message pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; background: rgba(0,0,0,.06); border-radius: 3px; padding: 0 3px; }
.message pre { padding: 6px 8px; white-space: pre-wrap; }
.message table { border-collapse: collapse; } .message td, .message th { border: 1px solid #ccc; padding: 2px 6px; }
.message .mention { background: #3b73af; color: #fff; border-radius: 3px; padding: 0 3px; }
.message .img-placeholder { display: inline-block; border: 1px dashed #999; border-radius: 3px; padding: 0 4px; color: #707070; font-size: 12px; }
.card { background: #fff; border: 1px solid #ccc; border-radius: 3px; padding: 10px 12px; max-width: 560px; }
.card-title { font-weight: bold; font-size: 15px; margin-bottom: 2px; }
.card-description { color: #333; margin-bottom: 8px; }
.card-attributes { display: grid; grid-template-columns: repeat(auto-fill, minmax(110px, 1fr)); gap: 6px 16px; margin: 0; }
.card-attributes div { min-width: 0; }
.card-attributes dt { color: #707070; font-size: 11px; text-transform: uppercase; letter-spacing: .03em; }
.card-attributes dd { margin: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.lozenge { display: inline-block; border-radius: 3px; padding: 1px 5px; font-size: 11px; font-weight: bold; line-height: 16px; text-transform: uppercase; color: #333; background: #ccc; border: 1px solid #ccc; }
.lozenge-success { background: #14892c; border-color: #14892c; color: #fff; }
.lozenge-error { background: #d04437; border-color: #d04437; color: #fff; }
.lozenge-current { background: #f6c342; border-color: #f6c342; color: #594300; }
.lozenge-complete { background: #4a6785; border-color: #4a6785; color: #fff; }
.lozenge-moved { background: #815b3a; border-color: #815b3a; color: #fff; }
.fallback-label { font-size: 12px; color: #707070; margin: 14px 0 4px; }
.replies { margin: -4px 0 12px 44px; padding-left: 12px; border-left: 3px solid #ccc; }
.replies-label { font-size: 12px; color: #707070; margin: 0 0 6px; }
.facts { color: #707070; font-size: 12px; padding: 0 20px 12px; max-width: 820px; }
.facts span + span::before { content: " · "; }
.warnings { margin: 0 20px 16px; max-width: 780px; padding: 8px 12px; border: 1px solid #f6c342; background: #fffae6; border-radius: 3px; font-size: 13px; }
.warnings ul { margin: 4px 0 0; padding-left: 18px; }
`;

/** The message body as HipChat renders it, for its format. */
function renderMessageBody(message: string, format: string): string {
  return format === 'text' ? renderTextMessage(message) : sanitizeMessageHtml(message);
}

/** A card field's plain text (tags dropped, entities decoded), for a tooltip. */
function cardFieldText(html: string): string {
  return decodeEntities(sanitizeCardHtml(html).replace(/<[^>]*>/g, ''));
}

// HipChat renders a, b, i, strong and span in the title and labels of a card: the action sends
// them HTML-escaped, and they are shown here as HipChat would draw them.
function renderAttribute(attribute: CardAttribute): string {
  const { value } = attribute;
  const label = sanitizeCardHtml(value.label);
  let shown = label;
  if (value.style) {
    shown = `<span class="lozenge ${escapeHtml(value.style)}">${label}</span>`;
  } else if (value.url && safeUrl(value.url)) {
    shown = `<a href="${escapeHtml(value.url)}" target="_blank" rel="noopener noreferrer">${label}</a>`;
  }
  return `<div><dt>${sanitizeCardHtml(attribute.label)}</dt><dd title="${escapeHtml(cardFieldText(value.label))}">${shown}</dd></div>`;
}

/** A card as HipChat's `application` card (medium format) looks. */
function renderCard(card: Card): string {
  const url = card.url ? safeUrl(card.url) : undefined;
  const title = sanitizeCardHtml(card.title);
  const titleHtml = url
    ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${title}</a>`
    : title;
  let description = '';
  if (typeof card.description === 'string') description = escapeHtml(card.description);
  else if (card.description?.format === 'html')
    description = sanitizeCardHtml(card.description.value);
  else if (card.description) description = escapeHtml(card.description.value);
  const attributes = (card.attributes ?? []).map(renderAttribute).join('');
  return [
    `<div class="card card-${escapeHtml(card.style)}" data-testid="card">`,
    `<div class="card-title">${titleHtml}</div>`,
    description ? `<div class="card-description">${description}</div>` : '',
    attributes ? `<dl class="card-attributes">${attributes}</dl>` : '',
    '</div>',
  ].join('');
}

function notificationRow(body: NotificationBody, inner: string, testId: string): string {
  const colors = COLOR_BARS[body.color];
  const bar =
    body.color === 'random'
      ? 'background: linear-gradient(#d04437, #f6c342, #14892c, #3b73af, #654982)'
      : `background: ${colors.bar}`;
  const from = body.from ? `<span class="from">${escapeHtml(body.from)}</span>` : '';
  const notify = body.notify
    ? '<span class="notify" title="notify: true">🔔 alerts the room</span>'
    : '';
  return [
    `<div class="notification color-${body.color}" data-testid="${testId}" style="background: ${colors.tint}">`,
    `<div class="bar" data-testid="color-bar" style="${bar}"></div>`,
    '<div class="avatar" aria-hidden="true">GH</div>',
    '<div class="content">',
    `<div class="sender"><span class="name">${escapeHtml(SENDER_NAME)}</span>${from}${notify}</div>`,
    inner,
    '</div></div>',
  ].join('');
}

/** A notification as the room shows it: its card (and the fallback message), or its message. */
function notificationRows(
  body: NotificationBody,
  testId = 'notification',
  fallback = true,
): string {
  const message = `<div class="message format-${body.message_format}" data-testid="message">${renderMessageBody(body.message, body.message_format)}</div>`;
  if (!body.card) return notificationRow(body, message, testId);
  if (!fallback) return notificationRow(body, renderCard(body.card), testId);
  return (
    notificationRow(body, renderCard(body.card), testId) +
    '<div class="fallback-label">Clients that cannot show cards show the message instead:</div>' +
    notificationRow(body, message, 'fallback')
  );
}

/**
 * The rows of the preview: the notification, or with a parent (`attach-to`), the parent and the
 * notification under it, indented, as clients that support `attach_to` show a follow-up.
 */
function previewRows(preview: Preview): string {
  if (!preview.parent) return notificationRows(preview.body);
  return [
    notificationRows(preview.parent, 'parent', false),
    '<div class="replies" data-testid="follow-up">',
    '<div class="replies-label">Attached to it (<code>attach-to</code>); clients without follow-ups show it on its own:</div>',
    notificationRows(preview.body),
    '</div>',
  ].join('');
}

/** The whole preview page. */
export function previewPage(preview: Preview): string {
  const { body } = preview;
  const rows = previewRows(preview);
  const facts = [
    `event: ${preview.eventName}`,
    `status: ${preview.status || '(none)'}`,
    preview.view.previous_status ? `previous: ${preview.view.previous_status}` : '',
    `colour: ${body.color}`,
    `format: ${body.message_format}`,
    `${body.message.length} characters`,
    body.card ? 'card: yes' : '',
    preview.parent ? 'follow-up: attached to the start note' : '',
  ].filter(Boolean);
  const problems = [...preview.warnings, ...preview.cardProblems.map((p) => `Card schema: ${p}`)];
  const warnings = problems.length
    ? `<section class="warnings" data-testid="warnings"><b>Warnings the action would log</b><ul>${problems
        .map((w) => `<li>${escapeHtml(w)}</li>`)
        .join('')}</ul></section>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HipChat preview — ${escapeHtml(preview.eventName)}, ${escapeHtml(preview.status || 'no status')}</title>
<style>${CSS}</style>
</head>
<body>
<header class="room-header"><span class="room"># CI</span><span class="hint">hipchat-notify preview · nothing was sent</span></header>
<main>${rows}</main>
<div class="facts" data-testid="facts">${facts.map((f) => `<span>${escapeHtml(f)}</span>`).join('')}</div>
${warnings}
</body>
</html>
`;
}
