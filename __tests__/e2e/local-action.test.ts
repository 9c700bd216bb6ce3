/**
 * The bundle given inputs that hold unevaluated `${{ … }}` expressions, as a hand-written
 * environment for a local run may (`.env` copied from a workflow's `with:`). The step still
 * delivers, and says once per input that it read it as unset.
 */
import { describe, expect, it } from 'vitest';
import { PERSONAL_TOKEN } from '../../sandbox/server.ts';
import { logLines, step, useSandbox } from './helpers.ts';

const sandbox = useSandbox(undefined, { resetEach: true });

describe('inputs holding unevaluated expressions', () => {
  it('treats them as unset with a one-line notice each, and delivers', async () => {
    const result = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: 'CI' },
      env: {
        INPUT_STATUS: '${{ github.event.workflow_run.conclusion || job.status }}',
        'INPUT_GITHUB-TOKEN': '${{ github.token }}',
      },
    });
    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    const notices = logLines(result).filter((line) => line.includes('unevaluated'));
    expect(notices).toEqual([
      '`github-token` holds an unevaluated ${{ … }} expression, which only a runner evaluates: treated as unset.',
      '`status` holds an unevaluated ${{ … }} expression, which only a runner evaluates: treated as unset.',
    ]);
    expect(result.masked).not.toContain('${{ github.token }}');
    expect(sandbox.notifications('CI')).toHaveLength(1);
    // No status: the built-in message says the run finished, in yellow.
    expect(sandbox.notifications('CI')[0]).toMatchObject({ color: 'yellow' });
  });
});
