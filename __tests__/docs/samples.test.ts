/**
 * Every sample message in README.md and docs/ is exactly what its example posts: the example's
 * step runs on the bundle against the sandbox and the fake GitHub API (lib/run-example.ts), and
 * the message the sandbox received, as the room shows it, equals the sample as a reader sees it.
 * A sample that no scenario in lib/samples.ts claims fails, so a new one cannot go unchecked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_FACTS } from '../../scripts/lib/action-runner.ts';
import { ROOMY_LIMITS, useSandbox } from '../e2e/helpers.ts';
import { startFakeGithub } from '../support/fake-github.ts';
import type { FakeGithub } from '../support/fake-github.ts';
import { where } from '../../scripts/lib/markdown-docs.ts';
import { DOC_ROOMS, RUN_ID, runExample } from './lib/run-example.ts';
import {
  exampleAt,
  findSamples,
  flowing,
  lines,
  roomText,
  sampleAt,
  SCENARIOS,
} from './lib/samples.ts';

const sandbox = useSandbox({ limits: ROOMY_LIMITS, rooms: DOC_ROOMS }, { resetEach: true });
let github: FakeGithub;
beforeAll(async () => {
  github = await startFakeGithub({ repository: SAMPLE_FACTS.GITHUB_REPOSITORY, runId: RUN_ID });
});
afterAll(() => github.close());

describe('sample messages are what their examples post', () => {
  const samples = findSamples();

  it('every sample in the docs has its scenario', () => {
    const claimed = SCENARIOS.map((s) => where(sampleAt(s.sample, samples)));
    expect(samples.map(where).filter((w) => !claimed.includes(w))).toEqual([]);
  });

  it.each(SCENARIOS.map((s) => [`${s.sample.file} "${s.sample.heading}"`, s]))(
    '%s',
    async (_, scenario) => {
      const sample = sampleAt(scenario.sample, samples);
      const actionStep = exampleAt(scenario.example);
      const result = await runExample(actionStep, sandbox, github, scenario.failures);
      expect(result.exitCode, result.stdout).toBe(0);
      const [posted] = sandbox.notifications();
      expect(posted, result.stdout).toBeDefined();
      const shown = roomText(posted!.message, posted!.messageFormat ?? 'html');
      if (sample.kind === 'quote') expect(flowing(sample.text)).toBe(flowing(shown));
      else expect(lines(sample.text)).toBe(lines(shown));
    },
  );
});
