/**
 * `test-results`, end to end on the bundle: real JUnit reports (the fixtures of each dialect) in
 * the workspace become the failing tests of the alert, in the message and on the card; a glob
 * that leaves the workspace is an input error with nothing sent; a malformed or huge report is
 * a warning, skipped, and the alert is still delivered.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PERSONAL_TOKEN, ROOM_CI } from '../../sandbox/server.ts';
import { ROOT } from '../../scripts/lib/action-runner.ts';
import { logLines, step, useSandbox } from './helpers.ts';

const sandbox = useSandbox(undefined, { resetEach: true });

const FIXTURES = path.join(ROOT, '__tests__', 'fixtures', 'junit');
const report = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const WITH = { token: PERSONAL_TOKEN, room: ROOM_CI.name };

describe('test-results', () => {
  it('puts the failing tests of real reports into the failure alert and its card', async () => {
    const run = await step(sandbox, {
      jobStatus: 'failure',
      files: {
        'target/surefire-reports/TEST-com.example.shop.CalculatorTest.xml': report('surefire.xml'),
        'web/reports/junit.xml': report('vitest.xml'),
        'go/report.xml': report('go-junit-report.xml'),
      },
      with: {
        ...WITH,
        card: 'true',
        'test-results': 'target/surefire-reports/TEST-*.xml\n**/junit.xml\ngo/report.xml',
      },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.warnings).toEqual([]);
    expect(logLines(run)).toContain(
      'test-results: 3 reports read: 4 failed, 2 errored, 4 passed (1 flaky), 3 skipped.',
    );
    const [got] = sandbox.notifications(ROOM_CI.name);
    const message = String(got?.body.message);
    expect(message).toContain(
      '<br><b>Tests:</b> 4 failed, 2 errored, 4 passed (1 flaky), 3 skipped',
    );
    // Report order is path order: go/, target/, web/.
    expect(message).toContain(
      '<br>✗ <code>TestTotal/with_tax</code> (example.com/shop/cart): cart_test.go:31: Total() = 107.00, want 108.00',
    );
    expect(message).toContain(
      '<br>✗ <code>dividesByZero</code> (com.example.shop.CalculatorTest): expected: &lt;Infinity&gt; but was: &lt;NaN&gt;',
    );
    expect(message).toContain('<br>… and 1 more');
    const attributes = (got?.body.card as { attributes: { label: string; value: unknown }[] })
      .attributes;
    expect(attributes.find((a) => a.label === 'Tests')?.value).toEqual({
      label: '4 failed, 2 errored, 4 passed (1 flaky), 3 skipped',
      style: 'lozenge-error',
    });
  });

  it('fills {{tests.*}} in a text template, mentions from a report defused', async () => {
    const hostile = report('pytest.xml').replace('test_add_negative', 'test @all negative');
    const run = await step(sandbox, {
      jobStatus: 'failure',
      files: { 'report.xml': hostile },
      with: {
        ...WITH,
        format: 'text',
        'test-results': 'report.xml',
        template:
          '{{tests.failed}} of {{tests.total}} failed{{#tests.failures}}; {{name}}{{/tests.failures}}',
      },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(sandbox.notifications(ROOM_CI.name)[0]?.body.message).toBe(
      '1 of 4 failed; test @\u2060all negative; test_save',
    );
  });

  it.each([
    ['../outside/*.xml', "`test-results` pattern '../outside/*.xml' leaves the workspace"],
    [path.join(FIXTURES, '*.xml'), 'is outside the workspace'],
  ])('refuses %s as an input error: nothing read, nothing sent', async (pattern, expected) => {
    const run = await step(sandbox, {
      jobStatus: 'failure',
      files: { '../outside/secret.xml': report('pytest.xml') },
      with: { ...WITH, 'test-results': pattern },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain(expected);
    expect(sandbox.requests).toEqual([]);
  });

  it('skips a malformed and a huge report with a warning, and still delivers the alert', async () => {
    const huge = `<testsuite>${'<testcase name="padding" classname="Huge"/>'.repeat(260_000)}</testsuite>`;
    const run = await step(sandbox, {
      jobStatus: 'failure',
      files: {
        'reports/a-broken.xml': report('jest-junit.xml').slice(0, 600),
        'reports/b-huge.xml': huge,
        'reports/c-good.xml': report('jest-junit.xml'),
      },
      with: { ...WITH, 'test-results': 'reports/*.xml' },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.warnings).toHaveLength(2);
    expect(run.warnings[0]).toMatch(
      /^`test-results`: 'reports\/a-broken\.xml' skipped: not well-formed XML: /,
    );
    expect(run.warnings[1]).toBe(
      `\`test-results\`: 'reports/b-huge.xml' skipped: ${Buffer.byteLength(huge).toLocaleString('en')} bytes is over the 10,485,760-byte cap for one report.`,
    );
    const [got] = sandbox.notifications(ROOM_CI.name);
    expect(String(got?.body.message)).toContain(
      '<br><b>Tests:</b> 1 failed, 2 passed, 1 skipped<br>✗ <code>checkout rejects an expired card</code> (checkout): Error: expect(received).toBe(expected) // Object.is equality',
    );
  });
});
