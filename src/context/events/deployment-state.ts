/**
 * A deployment's state (`deployment_status.state`) in the one status vocabulary (status.ts):
 * queued, pending and in_progress are a start, success a success, failure and error a failure,
 * and inactive (a newer deployment replaced this one) no outcome at all.
 */
import { isKnownStatus } from '../../inputs/status.js';

/** The states GitHub gives a deployment status. */
export const DEPLOYMENT_STATES: readonly string[] = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
];

/** States the vocabulary may not have a word of their own for, and the word that means the same. */
const SAME_AS: Readonly<Record<string, string>> = { queued: 'in_progress', pending: 'in_progress' };

/** The status word for a deployment state; undefined for anything GitHub does not send. */
export function statusOfState(state: string): string | undefined {
  const word = state.trim().toLowerCase();
  if (!DEPLOYMENT_STATES.includes(word)) return undefined;
  if (isKnownStatus(word)) return word;
  return Object.hasOwn(SAME_AS, word) ? SAME_AS[word] : undefined;
}
