/**
 * runner-io.ts appends the step summary itself (CONTRIBUTING.md: Keeping start-up fast): it
 * must leave the file as `core.summary.addRaw(markdown, true).write()` does and fail with the
 * same errors, so the two are run side by side on real files.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendStepSummary } from '../../src/report/runner-io.js';

let dir: string;
const saved = process.env.GITHUB_STEP_SUMMARY;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-summary-'));
});
afterEach(() => {
  if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
  else process.env.GITHUB_STEP_SUMMARY = saved;
  forgetPath();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * core.summary reads GITHUB_STEP_SUMMARY once and keeps the path after its first write (a run
 * writes once, so the action's writer reads it per call): each case starts it afresh.
 */
function forgetPath(): void {
  core.summary.emptyBuffer();
  Reflect.set(core.summary, '_filePath', undefined);
}

/** The error each writer throws for the summary file named by `file` (undefined: unset). */
async function errors(file: string | undefined): Promise<[string, string]> {
  if (file === undefined) delete process.env.GITHUB_STEP_SUMMARY;
  else process.env.GITHUB_STEP_SUMMARY = file;
  const ours = (() => {
    try {
      appendStepSummary('x');
      return 'no error';
    } catch (error) {
      return (error as Error).message;
    }
  })();
  forgetPath();
  const theirs = await core.summary
    .addRaw('x', true)
    .write()
    .then(
      () => 'no error',
      (error: Error) => error.message,
    );
  core.summary.emptyBuffer();
  return [ours, theirs];
}

describe('appendStepSummary', () => {
  it('appends the bytes core.summary appends, line end included', async () => {
    const markdown = '## Sent ✅\n\n| room | result |\n| --- | --- |\n| CI | delivered |';
    const mine = path.join(dir, 'mine.md');
    const core_ = path.join(dir, 'core.md');
    for (const file of [mine, core_]) writeFileSync(file, 'before\n');
    process.env.GITHUB_STEP_SUMMARY = mine;
    appendStepSummary(markdown);
    appendStepSummary('second');
    process.env.GITHUB_STEP_SUMMARY = core_;
    forgetPath();
    await core.summary.addRaw(markdown, true).write();
    await core.summary.addRaw('second', true).write();
    expect(readFileSync(mine)).toEqual(readFileSync(core_));
    expect(readFileSync(mine, 'utf8')).toContain(`before\n${markdown}`);
  });

  it('fails as core.summary does without GITHUB_STEP_SUMMARY', async () => {
    const [ours, theirs] = await errors(undefined);
    expect(ours).toBe(theirs);
    expect(ours).toMatch(/GITHUB_STEP_SUMMARY/);
  });

  it('fails as core.summary does when the file is missing', async () => {
    const [ours, theirs] = await errors(path.join(dir, 'absent', 'summary.md'));
    expect(ours).toBe(theirs);
    expect(ours).toMatch(/^Unable to access summary file: '.*summary\.md'/);
  });

  // Root may write a read-only file (CI runs as root): there the permission case cannot arise.
  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
    'fails as core.summary does when the file is read-only',
    async () => {
      const file = path.join(dir, 'read-only.md');
      writeFileSync(file, '');
      chmodSync(file, 0o444);
      const [ours, theirs] = await errors(file);
      expect(ours).toBe(theirs);
      expect(ours).toMatch(/read\/write permissions/);
    },
  );

  it('fails as core.summary does when the path is a directory, for any user', async () => {
    const [ours, theirs] = await errors(dir);
    expect(ours).toBe(theirs);
    expect(ours).toMatch(/EISDIR/);
  });
});
