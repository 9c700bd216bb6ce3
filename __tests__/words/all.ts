/**
 * Every event kind's words table (table.ts), in the order the registry tries the kinds, then the
 * follow-up's (`attach-to`), which any kind's run may send.
 */
import { DEPLOYMENT_WORDS } from './deployment.ts';
import { FALLBACK_WORDS } from './fallback.ts';
import { FOLLOW_UP_WORDS } from './follow-up.ts';
import { PULL_REQUEST_WORDS } from './pull-request.ts';
import { PUSH_WORDS } from './push.ts';
import { RELEASE_WORDS } from './release.ts';
import { SCHEDULE_WORDS } from './schedule.ts';
import type { KindWords } from './table.ts';
import { WORKFLOW_DISPATCH_WORDS } from './workflow-dispatch.ts';
import { WORKFLOW_RUN_WORDS } from './workflow-run.ts';

export const ALL_WORDS: readonly KindWords[] = [
  PUSH_WORDS,
  PULL_REQUEST_WORDS,
  RELEASE_WORDS,
  WORKFLOW_RUN_WORDS,
  SCHEDULE_WORDS,
  WORKFLOW_DISPATCH_WORDS,
  DEPLOYMENT_WORDS,
  FALLBACK_WORDS,
  FOLLOW_UP_WORDS,
];
