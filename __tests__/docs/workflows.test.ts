/**
 * Every YAML block of README.md and docs/ is a workflow, or a fragment wrapped minimally into
 * one (the test name says how), and GitHub's own workflow parser (@actions/workflow-parser, the
 * schema the Actions service and editor use, shipped in the package) accepts it. Every
 * hipchat-notify step uses the current major tag, only inputs action.yml declares, and values
 * the action's input parser accepts (expressions replaced by the stand-ins of lib/examples.ts).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  evaluateDefault,
  loadActionYml,
  samplePushEvent,
} from '../../scripts/lib/action-runner.ts';
import { InputError, parseInputs } from '../../src/inputs/inputs.ts';
import { loadYamlParser } from '../../src/inputs/yaml-loader.ts';
import { actionSteps, majorTag, toExample } from './lib/examples.ts';
import { blocksOf, where } from '../../scripts/lib/markdown-docs.ts';
import { runnerInputs, workspaceFiles } from './lib/run-example.ts';

// The parser imports its schema JSON without `with { type: 'json' }`, which Node refuses: add it.
registerHooks({
  load(url, context, nextLoad) {
    if (url.includes('/@actions/workflow-parser/') && url.endsWith('.json')) {
      return nextLoad(url, {
        ...context,
        importAttributes: { ...context.importAttributes, type: 'json' },
      });
    }
    return nextLoad(url, context);
  },
});
const { parseWorkflow, NoOperationTraceWriter } = await import('@actions/workflow-parser');

const blocks = blocksOf(['yaml', 'yml']);
const examples = blocks.map((block) => ({ block, example: toExample(block) }));
const scratch = mkdtempSync(path.join(tmpdir(), 'hipchat-docs-inputs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('YAML examples are workflows GitHub accepts', () => {
  it('finds the examples', () => {
    expect(blocks.length).toBeGreaterThan(15);
  });

  it.each(
    examples.map(({ block, example }) => [
      `${where(block)} (${example.how || 'a complete workflow'})`,
      example,
    ]),
  )('%s', (_, example) => {
    const result = parseWorkflow(
      { name: where(example.block), content: example.yaml },
      new NoOperationTraceWriter(),
    );
    const errors = result.context.errors.getErrors().map((e) => e.message);
    expect(errors, example.yaml).toEqual([]);
  });

  it('a complete workflow names itself, so the room reads its name rather than its path', () => {
    const unnamed = examples
      .filter(
        ({ example }) => example.kind === 'workflow' && typeof example.workflow.name !== 'string',
      )
      .map(({ block }) => where(block));
    expect(unnamed).toEqual([]);
  });
});

const steps = examples.flatMap(({ example }) => actionSteps(example));

describe('hipchat-notify steps in the docs', () => {
  const inputs = Object.keys(loadActionYml().inputs);

  it('there are some', () => {
    expect(steps.length).toBeGreaterThan(10);
  });

  it.each(steps.map((s) => [`${where(s.example.block)} job ${s.job} step ${s.index + 1}`, s]))(
    '%s',
    async (_, s) => {
      expect(s.uses, "the moving major tag of package.json's version").toBe(
        `hipchat-notify/hipchat-notify@${majorTag()}`,
      );
      expect(
        Object.keys(s.with).filter((key) => !inputs.includes(key)),
        'inputs action.yml does not declare',
      ).toEqual([]);
      // The values as written (server included), through the action's own parser.
      const given: Record<string, string> = {
        ...runnerInputs(s, '', ''),
        server: String(s.with.server ?? ''),
      };
      const workspace = mkdtempSync(path.join(scratch, 'ws-'));
      for (const [rel, content] of Object.entries(workspaceFiles(s))) {
        mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
        writeFileSync(path.join(workspace, rel), content);
      }
      // An input not given takes action.yml's default, its expressions evaluated as the runner does.
      const defaults = loadActionYml().inputs;
      const context = {
        jobStatus: 'failure',
        githubToken: 'ghs_stand_in',
        event: samplePushEvent(),
      };
      const read = (name: string): string =>
        given[name] ?? evaluateDefault(String(defaults[name]?.default ?? ''), context);
      let problems: string[] = [];
      try {
        parseInputs(read, workspace, await loadYamlParser(read));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems = error.problems;
      }
      expect(problems).toEqual([]);
    },
  );
});
