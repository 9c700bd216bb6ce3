/**
 * The test results a built-in failure message ends with, when `test-results` found reports:
 *
 *   html: … · run #42<br><b>Tests:</b> 2 failed, 40 passed<br>✗ <code>adds</code> (CalcTest): expected 3…
 *   text: …\nhttps://…/runs/42\nTests: 2 failed, 40 passed\n✗ adds (CalcTest): expected 3…
 *
 * Written as a Mustache fragment over `tests.*`, like the rest of the built-in messages: every
 * name and message from a report goes through `render`'s escaping and mention defusing.
 */
import type { TemplateView } from '../context/view.js';
import type { MessageFormat } from '../hipchat/types.js';

/** The fragment for this view, or '' (not a failure, or no report was read). */
export function testsBlock(view: TemplateView, format: MessageFormat): string {
  const tests = view.tests;
  if (view.outcome !== 'failure' || !tests || tests.reports === 0) return '';
  // A flaky test passed after failing first: said beside the passes it is counted in.
  const flaky = tests.flaky > 0 ? ' ({{tests.flaky}} flaky)' : '';
  const counts = (['failed', 'errored', 'passed', 'skipped'] as const)
    .filter((key) => tests[key] > 0)
    .map((key) => `{{tests.${key}}} ${key}${key === 'passed' ? flaky : ''}`)
    .join(', ');
  const totals = counts || 'none ran';
  if (format === 'text') {
    return [
      `\nTests: ${totals}`,
      '{{#tests.failures}}\n✗ {{name}}{{#file}} ({{file}}){{/file}}{{#message}}: {{message}}{{/message}}{{/tests.failures}}',
      '{{#tests.more_failures}}\n… and {{tests.more_failures}} more{{/tests.more_failures}}',
    ].join('');
  }
  return [
    `<br><b>Tests:</b> ${totals}`,
    '{{#tests.failures}}<br>✗ <code>{{name}}</code>{{#file}} ({{file}}){{/file}}{{#message}}: {{message}}{{/message}}{{/tests.failures}}',
    '{{#tests.more_failures}}<br>… and {{tests.more_failures}} more{{/tests.more_failures}}',
  ].join('');
}
