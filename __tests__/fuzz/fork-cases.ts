/**
 * The fuzzing suite's `fork` kind: a `workflow_run` notifier (`summary: run`, `log-lines`,
 * `test-results`, `mention: author`, `private-message`) reading a run whose every text a fork
 * wrote — the jobs listing (names, steps, pages), the job logs (both command syntaxes, ANSI and
 * OSC, bidi, NUL, long and short lines, the secrets' encodings), the JUnit files in the
 * workspace — with generated `users` and `vars` maps and HipChat directory answers. Each case
 * runs the real `run()` against a fake GitHub and a HipChat peer of its own on 127.0.0.1.
 *
 * Invariants (besides the suite's): no runner command from outside text on stdout in either
 * syntax; no secret in any encoding the runner masks, in any sink or post; nobody looked up,
 * pinged or messaged unless derived from the authenticated login through `users`; the step
 * ends within `max-wait` + 2 s; the reported status is never success while a failed job is
 * visible.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { run } from '../../src/main.ts';
import { runnerIo } from '../../src/report/runner-io.ts';
import { Secrets } from '../../src/text/secrets.ts';
import { SAMPLE_FACTS } from '../../scripts/lib/action-runner.ts';
import { runnerCommands } from '../../scripts/lib/runner-commands.ts';
import { startFakeGithub } from '../support/fake-github.ts';
import type { FakeJobInput } from '../support/fake-github.ts';
import { listJobs } from '../support/fake-github-jobs.ts';
import { encodedForms, fragmentsOf } from '../support/sinks.ts';

/** The account GitHub authenticated: the fork's author, who triggered the run. */
const ACTOR = 'mallory';
/** A directory member whose e-mail the fork writes into its commit. */
const VICTIM = 'cfo@corp.example';
const RUN_ID = 9876543210;
const MAX_WAIT_S = 5;

/** One generated fork case. */
export interface ForkCase {
  token: string;
  githubToken: string;
  jobs: FakeJobInput[];
  junit: string[];
  users: string;
  vars: string;
  format: 'text' | 'html';
  conclusion: 'success' | 'failure';
  /** The directory's answer to any lookup: a user (JSON) or any body, with its status. */
  directory: { status: number; body: string };
  commitMessage: string;
  /** Every job log refused (404): each failed job's name is then said in the log. */
  logsRefused: boolean;
  /** The first post answers 429 with this `Retry-After`, when set. */
  retryAfter?: string;
}

const alnum = fc.stringMatching(/^[A-Za-z0-9]{32,40}$/);
/** Pieces of outside text: both command syntaxes, breaks, bidi, escapes, NUL, mentions. */
const PIECES = [
  '##[error]forged',
  '##[add-mask]x',
  '##[stop-commands]t',
  '::error::forged',
  '::add-mask::x',
  '\n',
  '\r',
  '\u2028',
  '\u0085',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u0000',
  '\u001b[31m',
  '\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007',
  '@all',
  '@here',
  '<b>',
  '&amp;',
  ' ',
  'x',
];
const outside = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((p) => p.join('')),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** A secret's forms as a fork's step would print them (marker: replaced per case). */
const SECRET_FORMS = ['B64:T', 'B64:T1', 'B64:T2', 'B64URL:T', 'B64:XAT', 'URL:XAT', 'RAW:T'];
const logLine = fc.oneof(
  outside,
  fc.constantFrom('##[group]Run npm test', '##[endgroup]', '##[error]Process failed', 'ok'),
  fc.constantFrom(...SECRET_FORMS).map((f) => `token=${f}`),
  fc.integer({ min: 300, max: 5_000 }).map((n) => 'L'.repeat(n)),
);
const logBody = fc.oneof(
  fc.array(logLine, { maxLength: 30 }).map((lines) => lines.join('\n')),
  // Many short lines, and an error far from the end.
  fc
    .record({
      n: fc.integer({ min: 1_000, max: 50_000 }),
      tail: fc.array(logLine, { maxLength: 5 }),
    })
    .map(({ n, tail }) => ({ line: 'a', lines: n, tail: ['##[error]boom', ...tail].join('\n') })),
);
const conclusion = fc.constantFrom('success', 'failure', 'cancelled', 'skipped', 'timed_out', null);
const jobArb: fc.Arbitrary<FakeJobInput> = fc
  .record({
    name: fc.oneof(
      outside,
      outside.map((t) => `##[error]forged ${t}`),
    ),
    conclusion,
    steps: fc.array(fc.record({ name: outside, conclusion }), { maxLength: 3 }),
    log: logBody,
  })
  .map(({ name, conclusion: c, steps, log }) => ({
    name,
    ...(c === null ? { status: 'in_progress' as const, conclusion: null } : { conclusion: c }),
    steps: steps.map((s) => ({ name: s.name, conclusion: c === null ? null : s.conclusion })),
    log,
  }));

