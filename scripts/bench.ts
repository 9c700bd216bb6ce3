/**
 * `npm run bench`: what one delivery costs a workflow run, against what a bare Node start costs.
 *
 * Starts the HipChat sandbox on 127.0.0.1 (limits not enforced, so hundreds of posts to one
 * room are never refused) and spawns, alternating in a rotating order:
 *   - `node -e ''`           the floor any action pays, and
 *   - `node dist/index.js`   one real delivery under the runner's conditions: INPUT_* with
 *                            action.yml's defaults, GITHUB_* variables and fresh files, the
 *                            workspace as working directory — built as runStep() builds them, and
 *                            checked against a runStep() run before timing starts. Every timed run
 *                            must exit 0, output `sent=1` and deliver exactly one notification.
 * Wall time runs from spawn to the child's `close` (exited, stdout and stderr drained), which is
 * when a runner moves on. Peak RSS and CPU time come from separate rounds, so the timed runs
 * carry nothing extra: there the child preloads a few lines of CommonJS that write
 * `process.resourceUsage()` at exit — portable (Linux, macOS, Windows), and the same peak
 * `/usr/bin/time -v` reports as "maximum resident set size". CPU time (user + system, all
 * threads) is steadier than wall time when other work shares the machine.
 *
 * Options: --runs N      timed rounds (default 40)
 *          --rss-runs N  peak-RSS / CPU rounds (default 10)
 *          --warmup N    untimed rounds first (default 3)
 *          --main PATH   a bundle to measure instead of action.yml's runs.main; repeat it to
 *                        compare builds in one alternated run (goals apply to the first)
 *          --whole-runs N  `summary: run` rounds against the fake GitHub API (default 10; 0
 *                        skips the whole-run part)
 *          --strict      exit 1 when a goal is missed
 * Goals: ratio ≤ 3.0×, peak RSS ≤ 65 MiB, the bundle's JavaScript ≤ 1.5 MB (10^6 bytes).
 * Whole run (scripts/lib/bench-whole-run.ts): `summary: run` over 256 jobs (3 pages) with
 * `log-lines: 50` for 10 failed jobs ≤ 6× bare node and ≤ 90 MiB; a 200 MB job log no more
 * memory than a small one.
 */
import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PERSONAL_TOKEN, ROOM_CI, startSandbox } from '../sandbox/server.ts';
import {
  ROOT,
  loadActionYml,
  parseOutputFile,
  runStep,
  samplePushEvent,
} from './lib/action-runner.ts';
import { WHOLE_RUN_GOALS, startBenchGithub, wholeRunSpec } from './lib/bench-whole-run.ts';
import { benchStepEnv } from './lib/bench-env.ts';

const GOALS = { ratio: 3.0, rssMiB: 65, bundleBytes: 1_500_000 };

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '40' },
    'rss-runs': { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    main: { type: 'string', multiple: true },
    strict: { type: 'boolean', default: false },
    'whole-runs': { type: 'string', default: '10' },
  },
});
const RUNS = Number(args.runs);
const RSS_RUNS = Number(args['rss-runs']);
const WARMUP = Number(args.warmup);
const WHOLE_RUNS = Number(args['whole-runs']);
const mains = (args.main?.length ? args.main : [loadActionYml().runs.main]).map((m) =>
  path.resolve(ROOT, m),
);

const scratch = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-bench-'));
const probe = path.join(scratch, 'usage-probe.cjs');
writeFileSync(
  probe,
  `process.on('exit', () => {
  const u = process.resourceUsage();
  require('fs').writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify([u.maxRSS, (u.userCPUTime + u.systemCPUTime) / 1000]));
});\n`,
);

/** One thing to spawn: `node <argv>` with a fresh step each time. */
interface Spec {
  label: string;
  argv: string[];
  /** Makes a fresh step (files, env); `check` throws unless the run did its job. */
  prepare(): { cwd: string; env: Record<string, string>; check(code: number | null): void };
}

interface Sample {
  ms: number;
  rssKiB?: number;
  cpuMs?: number;
}

