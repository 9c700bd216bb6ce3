/**
 * One status vocabulary (src/inputs/status.ts): every word the `status` input accepts means the same
 * to the inputs, the message (view, colour, built-in wording), the card and `send-when`.
 */
import { describe, expect, it } from 'vitest';
import { buildCard } from '../../src/message/card.js';
import { buildView } from '../../src/context/view.js';
import { parseInputs } from '../../src/inputs/inputs.js';
import { buildMessage, resolveColor } from '../../src/message/compose.js';
import { decideSend } from '../../src/send-when/previous-run.js';
import { STATUSES, outcomeOf, statusText } from '../../src/inputs/status.js';

/** The inputs every run needs besides the ones under test. */
const REQUIRED = { token: 't', room: 'CI', server: 'https://hipchat.example.com' };

// Written out by hand, not derived from the code: GitHub's words and what each must mean.
const EXPECTED = {
  success: ['success', 'succeeded', 'green'],
  failure: ['failure', 'failed', 'red'],
  cancelled: ['cancelled', 'was cancelled', 'gray'],
  skipped: ['none', 'was skipped', 'yellow'],
  timed_out: ['failure', 'timed out', 'red'],
  startup_failure: ['failure', 'failed to start', 'red'],
  neutral: ['success', 'finished', 'green'],
  action_required: ['none', 'is waiting for approval', 'yellow'],
  stale: ['none', 'went stale', 'yellow'],
  started: ['started', 'started', 'yellow'],
  in_progress: ['started', 'started', 'yellow'],
  // A workflow_run that has not finished: its status, never the notifier's own outcome.
  queued: ['started', 'is queued', 'yellow'],
  requested: ['started', 'was requested', 'yellow'],
  waiting: ['started', 'is waiting', 'yellow'],
  pending: ['started', 'is pending', 'yellow'],
  // The outcome could not be established: never green, never a change.
  unknown: ['unknown', 'outcome unknown', 'yellow'],
  completed: ['unknown', 'outcome unknown', 'yellow'],
  error: ['failure', 'errored', 'red'],
  inactive: ['none', 'is inactive', 'yellow'],
} as const;

const ENV = {
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REF_NAME: 'main',
  GITHUB_WORKFLOW: 'CI',
};

describe('the status vocabulary', () => {
  it("is GitHub's: job.status, needs.*.result and every run conclusion", () => {
    expect([...STATUSES].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))(
    '%s: the same outcome to inputs, view, colour, card and send-when',
    (word, [outcome, text, color]) => {
      const inputs = parseInputs(
        (name) => ({ ...REQUIRED, status: word.toUpperCase(), card: 'true' })[name] ?? '',
      );
      expect(inputs.status).toBe(word);
      expect(outcomeOf(word)).toBe(outcome);
      expect(statusText(word)).toBe(text);

      const view = buildView(ENV, {}, inputs.status);
      expect(view.outcome).toBe(outcome);
      expect(view.status_text).toBe(text);
      expect(resolveColor('auto', view.outcome)).toBe(color);
      const { body } = buildMessage({ ...inputs, format: 'text' }, view);
      expect(body.color).toBe(color);
      expect(body.message).toContain(`CI ${text} on main`);
      const lozenge = buildCard(view, { message: body.message, format: 'text' }).attributes?.[0];
      expect(lozenge?.value.style).toBe(
        { success: 'lozenge-success', failure: 'lozenge-error' }[outcome as string] ??
          'lozenge-current',
      );

      // send-when compares the same families: only success and failure say something.
      const comparable = outcome === 'success' || outcome === 'failure';
      expect(decideSend('changed', word, undefined).send).toBe(comparable);
      // `changed` means the same to send-when and to templates (the preview computes it):
      // [previous status, its comparable family or null].
      const PREVIOUS = [
        ['success', 'success'],
        ['failure', 'failure'],
        ['timed_out', 'failure'],
        ['cancelled', null],
        ['skipped', null],
        ['', null],
      ] as const;
      for (const [previous, family] of PREVIOUS) {
        const expected = comparable && family !== null && family !== outcome;
        expect(decideSend('changed', word, previous).changed, previous).toBe(expected);
        expect(buildView(ENV, {}, word, { previousStatus: previous }).changed, previous).toBe(
          expected,
        );
      }
    },
  );
});
