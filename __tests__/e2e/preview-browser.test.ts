/**
 * `npm run preview` as a template author uses it: run the script, open the page it wrote in a
 * real browser (headless Chromium, Chrome or Edge, driven by playwright-core), and check what a
 * person sees — texts, the colour bar, the card's lozenge — and that a `<script>` smuggled in
 * through a commit message does not run.
 *
 * On a machine without a browser the suite is skipped with a one-line notice saying how to get
 * one. REQUIRE_BROWSER=1 (set by .ci/run, which installs Debian's chromium) makes a missing
 * browser a failure instead, so CI always runs it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/action-runner.ts';
import { findBrowser, launchChromium, noBrowserMessage } from '../../scripts/lib/chromium.ts';
import type { Chromium } from '../../scripts/lib/chromium.ts';
import { PUSH_WORDS } from '../words/push.ts';
import { rowOf, wordsPattern } from '../words/table.ts';

const run = promisify(execFile);

/**
 * The browser globals the in-page callbacks use. The project compiles without the DOM library
 * (it is Node code), so callbacks reach them through `globalThis` with this type.
 */
interface InPage {
  getComputedStyle(element: unknown): { backgroundColor: string; color: string };
  document: {
    querySelectorAll(selector: string): Iterable<{ attributes: Iterable<{ name: string }> }>;
  };
  __pwned?: unknown;
}

/** HipChat's colours as the page draws them (computed style strings). */
const RED = 'rgb(208, 68, 55)';
const GREEN = 'rgb(20, 137, 44)';

let browser: Chromium;
let dir: string;
let page: Page;
/** Every URL the page asked for: a preview must load nothing but itself. */
let requested: string[];
/** Console messages, e.g. "Refused to execute inline script…" if a script reached the page. */
let consoleMessages: string[];

/** Runs `node scripts/preview.ts …args --out <tmp>/<name>` and opens the page it wrote. */
async function preview(name: string, args: string[]): Promise<string> {
  const out = path.join(dir, name);
  const { stdout } = await run(process.execPath, ['scripts/preview.ts', ...args, '--out', out], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  await page.goto(pathToFileURL(path.join(out, 'preview.html')).href);
  return stdout;
}

/** An event payload file in the test's directory. */
function eventFile(name: string, payload: unknown): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

const backgroundOf = (selector: string): Promise<string> =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => (globalThis as unknown as InPage).getComputedStyle(el).backgroundColor);

/** Skipped only where no browser is found and none is required. */
const skip = !findBrowser() && process.env.REQUIRE_BROWSER !== '1';
if (skip) console.warn(`preview browser test skipped: ${noBrowserMessage()}`);

