/**
 * Where the preview's browser test looks for a browser, as a plain function of the environment,
 * the platform and which files exist (all injected), and what counts as a browser binary
 * (`isRunnable`, on a few files of a temporary folder).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  browserCandidates,
  findBrowser,
  isRunnable,
  noBrowserMessage,
} from '../../scripts/lib/chromium.ts';

const present =
  (...files: string[]) =>
  (file: string): boolean =>
    files.includes(file);
const noPlaywright = (): undefined => undefined;

describe('findBrowser', () => {
  it('takes CHROMIUM_PATH before any installed browser', () => {
    const found = findBrowser({
      env: { CHROMIUM_PATH: '/opt/my/chrome' },
      platform: 'linux',
      exists: present('/opt/my/chrome', '/usr/bin/chromium'),
      playwrightPath: noPlaywright,
    });
    expect(found).toEqual({ source: 'CHROMIUM_PATH', path: '/opt/my/chrome' });
  });

  it("finds Debian's chromium, then Google Chrome, when CHROMIUM_PATH names nothing", () => {
    const search = { env: { CHROMIUM_PATH: '/nowhere' }, platform: 'linux' as const };
    expect(
      findBrowser({ ...search, exists: present('/usr/bin/chromium', '/usr/bin/google-chrome') }),
    ).toEqual({ source: "Debian's chromium", path: '/usr/bin/chromium' });
    expect(findBrowser({ ...search, exists: present('/usr/bin/google-chrome') })?.source).toBe(
      'Google Chrome',
    );
  });

  it('finds Chrome and Edge where macOS and Windows install them', () => {
    expect(
      findBrowser({
        env: {},
        platform: 'darwin',
        exists: present('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge'),
        playwrightPath: noPlaywright,
      })?.source,
    ).toBe('Microsoft Edge');
    expect(
      findBrowser({
        env: { 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)' },
        platform: 'win32',
        exists: present('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'),
        playwrightPath: noPlaywright,
      }),
    ).toEqual({
      source: 'Microsoft Edge',
      path: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    });
  });

  it("falls back to playwright's own download, last", () => {
    const own = '/home/dev/.cache/ms-playwright/chromium-1/chrome-linux64/chrome';
    const search = { env: {}, platform: 'linux' as const, playwrightPath: () => own };
    expect(browserCandidates(search).at(-1)).toEqual({ source: 'playwright download', path: own });
    expect(findBrowser({ ...search, exists: present(own) })?.path).toBe(own);
  });

  it('finds nothing on a machine without a browser', () => {
    expect(
      findBrowser({
        env: {},
        platform: 'linux',
        exists: () => false,
        playwrightPath: noPlaywright,
      }),
    ).toBeUndefined();
  });
});

describe('isRunnable', () => {
  it('is a regular, executable file: not a device, a directory, a missing or a plain file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-browser-'));
    try {
      const program = path.join(dir, 'chromium');
      writeFileSync(program, '#!/bin/sh\n', { mode: 0o755 });
      const plain = path.join(dir, 'notes.txt');
      writeFileSync(plain, 'text', { mode: 0o644 });
      expect(isRunnable(program)).toBe(true);
      expect(isRunnable(dir)).toBe(false);
      expect(isRunnable(path.join(dir, 'absent'))).toBe(false);
      if (process.platform !== 'win32') {
        expect(isRunnable('/dev/null')).toBe(false);
        // Root may execute any file with an execute bit, but not one without any.
        expect(isRunnable(plain)).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('noBrowserMessage', () => {
  it('is one line that names a wrong CHROMIUM_PATH and says how to get a browser', () => {
    const message = noBrowserMessage({ CHROMIUM_PATH: '/nowhere' });
    expect(message).not.toContain('\n');
    expect(message).toContain('CHROMIUM_PATH=/nowhere does not exist');
    expect(message).toContain('apt-get install -y --no-install-recommends chromium');
    expect(message).toContain('npx playwright-core install chromium');
    expect(noBrowserMessage({})).not.toContain('CHROMIUM_PATH=');
  });
});
