import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import { describe, expect, it } from 'vitest';
import { buildView } from '../../src/context/view.js';
import { readEvent } from '../../src/context/event-file.js';
import type { TemplateView } from '../../src/context/view.js';
import type { MessageFormat } from '../../src/hipchat/types.js';
import { escapeHtml } from '../../src/text/html.js';
import { defaultTemplate } from '../../src/message/builtin.js';
import { render, renderDefault, unknownVariables } from '../../src/message/template.js';
import { defuseMentions, MENTION_BREAKER } from '../../src/text/mentions.js';
import { parseTemplate } from '../../src/inputs/template-syntax.js';
import { TemplateError } from '../../src/inputs/template-syntax.js';
import { TRUNCATION_MARKER, truncate } from '../../src/message/truncate.js';
import { ACME_WIDGETS_FACTS } from '../support/acme-widgets.ts';

// ---- views built the way the action builds them ---------------------------------------------

const load = (name: string): Record<string, unknown> =>
  readEvent(fileURLToPath(new URL(`../fixtures/events/${name}.json`, import.meta.url)));

const BASE_ENV: Record<string, string> = {
  ...ACME_WIDGETS_FACTS,
  GITHUB_WORKFLOW: 'CI',
  GITHUB_JOB: 'build',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_SERVER_URL: 'https://github.com',
};

/** Per event: the fixture and what the runner sets differently. */
const EVENTS: Record<string, { fixture: string; env: Record<string, string> }> = {
  push: { fixture: 'push', env: {} },
  pull_request: {
    fixture: 'pull_request',
    env: {
      GITHUB_REF: 'refs/pull/12/merge',
      GITHUB_REF_NAME: '12/merge',
      GITHUB_ACTOR: 'bob',
      GITHUB_TRIGGERING_ACTOR: 'bob',
    },
  },
  pull_request_target: {
    fixture: 'pull_request',
    env: { GITHUB_ACTOR: 'bob', GITHUB_TRIGGERING_ACTOR: 'bob' },
  },
  workflow_dispatch: { fixture: 'workflow_dispatch', env: { GITHUB_WORKFLOW: 'Deploy' } },
  schedule: { fixture: 'schedule', env: { GITHUB_WORKFLOW: 'Nightly' } },
  workflow_run: { fixture: 'workflow_run', env: { GITHUB_WORKFLOW: 'Notify' } },
  issue_comment: { fixture: 'issue_comment', env: { GITHUB_WORKFLOW: 'ChatOps' } },
  release: {
    fixture: 'release',
    env: { GITHUB_REF: 'refs/tags/v1.2.0', GITHUB_REF_NAME: 'v1.2.0', GITHUB_WORKFLOW: 'Publish' },
  },
};

function viewFor(
  event: string,
  status: string,
  previousStatus?: string,
  payload?: Record<string, unknown>,
): TemplateView {
  const spec = EVENTS[event] ?? { fixture: event, env: {} };
  const env = { ...BASE_ENV, ...spec.env, GITHUB_EVENT_NAME: event };
  return buildView(env, payload ?? load(spec.fixture), status, { previousStatus });
}

const push = (status = 'failure'): TemplateView => viewFor('push', status);

/** A view with extra top-level values, for rendering tests. */
function withValues(values: Record<string, unknown>): TemplateView {
  return { ...push(), ...values } as TemplateView;
}

const visible = (text: string): string => text.split(MENTION_BREAKER).join('');

/** An `@` that HipChat could read as the start of a mention. */
const LIVE_MENTION = /(?<![\p{L}\p{N}_])@[\p{L}\p{N}_]/u;

// ---- render -----------------------------------------------------------------------------------

