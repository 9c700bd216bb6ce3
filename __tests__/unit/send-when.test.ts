import { describe, expect, it } from 'vitest';
import type { SendWhen } from '../../src/inputs/inputs.js';
import { decideSend } from '../../src/send-when/previous-run.js';
import { outcomeOf } from '../../src/inputs/status.js';
import type { PreviousRun } from '../../src/send-when/previous-run.js';

// Every mode once; `satisfies` makes the type checker fail this file when a mode is added.
const MODES = { always: 0, changed: 0, 'failure-or-changed': 0 } satisfies Record<SendWhen, 0>;

describe("GitHub's conclusions, in the shared vocabulary (status.ts)", () => {
  it.each([
    ['success', 'success'],
    ['neutral', 'success'],
    ['failure', 'failure'],
    ['timed_out', 'failure'],
    ['startup_failure', 'failure'],
    ['cancelled', 'cancelled'],
    ['skipped', 'none'],
    ['stale', 'none'],
    ['action_required', 'none'],
    [' Failure ', 'failure'],
    ['TIMED_OUT', 'failure'],
    ['deployed', 'none'],
    ['', 'none'],
    [null, 'none'],
    [undefined, 'none'],
  ])('%j → %j', (conclusion, outcome) => {
    expect(outcomeOf(conclusion)).toBe(outcome);
  });
});

describe('decideSend truth table', () => {
  // [mode, status, previous, send, changed]: written out by hand, not derived from the code.
  type Row = [SendWhen, string, string | undefined, boolean, boolean];
  const rows: Row[] = [
    // always: every run is sent; `changed` still says whether the outcome moved.
    ['always', 'success', undefined, true, false],
    ['always', 'success', 'success', true, false],
    ['always', 'success', 'failure', true, true],
    ['always', 'failure', undefined, true, false],
    ['always', 'failure', 'success', true, true],
    ['always', 'failure', 'failure', true, false],
    ['always', 'cancelled', 'success', true, false],
    ['always', 'skipped', 'failure', true, false],
    ['always', '', 'success', true, false],
    ['always', 'deployed', undefined, true, false],

    ['changed', 'success', undefined, true, false],
    ['changed', 'success', 'success', false, false],
    ['changed', 'success', 'failure', true, true],
    ['changed', 'failure', undefined, true, false],
    ['changed', 'failure', 'success', true, true],
    ['changed', 'failure', 'failure', false, false],
    ['changed', 'timed_out', 'failure', false, false],
    ['changed', 'timed_out', 'success', true, true],
    ['changed', 'Neutral', 'failure', true, true],
    ['changed', 'neutral', 'success', false, false],
    ['changed', 'stale', 'failure', false, false],
    ['changed', 'action_required', 'success', false, false],
    // The previous run's word may be a conclusion too.
    ['changed', 'failure', 'startup_failure', false, false],
    ['changed', 'cancelled', undefined, false, false],
    ['changed', 'cancelled', 'success', false, false],
    ['changed', 'cancelled', 'failure', false, false],
    ['changed', 'skipped', 'success', false, false],
    ['changed', '', 'success', true, false],
    ['changed', 'deployed', 'success', true, false],
    // A previous status that is no outcome counts as unknown.
    ['changed', 'success', 'cancelled', true, false],
    ['changed', 'failure', '', true, false],

    ['failure-or-changed', 'success', undefined, true, false],
    ['failure-or-changed', 'success', 'success', false, false],
    ['failure-or-changed', 'success', 'failure', true, true],
    ['failure-or-changed', 'failure', undefined, true, false],
    ['failure-or-changed', 'failure', 'success', true, true],
    ['failure-or-changed', 'failure', 'failure', true, false],
    ['failure-or-changed', 'startup_failure', 'failure', true, false],
    ['failure-or-changed', 'timed_out', undefined, true, false],
    ['failure-or-changed', 'action_required', undefined, false, false],
    ['failure-or-changed', 'cancelled', undefined, false, false],
    ['failure-or-changed', 'cancelled', 'failure', false, false],
    ['failure-or-changed', 'skipped', 'success', false, false],
    ['failure-or-changed', '', 'failure', true, false],
    ['failure-or-changed', 'deployed', 'success', true, false],
  ];

  it('covers every mode', () => {
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(Object.keys(MODES)));
  });

  it.each(rows)(
    '%s: status %j after %j → send %s, changed %s',
    (mode, status, prev, send, changed) => {
      const decision = decideSend(mode, status, prev);
      expect({ send: decision.send, changed: decision.changed }).toEqual({ send, changed });
      expect(decision.reason).toMatch(send ? /^sent: \S/ : /^skipped: \S/);
    },
  );

  it.each(rows.filter((r) => r[2] !== undefined))(
    '%s: a PreviousRun object decides like its status (%j after %j)',
    (mode, status, prev, send, changed) => {
      const run: PreviousRun = { status: prev ?? '', runNumber: 41, url: 'https://x/41' };
      expect(decideSend(mode, status, run)).toMatchObject({ send, changed });
    },
  );
});

describe('decideSend reasons', () => {
  const run41 = (status: string): PreviousRun => ({ status, runNumber: 41, url: 'https://x/41' });

  it('names the previous run', () => {
    expect(decideSend('changed', 'success', run41('success')).reason).toBe(
      'skipped: status success is unchanged since run #41',
    );
    expect(decideSend('changed', 'failure', run41('success')).reason).toBe(
      'sent: status changed from success in run #41 to failure',
    );
    expect(decideSend('failure-or-changed', 'success', run41('failure')).reason).toBe(
      'sent: first success after the failure in run #41',
    );
    expect(decideSend('failure-or-changed', 'failure', run41('failure')).reason).toMatch(
      /^sent: still failing \(also in run #41\)/,
    );
  });

  it('says why an unknown previous run still sends', () => {
    expect(decideSend('changed', 'success', undefined).reason).toMatch(
      /^sent: no earlier result .*first run on this branch/,
    );
  });

  it('says why a cancelled run is not sent', () => {
    expect(decideSend('changed', 'cancelled', run41('success')).reason).toMatch(
      /^skipped: a cancelled run says nothing/,
    );
  });

  it('falls back to "the previous run" for a bare status', () => {
    expect(decideSend('changed', 'success', 'success').reason).toBe(
      'skipped: status success is unchanged since the previous run',
    );
  });
});
