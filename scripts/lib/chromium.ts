/**
 * Headless Chromium for the preview's browser test and the README screenshots: Debian's
 * `chromium` package (`apt-get install chromium`), driven by `playwright-core`, which ships no
 * browser of its own. Each launch gets a fresh profile directory, removed on close, and the
 * flags keep the browser from talking to the network on its own (updates, sync, safe browsing).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

/**
 * Where Debian's `chromium` package puts the browser; `CHROMIUM_PATH` names another build (e.g.
 * the Google Chrome that GitHub's Ubuntu runners ship).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags for a quiet, headless, offline-by-default Chromium in a container running as root. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

/** A running browser; `close()` also deletes its profile directory. */
export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh `--user-data-dir`. Throws, saying how to install it,
 * when `/usr/bin/chromium` is missing: callers must not quietly skip what they were asked to do.
 */
export async function launchChromium(
  options: { deviceScaleFactor?: number; viewport?: { width: number; height: number } } = {},
): Promise<Chromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} not found: install Debian's chromium package (apt-get install -y --no-install-recommends chromium); .ci/run does this in CI.`,
    );
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-chromium-'));
  try {
    // A persistent context is how Playwright takes an explicit profile directory.
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: options.viewport ?? { width: 900, height: 600 },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
    });
    return {
      context,
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