/** Spawns one run; wall time from spawn to `close`. With `usage`, also peak RSS and CPU. */
async function runOnce(spec: Spec, usage: boolean): Promise<Sample> {
  const step = spec.prepare();
  const env = { ...step.env };
  const argv = [...spec.argv];
  const usageFile = path.join(scratch, 'usage.json');
  if (usage) {
    argv.unshift('--require', probe);
    env.BENCH_USAGE_FILE = usageFile;
  }
  let stdout = '';
  let stderr = '';
  const started = performance.now();
  const child = spawn(process.execPath, argv, {
    cwd: step.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exit) => resolve(exit));
  });
  const ms = performance.now() - started;
  try {
    step.check(code);
  } catch (error) {
    throw new Error(
      `${spec.label}: ${(error as Error).message}\nstdout:\n${stdout}\nstderr:\n${stderr}`,
      { cause: error },
    );
  }
  if (!usage) return { ms };
  const [rssKiB, cpuMs] = JSON.parse(readFileSync(usageFile, 'utf8')) as [number, number];
  rmSync(usageFile, { force: true });
  return { ms, rssKiB, cpuMs };
}

const sandbox = await startSandbox({ limits: { enforce: false } });
const WITH: Record<string, string> = {
  token: PERSONAL_TOKEN,
  room: ROOM_CI.name,
  server: sandbox.url,
};

/** The environment runStep() gives a step (push event, job status success), for these files. */
function stepEnv(dir: string, workspace: string, eventPath: string): Record<string, string> {
  return benchStepEnv({ dir, workspace, eventPath, inputs: WITH, githubToken: '' });
}

const PATH_VARIABLES = new Set([
  'GITHUB_EVENT_PATH',
  'GITHUB_OUTPUT',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_STATE',
  'GITHUB_ENV',
  'GITHUB_WORKSPACE',
  'RUNNER_TEMP',
]);

/** Before timing: one real runStep() delivery, and the env built here must equal its env. */
async function crossCheckEnv(): Promise<void> {
  const reference = await runStep({ with: WITH });
  if (reference.exitCode !== 0 || reference.outputs.sent !== '1') {
    throw new Error(`runStep() delivery failed:\n${reference.stdout}\n${reference.stderr}`);
  }
  const mine = stepEnv('/d', '/d/workspace', '/d/event.json');
  for (const key of new Set([...Object.keys(reference.env), ...Object.keys(mine)])) {
    const same = PATH_VARIABLES.has(key)
      ? key in reference.env && key in mine
      : reference.env[key] === mine[key];
    if (!same) {
      throw new Error(`env ${key}: runStep() gives ${reference.env[key]}, bench ${mine[key]}`);
    }
  }
}

let steps = 0;
const eventJson = JSON.stringify(samplePushEvent());

function actionSpec(main: string): Spec {
  return {
    label: `node ${path.relative(ROOT, main).replace(/\\/g, '/')}`,
    argv: [main],
    prepare() {
      const dir = path.join(scratch, `step-${++steps}`);
      const workspace = path.join(dir, 'workspace');
      mkdirSync(workspace, { recursive: true });
      const eventPath = path.join(dir, 'event.json');
      writeFileSync(eventPath, eventJson);
      for (const f of ['output', 'summary.md', 'state', 'env']) {
        writeFileSync(path.join(dir, f), '');
      }
      const before = sandbox.notifications(ROOM_CI.name).length;
      return {
        cwd: workspace,
        env: stepEnv(dir, workspace, eventPath),
        check(code) {
          const outputs = parseOutputFile(readFileSync(path.join(dir, 'output'), 'utf8'));
          rmSync(dir, { recursive: true, force: true });
          if (code !== 0) throw new Error(`exit code ${code}`);
          if (outputs.sent !== '1') throw new Error(`output sent=${outputs.sent}, not 1`);
          const delivered = sandbox.notifications(ROOM_CI.name).length - before;
          if (delivered !== 1) throw new Error(`${delivered} notifications delivered, not 1`);
        },
      };
    },
  };
}

const bare: Spec = {
  label: "node -e ''",
  argv: ['-e', ''],
  prepare() {
    // The same environment as a step, so neither side starts with less to copy.
    const dir = path.join(scratch, `bare-${++steps}`);
    mkdirSync(dir, { recursive: true });
    return {
      cwd: dir,
      env: stepEnv(dir, dir, path.join(dir, 'event.json')),
      check(code) {
        rmSync(dir, { recursive: true, force: true });
        if (code !== 0) throw new Error(`exit code ${code}`);
      },
    };
  },
};

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const median = (values: readonly number[]): number => quantile(values, 0.5);

/** The JavaScript files in a bundle's directory (recursively) and their total size. */
function bundleJs(dir: string): { files: { name: string; bytes: number }[]; total: number } {
  const files: { name: string; bytes: number }[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.[cm]?js$/.test(entry.name)) {
        files.push({ name: path.relative(dir, full), bytes: statSync(full).size });
      }
    }
  };
  walk(dir);
  files.sort((a, b) => b.bytes - a.bytes);
  return { files, total: files.reduce((sum, f) => sum + f.bytes, 0) };
}

