/**
 * `push`: the build alert, its commit title the head commit's.
 * Over the real payload in __tests__/fixtures/events/push.json (src/context/events/push.ts).
 */
import { describe, expect, it } from 'vitest';
import { kindOf } from '../../../src/context/events/registry.js';
import { run } from './helpers.js';

describe('push events', () => {
  it('are described by the push kind', () => {
    expect(kindOf(run('push', 'push', 'success').view).name).toBe('push');
  });

  it('word the success message and card', () => {
    const { text, html, card } = run('push', 'push', 'success');
    expect(text).toBe(
      '✅ acme/widgets: CI succeeded on main — “Fix the <parser> & "quotes"” (9f8e7d6) by alice\nhttps://github.com/acme/widgets/actions/runs/4242',
    );
    expect(html).toBe(
      '✅ <a href="https://github.com/acme/widgets">acme/widgets</a>: <b>CI</b> succeeded on <a href="https://github.com/acme/widgets/tree/main">main</a> — Fix the &lt;parser&gt; &amp; &quot;quotes&quot; (<a href="https://github.com/acme/widgets/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"><code>9f8e7d6</code></a>) by alice · <a href="https://github.com/acme/widgets/actions/runs/4242">run #42</a>',
    );
    expect(card).toMatchObject({
      title: 'acme/widgets — CI succeeded',
      url: 'https://github.com/acme/widgets/actions/runs/4242',
      description: { value: 'Fix the <parser> & "quotes"', format: 'text' },
    });
  });

  it('word the failure message and card', () => {
    const { text, html, card } = run('push', 'push', 'failure');
    expect(text).toBe(
      '❌ acme/widgets: CI failed on main — “Fix the <parser> & "quotes"” (9f8e7d6) by alice\nhttps://github.com/acme/widgets/actions/runs/4242',
    );
    expect(html).toBe(
      '❌ <a href="https://github.com/acme/widgets">acme/widgets</a>: <b>CI</b> failed on <a href="https://github.com/acme/widgets/tree/main">main</a> — Fix the &lt;parser&gt; &amp; &quot;quotes&quot; (<a href="https://github.com/acme/widgets/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"><code>9f8e7d6</code></a>) by alice · <a href="https://github.com/acme/widgets/actions/runs/4242">run #42</a>',
    );
    expect(card).toMatchObject({
      title: 'acme/widgets — CI failed',
      url: 'https://github.com/acme/widgets/actions/runs/4242',
      description: { value: 'Fix the <parser> & "quotes"', format: 'text' },
    });
  });

  it('word the failure after success message and card', () => {
    const { text, html, card } = run('push', 'push', 'failure', {
      extras: { previousStatus: 'success' },
    });
    expect(text).toBe(
      '❌ acme/widgets: CI is broken again on main — “Fix the <parser> & "quotes"” (9f8e7d6) by alice\nhttps://github.com/acme/widgets/actions/runs/4242',
    );
    expect(html).toBe(
      '❌ <a href="https://github.com/acme/widgets">acme/widgets</a>: <b>CI</b> is broken again on <a href="https://github.com/acme/widgets/tree/main">main</a> — Fix the &lt;parser&gt; &amp; &quot;quotes&quot; (<a href="https://github.com/acme/widgets/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"><code>9f8e7d6</code></a>) by alice · <a href="https://github.com/acme/widgets/actions/runs/4242">run #42</a>',
    );
    expect(card).toMatchObject({
      title: 'acme/widgets — CI is broken again',
      url: 'https://github.com/acme/widgets/actions/runs/4242',
      description: { value: 'Fix the <parser> & "quotes"', format: 'text' },
    });
  });

  it('take the commit, branch and title from the payload', () => {
    const { view } = run('push', 'push', 'success');
    expect(view).toMatchObject({
      commit_sha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      branch: 'main',
      branch_url: 'https://github.com/acme/widgets/tree/main',
      commit_title: 'Fix the <parser> & "quotes"',
    });
  });
});
