/**
 * The action's inputs, read once, masked, validated and turned into one typed `Inputs` object.
 * Everything a user can get wrong is caught here, before the first request: each problem names
 * the input, the value (never for secrets) and what is accepted.
 */
import { INPUT_DEFAULTS } from './action-inputs.js';
import { parseWholeRun } from './summary.js';
import type { WholeRunInputs } from './summary.js';
import { parseFollowUp } from './follow-up.js';
import type { FollowUpInputs } from './follow-up.js';
import { basicCredentials } from '../hipchat/credentials.js';
import { COLORS, FORMATS, MAX_FROM_LENGTH } from '../hipchat/types.js';
import type { Color, MessageFormat } from '../hipchat/types.js';
import { parseServer } from './server.js';
import { readTemplate } from './template-file.js';
import { STATUSES, isKnownStatus } from './status.js';
import { parseTestResultPatterns } from './test-results.js';
import { needsPrevious, parseNotify } from './notify.js';
import type { NotifyRule } from './notify.js';
import { parseVars } from './vars.js';
import { parseUsers } from './users.js';
import type { UsersMap } from './users.js';
import type { YamlParse } from './vars.js';

/** How the action authenticates: a ready token, or add-on credentials to mint one. */
export type Auth = { kind: 'token'; token: string } | { kind: 'oauth'; id: string; secret: string };

/** When to send, relative to the previous run's status. */
export const SEND_WHEN = ['always', 'changed', 'failure-or-changed'] as const;
export type SendWhen = (typeof SEND_WHEN)[number];

/** Values of `mention`: nobody, or the author of the change on a failure. */
export const MENTIONS = ['none', 'author'] as const;
export type Mention = (typeof MENTIONS)[number];

/** The validated settings of one run (the whole-run ones: summary.ts; follow-ups: follow-up.ts). */
export interface Inputs extends WholeRunInputs, FollowUpInputs {
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
  /** `notify`: always, never, or on these outcomes (notify.ts). */
  notify: NotifyRule;
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
  /** `users`: GitHub login → HipChat email or mention name (users.ts). */
  users: UsersMap;
  /** On a failure, also send that person a private message. */
  privateMessage: boolean;
  /** `test-results`: globs relative to the workspace, `/`-separated; empty when not set. */
  testResults: string[];
  /** `commits`: how many commits to list (0 to `MAX_COMMITS`). */
  commits: number;
}

/** Most commits a message lists: a push payload carries at most 20. */
export const MAX_COMMITS = 20;

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
const SECRET_INPUTS = ['token', 'oauth-secret', 'github-token'] as const;

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
 * `parseYaml` reads the YAML inputs (`loadYamlParser` in yaml-loader.ts gives it when one is set).
 */
export function parseInputs(
  read: InputReader,
  workspace: string = process.cwd(),
  parseYaml?: YamlParse,
): Inputs {
  const problems: string[] = [];
  const value = (name: string): string => read(name).trim();
  // action.yml's default for an input the runner left empty (runs outside a runner).
  const orDefault = (name: keyof typeof INPUT_DEFAULTS): string =>
    value(name) || INPUT_DEFAULTS[name];

  const auth = parseAuth(value('token'), value('oauth-id'), read('oauth-secret').trim(), problems);
  const rooms = parseRooms(value('room'), problems);
  const status = parseStatus(value('status'), problems);
  const color = oneOf('color', orDefault('color').toLowerCase(), ['auto', ...COLORS], problems);
  const format = oneOf('format', orDefault('format').toLowerCase(), FORMATS, problems);
  const sendWhen = oneOf('send-when', orDefault('send-when').toLowerCase(), SEND_WHEN, problems);
  const from = parseFrom(value('from'), problems);
  const server = parseServer(value('server'), problems);
  const maxWait = seconds('max-wait', orDefault('max-wait'), 1, problems);
  const timeout = seconds('timeout', orDefault('timeout'), 1, problems);

  const flag = (name: FlagInput): boolean => bool(name, orDefault(name), problems);
  const flags = {
    notify: parseNotify(orDefault('notify'), problems),
    authTest: flag('auth-test'),
    dryRun: flag('dry-run'),
    failOnError: flag('fail-on-error'),
    card: flag('card'),
    privateMessage: flag('private-message'),
    commits: count('commits', orDefault('commits'), MAX_COMMITS, problems),
    mention: oneOf('mention', orDefault('mention').toLowerCase(), MENTIONS, problems) as Mention,
  };
  const followUp = parseFollowUp(read('attach-to'), flag('lookup-id'), rooms, problems);

  const token = read('github-token').trim();
  const github = parseGithubAccess(token, sendWhen, flags.notify, orDefault, problems);

  const { template, templateSource } = readTemplate(
    read('template'),
    value('template-file'),
    workspace,
    problems,
  );

  const values = readWorkflowValues(read, workspace, parseYaml, problems);

  if (problems.length > 0) throw new InputError(problems);
  return {
    ...flags,
    auth: auth!,
    rooms,
    status,
    color: color as Color | 'auto',
    format: format as MessageFormat,
    template,
    templateSource,
    from,
    server: server!,
    maxWaitMs: maxWait * 1000,
    timeoutMs: timeout * 1000,
    sendWhen: sendWhen as SendWhen,
    ...github,
    ...values,
    ...followUp,
  };
}

