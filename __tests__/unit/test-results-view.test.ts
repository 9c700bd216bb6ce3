/**
 * `test-results` before and after reading: the patterns are checked as inputs (confined to the
 * workspace before anything is read), and the reports' totals and first failures show in the
 * built-in failure message, the card and templates — escaped like every other value.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCard } from '../../src/message/card.js';
import { buildView } from '../../src/context/view.js';
import { InputError, parseInputs } from '../../src/inputs/inputs.js';
import { buildMessage } from '../../src/message/compose.js';
import { parseTestResultPatterns, MAX_PATTERNS } from '../../src/inputs/test-results.js';
import { summarizeReports } from '../../src/test-results/summary.js';
import type { TestFailure, TestsView } from '../../src/test-results/summary.js';
import { render, renderDefault } from '../../src/message/template.js';

const WORKSPACE = path.resolve('/home/runner/work/shop/shop');

function problemsOf(raw: string): string[] {
  const result = parseTestResultPatterns(raw, WORKSPACE);
  return 'problems' in result ? result.problems : [];
}

describe('parseTestResultPatterns', () => {
  it('takes one glob per line, relative to the workspace, without duplicates', () => {
    expect(
      parseTestResultPatterns(
        '\n  target/surefire-reports/TEST-*.xml \r\n./reports/**/*.xml\nreports/**/*.xml\n\n',
        WORKSPACE,
      ),
    ).toEqual({ patterns: ['target/surefire-reports/TEST-*.xml', 'reports/**/*.xml'] });
  });

  it('makes an absolute path inside the workspace relative', () => {
    const inside = path.join(WORKSPACE, 'build', 'test-results', '*.xml');
    expect(parseTestResultPatterns(inside, WORKSPACE)).toEqual({
      patterns: ['build/test-results/*.xml'],
    });
  });

  it.each([
    ['../other-repo/junit.xml', "leaves the workspace: '..' is not accepted"],
    ['reports/../../etc/*.xml', "leaves the workspace: '..' is not accepted"],
    ['reports\\..\\..\\x.xml', "leaves the workspace: '..' is not accepted"],
    [path.resolve('/etc/*.xml'), 'is outside the workspace'],
    [path.resolve('/home/runner/work/shop/shop-evil/*.xml'), 'is outside the workspace'],
    ['!reports/flaky.xml', 'is a negation'],
    ['.', 'names the workspace itself'],
  ])('refuses %j', (pattern, expected) => {
    const problems = problemsOf(pattern);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`\`test-results\` pattern '${pattern}' ${expected}`);
  });

  it('bounds the number of patterns', () => {
    const many = Array.from({ length: MAX_PATTERNS + 1 }, (_, i) => `r${i}/*.xml`).join('\n');
    expect(problemsOf(many)).toEqual([
      '`test-results` has 21 patterns: at most 20 are accepted (one glob per line, e.g. **/junit.xml).',
    ]);
  });

  it('is an input error with the others, before anything is read or sent', () => {
    const read = (name: string): string =>
      ({
        token: 't',
        room: 'ops',
        server: 'https://hipchat.example.com',
        'test-results': '../x.xml',
        format: 'rtf',
      })[name] ?? '';
    expect(() => parseInputs(read, WORKSPACE)).toThrow(InputError);
    try {
      parseInputs(read, WORKSPACE);
    } catch (error) {
      expect((error as InputError).problems).toHaveLength(2);
    }
    expect(
      parseInputs(
        (name) => ({ token: 't', room: 'ops', server: 'https://hipchat.example.com' })[name] ?? '',
      ).testResults,
    ).toEqual([]);
  });
});

const failure = (name: string, file: string, message: string): TestFailure => ({
  name,
  file,
  message,
  kind: 'failure',
});

/** A view with these reports' totals, as main.ts builds it. */
function viewWith(tests: TestsView, status = 'failure') {
  return buildView(
    {
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF_NAME: 'main',
      GITHUB_WORKFLOW: 'CI',
      GITHUB_RUN_ID: '7',
      GITHUB_RUN_NUMBER: '7',
    },
    {},
    status,
    { tests },
  );
}

const HOSTILE = summarizeReports([
  {
    passed: 40,
    failed: 7,
    errored: 1,
    skipped: 2,
    flaky: 0,
    failures: [
      failure('adds <b>', 'com.example.Calc', 'expected: <3> but was: <4> & @all'),
      failure('@here test', '', ''),
      ...Array.from({ length: 6 }, (_, i) => failure(`t${i}`, 'F', `m${i}`)),
    ],
  },
]);

