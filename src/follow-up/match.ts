/**
 * Finding our own notification in a room's history (`GET …/history/latest`): the answer is
 * outside text, so it is read defensively — bounded before it gets here, parsed without trust,
 * every id checked — and the match never guesses. Ours is the one item that is a
 * `notification`, carries our `from` label, was posted while this step ran (on the server's
 * clock, read from the answer's `Date` header, so the runner's clock does not matter), and
 * holds the same message, or the card whose random id this run chose. None, or more than one
 * (identical notifications of another step in the same moment), is no id and a reason.
 */
import { isHtmlPage, pageTitle } from '../hipchat/answer-body.js';
import { MESSAGE_ID } from '../inputs/follow-up.js';

/** Items looked at, at most, whatever the server sends: we ask for far fewer. */
const MAX_ITEMS = 1000;

/** Slack on each side of the window, for the server's own clocks (proxy vs application). */
const MARGIN_MS = 1000;

/** Without a `Date` header, the runner's clock stands in, with this much slack for drift. */
const LOCAL_MARGIN_MS = 120_000;

/** What identifies the notification this run posted. */
export interface Ours {
  message: string;
  /** The `from` label sent ('' for none: then any notification's label will do). */
  from: string;
  /** The card's id, when a card was sent: random per run, so it tells ours from a twin. */
  cardId?: string;
}

/** When this step ran, on the runner's clock: from its start to the history answer. */
export interface StepWindow {
  startMs: number;
  answeredMs: number;
}

/** The history answer, as the client read it (already bounded and redacted). */
export interface HistoryAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated?: boolean;
}

/** The id found, or why there is none (a sentence ending in a full stop). */
export type MatchResult = { id: string } | { reason: string };

/** A history item we know enough of: the fields we compare, all checked. */
interface Item {
  id: string;
  type: unknown;
  from: unknown;
  message: unknown;
  dateMs: number;
  cardId: string | undefined;
}

/** Finds `ours` in a 2xx history answer; never throws. */
export function findOurs(answer: HistoryAnswer, ours: Ours, step: StepWindow): MatchResult {
  const items = readItems(answer);
  if ('reason' in items) return items;
  const window = serverWindow(answer.headers, step);
  const matches = items.list.filter(
    (item) =>
      item.type === 'notification' &&
      (ours.from ? item.from === ours.from : typeof item.from === 'string') &&
      item.dateMs >= window.fromMs &&
      item.dateMs <= window.toMs &&
      sameContent(item, ours),
  );
  const looked = `the room's latest ${items.list.length} message${items.list.length === 1 ? '' : 's'}`;
  if (matches.length === 1) return { id: matches[0]!.id };
  if (matches.length === 0) {
    return {
      reason: `none of ${looked} is this notification (a notification${ours.from ? ` from '${ours.from}'` : ''}, posted during this step on ${window.clock}, with the same ${ours.cardId ? 'card' : 'message'}).`,
    };
  }
  return {
    reason: `${matches.length} notifications in ${looked} match this one (the same ${ours.cardId ? 'card' : 'message'}, posted during this step): it cannot be told which is this step's, so no id is given.${ours.cardId ? '' : ' With `card: true` each notification carries an id of its own.'}`,
  };
}

/** The items of the answer, each checked, or why the answer is not a history. */
function readItems(answer: HistoryAnswer): { list: Item[] } | { reason: string } {
  if (isHtmlPage(answer.headers, answer.body)) {
    return {
      reason: `the history answer (${answer.status}) is an HTML page${pageTitle(answer.body)}, not HipChat's: a login page or a proxy in front of the server?`,
    };
  }
  if (answer.truncated) {
    return { reason: `the history answer (${answer.status}) was cut short or too large to read.` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return { reason: `the history answer (${answer.status}) is not JSON.` };
  }
  const items = isObject(parsed) ? parsed.items : undefined;
  if (!Array.isArray(items)) {
    return { reason: `the history answer (${answer.status}) has no list of items.` };
  }
  const list: Item[] = [];
  for (const raw of items.slice(-MAX_ITEMS)) {
    const item = readItem(raw);
    if (item) list.push(item);
  }
  return { list };
}

/** One item, when its id is a plausible message id and its date a time; else undefined. */
function readItem(raw: unknown): Item | undefined {
  if (!isObject(raw)) return undefined;
  const { id, date } = raw;
  if (typeof id !== 'string' || !MESSAGE_ID.test(id)) return undefined;
  const dateMs = typeof date === 'string' && date.length <= 64 ? Date.parse(date) : Number.NaN;
  if (!Number.isFinite(dateMs)) return undefined;
  return {
    id,
    type: raw.type,
    from: raw.from,
    message: raw.message,
    dateMs,
    cardId: cardIdOf(raw.card),
  };
}

/** A card's id: the card as an object, or as the JSON text it was sent as. */
function cardIdOf(card: unknown): string | undefined {
  let value = card;
  if (typeof card === 'string' && card.length <= 20_000) {
    try {
      value = JSON.parse(card) as unknown;
    } catch {
      return undefined;
    }
  }
  return isObject(value) && typeof value.id === 'string' ? value.id : undefined;
}

/**
 * The same notification: with a card, the card's id decides (a twin's card has another id);
 * an item whose card is not ours is never ours. Else the message, exactly as sent.
 */
function sameContent(item: Item, ours: Ours): boolean {
  if (ours.cardId !== undefined && item.cardId !== undefined) return item.cardId === ours.cardId;
  return item.message === ours.message;
}

/**
 * The step's window on the server's clock: the answer's `Date` (whole seconds, taken as the
 * answer was made) back by the time the step has run, forward by a second. Without a usable
 * `Date`, the runner's clock with room for drift.
 */
function serverWindow(
  headers: Record<string, string>,
  step: StepWindow,
): { fromMs: number; toMs: number; clock: string } {
  const raw = headers['date'];
  const serverMs = raw !== undefined && raw.length <= 64 ? Date.parse(raw) : Number.NaN;
  const ranMs = Math.max(0, step.answeredMs - step.startMs);
  if (Number.isFinite(serverMs)) {
    return {
      fromMs: serverMs - ranMs - MARGIN_MS,
      toMs: serverMs + 1000 + MARGIN_MS,
      clock: "the server's clock",
    };
  }
  return {
    fromMs: step.startMs - LOCAL_MARGIN_MS,
    toMs: step.answeredMs + LOCAL_MARGIN_MS,
    clock: "the runner's clock (the answer had no Date header)",
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