describe.skipIf(skip)('preview page in Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-preview-'));
    browser = await launchChromium();
    page = await browser.context.newPage();
    // A page that misbehaves must fail a test quickly, not hang it until vitest's timeout.
    page.setDefaultTimeout(5_000);
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => consoleMessages.push(message.text()));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    requested = [];
    consoleMessages = [];
  });
  afterEach(() => {
    expect(requested.every((url) => url.startsWith('file://'))).toBe(true);
  });

  it('shows a failed push with its card as HipChat would: red bar, lozenge, fallback message', async () => {
    const stdout = await preview('push-card', ['--status', 'failure', '--card']);
    expect(stdout).toContain('Status:      failure [lozenge-error]');

    const card = page.getByTestId('card');
    await expect.poll(() => card.isVisible()).toBe(true);
    const cardText = await card.innerText();
    const title = wordsPattern(rowOf(PUSH_WORDS, 'failure').card);
    const titleLink = card.getByRole('link', { name: title });
    expect(await titleLink.innerText()).toContain('acme/widgets');
    // The commit title, shown as text: the payload's <parser> is neither markup nor &lt;.
    expect(cardText).toContain('Fix the <parser> & "quotes"');
    expect(cardText).toMatch(/BRANCH\s+main/);
    expect(cardText).toMatch(/ACTOR\s+alice/);
    expect(await titleLink.getAttribute('href')).toBe(
      'https://github.com/acme/widgets/actions/runs/7012345678',
    );

    // The Status lozenge: red, white text, reading FAILURE.
    const lozenge = card.locator('.lozenge');
    expect(await lozenge.innerText()).toBe('FAILURE');
    expect(
      await lozenge.evaluate(
        (el) => (globalThis as unknown as InPage).getComputedStyle(el).backgroundColor,
      ),
    ).toBe(RED);
    expect(
      await lozenge.evaluate((el) => (globalThis as unknown as InPage).getComputedStyle(el).color),
    ).toBe('rgb(255, 255, 255)');

    // The colour bar, in the message's colour, and wide enough to see.
    expect(await backgroundOf('[data-testid="notification"] [data-testid="color-bar"]')).toBe(RED);
    const bar = await page.getByTestId('color-bar').first().boundingBox();
    expect(bar?.width).toBeGreaterThanOrEqual(4);
    expect(bar?.height).toBeGreaterThanOrEqual(30);

    // The message is still there, below, as the fallback.
    const fallback = page.getByTestId('fallback');
    expect(await fallback.isVisible()).toBe(true);
    const fallbackText = await fallback.innerText();
    for (const fact of [
      'acme/widgets',
      'main',
      'Fix the <parser> & "quotes"',
      '9f8e7d6',
      'alice',
    ]) {
      expect(fallbackText).toContain(fact);
    }
    expect(fallbackText).toContain(' · run #42');
    expect(await backgroundOf('[data-testid="fallback"] [data-testid="color-bar"]')).toBe(RED);
    expect(await fallback.locator('b', { hasText: 'CI' }).count()).toBe(1);
  });

  it('never runs script that a commit message smuggles into the message', async () => {
    const evil =
      'Fix <script>window.__pwned = "script"; document.title = "pwned"</script>' +
      '<img src=x onerror="window.__pwned = \'onerror\'">' +
      '<a href="javascript:window.__pwned = \'link\'">click me</a>' +
      '<svg onload="window.__pwned = \'svg\'"></svg><b onmouseover="window.__pwned = \'hover\'">bold</b>';
    const event = eventFile('evil-push', {
      ref: 'refs/heads/main',
      after: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      repository: { full_name: 'acme/widgets', html_url: 'https://github.com/acme/widgets' },
      sender: { login: 'mallory' },
      head_commit: { id: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432', message: evil },
    });
    // {{{…}}} puts the title in verbatim, as a careless template would; {{…}} escapes it.
    await preview('evil', [
      '--event',
      event,
      '--card',
      '--template',
      'raw: {{{commit_title}}} | escaped: {{commit_title}}',
    ]);

    const pwned = () => page.evaluate(() => (globalThis as unknown as InPage).__pwned);
    expect(await pwned()).toBeUndefined(); // no <script>, no onerror, no onload
    const message = page.getByTestId('fallback').getByTestId('message');
    await message.getByText('click me').click();
    await message.locator('b', { hasText: 'bold' }).hover();
    expect(await pwned()).toBeUndefined(); // no javascript: link, no onmouseover
    expect(await page.title()).not.toBe('pwned');

    // Gone from the page itself, not merely blocked: no script, no handlers, no js: links.
    expect(await page.locator('script').count()).toBe(0);
    expect(
      await page.evaluate(() =>
        [...(globalThis as unknown as InPage).document.querySelectorAll('*')].flatMap((el) =>
          [...el.attributes].map((a) => a.name).filter((name) => name.startsWith('on')),
        ),
      ),
    ).toEqual([]);
    expect(await message.locator('a[href^="javascript"]').count()).toBe(0);
    expect(consoleMessages.filter((m) => /Refused|Content Security Policy/i.test(m))).toEqual([]);

    // What a person sees: the raw part shows its harmless text, the escaped part the source.
    const [raw, escaped] = (await message.innerText()).split(' | escaped: ');
    // Script is dropped with its content; the image is a placeholder (the page loads nothing).
    expect(raw).toBe('raw: Fix 🖼 imageclick mebold');
    expect(escaped).toBe(evil);
    // The card's description is plain text too.
    expect(await page.getByTestId('card').innerText()).toContain('Fix <script>');
  });

  it('shows a card whose branch name carries markup as text, as HipChat draws the escaped card', async () => {
    const pr = JSON.parse(
      readFileSync(path.join(ROOT, '__tests__', 'fixtures', 'events', 'pull_request.json'), 'utf8'),
    ) as { pull_request: { head: Record<string, unknown> } };
    pr.pull_request.head.ref = '<b>bold</b>&<i>it</i>';
    const stdout = await preview('card-markup', [
      '--event',
      eventFile('markup-pr', pr),
      '--card',
      '--status',
      'failure',
    ]);
    // The terminal shows the text the room reads, not the entities sent.
    expect(stdout).toContain('Branch:      <b>bold</b>&<i>it</i> <');
    const card = page.getByTestId('card');
    expect(await card.innerText()).toMatch(/BRANCH\s+<b>bold<\/b>&<i>it<\/i>/);
    expect(await card.locator('dd b, dd i').count()).toBe(0);
  });

  it('shows a text message with links and live mentions, and defused ones as plain text', async () => {
    await preview('text', [
      '--event-name',
      'pull_request',
      '--format',
      'text',
      '--template',
      '{{pull_request.title}} by {{pull_request.author}} — cc @carol\n{{pull_request.url}}',
    ]);
    const message = page.getByTestId('message');
    expect(await message.innerText()).toBe(
      'Add the widget @\u2060all should see by bob — cc @carol\nhttps://github.com/acme/widgets/pull/12',
    );
    const link = message.getByRole('link', { name: 'https://github.com/acme/widgets/pull/12' });
    expect(await link.isVisible()).toBe(true);
    // @carol, typed in the template, pings; the @all from the PR title was defused and does not.
    expect(await message.locator('.mention').allInnerTexts()).toEqual(['@carol']);
    expect(await backgroundOf('[data-testid="color-bar"]')).toBe(GREEN);
  });

  it('shows the warnings the action would log, such as an unknown variable and its line', async () => {
    const stdout = await preview('typo', [
      '--event-name',
      'release',
      '--template',
      '{{github.repository}} {{release.tag}}\nby {{github.repostory}}',
    ]);
    expect(stdout).toContain('{{github.repostory}} (line 2)');
    const warnings = page.getByTestId('warnings');
    expect(await warnings.isVisible()).toBe(true);
    expect(await warnings.innerText()).toContain('{{github.repostory}} (line 2)');
    // Still a message, as the action would still send it.
    expect(await page.getByTestId('message').innerText()).toBe('acme/widgets v1.2.0 by');
  });

  it('shows a follow-up under the start note it is attached to, indented, with only the outcome', async () => {
    const stdout = await preview('follow-up', [
      '--event-name',
      'workflow_dispatch',
      '--status',
      'success',
      '--follow-up',
    ]);
    expect(stdout).toContain('attached to');
    const parent = page.getByTestId('parent');
    const replies = page.getByTestId('follow-up');
    expect(await parent.innerText()).toMatch(
      /🚀 acme\/widgets: manual run of Deploy started on main/,
    );
    const child = replies.getByTestId('notification');
    expect(await child.innerText()).toContain('✅ Deploy succeeded · run #42');
    expect(await child.innerText()).not.toContain('acme/widgets');
    expect(await backgroundOf('[data-testid="parent"] [data-testid="color-bar"]')).toBe(
      'rgb(246, 195, 66)',
    );
    expect(await backgroundOf('[data-testid="follow-up"] [data-testid="color-bar"]')).toBe(GREEN);
    // Under its parent and indented from it.
    const above = await parent.boundingBox();
    const below = await child.boundingBox();
    expect(below!.y).toBeGreaterThan(above!.y + above!.height - 1);
    expect(below!.x).toBeGreaterThan(above!.x + 20);
  });
});
