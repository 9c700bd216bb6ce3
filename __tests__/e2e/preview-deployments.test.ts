/**
 * `npm run preview` of the deployment events' sample payloads, a push's commit list and
 * `notify` per outcome: the message and card a room would get, and the card accepted by the
 * sandbox's schema (no card-schema warnings).
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

describe('preview of deployments', () => {
  it('deployment_status (guessed from the payload): state, environment, URL and card', async () => {
    const file = path.join(ROOT, '__tests__', 'fixtures', 'events', 'deployment_status.json');
    const { stdout, page } = await preview(['--event', file, '--card']);
    expect(stdout).toContain('Preview of a deployment_status (guessed');
    expect(stdout).toContain(
      'Deployed v1.4.2 to <a href="https://widgets.example.com/"><b>production</b></a>',
    );
    expect(stdout).toMatch(/Environment: +production/);
    expect(stdout).toMatch(
      /URL: +https:\/\/widgets\.example\.com\/ <https:\/\/widgets\.example\.com\/>/,
    );
    expect(stdout).not.toContain('card schema:');
    expect(page).toContain('Deployed v1.4.2 to');
  });

  it('the deploy recipe started: the 🚀 note with the environment page', async () => {
    const { stdout } = await preview([
      '--event-name',
      'deployment',
      '--status',
      'started',
      '--card',
      '--format',
      'text',
    ]);
    expect(stdout).toContain('🚀 acme/widgets: Deploying v1.4.2 to production started');
    expect(stdout).toContain('https://github.com/acme/widgets/deployments/production');
    expect(stdout).toContain('colour yellow');
    expect(stdout).not.toContain('card schema:');
  });
});

describe('preview of commits and notify', () => {
  it("a push's commits under the message", async () => {
    const { stdout } = await preview(['--commits', '2', '--format', 'text']);
    expect(stdout).toContain('• 9f8e7d6 Fix the <parser> & "quotes" — alice');
  });

  it('notify: failure, fixed alerts on the first success after a failure only', async () => {
    const fixed = await preview(['--notify', 'failure, fixed', '--previous-status', 'failure']);
    expect(fixed.stdout).toContain('notify true');
    const again = await preview(['--notify', 'failure, fixed', '--previous-status', 'success']);
    expect(again.stdout).toContain('notify false');
  });
});
