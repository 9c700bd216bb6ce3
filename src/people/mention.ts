/**
 * `mention: author` and `private-message`: on a failure, who the message names (a live
 * `@mention` only in text, only when resolved), where a private message goes, and the notices
 * that say why nobody was pinged. Pure apart from the `Lookup` it is given.
 */
import type { PersonValue } from '../context/view.js';
import type { Outcome } from '../inputs/status.js';
import type { MessageFormat } from '../hipchat/types.js';
import type { Mention } from '../inputs/inputs.js';
import { personValue } from '../message/template.js';
import type { Author } from './author.js';
import { findAuthor, readsAuthor } from './author.js';
import type { Lookup, Resolution } from './resolve.js';
import { resolveAuthor } from './resolve.js';
import type { UsersMap } from '../inputs/users.js';

/** The inputs this step reads. */
export interface MentionSettings {
  mention: Mention;
  privateMessage: boolean;
  format: MessageFormat;
  users: UsersMap;
}

/** What the run knows of itself that this step needs. */
export interface RunFacts {
  eventName: string;
  event: Record<string, unknown>;
  outcome: Outcome;
}

/** Who to name and message, and what to tell the log. */
export interface MentionPlan {
  /** `{{mention}}` for the view; absent when the message names nobody. */
  person?: PersonValue;
  /** The author and how they were resolved, when someone was looked for. */
  resolution?: Resolution;
  /** Where the private message goes (`{id_or_email}`), '' for none. */
  messageTo: string;
  /** Notices for the log (each said once): why nobody is pinged, html. */
  notices: string[];
  /** Progress for the log: who was found and how. */
  info: string[];
}

/** Whether this run looks for the author at all: only on a failure, only when asked. */
export function wantsAuthor(settings: MentionSettings, outcome: Outcome): boolean {
  return outcome === 'failure' && (settings.mention === 'author' || settings.privateMessage);
}

/**
 * Plans the mention and the private message. Success, cancelled and skipped runs name nobody;
 * bots, noreply addresses and unresolved people are named in plain text with one notice; html
 * names the person without a ping and says so once. The directory is asked only when a ping or
 * a private message can come of it.
 */
export async function planMention(
  settings: MentionSettings,
  run: RunFacts,
  lookup: Lookup,
): Promise<MentionPlan> {
  const plan: MentionPlan = { messageTo: '', notices: [], info: [] };
  if (!wantsAuthor(settings, run.outcome)) return plan;
  const author = readsAuthor(run.eventName) ? findAuthor(run.eventName, run.event) : undefined;
  if (author === undefined) {
    plan.notices.push(
      `${asked(settings)}: the ${run.eventName || 'unknown'} event names no author of a change (push, pull_request and workflow_run do), so nobody is mentioned.`,
    );
    return plan;
  }
  const html = settings.format === 'html';
  if (html && !settings.privateMessage) {
    plan.person = personValue(nameOf(author));
    plan.notices.push(htmlNotice(plan.person.name));
    return plan;
  }
  const resolution = await resolveAuthor(author, settings.users, lookup);
  plan.resolution = resolution;
  plan.messageTo = settings.privateMessage ? resolution.messageTo : '';
  const pinged = resolution.mentionName !== '';
  if (settings.mention === 'author') {
    plan.person = personValue(resolution.name, html ? '' : resolution.mentionName);
    if (html) plan.notices.push(htmlNotice(resolution.name));
  }
  if (pinged) plan.info.push(`${asked(settings)}: ${resolution.how}`);
  else {
    const what = settings.mention === 'author' ? 'named without a ping' : 'sent no private message';
    plan.notices.push(`${asked(settings)}: ${resolution.name} is ${what}: ${resolution.how}`);
  }
  return plan;
}

function asked(settings: MentionSettings): string {
  return settings.mention === 'author' ? '`mention: author`' : '`private-message`';
}

function nameOf(author: Author): string {
  return author.name || author.login;
}

function htmlNotice(name: string): string {
  return `\`mention: author\` with \`format: html\`: HipChat pings only in text messages, so ${name} is named without a ping. Set \`format: text\` to ping them.`;
}
