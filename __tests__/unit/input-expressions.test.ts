/**
 * Inputs that arrive as their action.yml default's `${{ … }}` text (as @github/local-action
 * passes them) read as unset, with one notice per input; every other value passes through.
 */
import { describe, expect, it } from 'vitest';
import {
  isUnevaluatedExpression,
  withoutUnevaluatedExpressions,
} from '../../src/inputs/expressions.ts';

describe('unevaluated expressions', () => {
  it("recognises action.yml's defaults as written, and nothing that merely contains ${{", () => {
    expect(
      isUnevaluatedExpression('${{ github.event.workflow_run.conclusion || job.status }}'),
    ).toBe(true);
    expect(isUnevaluatedExpression('  ${{ github.token }}\n')).toBe(true);
    for (const value of [
      '',
      'failure',
      'built ${{ github.sha }} today',
      '{{status}}',
      '${{ a }}\n${{ b }}',
    ]) {
      expect(isUnevaluatedExpression(value)).toBe(false);
    }
  });

  it('reads such an input as empty and says so once, without repeating the value', () => {
    const given: Record<string, string> = {
      status: '${{ github.event.workflow_run.conclusion || job.status }}',
      'github-token': '${{ github.token }}',
      room: 'CI',
    };
    const notices: string[] = [];
    const read = withoutUnevaluatedExpressions(
      (name) => given[name] ?? '',
      (m) => notices.push(m),
    );
    expect([
      read('status'),
      read('status'),
      read('github-token'),
      read('room'),
      read('color'),
    ]).toEqual(['', '', '', 'CI', '']);
    expect(notices).toEqual([
      '`status` holds an unevaluated ${{ … }} expression, which only a runner evaluates: treated as unset.',
      '`github-token` holds an unevaluated ${{ … }} expression, which only a runner evaluates: treated as unset.',
    ]);
    expect(notices.join('\n')).not.toContain('job.status');
  });
});
