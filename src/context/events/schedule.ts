/** `schedule`: a scheduled run, which nobody triggered. */
import type { EventKind } from './kind.js';
import { runSpec } from './run-message.js';

export const schedule: EventKind<undefined> = {
  name: 'schedule',
  matches: (eventName) => eventName === 'schedule',
  part: undefined,
  // No one triggered it: github.actor is whoever last edited the cron line.
  message: (view) => runSpec(view, { prefix: 'scheduled run of ', byActor: false }),
  // Nor does the card name one.
  anonymous: true,
};
