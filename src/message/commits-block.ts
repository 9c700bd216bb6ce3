/**
 * The commit list a built-in message ends with, when `commits` is above 0 and the run has
 * commits to list (a push's, or a release's since the previous one):
 *
 *   html: … · run #42<br>• <a href="…"><code>abc1234</code></a> Fix the parser — alice<br>… and <a href="…">3 more</a>
 *   text: …\nhttps://…/runs/42\n• abc1234 Fix the parser — alice\n… and 3 more: https://…/compare/…
 *
 * A Mustache fragment over `commits[]`, `commits_more` and `compare_url`, like the rest of the
 * built-in messages: every title and author goes through `render`'s escaping and defusing.
 */
import type { TemplateView } from '../context/view.js';
import type { MessageFormat } from '../hipchat/types.js';

/** The fragment for this view, or '' (no commits to list). */
export function commitsBlock(view: TemplateView, format: MessageFormat): string {
  if (view.commits.length === 0) return '';
  if (format === 'text') {
    return [
      '{{#commits}}\n• {{short_sha}} {{title}}{{#author}} — {{author}}{{/author}}{{/commits}}',
      '{{#commits_more}}\n… and {{commits_more}} more{{#compare_url}}: {{compare_url}}{{/compare_url}}{{/commits_more}}',
    ].join('');
  }
  return [
    '{{#commits}}<br>• <a href="{{url}}"><code>{{short_sha}}</code></a> {{title}}{{#author}} — {{author}}{{/author}}{{/commits}}',
    view.compare_url
      ? '{{#commits_more}}<br>… and <a href="{{compare_url}}">{{commits_more}} more</a>{{/commits_more}}'
      : '{{#commits_more}}<br>… and {{commits_more}} more{{/commits_more}}',
  ].join('');
}
