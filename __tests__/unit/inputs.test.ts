import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicCredentials } from '../../src/hipchat/credentials.js';
import { InputError, maskSecrets, parseInputs } from '../../src/inputs/inputs.js';

function reader(values: Record<string, string>) {
  return (name: string) => values[name] ?? '';
}

function problemsOf(values: Record<string, string>, workspace?: string): string[] {
  try {
    parseInputs(reader(values), workspace);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('expected parseInputs to throw');
}

const base = { token: 'tok123', room: 'CI', server: 'https://hipchat.example.com' };

describe('parseInputs', () => {
  it('applies the defaults of action.yml when inputs are empty', () => {
    const inputs = parseInputs(reader(base));
    expect(inputs).toMatchObject({
      auth: { kind: 'token', token: 'tok123' },
      rooms: ['CI'],
      status: '',
      color: 'auto',
      format: 'html',
      template: '',
      notify: false,
      from: '',
      server: 'https://hipchat.example.com',
      authTest: false,
      dryRun: false,
      maxWaitMs: 300_000,
      timeoutMs: 30_000,
      failOnError: true,
      sendWhen: 'always',
      card: false,
    });
  });

  it('splits rooms on commas and new lines, trims and de-duplicates them', () => {
    const inputs = parseInputs(reader({ ...base, room: 'CI, Release Notes\n 42 \n\nCI,' }));
    expect(inputs.rooms).toEqual(['CI', 'Release Notes', '42']);
  });

  it('normalises the server URL: trailing slash and a pasted /v2 are dropped, a path prefix kept', () => {
    expect(parseInputs(reader({ ...base, server: 'https://h.example.com/' })).server).toBe(
      'https://h.example.com',
    );
    expect(
      parseInputs(reader({ ...base, server: 'https://h.example.com/hipchat/v2/' })).server,
    ).toBe('https://h.example.com/hipchat');
  });

  it('accepts YAML booleans and case-insensitive choices', () => {
    const inputs = parseInputs(
      reader({
        ...base,
        notify: 'True',
        'dry-run': 'TRUE',
        color: 'Red',
        format: 'TEXT',
        status: 'Failure',
      }),
    );
    expect(inputs).toMatchObject({
      notify: true,
      dryRun: true,
      color: 'red',
      format: 'text',
      status: 'failure',
    });
  });

  it('takes add-on credentials instead of a token', () => {
    const inputs = parseInputs(
      reader({ ...base, token: '', 'oauth-id': 'id1', 'oauth-secret': 's3cret' }),
    );
    expect(inputs.auth).toEqual({ kind: 'oauth', id: 'id1', secret: 's3cret' });
  });

  it.each([
    [
      { color: 'pink' },
      "`color` is 'pink': expected auto, yellow, green, red, purple, gray or random.",
    ],
    [{ format: 'markdown' }, "`format` is 'markdown': expected html or text."],
    [{ room: ' , \n' }, '`room` is'],
    [{ 'max-wait': 'soon' }, "`max-wait` is 'soon': expected a number of seconds"],
    [{ 'max-wait': '-5' }, "`max-wait` is '-5'"],
    [{ 'max-wait': '0' }, "`max-wait` is '0': expected a number of seconds from 1"],
    [{ timeout: '0' }, "`timeout` is '0': expected a number of seconds from 1"],
    [
      { server: 'hipchat.example.com' },
      "`server` is 'hipchat.example.com': expected the http(s) URL",
    ],
    [{ server: 'ftp://hipchat.example.com' }, 'expected an http:// or https:// URL, not ftp'],
    [{ from: 'x'.repeat(65) }, '`from` is 65 characters long'],
    [
      { notify: 'yes' },
      "`notify` is 'yes': 'yes' is not an outcome; expected true, false, or a list of",
    ],
    [
      { 'send-when': 'sometimes' },
      "`send-when` is 'sometimes': expected always, changed or failure-or-changed.",
    ],
    [
      { status: 'passed' },
      "`status` is 'passed': expected success, failure, cancelled, skipped, timed_out, startup_failure, neutral, action_required, stale, started, in_progress, queued, requested, waiting, pending, unknown, completed, error or inactive (or empty)",
    ],
    [{ status: 'canceled' }, "`status` is 'canceled': expected success, failure, cancelled"],
    [{ template: '{{#open}} never closed' }, '`template` is not a valid Mustache template'],
  ])('rejects %o with a message naming the input, value and what is accepted', (bad, expected) => {
    const problems = problemsOf({ ...base, ...bad });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('requires a token or both OAuth inputs', () => {
    expect(problemsOf({ room: 'CI' })[0]).toContain('`token` is empty');
    expect(problemsOf({ room: 'CI', 'oauth-id': 'x' })[0]).toContain('`oauth-secret` is empty');
    expect(
      problemsOf({ room: 'CI', token: 't', 'oauth-id': 'x', 'oauth-secret': 'y' })[0],
    ).toContain('both set');
  });

  it('never echoes a secret value in an error', () => {
    const problems = problemsOf({ room: 'CI', token: 'Bearer abcSECRET' });
    expect(problems.join(' ')).not.toContain('abcSECRET');
    expect(problems[0]).toContain('value hidden');
    const server = problemsOf({ ...base, server: 'https://user:pw123@h.example.com' });
    expect(server.join(' ')).not.toContain('pw123');
  });

  it.each([
    'success',
    'failure',
    'cancelled',
    'skipped',
    'timed_out',
    'startup_failure',
    'neutral',
    'action_required',
    'stale',
  ])("accepts GitHub's %s as `status`, in any case", (word) => {
    expect(parseInputs(reader({ ...base, status: word })).status).toBe(word);
    expect(parseInputs(reader({ ...base, status: ` ${word.toUpperCase()} ` })).status).toBe(word);
  });

  it.each([
    // Exactly what HipChat's integration page shows for a room's own token.
    'https://hipchat.example.com/v2/room/42/notification?auth_token=Rm9vQmFyVG9rZW4xMjM',
    'https://hipchat.example.com/v2/room/42/notification/?auth_token=Rm9vQmFyVG9rZW4xMjM',
    'HTTPS://hipchat.example.com/V2/room/42/Notification?AUTH_TOKEN=Rm9vQmFyVG9rZW4xMjM',
  ])('recognises a pasted notification URL and never echoes it: %s', (server) => {
    const problems = problemsOf({ ...base, server });
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toContain('Rm9vQmFyVG9rZW4xMjM');
    expect(problems[0]).toContain("`server` is a room's notification URL (value hidden)");
    expect(problems[0]).toContain('(https://hipchat.example.com)');
    expect(problems[0]).toContain("`room` to '42'");
  });

  it('says where the token of a pasted notification URL belongs', () => {
    const [problem] = problemsOf({
      ...base,
      server:
        'https://chat.example.com/hipchat/v2/room/Release%20Notes/notification?auth_token=tok',
    });
    expect(problem).toBe(
      "`server` is a room's notification URL (value hidden): set `server` to the part before /v2 (https://chat.example.com/hipchat) and `room` to 'Release Notes'. The auth_token in it belongs in `token`, from a secret (e.g. `${{ secrets.HIPCHAT_TOKEN }}`); if the URL was written into the workflow file, treat that token as exposed and regenerate it.",
    );
  });

  it.each([
    'https://hipchat.example.com/?auth_token=SEKRETtoken1',
    'https://hipchat.example.com?auth_token=SEKRETtoken1',
    'https://hipchat.example.com/#SEKRETtoken1',
    'ftp://hipchat.example.com/?auth_token=SEKRETtoken1',
    'ftp://bot:SEKRETtoken1@hipchat.example.com',
    'hipchat.example.com/?auth_token=SEKRETtoken1',
    'bot:SEKRETtoken1@hipchat.example.com',
  ])('never echoes a `server` that may carry a secret: %s', (server) => {
    const problems = problemsOf({ ...base, server });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^`server` /);
    expect(problems[0]).toContain('value hidden');
    expect(problems[0]).not.toContain('SEKRETtoken1');
  });

  it('has no default `server`: empty is an input error that says to set it', () => {
    expect(problemsOf({ ...base, server: '' })).toEqual([
      '`server` is empty: set `server` to the URL of your HipChat Server / Data Center, e.g. `server: https://hipchat.example.com`. There is no default: HipChat Cloud was shut down in February 2019.',
    ]);
    expect(problemsOf({ ...base, server: ' \n ' })[0]).toMatch(/^`server` is empty/);
  });

  it.each([
    ['https://api.hipchat.com', "'https://api.hipchat.com'"],
    ['https://API.HipChat.com/v2', "'https://API.HipChat.com/v2'"],
    ['https://acme.hipchat.com', "'https://acme.hipchat.com'"],
    ['https://api.hipchat.com/v2/room/42/notification?auth_token=SEKRET', '(value hidden)'],
  ])('refuses HipChat Cloud, %s, saying it was shut down', (server, shown) => {
    const problems = problemsOf({ ...base, server });
    expect(problems).toEqual([
      `\`server\` is ${shown}, HipChat Cloud, which was shut down in February 2019: set \`server\` to the URL of your HipChat Server / Data Center, e.g. \`server: https://hipchat.example.com\`.`,
    ]);
  });

  it('takes a server whose name merely contains hipchat.com', () => {
    expect(parseInputs(reader({ ...base, server: 'https://nothipchat.com' })).server).toBe(
      'https://nothipchat.com',
    );
  });

  it('still shows a `server` value that cannot hold a secret', () => {
    expect(problemsOf({ ...base, server: 'ftp://hipchat.example.com' })[0]).toContain(
      "'ftp://hipchat.example.com'",
    );
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ room: '', color: 'pink', format: 'md' });
    // room, color, format, and the token and server that were not given
    expect(problems).toHaveLength(5);
    const error = new InputError(problems);
    expect(error.message.split('\n')).toHaveLength(6);
  });

  it('reads template-file from the workspace, exclusive with template', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inputs-'));
    writeFileSync(path.join(dir, 'msg.mustache'), 'Build {{status}}');
    const inputs = parseInputs(reader({ ...base, 'template-file': 'msg.mustache' }), dir);
    expect(inputs.template).toBe('Build {{status}}');
    expect(inputs.templateSource).toBe('msg.mustache');
    expect(problemsOf({ ...base, 'template-file': 'missing.mustache' }, dir)[0]).toContain(
      "`template-file` is 'missing.mustache': no such file",
    );
    expect(
      problemsOf({ ...base, template: 'x', 'template-file': 'msg.mustache' }, dir)[0],
    ).toContain('`template` and `template-file` are both set');
  });

  it('normalises CRLF line endings of a template file and an inline template', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inputs-'));
    // As git's autocrlf checks a file out on a Windows runner.
    writeFileSync(
      path.join(dir, 'crlf.mustache'),
      'Build {{status}}\r\n{{#changed}}changed\r\n{{/changed}}\rend\r\n',
    );
    const fromFile = parseInputs(reader({ ...base, 'template-file': 'crlf.mustache' }), dir);
    expect(fromFile.template).toBe('Build {{status}}\n{{#changed}}changed\n{{/changed}}\nend\n');
    const inline = parseInputs(reader({ ...base, template: 'line 1\r\nline 2' }));
    expect(inline.template).toBe('line 1\nline 2');
  });

  it('needs a github-token when send-when looks at the previous run', () => {
    expect(problemsOf({ ...base, 'send-when': 'changed' })[0]).toContain('`github-token` is empty');
    expect(
      parseInputs(reader({ ...base, 'send-when': 'changed', 'github-token': 'gh' })).sendWhen,
    ).toBe('changed');
  });
});

describe('maskSecrets', () => {
  it('masks every secret input, and each line of a multi-line one', () => {
    const masked: string[] = [];
    maskSecrets(
      reader({ token: 'abc', 'oauth-secret': 'l1\nl2', 'github-token': 'gh', room: 'CI' }),
      (s) => masked.push(s),
    );
    expect(masked).toEqual(['abc', 'l1\nl2', 'l1', 'l2', 'gh']);
  });

  it('masks the HTTP Basic value of add-on credentials, which decodes to the secret', () => {
    const masked: string[] = [];
    maskSecrets(reader({ 'oauth-id': ' addon-id ', 'oauth-secret': ' addon-secret ' }), (s) =>
      masked.push(s),
    );
    const basic = Buffer.from('addon-id:addon-secret').toString('base64');
    expect(basicCredentials('addon-id', 'addon-secret')).toBe(basic);
    expect(masked).toEqual([' addon-secret ', basic]);
  });

  it('masks no Basic value without both add-on inputs', () => {
    const masked: string[] = [];
    maskSecrets(reader({ 'oauth-id': 'addon-id', token: 't' }), (s) => masked.push(s));
    expect(masked).toEqual(['t']);
  });
});