describe('render: html', () => {
  it('escapes markup, ampersands and both quotes in {{x}}', () => {
    const view = withValues({ x: `<script>alert("x")</script> & 'y'` });
    expect(render('<b>{{x}}</b>', view, 'html')).toBe(
      '<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</b>',
    );
  });

  it('escapes inside attributes so a value cannot break out', () => {
    const view = withValues({ url: 'https://x.test/?a=1&b="><img src=x onerror=alert(1)>' });
    expect(render('<a href="{{url}}">x</a>', view, 'html')).toBe(
      '<a href="https://x.test/?a=1&amp;b=&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">x</a>',
    );
  });

  it('leaves the template text itself alone', () => {
    expect(render('<b>Build</b> &amp; <i>test</i>', push(), 'html')).toBe(
      '<b>Build</b> &amp; <i>test</i>',
    );
  });

  it('does not touch @ in html, where HipChat has no mentions', () => {
    expect(render('{{x}}', withValues({ x: '@all' }), 'html')).toBe('@all');
  });

  it('escapes the real commit title from the payload', () => {
    expect(render('{{commit_title}}', push(), 'html')).toBe(
      'Fix the &lt;parser&gt; &amp; &quot;quotes&quot;',
    );
  });
});

describe('render: text', () => {
  it('inserts values as they are', () => {
    expect(render('{{commit_title}} on {{branch}}', push(), 'text')).toBe(
      'Fix the <parser> & "quotes" on main',
    );
  });

  it('prints numbers and booleans as written, missing names as nothing', () => {
    const view = withValues({ n: 0, yes: true, no: false, nothing: null });
    expect(render('[{{n}}|{{yes}}|{{no}}|{{nothing}}|{{missing}}|{{a.b.c}}]', view, 'text')).toBe(
      '[0|true|false|||]',
    );
  });

  it('prints objects and arrays as JSON', () => {
    const view = withValues({ obj: { a: 1 }, list: [1, 'two'] });
    expect(render('{{obj}} {{list}} {{{obj}}}', view, 'text')).toBe('{"a":1} [1,"two"] {"a":1}');
  });
});

describe('render: triple mustache is verbatim', () => {
  const view = withValues({ x: '<b>bold</b> & @all' });

  it.each<MessageFormat>(['html', 'text'])('in %s', (format) => {
    expect(render('{{{x}}}|{{& x}}', view, format)).toBe('<b>bold</b> & @all|<b>bold</b> & @all');
  });
});

describe('render: mentions in text', () => {
  it.each(['@all', '@here', '@bob', '@All', 'cc @here please', '(@bob)', 'x@all', 'x@here!'])(
    'defuses %j but it still reads the same',
    (value) => {
      const out = render('{{x}}', withValues({ x: value }), 'text');
      expect(out).not.toBe(value);
      expect(visible(out)).toBe(value);
      expect(out).not.toMatch(LIVE_MENTION);
      expect(out).not.toMatch(/@(all|here)\b/i);
    },
  );

  it('keeps an e-mail address untouched', () => {
    expect(render('{{x}}', withValues({ x: 'mail a@b.com' }), 'text')).toBe('mail a@b.com');
  });

  it('keeps a template-authored @here live, next to a defused value', () => {
    const out = render(
      '@here {{commit_title}} by @{{github.actor}}',
      withValues({
        commit_title: 'ping @all',
      }),
      'text',
    );
    expect(out.startsWith('@here ')).toBe(true);
    expect(out).toContain(`ping @${MENTION_BREAKER}all`);
    // `@` written in the template is the author's choice, even before a value.
    expect(out.endsWith('by @alice')).toBe(true);
  });

  it('defuses a value that ends in @, which the template text could complete', () => {
    const out = render('{{x}}all', withValues({ x: 'see @' }), 'text');
    expect(out).toBe(`see @${MENTION_BREAKER}all`);
  });

  it('defuses the PR title in a real pull_request view', () => {
    const out = render('{{commit_title}}', viewFor('pull_request', 'failure'), 'text');
    expect(visible(out)).toBe('Add the widget @all should see');
    expect(out).not.toMatch(LIVE_MENTION);
  });

  it('defuseMentions is idempotent', () => {
    const once = defuseMentions('@all and @bob');
    expect(defuseMentions(once)).toBe(once);
  });
});

