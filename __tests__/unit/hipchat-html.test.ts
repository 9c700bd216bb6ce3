// The preview's idea of what HipChat shows: its safe HTML subset, and text with links.
import { describe, expect, it } from 'vitest';
import {
  htmlToTerminalText,
  renderTextMessage,
  safeUrl,
  sanitizeCardHtml,
  sanitizeMessageHtml,
} from '../../scripts/lib/hipchat-html.ts';

describe('sanitizeMessageHtml', () => {
  it.each([
    ['keeps the subset', '<b>a</b> <i>b</i> <code>c</code> <br> <ul><li>d</li></ul>'],
    ['keeps entities', 'Fix &lt;parser&gt; &amp; &quot;quotes&quot;'],
    ['keeps a web link', '<a href="https://x.test/?a=1&amp;b=2">x</a>'],
  ])('%s', (_label, html) => {
    const out = sanitizeMessageHtml(html);
    expect(out.replace(/ target="_blank" rel="noopener noreferrer"/g, '')).toBe(html);
  });

  it.each([
    ['<script>alert(1)</script>ok', 'ok'],
    ['<SCRIPT type="x">alert(1)</SCRIPT >ok', 'ok'],
    ['<style>body{display:none}</style>ok', 'ok'],
    ['<svg><script>alert(1)</script></svg>ok', 'ok'],
    ['<b onclick="alert(1)" class="x">bold</b>', '<b>bold</b>'],
    ['<div><p>text</p></div>', 'text'],
    ['<!-- <script>alert(1)</script> -->ok', 'ok'],
    ['a < b > c & d', 'a &lt; b &gt; c &amp; d'],
    ['<a title="x>y" href="https://ok.test">t</a>', '<a href="https://ok.test">t</a>'],
  ])('makes %j safe', (html, expected) => {
    expect(
      sanitizeMessageHtml(html).replace(/ target="_blank" rel="noopener noreferrer"/g, ''),
    ).toBe(expected);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' java\tscript:alert(1)',
    'jav&#x61;script:alert(1)',
    '&#106;avascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:x',
  ])('drops the href %j, keeping the text', (href) => {
    expect(sanitizeMessageHtml(`<a href="${href}">t</a>`)).toBe('<a>t</a>');
  });

  it('balances what it keeps, and ignores closers of elements it never opened', () => {
    expect(sanitizeMessageHtml('</div></td><b><i>x</b>y')).toBe('<b><i>x</i></b>y');
    expect(sanitizeMessageHtml('<b>open')).toBe('<b>open</b>');
  });

  it('shows images as a placeholder, never loading them', () => {
    const out = sanitizeMessageHtml('<img src="https://x.test/a.png" alt="logo" onerror="x()">');
    expect(out).toContain('🖼 logo');
    expect(out).not.toMatch(/<img|onerror/);
  });

  it('keeps only harmless span styles', () => {
    expect(
      sanitizeMessageHtml(
        '<span style="color: red; position: fixed; background-color: url(x)">r</span>',
      ),
    ).toBe('<span style="color: red">r</span>');
  });

  it('allows fewer tags in cards', () => {
    expect(sanitizeCardHtml('<b>b</b><code>c</code><ul><li>l</li></ul>')).toBe('<b>b</b>cl');
  });
});

describe('safeUrl', () => {
  it('accepts web links and decodes entities', () => {
    expect(safeUrl('https://x.test/?a=1&amp;b=2')).toBe('https://x.test/?a=1&b=2');
    expect(safeUrl('mailto:a@x.test')).toBeUndefined();
    expect(safeUrl('mailto:a@x.test', ['mailto:'])).toBe('mailto:a@x.test');
    expect(safeUrl('/relative')).toBeUndefined();
  });
});

describe('renderTextMessage', () => {
  it('escapes, links URLs without trailing punctuation, and marks live mentions only', () => {
    expect(renderTextMessage('<b>hi</b> @bob, see https://x.test/a?b=1&c=2. @\u2060all')).toBe(
      '&lt;b&gt;hi&lt;/b&gt; <span class="mention" title="pings @bob">@bob</span>, see ' +
        '<a href="https://x.test/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">' +
        'https://x.test/a?b=1&amp;c=2</a>. @\u2060all',
    );
  });

  it('does not take an e-mail address for a mention', () => {
    expect(renderTextMessage('alice@example.com')).toBe('alice@example.com');
  });
});

describe('htmlToTerminalText', () => {
  it('reads like the room, with the links listed after the text', () => {
    expect(
      htmlToTerminalText('✅ <a href="https://x.test/r">acme/app</a>: <b>CI</b> &amp; more<br>x'),
    ).toBe('✅ acme/app: CI & more\nx\nlinks:\n  acme/app → https://x.test/r');
  });
});
