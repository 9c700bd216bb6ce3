/**
 * `npm run screenshots`: the README's pictures, made from preview pages (the same code as
 * `npm run preview`) in headless Chromium, so they always show what the action really sends.
 *
 *   docs/images/card.png     a failed push with `card: true`, as the room shows it
 *   docs/images/preview.png  the preview page of a custom template, typo warning included
 *   docs/images/follow-up.png  a deploy's start note with its outcome attached under it
 *
 * Needs a browser (found as scripts/lib/chromium.ts says: CHROMIUM_PATH, Chromium, Chrome or
 * Edge) and, for the ✅/❌ status icons to be drawn, a colour emoji font (Debian's
 * `fonts-noto-color-emoji`). Pictures are 2× for sharp text on
 * high-density screens, cut to their content, so they stay small.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib/action-runner.ts';
import { launchChromium } from './lib/chromium.ts';
import { buildPreview } from './lib/preview-build.ts';
import type { PreviewOptions } from './lib/preview-build.ts';
import { previewPage } from './lib/preview-page.ts';

const OUT_DIR = path.join(ROOT, 'docs', 'images');

/** The template shown in preview.png: what a team might keep in `.github/hipchat.mustache`. */
const SAMPLE_TEMPLATE = `{{status_icon}} <b>{{github.repository}}</b> — PR <a href="{{pull_request.url}}">#{{pull_request.number}} {{pull_request.titel}}</a>
by {{pull_request.author}} {{status_text}} on <code>{{short_sha}}</code> · <a href="{{run_url}}">run #{{github.run_number}}</a>`;

interface Shot {
  file: string;
  options: PreviewOptions;
  /** Element to capture; the whole page when absent. */
  selector?: string;
  /** Page width in CSS pixels. */
  width: number;
}

const SHOTS: Shot[] = [
  {
    file: 'card.png',
    options: { eventName: 'push', status: 'failure', card: true, from: 'CI' },
    selector: '[data-testid="notification"]',
    width: 640,
  },
  {
    file: 'follow-up.png',
    options: { eventName: 'workflow_dispatch', status: 'success', from: 'CI', followUp: true },
    selector: 'main',
    width: 640,
  },
  {
    file: 'preview.png',
    options: { eventName: 'pull_request', status: 'success', template: SAMPLE_TEMPLATE },
    width: 760,
  },
];

function warnIfNoEmojiFont(): void {
  const fonts = spawnSync('fc-list', [':charset=2705'], { encoding: 'utf8' });
  if (fonts.status === 0 && !fonts.stdout.trim()) {
    console.warn(
      'No font draws ✅/❌ here: the status icons will be boxes. Install one first, e.g. apt-get install fonts-noto-color-emoji.',
    );
  }
}

async function main(): Promise<void> {
  warnIfNoEmojiFont();
  mkdirSync(OUT_DIR, { recursive: true });
  const work = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-shots-'));
  // Short viewports: `fullPage` grows the picture to the content's height, no further.
  const browser = await launchChromium({ deviceScaleFactor: 2 });
  try {
    const page = await browser.context.newPage();
    for (const shot of SHOTS) {
      const preview = await buildPreview(shot.options);
      const html = path.join(work, `${path.parse(shot.file).name}.html`);
      writeFileSync(html, previewPage(preview));
      await page.setViewportSize({ width: shot.width, height: 120 });
      await page.goto(pathToFileURL(html).href);
      const target = path.join(OUT_DIR, shot.file);
      if (shot.selector) {
        await page.locator(shot.selector).screenshot({ path: target });
      } else {
        await page.screenshot({ path: target, fullPage: true });
      }
      console.log(
        `${path.relative(ROOT, target)}: ${Math.round(statSync(target).size / 1024)} KiB`,
      );
    }
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