describe('render: lookups stay inside the view', () => {
  it.each([
    '{{constructor}}',
    '{{toString}}',
    '{{hasOwnProperty}}',
    '{{__proto__}}',
    '{{github.constructor}}',
    '{{github.constructor.name}}',
    '{{branch.length}}',
    '{{branch.constructor.name}}',
    '{{github.event.constructor.constructor}}',
    '{{#constructor}}reached{{/constructor}}',
    '{{#github.event.constructor}}reached{{/github.event.constructor}}',
    '{{process.env.HOME}}',
    '{{env.INPUT_TOKEN}}',
  ])('%s renders nothing', (template) => {
    expect(render(template, push(), 'text')).toBe('');
    expect(render(template, push(), 'html')).toBe('');
  });

  it('never calls a function found in the view', () => {
    let called = false;
    const view = withValues({
      fn: () => {
        called = true;
        return 'called';
      },
    });
    expect(render('{{fn}}{{#fn}}x{{/fn}}', view, 'text')).toBe('');
    expect(called).toBe(false);
  });

  it('resolves names in sections first, then outward, like Mustache', () => {
    const template =
      '{{#pull_request}}#{{number}} {{title}} in {{github.repository}}{{/pull_request}}' +
      '{{^pull_request}}no PR{{/pull_request}}';
    expect(render(template, viewFor('pull_request', 'failure'), 'html')).toBe(
      '#12 Add the widget @all should see in acme/widgets',
    );
    expect(render(template, push(), 'html')).toBe('no PR');
  });

  it('iterates arrays and understands {{.}}', () => {
    const view = withValues({ tags: ['a', '<b>'] });
    expect(render('{{#tags}}[{{.}}]{{/tags}}', view, 'html')).toBe('[a][&lt;b&gt;]');
    expect(
      render(
        '{{#github.event.commits}}{{author.username}}{{/github.event.commits}}',
        push(),
        'text',
      ),
    ).toBe('alice');
  });

  it('accepts custom delimiters', () => {
    expect(render('{{=<% %>=}}<% github.repository %>', push(), 'text')).toBe('acme/widgets');
  });

  it('leaves the global Mustache settings alone', () => {
    render('{{x}}', withValues({ x: '@all <b>' }), 'text');
    expect(Mustache.render('{{x}}', { x: '<b>' })).toBe('&lt;b&gt;');
    expect(Mustache.tags).toEqual(['{{', '}}']);
  });
});

// ---- parseTemplate ------------------------------------------------------------------------------

describe('parseTemplate', () => {
  const errorOf = (template: string): TemplateError => {
    try {
      parseTemplate(template);
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateError);
      return error as TemplateError;
    }
    throw new Error(`no error for ${JSON.stringify(template)}`);
  };

  it('accepts a good template', () => {
    expect(
      parseTemplate('Hello {{#pull_request}}{{title}}{{/pull_request}}').length,
    ).toBeGreaterThan(0);
    expect(parseTemplate('')).toEqual([]);
  });

  it('names the line where an unclosed section opens', () => {
    const error = errorOf('first\n{{#pull_request}}\n{{title}}\nlast line');
    expect(error.line).toBe(2);
    expect(error.message).toBe(
      'Template error on line 2: section {{#pull_request}} is never closed (add {{/pull_request}})',
    );
  });

  it('names the line of a closing tag that closes nothing', () => {
    const error = errorOf('a\nb\n{{/release}}');
    expect(error.line).toBe(3);
    expect(error.message).toContain('{{/release}} closes a section that was never opened');
  });

  it('names the line of a closing tag that does not match', () => {
    const error = errorOf('{{#release}}\n{{#pull_request}}\n{{/release}}');
    expect(error.line).toBe(3);
    expect(error.message).toContain(
      '{{/release}} does not match the open section {{#pull_request}}',
    );
  });

  it('names the line of an unclosed tag', () => {
    const error = errorOf('ok {{branch}}\nbroken {{github.repository\nmore');
    expect(error.line).toBe(2);
    expect(error.message).toContain('never closed with "}}"');
  });

  it('rejects partials, which have nothing to include', () => {
    const error = errorOf('x\n\n{{> footer}}');
    expect(error.line).toBe(3);
    expect(error.message).toContain('partials ({{> footer}}) are not supported');
  });

  it('is what render throws too', () => {
    expect(() => render('{{#a}}', push(), 'text')).toThrow(TemplateError);
  });
});

