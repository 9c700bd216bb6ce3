/**
 * Deploy notes end to end on the bundle: the README's recipe (`status: started` before the
 * deploy, the job's status after it) on a `deployment` event, started → success and started →
 * failure, and a `deployment_status` event whose state is the news. The room gets the
 * environment, its URL, the ref and the right outcome, in the message and the card.
 */
import { describe, expect, it } from 'vitest';
import { PERSONAL_TOKEN, ROOM_CI } from '../../sandbox/server.ts';
import { eventRun, step, useSandbox } from './helpers.ts';
import { DEPLOYMENT_WORDS } from '../words/deployment.ts';
import { rowOf, wordsPattern } from '../words/table.ts';

const sandbox = useSandbox(undefined, { resetEach: true });

/** The runner's facts of a `deployment` workflow deploying the tag v1.4.2. */
function deployRun(name: 'deployment' | 'deployment_status') {
  const base = eventRun(name);
  return {
    ...base,
    env: {
      ...base.env,
      GITHUB_WORKFLOW: 'Deploy',
      GITHUB_REF: 'refs/tags/v1.4.2',
      GITHUB_REF_NAME: 'v1.4.2',
      GITHUB_REF_TYPE: 'tag',
    },
  };
}

interface PostedCard {
  url?: string;
  attributes?: { label: string; value: { label: string; url?: string } }[];
}

/** Runs one notify step of the recipe and returns what the room received. */
async function notifyStep(
  name: 'deployment' | 'deployment_status',
  inputs: Record<string, string>,
  jobStatus = 'success',
) {
  const run = await step(sandbox, {
    ...deployRun(name),
    jobStatus,
    with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, format: 'text', card: 'true', ...inputs },
  });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  const posted = sandbox.notifications(ROOM_CI.name).at(-1);
  return {
    run,
    message: String(posted?.body.message),
    color: posted?.body.color,
    card: posted?.body.card as PostedCard,
  };
}

const PAGE = 'https://github.com/acme/widgets/deployments/production';

describe('the deploy recipe on a deployment event', () => {
  it.each([
    ['success', 'green'],
    ['failure', 'red'],
  ])('started → %s', async (outcome, color) => {
    const before = await notifyStep('deployment', { status: 'started' });
    expect(before.color).toBe('yellow');
    expect(before.message).toMatch(wordsPattern(rowOf(DEPLOYMENT_WORDS, 'started').text));
    // The facts in the words: environment, ref, commit and the environment's page.
    expect(before.message).toContain('v1.4.2 to production');
    expect(before.message.split('\n').at(-1)).toBe(PAGE);
    // The final step leaves `status` to its default: the job's status.
    const after = await notifyStep('deployment', {}, outcome);
    expect(after.color).toBe(color);
    expect(after.message).toMatch(wordsPattern(rowOf(DEPLOYMENT_WORDS, outcome).text));
    expect(after.message).toContain('v1.4.2 to production');
    expect(after.message).toContain('(9f8e7d6) by alice');
    expect(after.message.split('\n')).toContain(PAGE);
    expect(after.run.outputs.status).toBe(outcome);
    expect(after.card.attributes).toEqual(
      expect.arrayContaining([
        { label: 'Environment', value: { label: 'production' } },
        {
          label: 'URL',
          value: { label: expect.stringMatching(/^https:\/\/github\.com\//), url: PAGE },
        },
        {
          label: 'Tag',
          value: { label: 'v1.4.2', url: 'https://github.com/acme/widgets/tree/v1.4.2' },
        },
      ]),
    );
    expect(sandbox.notifications(ROOM_CI.name)).toHaveLength(2);
  });
});

describe('a deployment_status event', () => {
  it("reports the deployment's state, not the notifying job's, with the environment's URL", async () => {
    const event = structuredClone(deployRun('deployment_status').event) as Record<
      string,
      Record<string, unknown>
    >;
    event.deployment_status!.state = 'failure';
    const run = await step(sandbox, {
      ...deployRun('deployment_status'),
      event,
      jobStatus: 'success',
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, card: 'true' },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const [posted] = sandbox.notifications(ROOM_CI.name);
    expect(posted?.body.color).toBe('red');
    expect(String(posted?.body.message)).toContain(
      'Deploy of v1.4.2 to <a href="https://widgets.example.com/"><b>production</b></a> failed',
    );
    expect(run.outputs.status).toBe('failure');
    expect((posted?.body.card as PostedCard).url).toBe('https://widgets.example.com/');
  });
});
