/**
 * `npm run bench:burst`: a matrix build fails and all its jobs alert one room at once.
 *
 * K separate action processes (`node dist/index.js`, as the runner starts them) start together
 * and post to one sandbox room whose flood control allows L posts per window of W seconds. From
 * the sandbox's record it prints the total time against the earliest the server could have
 * accepted the last post, the 429s received (and the most any job met in one window), and how
 * many alerts were lost or doubled.
 *
 * "Earliest" replays the server's own rule: given when each job's first request arrived, each
 * post is accepted as soon as a window has room, and a full window's posts wait exactly until
 * its reset. No client can do better; the action's own start-up is in both figures.
 *
 *   npm run bench:burst -- [--jobs 9] [--limit 3] [--window 2] [--runs 3]
 */
import { parseArgs } from 'node:util';
import type { RecordedRequest } from '../sandbox/server.ts';
import { PERSONAL_TOKEN, startSandbox, windowEnd } from '../sandbox/server.ts';
import { runStep } from './lib/action-runner.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '9' },
    limit: { type: 'string', default: '3' },
    window: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
  },
});
const K = Number(values.jobs);
const L = Number(values.limit);
const W = Number(values.window) * 1000;
const RUNS = Number(values.runs);

/** The earliest the server could accept every post, given each job's first arrival. */
function earliestLastAccept(arrivals: number[]): number {
  let end = -Infinity;
  let count = 0;
  let last = -Infinity;
  for (const arrival of [...arrivals].sort((a, b) => a - b)) {
    let t = arrival;
    for (;;) {
      if (t >= end) {
        end = windowEnd(t, W);
        count = 0;
      }
      if (count < L) {
        count++;
        last = Math.max(last, t);
        break;
      }
      t = end; // come back exactly at the reset
    }
  }
  return last;
}

interface RunFigures {
  totalMs: number;
  earliestMs: number;
  ratio: number;
  postPhaseMs: number;
  earliestPostPhaseMs: number;
  startupMs: number;
  tooMany: number;
  maxPerJobWindow: number;
  lost: number;
  doubled: number;
  failedSteps: number;
}

async function once(): Promise<RunFigures> {
  const sandbox = await startSandbox({ limits: { room: { limit: L, windowMs: W } } });
  try {
    const launched = Date.now();
    const ends: number[] = [];
    const steps = await Promise.all(
      Array.from({ length: K }, (_, i) =>
        runStep({
          with: {
            token: PERSONAL_TOKEN,
            room: 'CI',
            server: sandbox.url,
            from: `job-${i + 1}`,
            'max-wait': '120',
          },
          jobStatus: 'failure',
          killAfterMs: 120_000,
        }).then((step) => {
          ends.push(Date.now());
          return step;
        }),
      ),
    );
    const requests = sandbox.requests.filter((r) => r.path.endsWith('/notification'));
    const job = (r: RecordedRequest): string => String((r.body as { from?: string }).from);
    const first = new Map<string, number>();
    for (const r of requests) if (!first.has(job(r))) first.set(job(r), r.time);
    const accepted = sandbox.notifications('CI');
    const lastAccept = Math.max(...accepted.map((n) => n.time));
    const earliest = earliestLastAccept([...first.values()]);
    const firstArrival = Math.min(...first.values());

    const perJobWindow = new Map<string, number>();
    let tooMany = 0;
    for (const r of requests) {
      if (r.status !== 429) continue;
      tooMany++;
      const key = `${job(r)}@${r.responseHeaders?.['X-FloodControl-Reset']}`;
      perJobWindow.set(key, (perJobWindow.get(key) ?? 0) + 1);
    }
    const per = new Map<string, number>();
    for (const n of accepted) {
      const from = String(n.body.from);
      per.set(from, (per.get(from) ?? 0) + 1);
    }
    const totalMs = Math.max(...ends) - launched;
    const earliestMs = earliest - launched;
    return {
      totalMs,
      earliestMs,
      ratio: totalMs / earliestMs,
      postPhaseMs: lastAccept - firstArrival,
      earliestPostPhaseMs: earliest - firstArrival,
      startupMs: firstArrival - launched,
      tooMany,
      maxPerJobWindow: Math.max(0, ...perJobWindow.values()),
      lost: Array.from({ length: K }, (_, i) => `job-${i + 1}`).filter((j) => !per.has(j)).length,
      doubled: [...per.values()].reduce((sum, n) => sum + (n - 1), 0),
      failedSteps: steps.filter((s) => s.exitCode !== 0).length,
    };
  } finally {
    await sandbox.close();
  }
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `Burst: ${K} action processes alert one room; flood control ${L} per ${W / 1000} s; ${RUNS} run(s).`,
);
console.log(
  'run  total    earliest  ratio  | start-up  posts (earliest)  | 429s  max/job/window  lost  doubled  failed',
);
const all: RunFigures[] = [];
for (let i = 1; i <= RUNS; i++) {
  const f = await once();
  all.push(f);
  console.log(
    `${String(i).padStart(3)}  ${s(f.totalMs).padStart(7)}  ${s(f.earliestMs).padStart(7)}  ${f.ratio.toFixed(3)}  | ${s(f.startupMs).padStart(7)}  ${s(f.postPhaseMs)} (${s(f.earliestPostPhaseMs)})  | ${String(f.tooMany).padStart(4)}  ${String(f.maxPerJobWindow).padStart(14)}  ${String(f.lost).padStart(4)}  ${String(f.doubled).padStart(7)}  ${String(f.failedSteps).padStart(6)}`,
  );
}
const worst = Math.max(...all.map((f) => f.ratio));
const pass =
  worst <= 1.15 &&
  all.every(
    (f) => f.lost === 0 && f.doubled === 0 && f.maxPerJobWindow <= 1 && f.failedSteps === 0,
  );
console.log(
  `worst ratio ${worst.toFixed(3)} (target ≤ 1.15); lost ${all.reduce((n, f) => n + f.lost, 0)}, doubled ${all.reduce((n, f) => n + f.doubled, 0)}; most 429s one job met in one window: ${Math.max(...all.map((f) => f.maxPerJobWindow))} → ${pass ? 'PASS' : 'FAIL'}`,
);
process.exitCode = pass ? 0 : 1;