// ---- unknownVariables ---------------------------------------------------------------------------

describe('unknownVariables', () => {
  it('finds typos, with 1-based lines', () => {
    const template =
      'Build of {{github.repository}}\n{{github.repostory}} {{brnach}}\n\n{{short_sha}} {{shortsha}}';
    expect(unknownVariables(template, push())).toEqual([
      { name: 'github.repostory', line: 2 },
      { name: 'brnach', line: 2 },
      { name: 'shortsha', line: 4 },
    ]);
  });

  it('is empty for the names the view has', () => {
    const template =
      '{{status}} {{status_text}} {{outcome}} {{short_sha}} {{run_url}} {{commit_title}} ' +
      '{{github.event_name}} {{github.run_attempt}} {{{branch}}} {{& branch_url}} {{! a comment }}';
    expect(unknownVariables(template, push())).toEqual([]);
  });

  it('resolves inside a section first, then outward', () => {
    const template =
      '{{#pull_request}}\n{{title}} {{github.repository}}\n{{titel}}\n{{/pull_request}}';
    const pr = viewFor('pull_request', 'failure');
    expect(unknownVariables(template, pr)).toEqual([{ name: 'titel', line: 3 }]);
    // The pull request's shape is known on a push too, where the section renders nothing.
    expect(unknownVariables(template, push())).toEqual([{ name: 'titel', line: 3 }]);
  });

  it('checks dotted names against the shape of optional fields', () => {
    const template =
      '{{release.tag}} {{release.tga}}\n{{workflow_run.conclusion}} {{pull_rquest.title}}';
    expect(unknownVariables(template, push())).toEqual([
      { name: 'release.tga', line: 1 },
      { name: 'pull_rquest.title', line: 2 },
    ]);
  });

  it('reports a misspelt section', () => {
    expect(unknownVariables('x\n{{#pull_rquest}}{{title}}{{/pull_rquest}}', push())).toEqual([
      { name: 'pull_rquest', line: 2 },
    ]);
  });

  it('checks github.event.* against the actual payload', () => {
    const template = '{{github.event.head_commit.message}}\n{{github.event.pull_request.title}}';
    expect(unknownVariables(template, push())).toEqual([
      { name: 'github.event.pull_request.title', line: 2 },
    ]);
    expect(unknownVariables(template, viewFor('pull_request', 'failure'))).toEqual([
      { name: 'github.event.head_commit.message', line: 1 },
    ]);
  });

  it('lets sections test for payload keys that only some events have', () => {
    const template =
      '{{#github.event.pull_request}}{{title}} {{nonsense}}{{/github.event.pull_request}}' +
      '{{^github.event.inputs}}no inputs{{/github.event.inputs}}';
    expect(unknownVariables(template, push())).toEqual([]);
    // Where the key exists, its contents are checked.
    expect(unknownVariables(template, viewFor('pull_request', 'failure'))).toEqual([
      { name: 'nonsense', line: 1 },
    ]);
  });

  it('checks names inside a list against its elements, and knows {{.}}', () => {
    const template =
      '{{#github.event.commits}}\n{{.}} {{id}} {{author.name}}\n{{idd}}\n{{/github.event.commits}}';
    expect(unknownVariables(template, push())).toEqual([{ name: 'idd', line: 3 }]);
  });

  it('does not resolve prototype names', () => {
    expect(unknownVariables('{{constructor}} {{branch.length}}', push())).toEqual([
      { name: 'constructor', line: 1 },
      { name: 'branch.length', line: 1 },
    ]);
  });

  it('reports a name once per line', () => {
    expect(unknownVariables('{{nope}} {{nope}}\n{{nope}}', push())).toEqual([
      { name: 'nope', line: 1 },
      { name: 'nope', line: 2 },
    ]);
  });

  it('throws on a malformed template', () => {
    expect(() => unknownVariables('{{#x}}', push())).toThrow(TemplateError);
  });
});

