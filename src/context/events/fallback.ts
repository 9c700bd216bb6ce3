/**
 * Any other event: the build alert, saying what happened to what (subject.ts) — the payload's
 * action and its subject (`issue #7 “Something is broken” opened`), else the event's name — so
 * the room knows what started the run.
 */
import type { EventKind } from './kind.js';
import { runSpec } from './run-message.js';
import { subjectPart, subjectPhrase } from './subject.js';

export const fallback: EventKind<typeof subjectPart> = {
  name: 'fallback',
  matches: () => true,
  part: subjectPart,
  message: (view) => {
    const phrase = subjectPhrase(view);
    return runSpec(view, { parens: phrase.length > 0 ? [phrase] : [] });
  },
  card: {
    subject: (view) => (view.subject.number > 0 ? `#${view.subject.number}` : ''),
    laterDescription: (view) => view.subject.name,
  },
};
