/**
 * `npm run preview` with the whole-run facts of a jobs listing on disk (the sample run in
 * `__tests__/fixtures/github/jobs.json`): what `summary: run` and `summary: job` would post,
 * without the GitHub API and without sending anything.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/action-runner.ts';

const run = promisify(execFile);
const out = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-preview-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function preview(args: string[]): Promise<{ stdout: string; page: string }> {
  const { stdout } = await run(process.execPath, ['scripts/preview.ts', ...args, '--out', out], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return { stdout, page: readFileSync(path.join(out, 'preview.html'), 'utf8') };
}

describe('preview of the whole run', () => {
  it('summary: run from the sample listing: computed status, failed jobs, log lines, counts', async () => {
    const { stdout, page } = await preview(['--summary', 'run', '--log-lines', '2', '--card']);
    expect(stdout).toMatch(/status failure/); // computed: the push itself said success
    expect(stdout).toContain('colour red');
    expect(stdout).toContain('— 2 of 8 jobs failed');
    expect(stdout).toContain('test (ubuntu-latest, 22)</a> failed at step <b>Run tests</b>');
    expect(stdout).toContain(
      '<pre>  AssertionError: expected &#39;a1b2&#39; to be &#39;c3d4&#39;\nError: Process completed with exit code 1.</pre>',
    );
    expect(stdout).toContain('<br>5 succeeded, 1 skipped');
    expect(stdout).not.toContain('>notify</a>'); // the notifying job itself
    expect(stdout).toMatch(/Failed: +2 \[lozenge-error\]/);
    expect(page).toContain('2 of 8 jobs failed');
  });

  it("summary: job names this job's failed step when the listing has it", async () => {
    const { stdout } = await preview(['--summary', 'job', '--status', 'failure']);
    // The sample's notifying job has no failed step: the message of before, no job link.
    expect(stdout).toContain('❌ ');
    expect(stdout).not.toContain('at step');
  });
});
