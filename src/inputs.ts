/**
 * The action's inputs, read once, masked, validated and turned into one typed `Inputs` object.
 * Everything a user can get wrong is caught here, before the first request: each problem names
 * the input, the value (never for secrets) and what is accepted.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { basicCredentials } from './hipchat/credentials.js';
import { COLORS, FORMATS, MAX_FROM_LENGTH } from './hipchat/types.js';
import type { Color, MessageFormat } from './hipchat/types.js';
import { parseTemplate } from './template.js';
import { STATUSES, isKnownStatus } from './status.js';
import { parseVars } from './vars.js';
import { parseUsers } from './people/users-map.js';
import type { UsersMap } from './people/users-map.js';
import type { YamlParse } from './vars.js';

/** How the action authenticates: a ready token, or add-on credentials to mint one. */
export type Auth = { kind: 'token'; token: string } | { kind: 'oauth'; id: string; secret: string };

/** When to send, relative to the previous run's status. */
export const SEND_WHEN = ['always', 'changed', 'failure-or-changed'] as const;
export type SendWhen = (typeof SEND_WHEN)[number];

/** Values of `mention`: nobody, or the author of the change on a failure. */
export const MENTIONS = ['none', 'author'] as const;
export type Mention = (typeof MENTIONS)[number];

/** The validated settings of one run. */
export interface Inputs {
  auth: Auth;
  /** Room ids or names, in the order given, without duplicates. */
  rooms: string[];
  /** Lower-cased status to report, one of `STATUSES` (status.ts); '' when none was given. */
  status: string;
  color: Color | 'auto';
  format: MessageFormat;
  /** The template text: the `template` input, or the contents of `template-file`; '' → built-in. */
  template: string;
  /** Where the template came from, for warnings: 'template', or the file's path. */
  templateSource: string;
  notify: boolean;
  from: string;
  /** Server base URL without a trailing slash, e.g. `https://hipchat.example.com`. */
  server: string;
  authTest: boolean;
  dryRun: boolean;
  /** Milliseconds the run may spend in total (waits and retries included). */
  maxWaitMs: number;
  failOnError: boolean;
  /** Milliseconds one request may take. */
  timeoutMs: number;
  sendWhen: SendWhen;
  githubToken: string;
  card: boolean;
  /** `vars`: names to text for `{{vars.name}}`; `undefined` when the input is empty. */
  vars?: Record<string, string>;
  /** `author`: on a failure, mention the person behind the change (people/mention.ts). */
  mention: Mention;
  /** `users`: GitHub login → HipChat email or mention name (people/users-map.ts). */
  users: UsersMap;
  /** On a failure, also send that person a private message. */
  privateMessage: boolean;
}

/** Reads one input's raw value; '' when unset. */
export type InputReader = (name: string) => string;