describe('the tests in the built-in failure message', () => {
  it('html: totals and the first five failures, escaped, then how many more', () => {
    const html = renderDefault(viewWith(HOSTILE), 'html');
    const tail = html.slice(html.indexOf('<br>'));
    expect(tail).toBe(
      [
        '<br><b>Tests:</b> 7 failed, 1 errored, 40 passed, 2 skipped',
        '<br>✗ <code>adds &lt;b&gt;</code> (com.example.Calc): expected: &lt;3&gt; but was: &lt;4&gt; &amp; @all',
        '<br>✗ <code>@here test</code>',
        '<br>✗ <code>t0</code> (F): m0',
        '<br>✗ <code>t1</code> (F): m1',
        '<br>✗ <code>t2</code> (F): m2',
        '<br>… and 3 more',
      ].join(''),
    );
  });

  it('text: one line each after the link, mentions defused', () => {
    const text = renderDefault(viewWith(HOSTILE), 'text');
    const lines = text.split('\n');
    expect(lines[1]).toBe('https://github.com/acme/shop/actions/runs/7');
    expect(lines.slice(2, 5)).toEqual([
      'Tests: 7 failed, 1 errored, 40 passed, 2 skipped',
      '✗ adds <b> (com.example.Calc): expected: <3> but was: <4> & @\u2060all',
      '✗ @\u2060here test',
    ]);
    expect(lines.at(-1)).toBe('… and 3 more');
  });

  it('only on failure, and only when a report was read', () => {
    expect(renderDefault(viewWith(HOSTILE, 'success'), 'html')).not.toContain('Tests:');
    expect(renderDefault(viewWith(summarizeReports([])), 'html')).not.toContain('Tests:');
    const green = summarizeReports([
      { passed: 3, failed: 0, errored: 0, skipped: 0, flaky: 0, failures: [] },
    ]);
    // A red run whose tests all passed: the room learns the failure is elsewhere.
    expect(renderDefault(viewWith(green), 'text').split('\n').at(-1)).toBe('Tests: 3 passed');
    const flaky = summarizeReports([
      { passed: 3, failed: 0, errored: 0, skipped: 0, flaky: 2, failures: [] },
    ]);
    expect(renderDefault(viewWith(flaky), 'text').split('\n').at(-1)).toBe(
      'Tests: 3 passed (2 flaky)',
    );
  });
});

describe('the tests on the card and in templates', () => {
  it('adds a Tests attribute (red when any failed) and the first failure', () => {
    const card = buildCard(viewWith(HOSTILE), { message: 'x', format: 'text', id: 'c' });
    const rows = Object.fromEntries((card.attributes ?? []).map((a) => [a.label, a.value]));
    expect(rows['Tests']).toEqual({
      label: '7 failed, 1 errored, 40 passed, 2 skipped',
      style: 'lozenge-error',
    });
    expect(rows['First failure']).toEqual({ label: 'adds &lt;b&gt;' });
    const green = summarizeReports([
      { passed: 3, failed: 0, errored: 0, skipped: 1, flaky: 0, failures: [] },
    ]);
    const greenCard = buildCard(viewWith(green, 'success'), { message: 'x', format: 'text' });
    expect(greenCard.attributes?.find((a) => a.label === 'Tests')?.value).toEqual({
      label: '3 passed, 1 skipped',
      style: 'lozenge-success',
    });
  });

  it('exposes tests.* to templates, sections over the failures included', () => {
    const template =
      '{{tests.failed}}/{{tests.total}}{{#tests.failures}} [{{name}}|{{file}}|{{message}}]{{/tests.failures}}';
    const view = viewWith(
      summarizeReports([
        {
          passed: 1,
          failed: 1,
          errored: 0,
          skipped: 0,
          flaky: 0,
          failures: [failure('a', 'f', '<m>')],
        },
      ]),
    );
    expect(render(template, view, 'html')).toBe('1/2 [a|f|&lt;m&gt;]');
    const inputs = parseInputs(
      (name) =>
        ({ token: 't', room: 'ops', server: 'https://hipchat.example.com', template })[name] ?? '',
    );
    expect(buildMessage(inputs, view).warnings).toEqual([]);
  });
});
