/** `workflow_dispatch`: a run someone started by hand. */
import type { EventKind } from './kind.js';
import { runSpec } from './run-message.js';

export const workflowDispatch: EventKind<undefined> = {
  name: 'workflow_dispatch',
  matches: (eventName) => eventName === 'workflow_dispatch',
  part: undefined,
  message: (view) => runSpec(view, { prefix: 'manual run of ' }),
};
