/**
 * Headless Chromium for the preview's browser test and the README screenshots, driven by
 * `playwright-core` (which ships no browser of its own). The browser is found where one already
 * is: `CHROMIUM_PATH`, Debian's `chromium`, Google Chrome, Microsoft Edge, or the build that
 * `npx playwright-core install chromium` downloads. Each launch gets a fresh profile directory,
 * removed on close, and the flags keep the browser from talking to the network on its own.
 */
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

/** Flags for a quiet, headless, offline-by-default Chromium in a container running as root. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

/** What to do when no browser is found: one line, for the skip notice and the launch error. */
const BROWSER_HINT =
  'set CHROMIUM_PATH to a Chromium, Chrome or Edge binary, install one ' +
  '(Debian/Ubuntu: apt-get install -y --no-install-recommends chromium), ' +
  'or download playwright\u2019s own build with: npx playwright-core install chromium';

/** A browser binary and where it came from (for messages). */
export interface FoundBrowser {
  path: string;
  source: string;
}

/** Where to look; the defaults are this machine's. Injected by the unit tests. */
export interface BrowserSearch {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  exists?: (file: string) => boolean;
  /** Where this playwright-core version keeps its downloaded Chromium. */
  playwrightPath?: () => string | undefined;
}

const at = (source: string, file: string): FoundBrowser => ({ source, path: file });

/** The places browsers are installed on each system, most specific first. */
function systemCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): FoundBrowser[] {
  if (platform === 'darwin') {
    return [
      at('Chromium', '/Applications/Chromium.app/Contents/MacOS/Chromium'),
      at('Google Chrome', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
      at('Microsoft Edge', '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge'),
    ];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(
      (root): root is string => Boolean(root),
    );
    return roots.flatMap((root) => [
      at('Google Chrome', path.win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe')),
      at('Microsoft Edge', path.win32.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe')),
    ]);
  }
  return [
    at("Debian's chromium", '/usr/bin/chromium'),
    at('chromium-browser', '/usr/bin/chromium-browser'),
    at('Google Chrome', '/usr/bin/google-chrome'),
    at('Google Chrome', '/usr/bin/google-chrome-stable'),
    at('Microsoft Edge', '/usr/bin/microsoft-edge'),
    at('Microsoft Edge', '/usr/bin/microsoft-edge-stable'),
  ];
}

/** Playwright's own download for this playwright-core version, if it names one. */
function playwrightDownload(): string | undefined {
  try {
    return chromium.executablePath() || undefined;
  } catch {
    return undefined;
  }
}

/** Every place a browser may be, in the order they are tried. */
export function browserCandidates(search: BrowserSearch = {}): FoundBrowser[] {
  const env = search.env ?? process.env;
  const candidates: FoundBrowser[] = [];
  if (env.CHROMIUM_PATH) candidates.push({ source: 'CHROMIUM_PATH', path: env.CHROMIUM_PATH });
  candidates.push(...systemCandidates(search.platform ?? process.platform, env));
  const own = (search.playwrightPath ?? playwrightDownload)();
  if (own) candidates.push({ source: 'playwright download', path: own });
  return candidates;
}

/**
 * Whether `file` is a program this user can start: a regular file, executable (on Windows,
 * where there is no execute bit, a regular file). A leftover path, a directory or a file that
 * lost its execute bit is no browser, and trying it would fail the test instead of skipping it.
 */
export function isRunnable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first browser binary that can be run, or undefined when this machine has none. */
export function findBrowser(search: BrowserSearch = {}): FoundBrowser | undefined {
  const exists = search.exists ?? isRunnable;
  return browserCandidates(search).find((candidate) => exists(candidate.path));
}

/** Why no browser was found, and how to get one: a single line. */
export function noBrowserMessage(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.CHROMIUM_PATH ? ` (CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist)` : '';
  return `no Chromium, Chrome or Edge found${named}: ${BROWSER_HINT}`;
}

/** A running browser; `close()` also deletes its profile directory. */
export interface Chromium {
  context: BrowserContext;
  /** The binary that was launched and where it was found. */
  browser: FoundBrowser;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh `--user-data-dir`. Throws, saying how to get a
 * browser, when none is found: callers that may go without one check `findBrowser()` first.
 */
export async function launchChromium(
  options: { deviceScaleFactor?: number; viewport?: { width: number; height: number } } = {},
): Promise<Chromium> {
  const browser = findBrowser();
  if (!browser) throw new Error(noBrowserMessage());
  const profile = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-chromium-'));
  try {
    // A persistent context is how Playwright takes an explicit profile directory.
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: browser.path,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: options.viewport ?? { width: 900, height: 600 },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
    });
    return {
      context,
      browser,
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