/** Thrown when inputs are invalid; `problems` holds one sentence per bad input. */
export class InputError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `Invalid inputs:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
    this.name = 'InputError';
    this.problems = problems;
  }
}

/** Inputs whose values are secrets: masked before anything else and never echoed in errors. */
export const SECRET_INPUTS = ['token', 'oauth-secret', 'github-token'] as const;

/** Defaults for inputs the runner leaves empty (action.yml's defaults, for runs outside it). */
const DEFAULTS = {
  color: 'auto',
  format: 'html',
  server: 'https://api.hipchat.com',
  'max-wait': '300',
  timeout: '30',
  'send-when': 'always',
  mention: 'none',
} as const;

/** Longest run a workflow job may have (6 h): a bigger budget is surely a typo. */
const MAX_SECONDS = 6 * 60 * 60;

/**
 * Masks every secret input with `mask` (e.g. `core.setSecret`) — call before anything is logged.
 * Each line of a multi-line secret is masked too, since the runner masks line by line.
 * With add-on credentials, the HTTP Basic value the token request sends is a secret too: it
 * decodes to the OAuth secret, and a server or proxy may echo the header in an error.
 */
export function maskSecrets(read: InputReader, mask: (secret: string) => void): void {
  for (const name of SECRET_INPUTS) {
    const value = read(name);
    if (!value) continue;
    mask(value);
    const lines = value.split(/\r?\n/).map((line) => line.trim());
    if (lines.length > 1) for (const line of lines) if (line) mask(line);
  }
  // Trimmed as parseInputs trims them, so this is the value the client sends.
  const id = read('oauth-id').trim();
  const secret = read('oauth-secret').trim();
  if (id && secret) mask(basicCredentials(id, secret));
}

/**
 * Validates all inputs and returns them typed, or throws one `InputError` listing every problem.
 * `workspace` resolves `template-file` (the runner's GITHUB_WORKSPACE, else the working directory).
 * `parseYaml` reads the YAML inputs (`loadYamlParser` in yaml-inputs.ts gives it when one is set).
 */
export function parseInputs(
  read: InputReader,
  workspace: string = process.cwd(),
  parseYaml?: YamlParse,
): Inputs {
  const problems: string[] = [];
  const value = (name: string): string => read(name).trim();
  const orDefault = (name: keyof typeof DEFAULTS): string => value(name) || DEFAULTS[name];

  const auth = parseAuth(value('token'), value('oauth-id'), read('oauth-secret').trim(), problems);
  const rooms = parseRooms(value('room'), problems);

  const status = value('status').toLowerCase();
  if (status && !isKnownStatus(status)) {
    problems.push(
      `\`status\` is '${value('status')}': expected ${listOf(STATUSES)} (or empty), as given by \${{ job.status }} or \${{ github.event.workflow_run.conclusion }}.`,
    );
  }

  const color = oneOf('color', orDefault('color').toLowerCase(), ['auto', ...COLORS], problems);
  const format = oneOf('format', orDefault('format').toLowerCase(), FORMATS, problems);
  const sendWhen = oneOf('send-when', orDefault('send-when').toLowerCase(), SEND_WHEN, problems);

  const from = value('from');
  if (from.length > MAX_FROM_LENGTH) {
    problems.push(
      `\`from\` is ${from.length} characters long ('${from.slice(0, 20)}…'): HipChat accepts at most ${MAX_FROM_LENGTH}.`,
    );
  }

  const server = parseServer(orDefault('server'), problems);
  const maxWait = seconds('max-wait', orDefault('max-wait'), 1, problems);
  const timeout = seconds('timeout', orDefault('timeout'), 1, problems);

  const notify = bool('notify', value('notify'), false, problems);
  const authTest = bool('auth-test', value('auth-test'), false, problems);
  const dryRun = bool('dry-run', value('dry-run'), false, problems);
  const failOnError = bool('fail-on-error', value('fail-on-error'), true, problems);
  const card = bool('card', value('card'), false, problems);
  const mention = oneOf('mention', orDefault('mention').toLowerCase(), MENTIONS, problems);
  const privateMessage = bool('private-message', value('private-message'), false, problems);

  const githubToken = read('github-token').trim();
  if ((sendWhen === 'changed' || sendWhen === 'failure-or-changed') && !githubToken) {
    problems.push(
      `\`send-when\` is '${sendWhen}' but \`github-token\` is empty: the previous run's status is read with it (default \${{ github.token }}).`,
    );
  }

  const { template, templateSource } = readTemplate(
    read('template'),
    value('template-file'),
    workspace,
    problems,
  );

  const vars = readVars(read('vars'), parseYaml, problems);
  const users = readUsers(read('users'), parseYaml, problems);

  if (problems.length > 0) throw new InputError(problems);
  return {
    auth: auth!,
    rooms,
    status,
    color: color as Color | 'auto',
    format: format as MessageFormat,
    template,
    templateSource,
    notify,
    from,
    server: server!,
    authTest,
    dryRun,
    maxWaitMs: maxWait * 1000,
    failOnError,
    timeoutMs: timeout * 1000,
    sendWhen: sendWhen as SendWhen,
    githubToken,
    card,
    ...(vars ? { vars } : {}),
    mention: mention as Mention,
    users,
    privateMessage,
  };
}