/** Right-aligned columns after a left-aligned first one. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  '),
    )
    .join('\n');
}

/**
 * `summary: run` against the fake GitHub API (scripts/lib/bench-whole-run.ts): 256 jobs with
 * `log-lines: 50` for 10 failed ones, timed against bare node; and the peak RSS of a 200 MB
 * log beside a small one. Returns the goals, met or not.
 */
async function benchWholeRun(bareWall: number): Promise<[string, boolean][]> {
  const fake = await startBenchGithub();
  try {
    const spec = (
      label: string,
      jobs: typeof fake.smallLog,
      failed: number,
      logRanges = true,
    ): Spec =>
      wholeRunSpec({
        logRanges,
        label,
        main: mains[0]!,
        scratch,
        github: fake.github,
        jobs,
        sandboxUrl: sandbox.url,
        withInputs: { ...WITH, 'log-lines': '50' },
        failed,
        delivered: () => sandbox.notifications(ROOM_CI.name).length,
      });
    const run256 = spec('summary: run, 256 jobs, log-lines: 50 for 10', fake.matrix256, 10);
    const big = spec('log-lines: 50, one 200 MB log', fake.bigLog, 1);
    const small = spec('log-lines: 50, one small log', fake.smallLog, 1);
    const whole = spec('… 200 MB log, host without ranges', fake.bigLog, 1, false);
    await runOnce(run256, false); // warm-up
    const wall: number[] = [];
    const paired: number[] = [];
    for (let i = 0; i < WHOLE_RUNS; i++) {
      const a = (await runOnce(bare, false)).ms;
      const b = (await runOnce(run256, false)).ms;
      wall.push(b);
      paired.push(b / a);
    }
    const peak = async (s: Spec): Promise<number> => {
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) samples.push((await runOnce(s, true)).rssKiB! / 1024);
      return median(samples);
    };
    const [rss256, rssBig, rssSmall] = [await peak(run256), await peak(big), await peak(small)];
    const rssWhole = await peak(whole);
    const ratio = median(wall) / bareWall;
    console.log(
      `\nWhole run (${WHOLE_RUNS} alternated rounds, 3 peak-RSS rounds each), against the fake GitHub API:`,
    );
    console.log(
      table([
        ['', 'wall median', '× bare', 'paired ×', 'peak RSS'],
        [
          run256.label,
          `${median(wall).toFixed(1)} ms`,
          ratio.toFixed(2),
          median(paired).toFixed(2),
          `${rss256.toFixed(1)} MiB`,
        ],
        [big.label, '', '', '', `${rssBig.toFixed(1)} MiB`],
        [small.label, '', '', '', `${rssSmall.toFixed(1)} MiB`],
        [whole.label, '', '', '', `${rssWhole.toFixed(1)} MiB`],
      ]),
    );
    console.log(
      '(a host without ranges: the whole log is streamed, and V8 frees the socket buffers only when it next collects)',
    );
    // Only the end of a long log is read where the host serves ranges: no more than a small one.
    const goals: [string, boolean][] = [
      [
        `summary: run ${ratio.toFixed(2)}× ≤ ${WHOLE_RUN_GOALS.ratio}× bare node`,
        ratio <= WHOLE_RUN_GOALS.ratio,
      ],
      [
        `summary: run peak RSS ${rss256.toFixed(1)} MiB ≤ ${WHOLE_RUN_GOALS.rssMiB} MiB`,
        rss256 <= WHOLE_RUN_GOALS.rssMiB,
      ],
      [
        `200 MB log ${rssBig.toFixed(1)} MiB ≤ small log ${rssSmall.toFixed(1)} MiB + 8 MiB`,
        rssBig <= rssSmall + 8,
      ],
    ];
    console.log('Goals, whole run:');
    for (const [text, met] of goals) console.log(`  ${met ? 'met   ' : 'MISSED'}  ${text}`);
    return goals;
  } finally {
    await fake.github.close();
  }
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