// ---- truncate -----------------------------------------------------------------------------------

/** No lone surrogate anywhere. */
const wellFormed = (text: string): boolean =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/** Every `&` starts a whole entity, every `<` a whole tag, and every element is closed. */
function expectSoundHtml(html: string): void {
  for (const match of html.matchAll(/&/g)) {
    expect(html.slice(match.index), html).toMatch(/^&(#\d+|#x[0-9a-f]+|[a-z]+);/i);
  }
  expect(html.replace(/<[^<>]*>/g, ''), html).not.toMatch(/[<>]/);
  const open: string[] = [];
  for (const [, closing, name] of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
    if (name === 'br') continue;
    if (closing) expect(open.pop(), html).toBe(name);
    else open.push(name ?? '');
  }
  expect(open, html).toEqual([]);
}

describe('truncate', () => {
  it('leaves a message that fits alone', () => {
    expect(truncate('short', 'text')).toEqual({
      message: 'short',
      truncated: false,
      originalLength: 5,
    });
    const exact = 'x'.repeat(10_000);
    expect(truncate(exact, 'html')).toEqual({
      message: exact,
      truncated: false,
      originalLength: 10_000,
    });
  });

  it('cuts to exactly 10,000 characters by default, with a visible marker', () => {
    const result = truncate('y'.repeat(10_001), 'text');
    expect(result.truncated).toBe(true);
    expect(result.originalLength).toBe(10_001);
    expect(result.message.length).toBe(10_000);
    expect(result.message.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(result.message.startsWith('y'.repeat(9_000))).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const cut = 10_000 - TRUNCATION_MARKER.length;
    // The emoji's high surrogate is the last unit that would fit.
    const message = 'a'.repeat(cut - 1) + '😀' + 'b'.repeat(50);
    for (const format of ['text', 'html'] as const) {
      const result = truncate(message, format);
      expect(wellFormed(result.message)).toBe(true);
      expect(result.message).toBe('a'.repeat(cut - 1) + TRUNCATION_MARKER);
    }
    // And when the whole pair fits, it is kept.
    const fits = 'a'.repeat(cut - 2) + '😀' + 'b'.repeat(50);
    expect(truncate(fits, 'text').message).toBe(`${'a'.repeat(cut - 2)}😀${TRUNCATION_MARKER}`);
  });

  it('never leaves half an entity in html', () => {
    const cut = 10_000 - TRUNCATION_MARKER.length;
    for (let offset = 1; offset <= 4; offset++) {
      // `&amp;` straddles the cut by `offset` characters.
      const message = 'a'.repeat(cut - offset) + '&amp;' + 'b'.repeat(50);
      const result = truncate(message, 'html');
      expectSoundHtml(result.message);
      expect(result.message).toBe('a'.repeat(cut - offset) + TRUNCATION_MARKER);
    }
    // A whole entity just before the cut is kept.
    const whole = 'a'.repeat(cut - 5) + '&amp;' + 'b'.repeat(50);
    expect(truncate(whole, 'html').message).toBe(`${'a'.repeat(cut - 5)}&amp;${TRUNCATION_MARKER}`);
  });

  it('never leaves half a tag, and closes what is open', () => {
    const cut = 10_000 - TRUNCATION_MARKER.length;
    const message = '<b>' + 'a'.repeat(cut - 10) + '<a href="https://example.com/x">link</a></b>';
    const result = truncate(message, 'html');
    expect(result.message.length).toBeLessThanOrEqual(10_000);
    expect(result.message).not.toContain('<a hre');
    expect(result.message.endsWith(`</b>${TRUNCATION_MARKER}`)).toBe(true);
    expectSoundHtml(result.message);
  });

  it('closes nested elements within the limit', () => {
    const message = '<b><a href="https://example.com">' + 'z'.repeat(20_000) + '</a></b>';
    const result = truncate(message, 'html');
    expect(result.message.length).toBeLessThanOrEqual(10_000);
    expect(result.message.endsWith(`</a></b>${TRUNCATION_MARKER}`)).toBe(true);
    expectSoundHtml(result.message);
  });

  it('keeps html sound at every cut position', () => {
    const unit =
      '<b>Fix</b> &amp; <a href="https://x.test/?a=1&amp;b=2">😀 link</a> &lt;ok&gt;<br>';
    const message = unit.repeat(8);
    for (let max = 20; max < message.length; max++) {
      const result = truncate(message, 'html', max);
      expect(result.message.length).toBeLessThanOrEqual(max);
      expect(result.message.endsWith(TRUNCATION_MARKER)).toBe(true);
      expect(wellFormed(result.message)).toBe(true);
      expectSoundHtml(result.message);
    }
  });

  it('does not split a defused mention in text', () => {
    const defused = defuseMentions('@all');
    const cut = 100 - TRUNCATION_MARKER.length;
    const message = 'a'.repeat(cut - 1) + defused + ' rest of the message';
    const result = truncate(message, 'text', 100);
    expect(result.message).toBe('a'.repeat(cut - 1) + TRUNCATION_MARKER);
  });

  it('still fits when the limit is smaller than the marker', () => {
    expect(truncate('abcdef', 'text', 3)).toEqual({
      message: 'abc',
      truncated: true,
      originalLength: 6,
    });
  });
});

// ---- built-in templates -------------------------------------------------------------------------

const FORMATS: MessageFormat[] = ['text', 'html'];
const OUTCOMES = ['success', 'failure', 'cancelled', ''] as const;
const RUN_EVENTS = [
  'push',
  'pull_request',
  'pull_request_target',
  'workflow_dispatch',
  'schedule',
  'workflow_run',
  'issue_comment',
];
/** How a fact from the view appears in the message. */
const shown = (fact: string, format: MessageFormat): string =>
  format === 'html' ? escapeHtml(fact) : fact;

function expectTidy(message: string, format: MessageFormat, template: string): void {
  expect(message).not.toMatch(/undefined|null|NaN|\[object/);
  expect(message).not.toMatch(/\{\{|\}\}/);
  expect(message).not.toMatch(/ {2}|\(\)|\( | \)/);
  expect(message).not.toContain('href=""');
  if (format === 'text') {
    expect(message.split('\n').length).toBeLessThanOrEqual(2);
    expect(template).not.toMatch(/<[a-z]/);
    expect(message).not.toMatch(LIVE_MENTION);
  } else {
    expect(message).not.toContain('\n');
    const tags = [...message.matchAll(/<\/?([a-z]+)/g)].map((match) => match[1]);
    for (const tag of tags) expect(['a', 'b', 'code', 'br']).toContain(tag);
    expectSoundHtml(message);
  }
}

describe('defaultTemplate: build events', () => {
  for (const event of RUN_EVENTS) {
    for (const status of OUTCOMES) {
      for (const format of FORMATS) {
        it(`${event} × ${status || 'none'} × ${format}`, () => {
          const view = viewFor(event, status);
          const template = defaultTemplate(view, format);
          const message = render(template, view, format);
          expectTidy(message, format, template);
          expect(message.startsWith(view.status_icon + ' ')).toBe(true);
          expect(message).toContain('acme/widgets');
          expect(message).toContain(view.status_text);
          expect(message).toContain(shown(view.branch, format));
          expect(message).toContain(view.short_sha);
          expect(view.short_sha).toHaveLength(7);
          if (view.commit_title) {
            expect(visible(message)).toContain(shown(view.commit_title, format));
          }
          if (event === 'schedule') expect(message).toContain('scheduled run of');
          else expect(message).toContain(view.actor);
          const runLink = event === 'workflow_run' ? view.workflow_run?.url : view.run_url;
          expect(runLink).toMatch(/^https:\/\//);
          expect(message).toContain(format === 'html' ? `href="${runLink}"` : `\n${runLink}`);
        });
      }
    }
  }

  // The sentences themselves are each kind's words table (__tests__/words/); here, the facts.
  it('names the facts of a failed push, in a line a busy room can read', () => {
    const view = push('failure');
    const [headline, link, ...more] = renderDefault(view, 'text').split('\n');
    expect(more).toEqual([]);
    expect(link).toBe('https://github.com/acme/widgets/actions/runs/4242');
    for (const fact of ['acme/widgets', 'CI', 'main', '9f8e7d6', 'alice']) {
      expect(headline).toContain(fact);
    }
    expect(headline).toContain('“Fix the <parser> & "quotes"”');
    const html = renderDefault(view, 'html');
    expect(html).toContain('<a href="https://github.com/acme/widgets">acme/widgets</a>');
    expect(html).toContain('<b>CI</b>');
    expect(html).toContain('<a href="https://github.com/acme/widgets/tree/main">main</a>');
    expect(html).toContain(' Fix the &lt;parser&gt; &amp; &quot;quotes&quot; ');
    expect(html).toContain(
      '<a href="https://github.com/acme/widgets/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"><code>9f8e7d6</code></a>',
    );
    expect(html).toContain(
      ' · <a href="https://github.com/acme/widgets/actions/runs/4242">run #42</a>',
    );
  });

  it('names the PR, its head branch and the triggering actor', () => {
    const text = renderDefault(viewFor('pull_request', 'failure'), 'text');
    const [headline, link] = visible(text).split('\n');
    for (const fact of ['PR #12', '“Add the widget @all should see”', 'feature/new-widget']) {
      expect(headline).toContain(fact);
    }
    expect(headline).toContain('abcdef0');
    expect(headline).toMatch(/ by bob$/);
    expect(link).toBe('https://github.com/acme/widgets/actions/runs/4242');
    expect(text).not.toMatch(LIVE_MENTION);
    const html = renderDefault(viewFor('pull_request', 'failure'), 'html');
    expect(html).toContain('<a href="https://github.com/acme/widgets/pull/12">PR #12</a>');
    expect(html).toContain('<a href="https://github.com/bob/widgets/tree/feature/new-widget">');
  });

  it('links the upstream run for workflow_run, and names it', () => {
    const text = renderDefault(viewFor('workflow_run', 'failure'), 'text');
    const [headline, link] = text.split('\n');
    for (const fact of ['Build', 'release/2.x', '“Speed up the build”', '1234567', 'alice']) {
      expect(headline).toContain(fact);
    }
    expect(headline).not.toContain('Notify');
    expect(link).toBe('https://github.com/acme/widgets/actions/runs/9876543210');
  });

  it('names who started a manual run; a scheduled run names nobody', () => {
    const manual = renderDefault(viewFor('workflow_dispatch', 'failure'), 'text');
    expect(manual.split('\n')[0]).toMatch(/^❌ acme\/widgets: .*Deploy.* by alice$/);
    const scheduled = renderDefault(viewFor('schedule', 'failure'), 'text');
    expect(scheduled.split('\n')[0]).toMatch(/^❌ acme\/widgets: .*Nightly.*\(9f8e7d6\)$/);
    expect(scheduled).not.toContain(' by ');
  });

  it('names any other event', () => {
    const text = renderDefault(viewFor('issue_comment', 'success'), 'text');
    expect(text.split('\n')[0]).toMatch(
      /^✅ acme\/widgets: ChatOps .*\(comment created on issue #7 “Something is broken”, 9f8e7d6\) by alice$/,
    );
  });

  it('links the attempt of a re-run', () => {
    const view = buildView(
      { ...BASE_ENV, GITHUB_EVENT_NAME: 'push', GITHUB_RUN_ATTEMPT: '2' },
      load('push'),
      'failure',
    );
    expect(renderDefault(view, 'html')).toContain(
      '<a href="https://github.com/acme/widgets/actions/runs/4242/attempts/2">run #42 (attempt 2)</a>',
    );
  });
});

// GitHub's conclusions (timed_out, neutral…) and the wording against the previous run (fixed,
// still failing, broken again) are rows of the push words table (__tests__/words/push.ts).

describe('defaultTemplate: releases', () => {
  const release = (status: string, payload?: Record<string, unknown>): TemplateView =>
    viewFor('release', status, undefined, payload);

  for (const status of ['success', ''] as const) {
    for (const format of FORMATS) {
      it(`announces the release (${status || 'none'} × ${format})`, () => {
        const view = release(status);
        const message = renderDefault(view, format);
        expectTidy(message, format, defaultTemplate(view, format));
        expect(message).toContain('v1.2.0');
        expect(message).toContain(shown('Widgets 1.2 "Sprocket"', format));
        expect(message).toContain('carol');
        const link = 'https://github.com/acme/widgets/releases/tag/v1.2.0';
        expect(message).toContain(format === 'html' ? `href="${link}"` : `\n${link}`);
      });
    }
  }

  for (const status of ['failure', 'cancelled'] as const) {
    for (const format of FORMATS) {
      it(`says the release workflow ${status === 'failure' ? 'failed' : 'was cancelled'} (${format})`, () => {
        const view = release(status);
        const message = renderDefault(view, format);
        expectTidy(message, format, defaultTemplate(view, format));
        const plain = message.replace(/<[^>]+>/g, '');
        expect(plain).toMatch(/ Publish .* v1\.2\.0 /);
        expect(message).toContain(shown('Widgets 1.2 "Sprocket"', format));
        expect(message).not.toMatch(/released|published/);
        expect(message).toContain(
          format === 'html' ? `href="${view.run_url}"` : `\n${view.run_url}`,
        );
        if (format === 'html') {
          expect(message).toContain('href="https://github.com/acme/widgets/releases/tag/v1.2.0"');
        }
      });
    }
  }

  it('announces a pre-release, without repeating a name that is only the tag', () => {
    const view = release('success', {
      action: 'published',
      release: {
        tag_name: 'v2.0.0-rc.1',
        name: '',
        prerelease: true,
        html_url: 'https://github.com/acme/widgets/releases/tag/v2.0.0-rc.1',
        author: { login: 'carol' },
      },
    });
    const [headline, link] = renderDefault(view, 'text').split('\n');
    expect(headline!.split('v2.0.0-rc.1')).toHaveLength(2);
    expect(headline).toMatch(/^✅ acme\/widgets: .*pre-release.* by carol$/);
    expect(link).toBe('https://github.com/acme/widgets/releases/tag/v2.0.0-rc.1');
  });

  it('says what happened to an edited release', () => {
    const view = release('success', { ...load('release'), action: 'edited' });
    const text = renderDefault(view, 'text');
    expect(text).toMatch(/^✅ acme\/widgets: .*v1\.2\.0.* updated/);
    expect(text).not.toContain('released');
  });
});

describe('defaultTemplate: sparse facts', () => {
  for (const event of [...RUN_EVENTS, 'release', 'repository_dispatch']) {
    for (const format of FORMATS) {
      it(`${event} with no payload and a bare environment (${format})`, () => {
        for (const status of OUTCOMES) {
          const view = buildView({ GITHUB_EVENT_NAME: event }, {}, status);
          const message = renderDefault(view, format);
          expectTidy(message, format, defaultTemplate(view, format));
          expect(message.length).toBeGreaterThan(5);
        }
      });
    }
  }

  it('skips the icon when the view has none', () => {
    const view = { ...push(), status_icon: '' };
    expect(renderDefault(view, 'text').startsWith('acme/widgets: CI ')).toBe(true);
  });

  it('renderDefault is render(defaultTemplate)', () => {
    const view = viewFor('pull_request', 'success');
    expect(renderDefault(view, 'html')).toBe(render(defaultTemplate(view, 'html'), view, 'html'));
  });
});
