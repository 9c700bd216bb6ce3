import { describe, expect, it } from 'vitest';
import { InputError, parseInputs } from '../../src/inputs/inputs.js';
import { buildMessage } from '../../src/message/compose.js';
import { buildView } from '../../src/context/view.js';

const base = { token: 'tok123', room: 'CI', server: 'https://hipchat.example.com' };
const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

function problemsOf(values: Record<string, string>): string[] {
  try {
    parseInputs(reader(values));
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('expected parseInputs to throw');
}

const UUID = '6f2c1a3e-9b4d-4e8f-a1c2-3d4e5f607182';

describe('attach-to', () => {
  it('is empty by default, and then the body has no attach_to field at all', () => {
    const inputs = parseInputs(reader(base));
    expect(inputs.attachTo).toBe('');
    const { body } = buildMessage(inputs, buildView({}, {}, 'success'));
    expect('attach_to' in body).toBe(false);
    expect(JSON.stringify(body)).not.toContain('attach_to');
  });

  it('takes a HipChat message id (trimmed) and sends it as attach_to', () => {
    const inputs = parseInputs(reader({ ...base, 'attach-to': `  ${UUID}\n` }));
    expect(inputs.attachTo).toBe(UUID);
    const { body } = buildMessage(inputs, buildView({}, {}, 'success'));
    expect(body.attach_to).toBe(UUID);
  });

  it('refuses an id over 36 characters, naming the input, the value and the limit', () => {
    const long = `${UUID}0`;
    const [problem] = problemsOf({ ...base, 'attach-to': long });
    expect(problem).toContain('`attach-to`');
    expect(problem).toContain(long);
    expect(problem).toContain('37 characters');
    expect(problem).toContain('at most 36');
  });

  it.each([
    ['a space inside', 'abc def'],
    ['a quote', 'abc"def'],
    ['a path', '../x'],
    ['a line break', 'abc\ndef'],
    ['JSON null as text', '{"x":1}'],
  ])('refuses %s as a message id', (_what, value) => {
    const [problem] = problemsOf({ ...base, 'attach-to': value });
    expect(problem).toMatch(/^`attach-to` is '.*': a HipChat message id is letters and digits/s);
    // One line, whatever the value held.
    expect(problem).not.toContain('\n');
  });

  it('needs exactly one room: the id belongs to one room', () => {
    const problems = problemsOf({ ...base, room: 'CI, Ops', 'attach-to': UUID });
    expect(problems).toEqual([expect.stringContaining('with 2 rooms')]);
    expect(problems[0]).toContain('exactly one `room`');
  });

  it('is reported with every other bad input at once', () => {
    const problems = problemsOf({
      ...base,
      room: 'CI,Ops',
      'attach-to': 'x'.repeat(50),
      color: 'x',
    });
    expect(problems).toHaveLength(3);
  });
});

describe('lookup-id', () => {
  it('is off by default, on with true, and anything else is an input error naming it', () => {
    expect(parseInputs(reader(base)).lookupId).toBe(false);
    expect(parseInputs(reader({ ...base, 'lookup-id': 'true' })).lookupId).toBe(true);
    expect(problemsOf({ ...base, 'lookup-id': 'yes' })).toEqual([
      "`lookup-id` is 'yes': expected true or false.",
    ]);
  });

  it('goes with several rooms: each room gets its own message_id', () => {
    const inputs = parseInputs(reader({ ...base, room: 'CI, Ops', 'lookup-id': 'true' }));
    expect(inputs.rooms).toEqual(['CI', 'Ops']);
    expect(inputs.lookupId).toBe(true);
  });
});