/** `vars` and `users` (YAML, read with `parseYaml`) and the `test-results` patterns. */
function readWorkflowValues(
  read: InputReader,
  workspace: string,
  parseYaml: YamlParse | undefined,
  problems: string[],
): Pick<Inputs, 'vars' | 'users' | 'testResults'> {
  const vars = readVars(read('vars'), parseYaml, problems);
  const users = readUsers(read('users'), parseYaml, problems);
  const testResults = parseTestResultPatterns(read('test-results'), workspace);
  if ('problems' in testResults) problems.push(...testResults.problems);
  const patterns = 'patterns' in testResults ? testResults.patterns : [];
  return { ...(vars ? { vars } : {}), users, testResults: patterns };
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

/** `status`, lower-cased: one of the known words, or empty. */
function parseStatus(raw: string, problems: string[]): string {
  const status = raw.toLowerCase();
  if (status && !isKnownStatus(status)) {
    problems.push(
      `\`status\` is '${raw}': expected ${listOf(STATUSES)} (or empty), as given by \${{ job.status }} or \${{ github.event.workflow_run.conclusion }}.`,
    );
  }
  return status;
}

function parseFrom(from: string, problems: string[]): string {
  if (from.length > MAX_FROM_LENGTH) {
    problems.push(
      `\`from\` is ${from.length} characters long ('${from.slice(0, 20)}…'): HipChat accepts at most ${MAX_FROM_LENGTH}.`,
    );
  }
  return from;
}

/** The inputs of what reads the GitHub API: `github-token`, and `summary` / `log-lines` / `needs`. */
function parseGithubAccess(
  token: string,
  sendWhen: string,
  notify: NotifyRule,
  orDefault: (name: 'summary' | 'log-lines' | 'needs' | 'notify') => string,
  problems: string[],
): { githubToken: string } & WholeRunInputs {
  if ((sendWhen === 'changed' || sendWhen === 'failure-or-changed') && !token) {
    problems.push(
      `\`send-when\` is '${sendWhen}' but \`github-token\` is empty: the previous run's status is read with it (default \${{ github.token }}).`,
    );
  }
  if (needsPrevious(notify) && !token) {
    problems.push(
      `\`notify\` is '${orDefault('notify')}' but \`github-token\` is empty: fixed and broken are told from the previous run, read with it (default \${{ github.token }}).`,
    );
  }
  const raw = {
    summary: orDefault('summary'),
    logLines: orDefault('log-lines'),
    needs: orDefault('needs'),
  };
  const wholeRun = parseWholeRun(raw, token, problems);
  return { githubToken: token, ...wholeRun };
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
    } else if (!HEADER_SAFE.test(token)) {
      problems.push(
        '`token` contains characters that cannot be sent in an HTTP header (value hidden): a HipChat token is letters and digits; check that the secret holds the token alone.',
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

/** What a token may consist of to go in an `Authorization` header: visible ASCII. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

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
    if (room === '.' || room === '..') {
      // URL normalisation turns /v2/room/../notification into /v2/notification: another call.
      problems.push(
        `\`room\` '${room}' is not a room name HipChat can be asked for: give the room's numeric id or its name.`,
      );
    }
    if (room.length > MAX_ROOM_LENGTH) {
      problems.push(
        `\`room\` '${room.slice(0, 20)}…' is ${room.length} characters long: HipChat room ids and names have at most ${MAX_ROOM_LENGTH}.`,
      );
    }
  }
  return rooms;
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

/** A whole number from 0 to `max`; 0 (and a problem) otherwise. */
function count(name: string, raw: string, max: number, problems: string[]): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > max) {
    problems.push(`\`${name}\` is '${raw}': expected a whole number from 0 to ${max}.`);
    return 0;
  }
  return n;
}

/** The true-or-false inputs: each has a default in action.yml. */
type FlagInput =
  'auth-test' | 'dry-run' | 'fail-on-error' | 'card' | 'private-message' | 'lookup-id';

/** YAML 1.2 core-schema booleans, as @actions/core accepts them. */
function bool(name: string, raw: string, problems: string[]): boolean {
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE'].includes(raw)) return false;
  problems.push(`\`${name}\` is '${raw}': expected true or false.`);
  return false;
}
