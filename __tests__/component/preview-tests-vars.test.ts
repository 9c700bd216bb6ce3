/**
 * `npm run preview` renders `tests.*` and `vars.*` from files, as the action would: the JUnit
 * fixtures read by the action's own reader, the vars parsed by its own parser.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/action-runner.ts';

const run = promisify(execFile);
const out = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-preview-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function preview(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['scripts/preview.ts', ...args, '--out', out], {
    cwd: ROOT,
    env: { ...process.env, INIT_CWD: ROOT },
  });
  return stdout;
}

describe('preview with test results and vars', () => {
  it('shows the failing tests of the fixture reports in the built-in alert and the card', async () => {
    const stdout = await preview([
      '--status',
      'failure',
      '--format',
      'text',
      '--card',
      '--test-results',
      '__tests__/fixtures/junit/*.xml',
    ]);
    expect(stdout).toContain('Tests: 6 failed, 3 errored, 7 passed (1 flaky), 5 skipped');
    expect(stdout).toContain(
      '✗ TestTotal/with_tax (example.com/shop/cart): cart_test.go:31: Total() = 107.00, want 108.00',
    );
    expect(stdout).toContain('… and 4 more');
    expect(stdout).toMatch(
      /Tests: +6 failed, 3 errored, 7 passed \(1 flaky\), 5 skipped \[lozenge-error\]/,
    );
  });

  it('renders vars and tests in a template, and refuses invalid vars as the action does', async () => {
    const stdout = await preview([
      '--vars',
      'environment: staging',
      '--test-results',
      '__tests__/fixtures/junit/pytest.xml',
      '--template',
      '{{vars.environment}}: {{tests.failed}} failed of {{tests.total}}',
    ]);
    expect(stdout).toContain('staging: 1 failed of 4');
    await expect(preview(['--vars', 'version: 2'])).rejects.toMatchObject({
      stderr: expect.stringContaining('`vars.version` is a number (2)'),
    });
  });
});
