/**
 * `push`: the build alert, as every run says it (the commit title is the head commit's). A push
 * that deletes a branch or tag has no commit: it says `deleted tag v1.0`, and links no commit.
 */
import type { EventKind, RunView } from './kind.js';
import { variable } from './pieces.js';
import { runSpec } from './run-message.js';
import type { RunWords } from './run-message.js';

/** Whether the push deleted its ref (GitHub's `deleted: true`). */
function deletes(event: Readonly<Record<string, unknown>>): boolean {
  return event['deleted'] === true;
}

/** ` — deleted tag v1.0`: what the push did, instead of where it built. */
function deletion(view: RunView): RunWords {
  const kind = view.github.ref.startsWith('refs/tags/') ? 'tag' : 'branch';
  return {
    where: view.branch ? [` — deleted ${kind} `, variable('branch')] : [' — deleted a ref'],
  };
}

export const push: EventKind<undefined> = {
  name: 'push',
  matches: (eventName) => eventName === 'push',
  part: undefined,
  facts: (event) => (deletes(event) ? { deletedRef: true } : {}),
  message: (view) => runSpec(view, deletes(view.github.event) ? deletion(view) : {}),
};
