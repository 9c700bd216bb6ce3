/** Validation of a room notification body, with HipChat's rules and defaults. */

import { checkEnum, checkString, describe, validateCard } from './card-schema.ts';

/** Colours HipChat accepts. */
const COLORS = ['yellow', 'green', 'red', 'purple', 'gray', 'random'] as const;
/** Values of `message_format`. */
export const MESSAGE_FORMATS = ['html', 'text'] as const;

/** A notification as HipChat stores it: the body with the server defaults filled in. */
export interface NormalizedNotification {
  message: string;
  color: string;
  messageFormat: 'html' | 'text';
  notify: boolean;
  from?: string;
  attachTo?: string;
  card?: Record<string, unknown>;
}

/** Either the first problem (HipChat reports one at a time) or the normalized notification. */
export type NotificationCheck =
  { ok: true; notification: NormalizedNotification } | { ok: false; problem: string };

/**
 * Validates a parsed JSON body of `POST /v2/room/{id_or_name}/notification`. Problems name
 * the field (`color: must be one of …`); fields HipChat does not know are ignored.
 */
export function validateNotification(body: unknown): NotificationCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problem: `Request body must be a JSON object, got ${describe(body)}` };
  }
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  checkString(problems, 'message', b.message, { min: 1, max: 10_000, required: true });
  checkEnum(problems, 'color', b.color, COLORS);
  checkEnum(problems, 'message_format', b.message_format, MESSAGE_FORMATS);
  if (b.notify !== undefined && typeof b.notify !== 'boolean') {
    problems.push(`notify: must be true or false, got ${describe(b.notify)}`);
  }
  checkString(problems, 'from', b.from, { min: 0, max: 64 });
  checkString(problems, 'attach_to', b.attach_to, { min: 0, max: 36 });
  if (b.card !== undefined) problems.push(...validateCard(b.card));
  const [problem] = problems;
  if (problem !== undefined) return { ok: false, problem };

  const notification: NormalizedNotification = {
    message: b.message as string,
    color: (b.color as string | undefined) ?? 'yellow',
    // HipChat's default format is html, not text: the action must be explicit.
    messageFormat: (b.message_format as 'html' | 'text' | undefined) ?? 'html',
    notify: (b.notify as boolean | undefined) ?? false,
  };
  if (b.from !== undefined) notification.from = b.from as string;
  if (b.attach_to !== undefined) notification.attachTo = b.attach_to as string;
  if (b.card !== undefined) notification.card = b.card as Record<string, unknown>;
  return { ok: true, notification };
}
