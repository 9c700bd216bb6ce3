/**
 * `vars`: a YAML or JSON map of the workflow's own values, for `{{vars.name}}`. Parsed with the
 * real `yaml` package (the one the action loads on demand); every mistake is an input error
 * naming `vars`, the value and what is accepted.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildView } from '../../src/context/view.js';
import { InputError, parseInputs } from '../../src/inputs/inputs.js';
import { buildMessage } from '../../src/message/compose.js';
import { render } from '../../src/message/template.js';
import { parseVars, VARS_LIMITS } from '../../src/inputs/vars.js';
import type { YamlParse } from '../../src/inputs/vars.js';

const parseYaml: YamlParse = (text, options) => parse(text, options);

function problemsOf(text: string): string[] {
  const result = parseVars(text, parseYaml);
  return 'problems' in result ? result.problems : [];
}

function varsOf(text: string): Record<string, string> {
  const result = parseVars(text, parseYaml);
  if ('problems' in result) throw new Error(result.problems.join('\n'));
  return result.vars;
}

describe('parseVars', () => {
  it('reads a YAML map and a JSON object alike', () => {
    const yaml = varsOf('environment: prod\nversion: "1.10"\nurl: https://example.com/a?b=c\n');
    expect({ ...yaml }).toEqual({
      environment: 'prod',
      version: '1.10',
      url: 'https://example.com/a?b=c',
    });
    expect({ ...varsOf('{"environment": "prod", "region": "eu-1"}') }).toEqual({
      environment: 'prod',
      region: 'eu-1',
    });
  });

  it('takes empty or blank text as no vars', () => {
    expect(Object.keys(varsOf(''))).toEqual([]);
    expect(Object.keys(varsOf('  \n '))).toEqual([]);
  });

  it('keeps names like constructor as plain own keys (null prototype)', () => {
    const vars = varsOf('constructor: a\ntoString: b\n__proto__: c');
    expect(Object.getPrototypeOf(vars)).toBeNull();
    expect(Object.keys(vars)).toEqual(['constructor', 'toString', '__proto__']);
    const view = { ...buildView({}, {}, 'success'), vars };
    expect(render('{{vars.constructor}} {{vars.toString}} {{vars.__proto__}}', view, 'text')).toBe(
      'a b c',
    );
  });

  it('refuses invalid YAML with the reason and the line, without the source excerpt', () => {
    const [problem] = problemsOf('environment: prod\n  region: eu: 1');
    expect(problem).toMatch(
      /^`vars` is not valid YAML or JSON: .+ at line \d+, column \d+\. For example/,
    );
    expect(problem).not.toContain('\n');
    expect(problemsOf('{"a": "b"')[0]).toContain('`vars` is not valid YAML or JSON');
  });

  it('refuses duplicate names', () => {
    expect(problemsOf('a: x\na: y')[0]).toContain('Map keys must be unique');
  });

  it.each([
    ['- a\n- b', '`vars` is a list: expected a map of names to text.'],
    ['just text', "`vars` is text ('just text'): expected a map of names to text."],
    ['42', '`vars` is a number (42): expected a map'],
    ['null', '`vars` is empty (no value): expected a map'],
  ])('refuses %j: not a map', (text, expected) => {
    expect(problemsOf(text)[0]).toContain(expected);
  });

  it('refuses non-text values and says how to quote them, as written', () => {
    const problems = problemsOf(
      'version: 1.10\nport: 0x1F\ndebug: true\nempty:\nlist: [a, b]\nmap: {a: b}',
    );
    expect(problems).toEqual([
      '`vars.version` is a number (1.1): vars are text; quote the value (version: "1.10").',
      '`vars.port` is a number (31): vars are text; quote the value (port: "0x1F").',
      '`vars.debug` is a boolean (true): vars are text; quote the value (debug: "true").',
      '`vars.empty` is empty (no value): vars are text; quote the value (empty: "…").',
      '`vars.list` is a list: vars are text; quote the value (list: "…").',
      '`vars.map` is a map: vars are text; quote the value (map: "…").',
    ]);
  });

  it('refuses names that are not identifiers', () => {
    const problems = problemsOf('"my-name": a\n"1st": b\n"a.b": c\n"": d\nok_1: e');
    expect(problems).toHaveLength(4);
    expect(problems[0]).toBe(
      "`vars` name 'my-name' is not an identifier: use letters, digits and _ (not starting with a digit), so that {{vars.name}} can name it.",
    );
    expect(problems.join('\n')).toContain("name '1st'");
    expect(problems.join('\n')).toContain("name 'a.b'");
  });

  it('bounds the size, the number of names and YAML aliases', () => {
    expect(problemsOf(`a: "${'x'.repeat(VARS_LIMITS.bytes)}"`)[0]).toMatch(
      /^`vars` is 65,541 bytes long: at most 65,536 are accepted/,
    );
    const many = Array.from({ length: VARS_LIMITS.names + 1 }, (_, i) => `v${i}: x`).join('\n');
    expect(problemsOf(many)[0]).toBe('`vars` has 101 names: at most 100 are accepted.');
    // A "billion laughs" document: each alias doubles the text.
    const laughs = ['a: &a "lol"'];
    for (let i = 1; i < 30; i++)
      laughs.push(
        `b${i}: &b${i} [*${i === 1 ? 'a' : `b${i - 1}`}, *${i === 1 ? 'a' : `b${i - 1}`}]`,
      );
    expect(problemsOf(laughs.join('\n'))[0]).toContain('`vars` is not valid YAML or JSON');
  });
});

describe('vars in the inputs and the message', () => {
  const read =
    (inputs: Record<string, string>) =>
    (name: string): string =>
      ({ server: 'https://hipchat.example.com', ...inputs })[name] ?? '';

  it('is an input error listed with the others, before anything is sent', () => {
    let error: unknown;
    try {
      parseInputs(read({ token: 't', room: '', vars: 'version: 2' }), '.', parseYaml);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toHaveLength(2);
    expect((error as InputError).problems[1]).toContain('`vars.version` is a number (2)');
  });

  it('renders {{vars.name}} escaped for the format, mentions defused', () => {
    const inputs = parseInputs(
      read({
        token: 't',
        room: 'ops',
        vars: 'environment: "<b>prod</b> & @all"',
        template: 'Deployed to {{vars.environment}}',
      }),
      '.',
      parseYaml,
    );
    const view = buildView({}, {}, 'success', { vars: inputs.vars });
    expect(buildMessage(inputs, view).body.message).toBe(
      'Deployed to &lt;b&gt;prod&lt;/b&gt; &amp; @all',
    );
    const text = buildMessage({ ...inputs, format: 'text' }, view).body.message;
    expect(text).toBe('Deployed to <b>prod</b> & @\u2060all');
  });

  it('warns about a name the map does not have, like any unknown variable', () => {
    const inputs = parseInputs(
      read({
        token: 't',
        room: 'ops',
        vars: 'environment: prod',
        template: '{{vars.enviroment}}!',
      }),
      '.',
      parseYaml,
    );
    const view = buildView({}, {}, 'success', { vars: inputs.vars });
    const { warnings } = buildMessage(inputs, view);
    expect(warnings.join('\n')).toContain('{{vars.enviroment}} (line 1)');
  });

  it('is absent from the view when the input is empty', () => {
    const inputs = parseInputs(read({ token: 't', room: 'ops' }));
    expect(inputs.vars).toBeUndefined();
    expect('vars' in buildView({}, {}, 'success', { vars: inputs.vars })).toBe(false);
  });
});
