/**
 * The built-in templates: what the room reads when the workflow gives no `template`.
 *
 * Mustache is logic-less, so the choices (which event, which outcome, fixed or still failing,
 * which facts exist) are made in code by the event's kind (src/context/events/), and the result is an
 * ordinary Mustache template: every fact still goes through `render`, with the same escaping and
 * mention defusing as a template a user wrote. Templates are assembled on demand.
 *
 * Shape: `<icon> <repository>: <what happened> — <commit or release> by <who>`, then the link to
 * act on (text: on its own line, where HipChat auto-links it; html: an `<a>` at the end).
 */
import type { TemplateView } from '../context/view.js';
import { emit } from '../context/events/pieces.js';
import { kindOf } from '../context/events/registry.js';
import { followUpSpec } from '../context/events/run-message.js';
import type { MessageFormat } from '../hipchat/types.js';
import { testsBlock } from './tests-block.js';
import { commitsBlock } from './commits-block.js';

/**
 * The built-in Mustache template for this view's event and outcome, in `format`.
 * It is a template, not a message: render it with `render(defaultTemplate(v, f), v, f)`
 * (or `renderDefault`). Covers push, pull_request(_target) and their review events, release,
 * workflow_dispatch, schedule, workflow_run, and any other event through a generic wording.
 * A `followUp` (attached to the notification it answers) says only what happened since.
 */
export function defaultTemplate(
  view: TemplateView,
  format: MessageFormat,
  followUp = false,
): string {
  const spec = followUp ? followUpSpec(view) : kindOf(view).message(view as never);
  const icon = view.status_icon ? '{{status_icon}} ' : '';
  // `mention: author` on a failure: the person behind the change (a live @mention in text
  // only when the action resolved them; their name otherwise), after whoever ran it.
  const cc = view.mention && view.outcome === 'failure' ? ' · cc {{mention}}' : '';
  const headline = `${icon}${emit(spec.headline, format)}${cc}`;
  const tests = commitsBlock(view, format) + testsBlock(view, format);
  // With `summary: job` and API access, the job's own page comes before the run's.
  const links = [
    ...(view.job_url && spec.link?.url === 'run_url' ? [{ url: 'job_url', label: ['job'] }] : []),
    ...(spec.link ? [spec.link] : []),
    ...(spec.also ?? []),
  ];
  if (format === 'text') return [headline, ...links.map((l) => `{{${l.url}}}`)].join('\n') + tests;
  const anchors = links.map((l) => `<a href="{{${l.url}}}">${emit(l.label, format)}</a>`);
  return [headline, ...anchors].join(' · ') + tests;
}