function readUsers(text: string, parseYaml: YamlParse | undefined, problems: string[]): UsersMap {
  if (!text.trim()) return new Map();
  if (!parseYaml) throw new Error('parseInputs: `users` is set but no YAML parser was given');
  const result = parseUsers(text, parseYaml);
  problems.push(...result.problems);
  return result.users;
}

function readVars(
  text: string,
  parseYaml: YamlParse | undefined,
  problems: string[],
): Record<string, string> | undefined {
  if (!text.trim()) return undefined;
  if (!parseYaml) throw new Error('parseInputs: `vars` is set but no YAML parser was given');
  const result = parseVars(text, parseYaml);
  if ('problems' in result) {
    problems.push(...result.problems);
    return undefined;
  }
  return result.vars;
}

function listOf(values: readonly string[]): string {
  return values.length === 1
    ? values[0]!
    : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

function oneOf<T extends string>(
  name: string,
  raw: string,
  accepted: readonly T[],
  problems: string[],
): T | string {
  if ((accepted as readonly string[]).includes(raw)) return raw;
  problems.push(`\`${name}\` is '${raw}': expected ${listOf(accepted)}.`);
  return raw;
}

function parseAuth(
  token: string,
  id: string,
  secret: string,
  problems: string[],
): Auth | undefined {
  if (token) {
    if (id || secret) {
      problems.push(
        '`token` and `oauth-id`/`oauth-secret` are both set: give either a token or add-on credentials, not both.',
      );
    }
    if (/\s/.test(token)) {
      problems.push(
        '`token` contains white space (value hidden): paste the token alone, without "Bearer " or line breaks.',
      );
    }
    return { kind: 'token', token };
  }
  if (id && secret) return { kind: 'oauth', id, secret };
  if (id || secret) {
    problems.push(
      `\`${id ? 'oauth-secret' : 'oauth-id'}\` is empty: add-on credentials need both \`oauth-id\` and \`oauth-secret\`.`,
    );
    return undefined;
  }
  problems.push(
    '`token` is empty: set it to a HipChat API token (e.g. `${{ secrets.HIPCHAT_TOKEN }}`), or give `oauth-id` and `oauth-secret`. If the secret is set, check that this workflow can read it (secrets are not passed to workflows from forks).',
  );
  return undefined;
}

/** HipChat limits a room id or name in the path to 1–100 characters. */
const MAX_ROOM_LENGTH = 100;

function parseRooms(raw: string, problems: string[]): string[] {
  const rooms = [
    ...new Set(
      raw
        .split(/[\n,]/)
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  if (rooms.length === 0) {
    problems.push(
      `\`room\` is ${raw ? `'${raw}'` : 'empty'}: give a room id or name, or several separated by commas or new lines.`,
    );
  }
  for (const room of rooms) {
    if (room.length > MAX_ROOM_LENGTH) {
      problems.push(
        `\`room\` '${room.slice(0, 20)}…' is ${room.length} characters long: HipChat room ids and names have at most ${MAX_ROOM_LENGTH}.`,
      );
    }
  }
  return rooms;
}

/**
 * What may be said of a `server` value in an error: the value itself, unless it may carry a
 * secret — a query string (HipChat's integration page shows `…?auth_token=…` URLs), a fragment,
 * or credentials — then only that it is hidden.
 */
function shownServer(raw: string, url: URL | undefined): string {
  const risky = /[?#@]/.test(raw) || Boolean(url?.username || url?.password);
  return risky ? '(value hidden)' : `'${raw}'`;
}

// A room's notification URL, as HipChat's integration page shows it:
// https://hipchat.example.com/v2/room/42/notification?auth_token=…
const NOTIFICATION_URL = /^(.*?)\/v2\/room\/([^/]+)(?:\/notification)?\/?$/i;

function parseServer(raw: string, problems: string[]): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  const shown = shownServer(raw, url);
  if (!url) {
    problems.push(
      `\`server\` is ${shown}: expected the http(s) URL of your HipChat server, e.g. https://hipchat.example.com.`,
    );
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(
      `\`server\` is ${shown}: expected an http:// or https:// URL, not ${url.protocol.slice(0, -1)}.`,
    );
    return undefined;
  }
  if (url.username || url.password) {
    // A password in the URL would end up in logs and proxies; tokens go in `token`.
    problems.push('`server` contains credentials (value hidden): remove user:password@ from it.');
    return undefined;
  }
  const notification = NOTIFICATION_URL.exec(url.pathname);
  if (notification) {
    const base = `${url.origin}${notification[1] ?? ''}`;
    const room = safeDecode(notification[2] ?? '');
    const token = url.searchParams.has('auth_token')
      ? ' The auth_token in it belongs in `token`, from a secret (e.g. `${{ secrets.HIPCHAT_TOKEN }}`); if the URL was written into the workflow file, treat that token as exposed and regenerate it.'
      : '';
    problems.push(
      `\`server\` is a room's notification URL (value hidden): set \`server\` to the part before /v2 (${base}) and \`room\` to '${room}'.${token}`,
    );
    return undefined;
  }
  if (url.search || url.hash || raw.includes('?')) {
    problems.push(
      '`server` has a query string or fragment (value hidden): give the base URL alone, e.g. https://hipchat.example.com; a token goes in `token`.',
    );
    return undefined;
  }
  // Accept a pasted API root ('…/v2') as well as the server's base URL.
  const base = url.pathname.replace(/\/+$/, '').replace(/\/v2$/, '');
  return `${url.origin}${base}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function seconds(name: string, raw: string, min: number, problems: string[]): number {
  const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n) || n < min || n > MAX_SECONDS) {
    problems.push(
      `\`${name}\` is '${raw}': expected a number of seconds from ${min} to ${MAX_SECONDS}.`,
    );
    return 0;
  }
  return n;
}

/** YAML 1.2 core-schema booleans, as @actions/core accepts them; '' takes the default. */
function bool(name: string, raw: string, fallback: boolean, problems: string[]): boolean {
  if (raw === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE'].includes(raw)) return false;
  problems.push(`\`${name}\` is '${raw}': expected true or false.`);
  return fallback;
}

function readTemplate(
  inline: string,
  file: string,
  workspace: string,
  problems: string[],
): { template: string; templateSource: string } {
  if (inline.trim() && file) {
    problems.push('`template` and `template-file` are both set: use one of them.');
    return { template: '', templateSource: 'template' };
  }
  let template = normalizeLineEndings(inline);
  let templateSource = 'template';
  if (file) {
    const full = path.resolve(workspace, file);
    templateSource = file;
    try {
      if (!statSync(full).isFile()) throw new Error('not a file');
      template = normalizeLineEndings(readFileSync(full, 'utf8'));
    } catch {
      problems.push(
        `\`template-file\` is '${file}': no such file in the workspace (${full}). Check the path, and that the repository is checked out before this step.`,
      );
      return { template: '', templateSource };
    }
    if (!template.trim()) {
      problems.push(`\`template-file\` '${file}' is empty.`);
      return { template: '', templateSource };
    }
  }
  if (template.trim()) {
    try {
      parseTemplate(template);
    } catch (error) {
      problems.push(
        `\`${templateSource === 'template' ? 'template' : 'template-file'}\` ${
          templateSource === 'template' ? '' : `'${file}' `
        }is not a valid Mustache template: ${(error as Error).message}.`,
      );
    }
  } else {
    template = '';
  }
  return { template, templateSource };
}

/**
 * `\r\n` and lone `\r` as `\n`: a template file checked out on a Windows runner (git's
 * autocrlf) must not send `\r\n` into the room, nor a template pasted from such a file.
 */
function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
