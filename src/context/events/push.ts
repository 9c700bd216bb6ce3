/** `push`: the build alert, as every run says it (the commit title is the head commit's). */
import type { EventKind } from './kind.js';
import { runSpec } from './run-message.js';

export const push: EventKind<undefined> = {
  name: 'push',
  matches: (eventName) => eventName === 'push',
  part: undefined,
  message: (view) => runSpec(view),
};
