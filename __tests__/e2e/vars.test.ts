/**
 * `vars`, end to end on the bundle: the workflow's own values in a template, escaped like every
 * value; an invalid map is an input error before the first request, and nothing is sent.
 */
import { describe, expect, it } from 'vitest';
import { PERSONAL_TOKEN, ROOM_CI } from '../../sandbox/server.ts';
import { step, useSandbox } from './helpers.ts';

const sandbox = useSandbox(undefined, { resetEach: true });

describe('vars', () => {
  it('fills {{vars.name}} in a template, escaped for the format', async () => {
    const run = await step(sandbox, {
      with: {
        token: PERSONAL_TOKEN,
        room: ROOM_CI.name,
        vars: 'environment: prod <eu>\nversion: "1.10"\n',
        template: 'Deployed {{vars.version}} to <b>{{vars.environment}}</b>',
      },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.warnings).toEqual([]);
    const [got] = sandbox.notifications(ROOM_CI.name);
    expect(got?.body.message).toBe('Deployed 1.10 to <b>prod &lt;eu&gt;</b>');
  });

  it('reads a JSON map in text format, mentions defused', async () => {
    const run = await step(sandbox, {
      with: {
        token: PERSONAL_TOKEN,
        room: ROOM_CI.name,
        format: 'text',
        vars: '{"owner": "@here team"}',
        template: 'On call: {{vars.owner}}',
      },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(sandbox.notifications(ROOM_CI.name)[0]?.body.message).toBe('On call: @\u2060here team');
  });

  it.each([
    [
      'version: 2',
      '`vars.version` is a number (2): vars are text; quote the value (version: "2").',
    ],
    ['- a\n- b', '`vars` is a list: expected a map of names to text.'],
    ['my-env: prod', "`vars` name 'my-env' is not an identifier"],
    ['environment: [prod', '`vars` is not valid YAML or JSON: '],
  ])('%j is an input error and nothing is sent', async (vars, expected) => {
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, vars, template: '{{vars.x}}' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain(expected);
    expect(sandbox.requests).toEqual([]);
  });

  // A `%` line is a YAML directive; the parser's warning about an unknown one quotes the input
  // raw (control characters too), so it must not reach stderr, past the action's log escaping.
  const DIRECTIVE = '%evil\u001b[31m ::error::injected';
  const noRawWarning = (run: { stdout: string; stderr: string }): void => {
    for (const sink of [run.stdout, run.stderr]) {
      expect(sink).not.toMatch(/YAMLWarning|Unknown directive|BAD_DIRECTIVE/);
      expect(sink).not.toContain('\u001b');
      expect(sink).not.toContain('::error::injected');
    }
  };

  it('a %directive before the document: the value still works, no raw parser warning', async () => {
    const run = await step(sandbox, {
      with: {
        token: PERSONAL_TOKEN,
        room: ROOM_CI.name,
        vars: `${DIRECTIVE}\n---\nenvironment: prod\n`,
        users: `${DIRECTIVE}\n---\nalice: "@Ally"\n`,
        template: 'Deployed to {{vars.environment}}',
      },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(sandbox.notifications(ROOM_CI.name)[0]?.body.message).toBe('Deployed to prod');
    noRawWarning(run);
  });

  it('a %directive with no document start is an input error, no raw parser warning', async () => {
    const run = await step(sandbox, {
      with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, vars: DIRECTIVE, template: '{{vars.x}}' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain('`vars` is not valid YAML or JSON: ');
    expect(sandbox.requests).toEqual([]);
    noRawWarning(run);
  });
});
