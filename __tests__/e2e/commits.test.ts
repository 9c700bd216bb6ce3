/**
 * `commits` end to end on the bundle: a release announcement lists the commits since the
 * previous release, read from the fake GitHub API (releases, then the comparison of the two
 * tags), capped with "… and K more" linking the comparison; without `contents: read` it says
 * so once and sends. A push lists its payload's commits without any request.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PERSONAL_TOKEN, ROOM_CI } from '../../sandbox/server.ts';
import { fakeSha } from '../support/fake-github-commits.ts';
import { startFakeGithub } from '../support/fake-github.ts';
import type { FakeGithub } from '../support/fake-github.ts';
import { eventRun, logLines, step, useSandbox } from './helpers.ts';

const sandbox = useSandbox(undefined, { resetEach: true });
let github: FakeGithub;

/** v1.1.0, seven commits, v1.2.0 on the last of them (the release fixture's tag). */
const HISTORY = {
  commits: [
    { message: 'Release 1.1', author: 'carol', release: { tag: 'v1.1.0' } },
    { message: 'Add sprockets\n\nLong body', author: 'alice' },
    { message: 'Fix <the> parser @all', author: 'bob' },
    { message: 'Docs', author: 'alice' },
    { message: 'Refactor', author: 'dave' },
    { message: 'Speed up', author: 'erin' },
    { message: 'Bump deps', author: 'dependabot[bot]' },
    { message: 'Release 1.2', author: 'carol', release: { tag: 'v1.2.0' } },
  ],
};

beforeAll(async () => {
  github = await startFakeGithub({ repository: 'acme/widgets', history: HISTORY });
});
afterAll(async () => {
  await github.close();
});
beforeEach(() => {
  github.failWith(null);
  github.requests.length = 0;
});

function release(inputs: Record<string, string>) {
  const run = eventRun('release');
  return step(sandbox, {
    ...run,
    githubToken: github.token,
    env: { ...run.env, GITHUB_API_URL: github.url },
    with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, format: 'text', commits: '5', ...inputs },
  });
}

describe('a release announcement with commits', () => {
  it('lists the commits since the previous release, capped with "… and K more"', async () => {
    const run = await release({});
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const [posted] = sandbox.notifications(ROOM_CI.name);
    const lines = String(posted?.body.message).split('\n');
    expect(lines[0]).toMatch(/^✅ acme\/widgets: v1\.2\.0 released/);
    const short = (i: number) => fakeSha(i).slice(0, 7);
    expect(lines.slice(2)).toEqual([
      `• ${short(1)} Add sprockets — alice`,
      `• ${short(2)} Fix <the> parser @\u2060all — bob`,
      `• ${short(3)} Docs — alice`,
      `• ${short(4)} Refactor — dave`,
      `• ${short(5)} Speed up — erin`,
      `… and 2 more: ${github.webUrl}/acme/widgets/compare/v1.1.0...v1.2.0`,
    ]);
    expect(github.requests.filter((r) => r.host === 'api').map((r) => r.path)).toEqual([
      '/repos/acme/widgets/releases',
      '/repos/acme/widgets/compare/v1.1.0...v1.2.0',
    ]);
  });

  it('html: each short sha links its commit, "2 more" the comparison', async () => {
    const run = await release({ format: 'html' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const message = String(sandbox.notifications(ROOM_CI.name)[0]?.body.message);
    expect(message).toContain(
      `<br>• <a href="https://github.com/acme/widgets/commit/${fakeSha(2)}"><code>${fakeSha(2).slice(0, 7)}</code></a> Fix &lt;the&gt; parser @all — bob`,
    );
    expect(message).toContain(
      `<br>… and <a href="${github.webUrl}/acme/widgets/compare/v1.1.0...v1.2.0">2 more</a>`,
    );
  });

  it('without contents: read it says so once and sends the announcement', async () => {
    github.failWith(403);
    const run = await release({});
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const [posted] = sandbox.notifications(ROOM_CI.name);
    expect(String(posted?.body.message).split('\n')).toHaveLength(2);
    const notices = logLines(run).filter((line) => line.includes('commits:'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^::notice::commits: the release's commits are left out: GitHub answered 403 .*contents: read/,
    );
    expect(run.outputs.sent).toBe('1');
  });

  it('commits: 0 (the default) asks GitHub nothing', async () => {
    const run = await release({ commits: '0' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(github.requests).toEqual([]);
  });
});

describe('a push with commits', () => {
  it("lists the payload's commits without any request", async () => {
    const run = await step(sandbox, {
      ...eventRun('push'),
      githubToken: github.token,
      env: { ...eventRun('push').env, GITHUB_API_URL: github.url },
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, format: 'text', commits: '3' },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const lines = String(sandbox.notifications(ROOM_CI.name)[0]?.body.message).split('\n');
    expect(lines[2]).toBe('• 9f8e7d6 Fix the <parser> & "quotes" — alice');
    expect(github.requests).toEqual([]);
  });

  it.each(['21', '-1', 'many'])('commits: %s is an input error', async (value) => {
    const run = await step(sandbox, {
      ...eventRun('push'),
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, commits: value },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain(
      `\`commits\` is '${value}': expected a whole number from 0 to 20.`,
    );
    expect(sandbox.notifications(ROOM_CI.name)).toEqual([]);
  });
});
