/**
 * The runner emulation's evaluation of action.yml input defaults (scripts/lib/action-runner.ts),
 * which every end-to-end test relies on: it must evaluate what action.yml uses as the runner
 * does, and refuse what it does not know rather than guess.
 */
import { describe, expect, it } from 'vitest';
import { evaluateDefault, loadActionYml } from '../../scripts/lib/action-runner.ts';

const workflowRun = (conclusion: unknown, status = 'completed') => ({
  action: conclusion === null ? 'requested' : 'completed',
  workflow_run: { name: 'Build', status, conclusion },
});

describe('evaluateDefault', () => {
  const STATUS = loadActionYml().inputs.status!.default!;

  it("action.yml's status default: the upstream conclusion, its status while unfinished, else job.status", () => {
    expect(STATUS).toBe(
      '${{ github.event.workflow_run.conclusion || github.event.workflow_run.status || job.status }}',
    );
    const at = (event: Record<string, unknown>, jobStatus?: string) =>
      evaluateDefault(STATUS, { event, jobStatus });
    expect(at(workflowRun('failure'), 'success')).toBe('failure');
    expect(at(workflowRun('timed_out'), 'success')).toBe('timed_out');
    // Not completed yet: the upstream run's status (a start note), never this job's outcome.
    expect(at(workflowRun(null, 'queued'), 'success')).toBe('queued');
    expect(at(workflowRun(null, 'in_progress'), 'success')).toBe('in_progress');
    expect(at(workflowRun(null, 'requested'), 'success')).toBe('requested');
    // Another event: github.event.workflow_run is null → job.status.
    expect(at({ ref: 'refs/heads/main' }, 'failure')).toBe('failure');
    expect(at({}, undefined)).toBe('success');
    expect(at({}, '')).toBe('');
  });

  it('evaluates github.token and a plain github.event path', () => {
    expect(evaluateDefault('${{ github.token }}', { event: {}, githubToken: 'ghs_x' })).toBe(
      'ghs_x',
    );
    expect(evaluateDefault('${{ github.event.a.b }}', { event: { a: { b: 42 } } })).toBe('42');
    expect(evaluateDefault('${{ github.event.a.missing }}', { event: { a: {} } })).toBe('');
    expect(evaluateDefault('x-${{ github.event.a }}-y', { event: { a: 'b' } })).toBe('x-b-y');
  });

  it.each([
    '${{ runner.os }}',
    '${{ github.event_name }}',
    "${{ github.event.a || 'literal' }}",
    '${{ github.event.a && job.status }}',
    '${{ }}',
  ])('refuses what it does not know: %s', (expression) => {
    expect(() => evaluateDefault(expression, { event: {} })).toThrow(
      /expression the runner emulation does not know/,
    );
  });
});
