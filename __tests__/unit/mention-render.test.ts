/**
 * The one live mention: `{{mention}}` renders `@mention_name` in text only for a person value
 * the action made; every other route to an `@` (event text, forged objects, html, truncation)
 * stays defused or plain.
 */
import { describe, expect, it } from 'vitest';
import type { PersonValue, TemplateView } from '../../src/context/view.js';
import { buildView } from '../../src/context/view.js';
import { personValue, render, renderDefault } from '../../src/message/template.js';
import { isMentionName } from '../../src/text/mentions.js';
import { truncate } from '../../src/message/truncate.js';

/** The mentions HipChat would make of a text message. */
function liveMentions(message: string): string[] {
  return [...message.matchAll(/(?<![\p{L}\p{N}_])@([\p{L}\p{N}_]+)/gu)].map((m) => m[1]!);
}

const ENV = {
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_WORKFLOW: 'CI',
  GITHUB_RUN_ID: '1',
  GITHUB_ACTOR: 'alice',
};
const HOSTILE = {
  head_commit: {
    id: 'abc',
    message: 'Ping @all @here @someone (@bob) and a@b.example',
    author: { name: 'Mallory @all', email: 'alice@example.com', username: 'alice' },
  },
  x: { name: '@all', mention_name: 'all' },
};

function view(status: string, mention?: PersonValue): TemplateView {
  return buildView(ENV, HOSTILE, status, mention ? { mention } : {});
}

describe('{{mention}}', () => {
  const alice = personValue('Alice Smith', 'AliceSmith');

  it('is live in text, whichever braces, and nothing else in the message is', () => {
    const v = view('failure', alice);
    const out = render(
      '{{mention}} {{{mention}}} {{& mention}} {{commit_title}} {{github.event.x}}',
      v,
      'text',
    );
    expect(liveMentions(out)).toEqual(['AliceSmith', 'AliceSmith', 'AliceSmith']);
    expect(render('{{mention.name}} / {{mention.mention_name}}', v, 'text')).toBe(
      'Alice Smith / AliceSmith',
    );
  });

  it('names the person without an @ in html, escaped, whichever braces', () => {
    const v = view('failure', personValue('<b>Al</b> @all', 'AliceSmith'));
    expect(render('{{mention}}|{{{mention}}}', v, 'html')).toBe(
      '&lt;b&gt;Al&lt;/b&gt; @all|&lt;b&gt;Al&lt;/b&gt; @all',
    );
  });

  it('renders an unresolved person as their defused name', () => {
    const v = view('failure', personValue('Mallory @all', ''));
    const out = render('{{mention}} {{{mention}}}', v, 'text');
    expect(liveMentions(out)).toEqual([]);
    expect(out).toContain('Mallory @\u2060all');
  });

  it('cannot be forged: plain objects and unsafe names render defused', () => {
    const forged = { name: '@all', mention_name: 'all' } as PersonValue;
    // `{{{x}}}` is verbatim for plain values by design; the view's own `mention` is never one.
    expect(liveMentions(render('{{mention}}', view('failure', forged), 'text'))).toEqual([]);
    for (const name of ['all', 'HERE', 'Ali ce', '', 'a'.repeat(51), 'x@y']) {
      expect(isMentionName(name), name).toBe(false);
      expect(
        liveMentions(render('{{mention}}', view('failure', personValue('P', name)), 'text')),
      ).toEqual([]);
    }
  });

  it('is in the built-in text message on failure: exactly one live mention', () => {
    const out = renderDefault(view('failure', alice), 'text');
    expect(liveMentions(out)).toEqual(['AliceSmith']);
    expect(out.split('\n')[0]).toMatch(/ by alice · cc @AliceSmith$/);
    const html = renderDefault(view('failure', alice), 'html');
    expect(html).toContain(' · cc Alice Smith');
    expect(html).not.toContain('@AliceSmith');
  });

  it('is absent from built-in messages that are not failures, and when nobody is named', () => {
    for (const status of ['success', 'cancelled', 'skipped']) {
      expect(renderDefault(view(status, alice), 'text')).not.toContain('· cc');
    }
    expect(liveMentions(renderDefault(view('failure'), 'text'))).toEqual([]);
  });

  it('is never cut into a shorter, live mention of someone else', () => {
    const message = `${'x '.repeat(20)}@AliceSmith tail`;
    for (let max = 30; max < message.length; max++) {
      const { message: cut } = truncate(message, 'text', max);
      const live = liveMentions(cut);
      expect(
        live.every((name) => name === 'AliceSmith'),
        `${max}: ${cut}`,
      ).toBe(true);
    }
  });
});