const junitArb = fc
  .array(
    fc.record({ name: outside, message: fc.oneof(outside, fc.constantFrom(...SECRET_FORMS)) }),
    {
      maxLength: 4,
    },
  )
  .map((cases) => {
    const attr = (s: string): string =>
      s
        .replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`)
        // XML 1.0 forbids these controls even as references: the report stays well-formed.
        // eslint-disable-next-line no-control-regex -- control characters are what is removed
        .replace(/[\0-\x08\x0b\x0c\x0e-\x1f]/g, '');
    const body = cases
      .map(
        (c) =>
          `<testcase name="${attr(c.name)}"><failure message="${attr(c.message)}"/></testcase>`,
      )
      .join('');
    return `<testsuite name="s">${body}</testsuite>`;
  });

const usersArb = fc.oneof(
  fc.constant(''),
  fc.constantFrom(`${ACTOR}: "@MalloryM"`, `Mallory: mallory@corp.example`, `${ACTOR}: ${VICTIM}`),
  fc.constantFrom(`someone: ${VICTIM}`, `cfo: "@CFO"`),
  outside.map((t) => `${ACTOR}: ${JSON.stringify(t)}`),
);
const varsArb = fc.oneof(
  fc.constant(''),
  outside.map((t) => `note: ${JSON.stringify(t)}`),
  outside,
);
const directoryArb = fc.oneof(
  fc
    .record({
      id: fc.integer({ min: 1, max: 10_000 }),
      name: outside,
      mention: fc.oneof(
        fc.constantFrom('CFO', 'all', 'here', 'Mallory M'),
        fc.stringMatching(/^\w{1,20}$/),
      ),
      email: fc.constantFrom(VICTIM, 'mallory@corp.example', 'other@corp.example'),
    })
    .map((u) => ({
      status: 200,
      body: JSON.stringify({ id: u.id, name: u.name, mention_name: u.mention, email: u.email }),
    })),
  fc.constantFrom(
    { status: 404, body: '{"error":{"code":404,"message":"nope"}}' },
    { status: 200, body: '<html>' },
  ),
);

/** A fork case. */
export const forkArb: fc.Arbitrary<ForkCase> = fc.record({
  token: alnum,
  githubToken: alnum.map((t) => `ghs_${t}`),
  jobs: fc.array(jobArb, { minLength: 1, maxLength: 6 }),
  junit: fc.array(junitArb, { maxLength: 2 }),
  users: usersArb,
  vars: varsArb,
  format: fc.constantFrom('text' as const, 'html' as const),
  conclusion: fc.constantFrom('success' as const, 'failure' as const),
  directory: directoryArb,
  commitMessage: outside,
  logsRefused: fc.boolean(),
  retryAfter: fc.option(
    fc.constantFrom(
      `(##[error]forged) ${new Date(Date.now() + 1000).toUTCString()}`,
      '1 ##[add-mask]x',
      '::error::forged',
      '0',
    ),
    { nil: undefined },
  ),
});

/** `text` with the secret markers of the generators replaced by the case's secrets' forms. */
function withSecrets(text: string, c: ForkCase): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const forms: Record<string, string> = {
    'B64:T1': b64(`a${c.token}`),
    'B64:T2': b64(`ab${c.token}`),
    'B64:T': b64(c.token),
    'B64URL:T': Buffer.from(`a${c.token}`).toString('base64url'),
    'B64:XAT': b64(`x-access-token:${c.githubToken}`),
    'URL:XAT': encodeURIComponent(`x-access-token:${c.githubToken}`),
    'RAW:T': c.token,
  };
  return text.replace(/B64URL:T|B64:T[12]?|B64:XAT|URL:XAT|RAW:T/g, (m) => forms[m]!);
}

/** What the HipChat peer saw. */
interface HipChatSeen {
  lookups: string[];
  privateMessages: string[];
  messages: string[];
  bodies: string[];
}

