/**
 * Every event says what happened to what: for each event of `@octokit/webhooks-examples` that
 * the generic kind describes, the built-in message names the payload's action and its subject
 * (src/context/events/subject.ts), escaped, on one line.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { kindOf } from '../../../src/context/events/registry.js';
import { buildView } from '../../../src/context/view.js';
import { renderDefault } from '../../../src/message/template.js';

interface Example {
  name: string;
  examples: Record<string, unknown>[];
}

const require = createRequire(import.meta.url);
const ALL = require('@octokit/webhooks-examples/api.github.com/index.json') as Example[];

const ENV = {
  GITHUB_REPOSITORY: 'Codertocat/Hello-World',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_WORKFLOW: 'CI',
  GITHUB_REF_NAME: 'main',
  GITHUB_RUN_ID: '9',
  GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
};

function headline(eventName: string, event: Record<string, unknown>): string {
  const view = buildView({ ...ENV, GITHUB_EVENT_NAME: eventName }, event, 'success');
  return renderDefault(view, 'text').split('\n')[0]!;
}

const first = (name: string) => ALL.find((e) => e.name === name)!.examples[0]!;

describe('the generic kind names what happened to what', () => {
  it.each([
    ['issues', /\(issue #1 “Spelling error in the README file” edited, /],
    ['issue_comment', /\(comment created on issue #1 “Spelling error in the README file”, /],
    ['discussion', /\(discussion #90 “Welcome to discussions!” created, /],
    ['check_run', /\(check run “Octocoders-linter” created: queued, /],
    ['check_suite', /\(check suite “octocoders-linter” completed: success, /],
    ['create', /\(tag simple-tag created, /],
    ['delete', /\(tag simple-tag deleted, /],
    ['merge_group', /\(merge group gh-readonly-queue\/main\/pr-104-[0-9a-f]+ checks requested, /],
    ['repository_dispatch', /\(dispatch “on-demand-test”, /],
    ['status', /\(commit status “default”: success, /],
    ['label', /\(label deleted, /],
  ])('%s', (name, expected) => {
    expect(headline(name, first(name))).toMatch(expected);
  });

  it('a pull request review names its state beside the PR', () => {
    expect(headline('pull_request_review', first('pull_request_review'))).toMatch(
      /on PR #2 — “.*” \(review commented, changes, /,
    );
  });

  it('every example of every event: one line, never "undefined", the action named', () => {
    for (const { name, examples } of ALL) {
      for (const event of examples) {
        const view = buildView({ ...ENV, GITHUB_EVENT_NAME: name }, event, 'success');
        const text = renderDefault(view, 'text');
        expect(text.split('\n').length, name).toBeLessThanOrEqual(2);
        expect(text, name).not.toContain('undefined');
        const action = typeof event.action === 'string' ? event.action : '';
        if (kindOf(view).name === 'fallback' && /^[a-z_]+$/.test(action)) {
          expect(text.split('\n')[0], name).toContain(action.replace(/_/g, ' '));
        }
      }
    }
  });

  it('hostile subjects: a title on one line, escaped; an action that is not a word is dropped', () => {
    const event = {
      action: 'opened\n@all',
      issue: { number: 3, title: '<b>x</b>\n@here', html_url: 'javascript:alert(1)' },
    };
    const view = buildView({ ...ENV, GITHUB_EVENT_NAME: 'issues' }, event, 'success');
    expect(view.subject).toMatchObject({ action: '', number: 3, name: '<b>x</b> @here', url: '' });
    expect(renderDefault(view, 'html')).toContain('(issue #3 &lt;b&gt;x&lt;/b&gt; @here, ');
    const text = renderDefault(view, 'text');
    expect(text.split('\n')).toHaveLength(2);
    expect(text).not.toMatch(/(?<![\p{L}\p{N}_])@(all|here)(?!\u2060)/u);
  });
});
