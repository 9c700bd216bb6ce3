/**
 * The fuzzing suite's generators, runner and invariants (fast-check).
 *
 * Three kinds of case: `inputs` (every input any string), `event` (payload text with markup,
 * mentions, Mustache, control and bidi characters, huge fields) and `server` (status × headers ×
 * body × timing × connection fate, directly or through a proxy). Every case runs the real
 * `run()` of src/main.ts in this process — the same modules the bundle is built from, with the
 * real runner-io redaction, against a real hostile peer on 127.0.0.1 — and a sampled share
 * (`BUNDLE_EVERY`) runs the committed bundle as the runner does (a process costs ~150 ms).
 *
 * Case i of a kind is drawn with `fc.sample` from seed + i, and cases run six at a time
 * (most wait on sockets); a failure names the seed, the kind and the index, so
 * `FUZZ_SEED=… npm run fuzz` replays it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { run } from '../../src/main.ts';
import { runnerIo } from '../../src/report/runner-io.ts';
import { Secrets } from '../../src/text/secrets.ts';
import { runStep, samplePushEvent, SAMPLE_FACTS } from '../../scripts/lib/action-runner.ts';
import { startHostileServer } from '../support/hostile-server.ts';
import type { Behaviour, HostileServer } from '../support/hostile-server.ts';
import { allSinks, fragmentsOf } from '../support/sinks.ts';
import { forkArb, forkCase } from './fork-cases.ts';

export type Kind = 'inputs' | 'event' | 'server' | 'fork';

/** One generated case. */
export interface Case {
  kind: Kind;
  token: string;
  githubToken: string;
  inputs: Record<string, string>;
  event: Record<string, unknown>;
  /** What the peer does on each connection (by index; the last repeats). */
  behaviours: Behaviour[];
  viaProxy: boolean;
}

const alnum = fc.stringMatching(/^[A-Za-z0-9]{32,40}$/);
const nasty = fc.constantFrom(
  '\n::error::pwned',
  '\r\n::add-mask::x',
  '::stop-commands::t',
  '</blockquote>\n\n![pwn](https://evil.example/p.png)',
  '\n\n# Pwned heading\n\n',
  '{{#x}}{{/x}}{{{raw}}}',
  '@all @here',
  '<script>alert(1)</script>',
  '\u202eevil\u202c',
  '\u0000\u0007\u001b[31m',
  '| a | b |',
  '`code` *b* _i_ [l](u)',
);
const text = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  nasty,
  fc.array(fc.oneof(nasty, fc.string({ maxLength: 10 })), { maxLength: 6 }).map((a) => a.join('')),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

const INPUTS = [
  'room',
  'status',
  'color',
  'format',
  'template',
  'vars',
  'notify',
  'from',
  'auth-test',
  'dry-run',
  'fail-on-error',
  'send-when',
  'card',
] as const;

/** (a) Every input as any string, on top of a valid base. */
const inputsArb = fc.dictionary(
  fc.constantFrom(...INPUTS),
  fc.oneof(
    text,
    fc.constantFrom(
      'true',
      'false',
      'html',
      'text',
      'failure',
      'success',
      'CI',
      'changed',
      'failure-or-changed',
      '.',
    ),
  ),
  { maxKeys: 5 },
);

/** (b) Event payloads: a push whose text fields are hostile. */
const eventArb = fc
  .record({ message: text, branch: text, author: text, title: text })
  .map(({ message, branch, author, title }) => {
    const event = samplePushEvent(message) as Record<string, unknown> & {
      head_commit: Record<string, unknown>;
    };
    event.ref = `refs/heads/${branch}`;
    event.head_commit.author = { name: author, username: author };
    event.pull_request = { title, number: 7, html_url: 'https://github.com/o/r/pull/7' };
    return event;
  });

const headerValue = fc.oneof(
  fc.constantFrom('0', '-1', '1e300', '99999999999999999999', 'Wed, 21 Oct 2015 07:28:00 GMT'),
  fc.integer({ min: -10, max: 2_000_000_000_000 }).map(String),
  fc.stringMatching(/^[ -~]{0,30}$/),
);

