/**
 * What happened to what, for the events without a module of their own: the payload's `action`
 * and its subject — an issue, pull request or discussion (number and title), a check run (its
 * name), a ref (and whether branch or tag), a merge group (its head), a dispatch (its type), a
 * commit status (its context and state). `{{subject.*}}`, and the words the generic message
 * puts in its parentheses: `(issue #7 “Something is broken” opened, 9f8e7d6)`.
 *
 * Every payload word that becomes one of our literals (the action, a state, a ref type) is
 * checked against a small pattern first; titles and names stay view variables, escaped and
 * defused by the template, on one bounded line.
 */
import { pageUrl } from '../../whole-run/jobs.js';
import type { ViewPart, ViewWith } from './kind.js';
import { clean, record, text } from './payload.js';
import { link, quoted, variable } from './pieces.js';
import type { Piece } from './pieces.js';

/** `{{subject.*}}`: '' and 0 where the event has no such thing. */
export interface SubjectView {
  /** The payload's `action` (`opened`, `checks requested`…), underscores as spaces. */
  action: string;
  /** What the event is about: `issue`, `pull request`, `discussion`, `check run`, `tag`… */
  what: string;
  number: number;
  /** Its title or name: an issue's title, a check run's name, a ref, a dispatch's type. */
  name: string;
  /** A state it reports: a check's conclusion, a review's or a commit status's state. */
  state: string;
  /** Its page. */
  url: string;
}

const EMPTY: SubjectView = { action: '', what: '', number: 0, name: '', state: '', url: '' };

/** A word of GitHub's vocabulary (`opened`, `checks_requested`), as words; '' for anything else. */
function word(value: string): string {
  return /^[a-z][a-z_]{0,39}$/.test(value) ? value.replace(/_/g, ' ') : '';
}

/** A title or name: one line, at most 120 characters. */
function name(value: string): string {
  const flat = clean(value);
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}

/** A page of the subject: https only, as every link a message shows (pageUrl normalises it). */
function httpsPage(value: string): string {
  const url = pageUrl(value);
  return url.startsWith('https://') ? url : '';
}

function numberOf(value: unknown): number {
  const n = typeof value === 'number' ? value : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

type Json = Record<string, unknown>;

/** An issue, pull request or discussion (`key` of the payload). */
function thread(event: Json, key: string, what: string): Partial<SubjectView> {
  const item = record(event, key);
  const isPr = key === 'issue' && Object.keys(record(item, 'pull_request')).length > 0;
  return {
    what: isPr ? 'PR' : what,
    number: numberOf(item['number']),
    name: name(text(item, 'title')),
    url: httpsPage(text(item, 'html_url')),
  };
}

/** The subject of each event that has one, beyond its action. */
const SUBJECTS: Readonly<Record<string, (event: Json) => Partial<SubjectView>>> = {
  issues: (e) => thread(e, 'issue', 'issue'),
  issue_comment: (e) => thread(e, 'issue', 'issue'),
  discussion: (e) => thread(e, 'discussion', 'discussion'),
  discussion_comment: (e) => thread(e, 'discussion', 'discussion'),
  check_run: (e) => {
    const run = record(e, 'check_run');
    return {
      what: 'check run',
      name: name(text(run, 'name')),
      state: word(text(run, 'conclusion') || text(run, 'status')),
      url: httpsPage(text(run, 'html_url')),
    };
  },
  check_suite: (e) => {
    const suite = record(e, 'check_suite');
    return {
      what: 'check suite',
      name: name(text(record(suite, 'app'), 'name')),
      state: word(text(suite, 'conclusion') || text(suite, 'status')),
    };
  },
  create: (e) => ref(e, 'created'),
  delete: (e) => ref(e, 'deleted'),
  merge_group: (e) => ({
    what: 'merge group',
    name: name(text(record(e, 'merge_group'), 'head_ref').replace(/^refs\/heads\//, '')),
  }),
  // A dispatch's `action` is the type its sender chose: anyone's text, so a name, not a word.
  repository_dispatch: (e) => ({ what: 'dispatch', name: name(text(e, 'action')), action: '' }),
  status: (e) => ({
    what: 'commit status',
    name: name(text(e, 'context')),
    state: word(text(e, 'state')),
    url: httpsPage(text(e, 'target_url')),
  }),
  pull_request_review: (e) => ({
    what: 'review',
    state: word(text(record(e, 'review'), 'state').toLowerCase()),
    url: httpsPage(text(record(e, 'review'), 'html_url')),
  }),
};

/** `create` and `delete`: the ref, and whether it is a branch or a tag. */
function ref(event: Json, action: string): Partial<SubjectView> {
  const type = text(event, 'ref_type');
  return {
    what: type === 'branch' || type === 'tag' ? type : 'ref',
    name: name(text(event, 'ref')),
    action,
  };
}

/** Read for every run (empty for events without an action or a subject), so always there. */
export const subjectPart: ViewPart<'subject', SubjectView> = {
  key: 'subject',
  shape: EMPTY,
  read(event, eventName) {
    const own = Object.hasOwn(SUBJECTS, eventName) ? SUBJECTS[eventName]!(event) : {};
    return { ...EMPTY, action: word(text(event, 'action')), ...own };
  },
};

type View = ViewWith<typeof subjectPart>;

/** `#7 “Something is broken”`, the number linked to the subject's page in html. */
function numbered(view: View): Piece[] {
  const s = view.subject;
  const number: Piece[] = ['#', variable('subject.number')];
  const pieces: Piece[] = [s.what, ' ', ...(s.url ? [link('subject.url', ...number)] : number)];
  if (s.name) pieces.push(' ', ...quoted(variable('subject.name')));
  return pieces;
}

/** `“lint”`, linked to the subject's page in html. */
function named(view: View): Piece[] {
  const s = view.subject;
  const quotedName = quoted(variable('subject.name'));
  return s.url ? [link('subject.url', ...quotedName)] : quotedName;
}

/**
 * What happened to what, for the generic message's parentheses; the event's name (and its
 * action) when it has no subject the action can name.
 */
export function subjectPhrase(view: View): Piece[] {
  const s = view.subject;
  const event = view.github.event_name;
  const action = s.action ? ` ${s.action}` : '';
  const state = s.state ? [': ', variable('subject.state')] : [];
  if (s.number > 0) {
    if (event.endsWith('_comment')) return [`comment${action} on `, ...numbered(view)];
    return [...numbered(view), action];
  }
  if (s.name) {
    if (s.what === 'branch' || s.what === 'tag' || s.what === 'ref' || s.what === 'merge group') {
      return [`${s.what} `, variable('subject.name'), action];
    }
    if (s.what === 'dispatch') return ['dispatch ', ...named(view)];
    return [`${s.what} `, ...named(view), action, ...state];
  }
  if (s.what && s.what !== 'review') return [s.what, action, ...state];
  return event ? [variable('github.event_name'), action] : [];
}
