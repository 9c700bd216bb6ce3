/** Any other event: the build alert, naming the event so the room knows what started the run. */
import type { EventKind } from './kind.js';
import { variable } from './pieces.js';
import { runSpec } from './run-message.js';

export const fallback: EventKind<undefined> = {
  name: 'fallback',
  matches: () => true,
  part: undefined,
  message: (view) =>
    runSpec(view, { parens: view.github.event_name ? [[variable('github.event_name')]] : [] }),
};
