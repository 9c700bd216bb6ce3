/**
 * `status: started`, end to end on the bundle: a deploy-start note reads "🚀 … started" in
 * yellow (message and card), and `send-when` never counts it as a change — skipped without a
 * single GitHub API request, the log saying why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAL_TOKEN, ROOM_CI } from '../../sandbox/server.ts';
import { startFakeGithub } from '../support/fake-github.ts';
import type { FakeGithub } from '../support/fake-github.ts';
import { eventRun, logLines, step, useSandbox } from './helpers.ts';
import { rowOf, wordsPattern } from '../words/table.ts';
import { WORKFLOW_DISPATCH_WORDS } from '../words/workflow-dispatch.ts';

const sandbox = useSandbox(undefined, { resetEach: true });
let github: FakeGithub;

beforeAll(async () => {
  github = await startFakeGithub({ repository: 'acme/widgets' });
});
afterAll(async () => {
  await github.close();
});

describe('status: started', () => {
  it('posts a yellow "🚀 … started" note with a card', async () => {
    const run = await step(sandbox, {
      ...eventRun('workflow_dispatch'),
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, status: 'started', card: 'true' },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const [got] = sandbox.notifications(ROOM_CI.name);
    expect(got?.body.color).toBe('yellow');
    const words = rowOf(WORKFLOW_DISPATCH_WORDS, 'started');
    expect(String(got?.body.message)).toMatch(wordsPattern(words.html));
    expect(String(got?.body.message)).toContain('<b>CI</b>');
    const card = got?.body.card as { attributes?: { value: { label: string; style?: string } }[] };
    expect(card.attributes?.[0]?.value).toEqual({ label: 'started', style: 'lozenge-current' });
  });

  it.each(['changed', 'failure-or-changed'])(
    'send-when: %s never counts it as a change: nothing sent, no API call',
    async (mode) => {
      github.requests.length = 0;
      const run = await step(sandbox, {
        ...eventRun('push'),
        githubToken: github.token,
        env: { ...eventRun('push').env, GITHUB_API_URL: github.url },
        with: {
          token: PERSONAL_TOKEN,
          room: ROOM_CI.name,
          status: 'in_progress',
          'send-when': mode,
        },
      });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(sandbox.notifications(ROOM_CI.name)).toEqual([]);
      expect(github.requests).toEqual([]);
      expect(logLines(run).join('\n')).toContain(
        `send-when: ${mode}: skipped: a start note (in_progress) is never a change`,
      );
      // The would-be message is still the output, in the started wording.
      expect(run.outputs.message).toContain('🚀');
    },
  );
});