try {
  const specs = [bare, ...mains.map(actionSpec)];
  console.log(
    `Node ${process.versions.node} (${process.execPath}), ${process.platform}/${process.arch}, ${cpus().length} CPUs; sandbox ${sandbox.url}`,
  );
  if (process.versions.node.split('.')[0] !== '24') {
    console.warn(`warning: GitHub runs node24 actions on Node 24, this is ${process.version}`);
  }
  const loadBefore = load();
  await crossCheckEnv();
  for (let i = 0; i < WARMUP; i++) for (const spec of specs) await runOnce(spec, false);

  const started = Date.now();
  const times = new Map<Spec, number[]>(specs.map((s) => [s, []]));
  const pairRatios = new Map<Spec, number[]>(specs.map((s) => [s, []]));
  for (let i = 0; i < RUNS; i++) {
    // Rotate the order so that no side always runs first in a round (or last).
    const round = new Map<Spec, number>();
    for (let k = 0; k < specs.length; k++) {
      const spec = specs[(i + k) % specs.length]!;
      round.set(spec, (await runOnce(spec, false)).ms);
    }
    for (const spec of specs) {
      times.get(spec)!.push(round.get(spec)!);
      pairRatios.get(spec)!.push(round.get(spec)! / round.get(bare)!);
    }
  }
  const rss = new Map<Spec, number[]>(specs.map((s) => [s, []]));
  const cpu = new Map<Spec, number[]>(specs.map((s) => [s, []]));
  for (let i = 0; i < RSS_RUNS; i++) {
    for (const spec of specs) {
      const sample = await runOnce(spec, true);
      rss.get(spec)!.push(sample.rssKiB!);
      cpu.get(spec)!.push(sample.cpuMs!);
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);

  console.log(
    `\n${RUNS} alternated rounds (after ${WARMUP} warm-up) and ${RSS_RUNS} peak-RSS/CPU rounds in ${seconds} s; load average ${loadBefore} before, ${load()} after\n`,
  );
  const bareWall = median(times.get(bare)!);
  const bareCpu = median(cpu.get(bare)!);
  const rows = [['', 'wall median', 'p25–p75', '× bare', 'paired ×', 'CPU', '× bare', 'peak RSS']];
  for (const spec of specs) {
    const wall = times.get(spec)!;
    rows.push([
      spec.label,
      `${median(wall).toFixed(1)} ms`,
      `${quantile(wall, 0.25).toFixed(0)}–${quantile(wall, 0.75).toFixed(0)} ms`,
      (median(wall) / bareWall).toFixed(2),
      median(pairRatios.get(spec)!).toFixed(2),
      `${median(cpu.get(spec)!).toFixed(0)} ms`,
      (median(cpu.get(spec)!) / bareCpu).toFixed(2),
      `${(median(rss.get(spec)!) / 1024).toFixed(1)} MiB`,
    ]);
  }
  console.log(table(rows));
  console.log(
    "(× bare: ratio of the medians; paired ×: median of each round's ratio, steadier under load)",
  );

  console.log('');
  const sizes = mains.map((main) => bundleJs(path.dirname(main)));
  mains.forEach((main, i) => {
    const { files, total } = sizes[i]!;
    const dir = path.relative(ROOT, path.dirname(main)).replace(/\\/g, '/') || '.';
    const list = files.map((f) => `${f.name} ${f.bytes.toLocaleString('en')}`).join(', ');
    console.log(
      `${dir}/ JavaScript: ${total.toLocaleString('en')} bytes (${(total / 1e6).toFixed(2)} MB): ${list}`,
    );
  });

  const first = specs[1]!;
  const ratio = median(times.get(first)!) / bareWall;
  const peak = median(rss.get(first)!) / 1024;
  const bytes = sizes[0]!.total;
  const goals: [string, boolean][] = [
    [`ratio ${ratio.toFixed(2)}× ≤ ${GOALS.ratio.toFixed(1)}×`, ratio <= GOALS.ratio],
    [`peak RSS ${peak.toFixed(1)} MiB ≤ ${GOALS.rssMiB} MiB`, peak <= GOALS.rssMiB],
    [
      `JavaScript ${(bytes / 1e6).toFixed(2)} MB ≤ ${GOALS.bundleBytes / 1e6} MB`,
      bytes <= GOALS.bundleBytes,
    ],
  ];
  console.log(`\nGoals, ${first.label}:`);
  for (const [text, met] of goals) console.log(`  ${met ? 'met   ' : 'MISSED'}  ${text}`);
  const wholeGoals = WHOLE_RUNS > 0 ? await benchWholeRun(bareWall) : [];
  if (args.strict && [...goals, ...wholeGoals].some(([, met]) => !met)) process.exitCode = 1;
} finally {
  await sandbox.close();
  rmSync(scratch, { recursive: true, force: true });
}