/** A HipChat peer: 204 to posts, the case's directory answer to every lookup. */
async function startHipChat(
  c: ForkCase,
): Promise<{ url: string; seen: HipChatSeen; close(): Promise<void> }> {
  const seen: HipChatSeen = { lookups: [], privateMessages: [], messages: [], bodies: [] };
  let limited = false;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      const url = req.url ?? '';
      seen.bodies.push(body);
      const pm = /^\/v2\/user\/([^/?]+)\/message/.exec(url);
      if (pm) seen.privateMessages.push(decodeURIComponent(pm[1]!));
      else if (url.startsWith('/v2/user/')) {
        seen.lookups.push(decodeURIComponent(url.slice(9).split('?')[0]!));
        res.writeHead(c.directory.status, { 'content-type': 'application/json' });
        res.end(c.directory.body);
        return;
      }
      if (/\/notification/.test(url) && c.retryAfter !== undefined && !limited) {
        limited = true;
        res.writeHead(429, { 'retry-after': c.retryAfter, 'content-type': 'application/json' });
        res.end('{"error":{"code":429,"message":"slow down","type":"Too Many Requests"}}');
        return;
      }
      if (/\/notification/.test(url)) {
        try {
          seen.messages.push(String((JSON.parse(body) as { message?: unknown }).message ?? ''));
        } catch {
          // not JSON: nothing to read
        }
      }
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs one fork case in this process; the violations found. */
export async function forkCase(c: ForkCase): Promise<string[]> {
  const jobs = c.jobs.map((j) => ({
    ...j,
    name: withSecrets(j.name, c),
    log:
      typeof j.log === 'string'
        ? withSecrets(j.log, c)
        : j.log && { ...j.log, tail: withSecrets(j.log.tail ?? '', c) },
  }));
  const github = await startFakeGithub({
    repository: 'octo-org/octo-app',
    runId: RUN_ID,
    token: c.githubToken,
    jobs,
  });
  if (c.logsRefused) github.failWith(404, Infinity, /\/logs$/);
  const hipchat = await startHipChat(c);
  const dir = mkdtempSync(path.join(tmpdir(), 'hipchat-fuzz-fork-'));
  try {
    const o = await runCase(c, dir, github.url, github.webUrl, hipchat.url);
    return forkViolations(c, o, hipchat.seen, github.jobs());
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await hipchat.close();
    await github.close();
  }
}

interface ForkObserved {
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  ms: number;
}

async function runCase(
  c: ForkCase,
  dir: string,
  api: string,
  web: string,
  hipchat: string,
): Promise<ForkObserved> {
  const workspace = path.join(dir, 'ws');
  mkdirSync(workspace);
  c.junit.forEach((xml, i) =>
    writeFileSync(path.join(workspace, `TEST-${i}.xml`), withSecrets(xml, c)),
  );
  const event = {
    workflow_run: {
      id: RUN_ID,
      run_attempt: 1,
      name: 'CI',
      status: 'completed',
      conclusion: c.conclusion,
      head_branch: 'feature',
      head_sha: '1234567890abcdef1234567890abcdef12345678',
      html_url: `${web}/octo-org/octo-app/actions/runs/${RUN_ID}`,
      actor: { login: ACTOR, type: 'User' },
      triggering_actor: { login: ACTOR, type: 'User' },
      head_repository: { full_name: `${ACTOR}/octo-app` },
      head_commit: {
        id: '1234567890abcdef1234567890abcdef12345678',
        message: withSecrets(c.commitMessage, c),
        author: { name: 'CFO', email: VICTIM },
      },
    },
    repository: { full_name: 'octo-org/octo-app' },
    sender: { login: ACTOR },
  };
  const eventPath = path.join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(event));
  const inputs: Record<string, string> = {
    token: c.token,
    room: 'CI',
    server: hipchat,
    timeout: '2',
    'max-wait': String(MAX_WAIT_S),
    'github-token': c.githubToken,
    status: c.conclusion,
    summary: 'run',
    'log-lines': '5',
    'test-results': 'TEST-*.xml',
    mention: 'author',
    'private-message': 'true',
    users: c.users,
    vars: c.vars,
    format: c.format,
    card: 'true',
  };
  const env: NodeJS.ProcessEnv = {
    ...SAMPLE_FACTS,
    GITHUB_EVENT_NAME: 'workflow_run',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    GITHUB_API_URL: api,
    GITHUB_SERVER_URL: web,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const o: ForkObserved = { stdout: '', outputs: {}, summary: '', ms: 0 };
  const log = (line: string): void => void (o.stdout += `${line}\n`);
  const data = (m: string): string =>
    m.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const secrets = new Secrets();
  const io = runnerIo(env, secrets, {
    info: log,
    debug: (m) => log(`::debug::${data(m)}`),
    notice: (m) => log(`::notice::${data(m)}`),
    warning: (m) => log(`::warning::${data(m)}`),
    setFailed: (m) => log(`::error::${data(m)}`),
    setOutput: (name, value) => void (o.outputs[name] = value),
    setSecret: (s) => log(`::add-mask::${data(s)}`),
    appendSummary: async (markdown) => void (o.summary += markdown),
  });
  const started = performance.now();
  await run(env, secrets, io);
  o.ms = performance.now() - started;
  return o;
}

/** Who `users` lets the authenticated login reach: a mention name, or an e-mail to look up. */
function allowedFor(users: string): { mention?: string; email?: string } {
  for (const line of users.split('\n')) {
    const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
    if (!m || m[1]!.trim().toLowerCase() !== ACTOR) continue;
    const value = m[2]!.trim().replace(/^"(.*)"$/, '$1');
    return value.startsWith('@') ? { mention: value.slice(1) } : { email: value.toLowerCase() };
  }
  return {};
}

function forkViolations(
  c: ForkCase,
  o: ForkObserved,
  seen: HipChatSeen,
  jobs: ReturnType<Awaited<ReturnType<typeof startFakeGithub>>['jobs']>,
): string[] {
  const out: string[] = [];
  const commands = runnerCommands(o.stdout);
  const own = new Set(['add-mask', 'debug', 'notice', 'warning', 'error']);
  for (const command of commands) {
    if (command.syntax === '##[' || !own.has(command.name)) {
      out.push(`a command from outside text: ${command.line.slice(0, 80)}`);
    } else if (command.name === 'add-mask' && ![c.token, c.githubToken].includes(command.data)) {
      out.push(`add-mask of ${command.data.slice(0, 40)}`);
    }
  }
  const secrets = [c.token, c.githubToken].flatMap((s) => [s, ...encodedForms(s)]);
  const sinks = [
    o.stdout.replace(/^::add-mask::.*$/gm, ''),
    o.summary,
    ...Object.values(o.outputs),
    ...seen.bodies,
  ];
  const leaks = fragmentsOf(sinks, secrets);
  if (leaks.length) out.push(`secret in a sink: ${leaks.slice(0, 3).join(', ')}`);
  const allowed = allowedFor(c.users);
  for (const ref of seen.lookups) {
    if (ref.toLowerCase() !== allowed.email)
      out.push(`looked up ${ref}: not from the authenticated login`);
  }
  let directory: { id?: unknown; mention_name?: unknown; email?: unknown } = {};
  try {
    directory = JSON.parse(c.directory.body) as typeof directory;
  } catch {
    // not a user
  }
  const vouched = allowed.email !== undefined && directory.email === allowed.email;
  const mentions = new Set(
    [allowed.mention, vouched ? directory.mention_name : undefined].filter(Boolean),
  );
  const targets = new Set(
    [allowed.mention && `@${allowed.mention}`, vouched ? String(directory.id) : undefined].filter(
      Boolean,
    ),
  );
  for (const to of seen.privateMessages) if (!targets.has(to)) out.push(`private message to ${to}`);
  if (c.format === 'text') {
    for (const message of seen.messages) {
      for (const m of message.matchAll(/(?<![\p{L}\p{N}_])@([\p{L}\p{N}_]+)/gu)) {
        if (!mentions.has(m[1])) out.push(`live mention of @${m[1]}`);
      }
    }
  }
  if (o.ms > MAX_WAIT_S * 1000 + 2_000)
    out.push(`took ${Math.round(o.ms)} ms (max-wait ${MAX_WAIT_S} s)`);
  // Visible: what the listing the action reads shows (the latest attempt of each job name).
  const failed = listJobs(jobs, RUN_ID, { filter: 'latest' }).some(
    (j) => j.status === 'completed' && ['failure', 'timed_out'].includes(j.conclusion ?? ''),
  );
  if (failed && o.outputs.status === 'success')
    out.push('reported success while a failed job is visible');
  return out;
}