/** (c) One server behaviour; `echo` bodies get the case's secrets spliced in later. */
const behaviourArb: fc.Arbitrary<Behaviour> = fc.oneof(
  fc.record({
    kind: fc.constant('answer' as const),
    status: fc.constantFrom(200, 202, 204, 302, 400, 401, 403, 404, 407, 429, 500, 502, 503, 504),
    headers: fc.dictionary(
      fc.constantFrom(
        'retry-after',
        'x-ratelimit-reset',
        'x-ratelimit-remaining',
        'x-floodcontrol-reset',
        'x-floodcontrol-remaining',
        'content-type',
        'location',
        // Names every object has: a header collection must not mistake them for its own.
        'constructor',
        'Constructor',
      ),
      headerValue,
      { maxKeys: 4 },
    ),
    body: fc.oneof(
      fc.constant(''),
      text.map((t) => t.slice(0, 5_000)),
      fc.constant('{"error":{"code":400,"message":"ECHO"}}'),
      fc.constant('<html><title>Log in ECHO</title></html>'),
      fc.constant('Please log in'),
    ),
    dripMs: fc.option(fc.constantFrom(1, 20), { nil: undefined }),
  }),
  fc.constantFrom<Behaviour>(
    { kind: 'close-on-accept' },
    { kind: 'close-after-head' },
    { kind: 'silent' },
    { kind: 'status-then-cut', status: 200 },
    { kind: 'status-then-cut', status: 500 },
    {
      kind: 'status-then-cut',
      status: 200,
      headers: { 'content-length': '50' },
      completeHead: true,
      body: '{',
    },
    { kind: 'huge-body', status: 200, bytes: 5_000_000 },
    { kind: 'huge-body', status: 500, bytes: Infinity },
  ),
);

/** A case of one kind; the other parts stay ordinary so failures point at the kind. */
export function caseArb(kind: Kind): fc.Arbitrary<Case> {
  const ordinary: Behaviour = { kind: 'answer', status: 204 };
  return fc
    .record({
      token: alnum,
      githubToken: alnum.map((t) => `ghs_${t}`),
      inputs: kind === 'inputs' ? inputsArb : fc.constant({}),
      event: kind === 'event' ? eventArb : fc.constant(samplePushEvent()),
      behaviours:
        kind === 'server'
          ? fc.array(behaviourArb, { minLength: 1, maxLength: 3 })
          : fc.constant([ordinary]),
      viaProxy: kind === 'server' ? fc.boolean() : fc.constant(false),
      leak: fc.boolean(),
    })
    .map(({ leak, ...c }) => {
      // Half the events quote the GitHub token: it must not reach the room or any sink.
      if (leak && kind === 'event') {
        const e = c.event as { head_commit: { message: string } };
        e.head_commit.message += ` ${c.githubToken}`;
      }
      const behaviours = (c.behaviours as Behaviour[]).map((b): Behaviour =>
        b.kind === 'answer' && b.body
          ? { ...b, body: b.body.replace('ECHO', `${c.token.slice(0, 24)} ${c.githubToken}`) }
          : b,
      );
      return { kind, ...c, behaviours };
    });
}

/** What one case produced, as the sinks saw it. */
interface Observed {
  /** The log as the runner reads it, every line (masking commands included). */
  rawLog: string;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  failed: string[];
  warnings: string[];
  posted: string[];
  posts: number;
  ms: number;
  maxWaitMs: number;
  failOnError: boolean;
  /** Bundle: the child's peak RSS; in-process: the heap's growth over the case (bytes). */
  memory: { bytes: number; what: 'peak RSS' | 'heap growth' } | undefined;
}

const MAX_WAIT_S = 1;

/** The JS heap plus the Buffers and other memory it holds outside (bytes). */
function heapBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** One run of the action must stay under this, however it is measured. */
export const MEMORY_LIMIT = 150 * 1024 * 1024;

