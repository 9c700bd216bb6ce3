/**
 * The message step: from the message settings and the template view to the notification body
 * HipChat receives — template chosen and rendered, cut to fit, coloured, optionally with a card.
 */
import type { Summary } from '../inputs/summary.js';
import type { TemplateView } from '../context/view.js';
import type { Color, MessageFormat, NotificationBody } from '../hipchat/types.js';
import { render, unknownVariables } from './template.js';
import { truncate } from './truncate.js';
import { defaultTemplate } from './builtin.js';
import { buildCard } from './card.js';
import { MAX_MESSAGE_LENGTH } from '../hipchat/types.js';
import { runDetails } from '../whole-run/details.js';
import { NO_SECRETS } from '../text/secrets.js';
import type { Redactor } from '../text/secrets.js';
import { notifies } from '../inputs/notify.js';
import type { NotifyRule } from '../inputs/notify.js';

/** Where a template author finds every variable (the docs of the major version in use). */
const VARIABLES_URL =
  'https://github.com/hipchat-notify/hipchat-notify/blob/v2/docs/templates.md#template-variables';

/** What the message step reads of the inputs (main.ts passes them). */
export interface MessageSettings {
  /** The template ('' for the built-in message), and where it came from, for warnings. */
  template: string;
  templateSource: string;
  format: MessageFormat;
  color: Color | 'auto';
  /** `notify`: always, never, or on these outcomes. */
  notify: NotifyRule;
  from: string;
  card: boolean;
  /** `summary: run`: each failed job under the built-in headline. */
  summary: Summary;
  /** `attach-to`: the id of the message this one answers ('' for none). */
  attachTo: string;
}

/** `color: auto`: the job's outcome decides (`started` and words without an outcome: yellow). */
export function resolveColor(
  color: MessageSettings['color'],
  outcome: TemplateView['outcome'],
): Color {
  if (color !== 'auto') return color;
  switch (outcome) {
    case 'success':
      return 'green';
    case 'failure':
      return 'red';
    case 'cancelled':
      return 'gray';
    default:
      return 'yellow';
  }
}

/** A built message and the warnings met while building it. */
export interface BuiltMessage {
  body: NotificationBody;
  warnings: string[];
}

/** `@here` or `@all` written as a word (not inside an address such as ops@all.example). */
const ROOM_MENTION = /(?<![\w@.])@(here|all)\b/i;

/** What a template author should hear about their template before it is sent. */
function templateWarnings(settings: MessageSettings, view: TemplateView): string[] {
  const warnings: string[] = [];
  const where =
    settings.templateSource === 'template'
      ? '`template`'
      : `\`template-file\` '${settings.templateSource}'`;
  const unknown = unknownVariables(settings.template, view);
  if (unknown.length > 0) {
    const names = unknown.map((u) => `{{${u.name}}} (line ${u.line})`).join(', ');
    warnings.push(
      `${where} names ${unknown.length === 1 ? 'a variable' : 'variables'} the workflow context does not have, rendered empty: ${names}. Check the spelling; every variable: ${VARIABLES_URL}`,
    );
  }
  const mention = ROOM_MENTION.exec(settings.template);
  if (mention && settings.format === 'html') {
    warnings.push(
      `${where} writes @${mention[1]}, but with \`format: html\` HipChat shows it as plain text and notifies nobody. Use \`format: text\` for mentions to ping the room.`,
    );
  }
  return warnings;
}

/** Builds the notification body; never throws for content (inputs were validated already). */
export function buildMessage(
  settings: MessageSettings,
  view: TemplateView,
  secrets: Redactor = NO_SECRETS,
): BuiltMessage {
  const warnings: string[] = [];
  // Attached to the notification it answers: the built-in words say only what happened since.
  const followUp = settings.attachTo !== '';
  const template = settings.template || defaultTemplate(view, settings.format, followUp);
  if (settings.template) warnings.push(...templateWarnings(settings, view));
  let rendered = render(template, view, settings.format);
  if (!settings.template && settings.summary === 'run') {
    // The built-in run summary: each failed job under the headline, fitted to what is left.
    const attempt = Number(view.github.run_attempt) || 1;
    const room = MAX_MESSAGE_LENGTH - rendered.length;
    rendered += runDetails(view.jobs, attempt, settings.format, room, view.jobs_note);
  }
  const cut = truncate(rendered, settings.format, MAX_MESSAGE_LENGTH, secrets);
  if (cut.truncated) {
    warnings.push(
      `The message was ${cut.originalLength} characters long; HipChat accepts at most 10,000, so it was cut to fit (marked at the end).`,
    );
  }
  let message = cut.message;
  if (!message.trim()) {
    // HipChat refuses an empty message; say so instead of failing on a 400 per room.
    warnings.push('The template rendered an empty message; sending the built-in message instead.');
    message = truncate(
      render(defaultTemplate(view, settings.format, followUp), view, settings.format),
      settings.format,
      MAX_MESSAGE_LENGTH,
      secrets,
    ).message;
  }
  const body: NotificationBody = {
    message,
    color: resolveColor(settings.color, view.outcome),
    message_format: settings.format,
    // `notify: failure, fixed`: this outcome (and the previous run's) decides.
    notify: notifies(settings.notify, view.status, view.previous_status),
  };
  if (settings.from) body.from = settings.from;
  if (settings.attachTo) body.attach_to = settings.attachTo;
  if (settings.card) {
    body.card = buildCard(view, {
      message,
      format: settings.format,
      durationSeconds: knownDurationSeconds(view),
      secrets,
      followUp,
    });
  }
  return { body, warnings };
}

/**
 * How long the run the card is about took, when that is known without asking anyone: a
 * completed `workflow_run` payload carries the upstream run's `run_started_at` and `updated_at`
 * (when it completed). A job cannot see its own start time, so other events have no duration.
 */
function knownDurationSeconds(view: TemplateView): number | undefined {
  if (view.github.event_name !== 'workflow_run') return undefined;
  const run = view.github.event['workflow_run'];
  if (typeof run !== 'object' || run === null) return undefined;
  const { status, run_started_at: started, updated_at: updated } = run as Record<string, unknown>;
  if (status !== 'completed' || typeof started !== 'string' || typeof updated !== 'string') {
    return undefined;
  }
  const seconds = (Date.parse(updated) - Date.parse(started)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