/**
 * A full GC, so heap figures count live objects only: `global.gc` when node runs with
 * --expose-gc, else the same function taken from V8 at run time (vitest's workers lack the flag).
 */
export const collect: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  })();

/**
 * Preloaded into each bundle run (NODE_OPTIONS --require): writes the process's peak RSS in
 * bytes (`resourceUsage().maxRSS` is KiB) to the file FUZZ_PEAK_RSS_FILE names, at exit.
 */
const PEAK_RSS_PRELOAD = `'use strict';
process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.FUZZ_PEAK_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
});
`;

function stepInputs(c: Case, server: string): Record<string, string> {
  return {
    token: c.token,
    room: 'CI',
    server,
    timeout: '1',
    'max-wait': String(MAX_WAIT_S),
    'github-token': c.githubToken,
    ...c.inputs,
  };
}

/** Runs `c` in this process through the real `run()`, with a recording backend. */
async function runInProcess(c: Case, server: string, proxy: string | undefined): Promise<Observed> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hipchat-fuzz-'));
  try {
    const eventPath = path.join(dir, 'event.json');
    writeFileSync(eventPath, JSON.stringify(c.event));
    const env: NodeJS.ProcessEnv = {
      ...SAMPLE_FACTS,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKSPACE: dir,
      GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
      // `send-when` asks the GitHub API: the hostile peer answers that too, within the budget.
      GITHUB_API_URL: server.startsWith('http://127.0.0.1') ? server : 'http://127.0.0.1:9',
      ...(proxy ? { HTTPS_PROXY: proxy } : {}),
    };
    const inputs = stepInputs(c, server);
    for (const [name, value] of Object.entries(inputs)) {
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    }
    const o: Observed = emptyObserved(inputs);
    const log = (line: string): void => void (o.stdout += `${line}\n`);
    // As @actions/core writes a command: its data on one line.
    const data = (m: string): string => m.replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const secrets = new Secrets();
    const io = runnerIo(env, secrets, {
      info: log,
      debug: (m) => log(`::debug::${data(m)}`),
      warning: (m) => (o.warnings.push(m), log(`::warning::${data(m)}`)),
      setFailed: (m) => (o.failed.push(m), log(`::error::${data(m)}`)),
      setOutput: (name, value) => void (o.outputs[name] = value),
      setSecret: () => {},
      appendSummary: async (markdown) => void (o.summary += markdown),
    });
    // Other cases run at the same time: their allocations count too, so this errs high.
    const heapBefore = heapBytes();
    const started = performance.now();
    await run(env, secrets, io);
    o.ms = performance.now() - started;
    o.memory = {
      bytes: Math.max(0, heapBytes() - heapBefore),
      what: 'heap growth',
    };
    o.rawLog = o.stdout;
    return o;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function emptyObserved(inputs: Record<string, string>): Observed {
  return {
    rawLog: '',
    stdout: '',
    stderr: '',
    outputs: {},
    summary: '',
    failed: [],
    warnings: [],
    posted: [],
    posts: 0,
    ms: 0,
    maxWaitMs: MAX_WAIT_S * 1000,
    failOnError: inputs['fail-on-error']?.trim() !== 'false',
    memory: undefined,
  };
}

/** Runs `c` through the committed bundle, as the runner does. */
async function runBundle(c: Case, server: string, proxy: string | undefined): Promise<Observed> {
  const inputs = stepInputs(c, server);
  // The preload lives in the case's own folder, so nothing outlives the case, failed or not.
  const rssDir = mkdtempSync(path.join(tmpdir(), 'hipchat-fuzz-rss-'));
  const rssFile = path.join(rssDir, 'peak');
  const preload = path.join(rssDir, 'peak-rss.cjs');
  let step: Awaited<ReturnType<typeof runStep>>;
  let peak: number | undefined;
  try {
    writeFileSync(preload, PEAK_RSS_PRELOAD);
    step = await runStep({
      with: inputs,
      event: c.event,
      env: {
        GITHUB_API_URL: server.startsWith('http://127.0.0.1') ? server : 'http://127.0.0.1:9',
        ...(proxy ? { HTTPS_PROXY: proxy } : {}),
        NODE_OPTIONS: `--require ${JSON.stringify(preload)}`,
        FUZZ_PEAK_RSS_FILE: rssFile,
      },
      killAfterMs: 20_000,
    });
    // A killed process writes nothing: its time is flagged, its memory is unknown.
    peak = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : undefined;
  } finally {
    rmSync(rssDir, { recursive: true, force: true });
  }
  return {
    ...emptyObserved(inputs),
    rawLog: step.stdout,
    stdout: step.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
    stderr: step.stderr,
    outputs: step.outputs,
    summary: step.summary,
    failed: step.errors,
    warnings: step.warnings,
    // The process's own start-up is not the action's wait.
    ms: step.durationMs - 400,
    memory: peak === undefined ? undefined : { bytes: peak, what: 'peak RSS' },
  };
}

/** The invariants every case must hold; returns the violations. */
function violations(c: Case, o: Observed, peer: HostileServer): string[] {
  const out: string[] = [];
  const secrets = [c.token, c.githubToken];
  const posted = peer.requests.filter((r) => /\/notification/.test(r.line));
  const leaks = fragmentsOf([...allSinks(o), ...posted.map((r) => r.body)], secrets);
  if (leaks.length) out.push(`secret in a sink: ${leaks.join(', ')}`);
  if (posted.length > 6) out.push(`${posted.length} posts: more than the policy's 6 attempts`);
  const acted = c.behaviours.some(
    (b) =>
      (b.kind === 'answer' || b.kind === 'status-then-cut') && b.status >= 200 && b.status < 300,
  );
  // Server cases post to one room without an auth test: one 2xx means one post.
  if (c.kind === 'server' && c.behaviours.length === 1 && acted && posted.length > 1) {
    out.push(`${posted.length} posts after a 2xx`);
  }
  if (o.ms > o.maxWaitMs + 2_000) out.push(`took ${Math.round(o.ms)} ms (max-wait ${o.maxWaitMs})`);
  if (o.failed.length > 1) out.push(`${o.failed.length} setFailed calls`);
  const excused = o.warnings.filter((w) => /`fail-on-error` is false/.test(w)).length;
  if (excused > 1 || (excused === 1 && o.failed.length > 0)) out.push('failed and excused at once');
  const outside = o.summary.split(/\n\s*\n/).filter((b) => !b.startsWith('<blockquote>'));
  if (/^\s*(# Pwned|!\[pwn\])/m.test(outside.join('\n\n'))) {
    out.push('summary carries Markdown from untrusted text');
  }
  // The generators' command payloads, at the start of a line: a command the runner would run.
  // The action's own masking of a secret is no injection, even when the secret starts with x.
  const ownMasks = new Set(secrets.map((s) => `::add-mask::${s}`));
  for (const line of o.rawLog.split(/\r\n|\r|\n/)) {
    if (ownMasks.has(line)) continue;
    if (/^\s*::(error::pwned|add-mask::x|stop-commands::t)/.test(line)) {
      out.push(`log line starts a command: ${line.slice(0, 60)}`);
    }
  }
  if (/Invalid time value|RangeError|TypeError|Unhandled/.test(o.stdout + o.stderr)) {
    out.push('a crash text reached the log');
  }
  if (o.memory && o.memory.bytes > MEMORY_LIMIT) {
    out.push(`${o.memory.what} ${Math.round(o.memory.bytes / 1048576)} MiB (limit 150)`);
  }
  return out;
}

/** Counts per kind. */
export interface Tally {
  tried: Record<Kind, number>;
  held: Record<Kind, number>;
  bundle: number;
  failures: string[];
  /** Live heap after a full GC at the start and the end of the run (bytes): a leak shows here. */
  heap: { start: number; end: number };
}

/** Every how many cases one goes through the bundle as well (0: none). */
export const BUNDLE_EVERY = 50;

/**
 * Draws `perKind` cases of each kind from `seed` and runs them, `concurrency` at a time.
 * Never throws for a violation: the tally lists them, each with its seed, kind and index.
 */
export async function fuzz(
  seed: number,
  perKind: number,
  { concurrency = 6, bundleEvery = BUNDLE_EVERY } = {},
): Promise<Tally> {
  const tally: Tally = {
    tried: { inputs: 0, event: 0, server: 0, fork: 0 },
    held: { inputs: 0, event: 0, server: 0, fork: 0 },
    bundle: 0,
    failures: [],
    heap: { start: 0, end: 0 },
  };
  // Drawn one at a time (seed + index per kind), so the cases' own text — some fields are
  // 200,000 characters — is not held for the whole run and the memory bound measures the action.
  const jobs: Array<{ kind: Kind; index: number }> = [];
  for (const kind of ['inputs', 'event', 'server', 'fork'] as const) {
    for (let index = 0; index < perKind; index++) jobs.push({ kind, index });
  }
  const arbs = { inputs: caseArb('inputs'), event: caseArb('event'), server: caseArb('server') };
  const draw = (kind: Exclude<Kind, 'fork'>, index: number): Case =>
    fc.sample(arbs[kind], { seed: seed + index, numRuns: 1 })[0]!;
  collect();
  tally.heap.start = heapBytes();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const { kind, index } = jobs[next++]!;
      if (kind === 'fork') {
        await forkJob(seed, index, tally);
        continue;
      }
      const job = { c: draw(kind, index), index };
      // A process's environment holds at most 128 KiB a variable: huge inputs stay in-process.
      // and no environment holds a NUL byte: such inputs stay in-process too (the harness's limit).
      const fits = Object.values(job.c.inputs).every(
        (v) => v.length < 100_000 && !v.includes('\0'),
      );
      const viaBundle = fits && bundleEvery > 0 && job.index % bundleEvery === bundleEvery - 1;
      const problems = await oneCase(job.c, viaBundle).catch((e: unknown) => [
        `uncaught: ${(e as Error)?.stack ?? String(e)}`,
      ]);
      tally.tried[job.c.kind]++;
      if (viaBundle) tally.bundle++;
      if (problems.length === 0) tally.held[job.c.kind]++;
      else
        tally.failures.push(
          `seed ${seed}, ${job.c.kind} #${job.index}${viaBundle ? ' (bundle)' : ''}: ${problems.join('; ')}\n  case: ${JSON.stringify(job.c).slice(0, 600)}`,
        );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  collect();
  tally.heap.end = heapBytes();
  return tally;
}

/** One `fork` case (fork-cases.ts), drawn from seed + index, counted in `tally`. */
async function forkJob(seed: number, index: number, tally: Tally): Promise<void> {
  const c = fc.sample(forkArb, { seed: seed + index, numRuns: 1 })[0]!;
  const problems = await forkCase(c).catch((e: unknown) => [
    `uncaught: ${(e as Error)?.stack ?? String(e)}`,
  ]);
  tally.tried.fork++;
  if (problems.length === 0) tally.held.fork++;
  else {
    tally.failures.push(
      `seed ${seed}, fork #${index}: ${problems.slice(0, 5).join('; ')}\n  case: ${JSON.stringify(c).slice(0, 600)}`,
    );
  }
}

async function oneCase(c: Case, viaBundle: boolean): Promise<string[]> {
  const peer = await startHostileServer(c.behaviours[0]!);
  peer.setBehaviour((i) => c.behaviours[Math.min(i, c.behaviours.length - 1)]!);
  try {
    const server = c.viaProxy ? 'https://hipchat.test' : peer.url;
    const proxy = c.viaProxy ? peer.url : undefined;
    const o = viaBundle ? await runBundle(c, server, proxy) : await runInProcess(c, server, proxy);
    return violations(c, o, peer);
  } finally {
    await peer.close();
  }
}
