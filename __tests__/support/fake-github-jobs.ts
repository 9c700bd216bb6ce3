/**
 * The jobs half of the fake GitHub API (`fake-github.ts`): fixture jobs with their steps,
 * attempts and logs, the listings GitHub serves for them, and logs written as streams.
 *
 *   GET …/actions/runs/{run_id}/jobs?filter=latest|all&per_page&page
 *   GET …/actions/runs/{run_id}/attempts/{n}/jobs?per_page&page
 *   GET …/actions/jobs/{job_id}/logs        → 302 to the log host (completed jobs only)
 *
 * `filter=latest` (the default, as on GitHub) keeps, of the jobs sharing a name, the one of the
 * highest attempt: after "re-run failed jobs", attempt 2 lists the re-run jobs with
 * `run_attempt: 2` and the kept ones with their earlier attempt.
 */
import type { ServerResponse } from 'node:http';

/**
 * A job's log: text, or a generated one (`lines` copies of `line`, or about `bytes` bytes of
 * them), followed by `tail` (the failing step's last lines, say).
 */
export type FakeLog = string | { line: string; lines?: number; bytes?: number; tail?: string };

export interface FakeStepInput {
  name: string;
  /** Default `success` (`null` while the job runs, for steps not yet finished). */
  conclusion?: string | null;
  status?: 'completed' | 'in_progress' | 'queued';
}

/** A job in the fixture. Only `name` is required. */
export interface FakeJobInput {
  id?: number;
  name: string;
  /** Default: the fake's `runId`. */
  run_id?: number;
  /** Default 1. */
  run_attempt?: number;
  /** Default `completed`. */
  status?: 'completed' | 'in_progress' | 'queued' | 'waiting';
  /** Default `success` when completed, else `null`. */
  conclusion?: string | null;
  /** Default `GitHub Actions {id}`. */
  runner_name?: string | null;
  /** Seconds the job ran. Default 60. */
  seconds?: number;
  /** When it started (epoch ms). Default: a fixed instant, a second apart per job. */
  startedAtMs?: number;
  /** Default: `Set up job`, `Run tests`, `Complete job`, the failure (if any) in `Run tests`. */
  steps?: FakeStepInput[];
  log?: FakeLog;
}

/** A job as the fake serves it (GitHub's fields that matter), plus its log. */
export interface FakeJob {
  id: number;
  run_id: number;
  run_attempt: number;
  name: string;
  status: string;
  conclusion: string | null;
  started_at: string;
  completed_at: string | null;
  html_url: string;
  runner_name: string | null;
  labels: string[];
  steps: Array<{
    name: string;
    status: string;
    conclusion: string | null;
    number: number;
    started_at: string;
    completed_at: string | null;
  }>;
  log?: FakeLog;
}

const START = Date.UTC(2026, 0, 1, 12, 0, 0);

/** Fills in a job's defaults. `web` is the fake's web origin (job pages live there). */
export function completeJob(
  input: FakeJobInput,
  index: number,
  ctx: { runId: number; repository: string; web: string },
): FakeJob {
  const id = input.id ?? 9_000 + index;
  const status = input.status ?? 'completed';
  const conclusion =
    input.conclusion !== undefined ? input.conclusion : status === 'completed' ? 'success' : null;
  const started = input.startedAtMs ?? START + index * 1000;
  const completed = status === 'completed' ? started + (input.seconds ?? 60) * 1000 : null;
  const failing = conclusion === 'failure' || conclusion === 'timed_out';
  const steps = (
    input.steps ?? [
      { name: 'Set up job' },
      {
        name: 'Run tests',
        conclusion: failing ? 'failure' : conclusion === 'skipped' ? 'skipped' : 'success',
      },
      { name: 'Complete job' },
    ]
  ).map((step, n) => ({
    name: step.name,
    status: step.status ?? (status === 'completed' ? 'completed' : 'completed'),
    conclusion: step.conclusion !== undefined ? step.conclusion : 'success',
    number: n + 1,
    started_at: new Date(started + n * 1000).toISOString(),
    completed_at: new Date(started + (n + 1) * 1000).toISOString(),
  }));
  const runId = input.run_id ?? ctx.runId;
  return {
    id,
    run_id: runId,
    run_attempt: input.run_attempt ?? 1,
    name: input.name,
    status,
    conclusion,
    started_at: new Date(started).toISOString(),
    completed_at: completed === null ? null : new Date(completed).toISOString(),
    html_url: `${ctx.web}/${ctx.repository}/actions/runs/${runId}/job/${id}`,
    runner_name: input.runner_name === undefined ? `GitHub Actions ${id}` : input.runner_name,
    labels: ['ubuntu-latest'],
    steps,
    log: input.log,
  };
}

/** `count` matrix legs `name (leg-N)`, the legs in `failed` failing at `Run tests`. */
export function matrix(
  name: string,
  count: number,
  failed: readonly number[] = [],
  extra: Partial<FakeJobInput> = {},
): FakeJobInput[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${name} (leg-${i + 1})`,
    conclusion: failed.includes(i + 1) ? 'failure' : 'success',
    ...extra,
  }));
}

/** The jobs a listing shows, before pagination. */
export function listJobs(
  jobs: readonly FakeJob[],
  runId: number,
  query: { filter?: string | null; attempt?: number },
): FakeJob[] {
  const ofRun = jobs.filter((job) => job.run_id === runId);
  if (query.attempt !== undefined) return ofRun.filter((job) => job.run_attempt === query.attempt);
  if (query.filter === 'all') return ofRun;
  const latest = new Map<string, FakeJob>();
  for (const job of ofRun) {
    const seen = latest.get(job.name);
    if (!seen || job.run_attempt > seen.run_attempt) latest.set(job.name, job);
  }
  return [...latest.values()].sort((a, b) => a.id - b.id);
}

/** The job as the API serves it: everything but the log. */
export function apiJob(job: FakeJob): Omit<FakeJob, 'log'> {
  const { log: _log, ...rest } = job;
  return rest;
}

/** How the log host answers: like cloud storage, with byte ranges (`ranges`), or without. */
export interface LogAsk {
  /** The request's `Range` header. */
  range?: string;
  /** Serve `Accept-Ranges: bytes` and honour `Range: bytes=<start>-`. */
  ranges: boolean;
}

/**
 * Writes `log` to `res` as a stream, waiting for the client to drain (a 200 MB log is never
 * held in memory here either), with its `Content-Length`. Lines get GitHub's timestamp prefix.
 * With `ask.ranges`, as Azure Blob Storage does: `Accept-Ranges: bytes`, and `bytes=<start>-`
 * answered 206 with `Content-Range` (416 past the end); other range forms are ignored.
 */
export async function writeLog(res: ServerResponse, log: FakeLog, ask: LogAsk): Promise<void> {
  const { head, line, count, tail } = logParts(log);
  const size = head.length + line.length * count + tail.length;
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  let from = 0;
  let status = 200;
  const start = ask.ranges ? /^bytes=(\d+)-$/.exec(ask.range ?? '')?.[1] : undefined;
  if (ask.ranges) headers['accept-ranges'] = 'bytes';
  if (start !== undefined) {
    from = Number(start);
    if (from >= size) {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      res.end();
      return;
    }
    status = 206;
    headers['content-range'] = `bytes ${from}-${size - 1}/${size}`;
  }
  headers['content-length'] = String(size - from);
  res.writeHead(status, headers);
  await writeFrom(res, { head, line, count, tail }, from);
  res.end();
}

/** The log as bytes: `head`, then `count` copies of `line`, then `tail`. */
function logParts(log: FakeLog): { head: Buffer; line: Buffer; count: number; tail: Buffer } {
  const stamp = '2026-01-01T12:00:00.0000000Z ';
  const stamped = (text: string): Buffer =>
    Buffer.from(
      text
        .split('\n')
        .map((l) => (l ? stamp + l : l))
        .join('\n'),
    );
  if (typeof log === 'string') {
    return { head: stamped(log), line: Buffer.alloc(0), count: 0, tail: Buffer.alloc(0) };
  }
  const line = Buffer.from(`${stamp}${log.line}\n`);
  const count = log.lines ?? Math.ceil((log.bytes ?? 0) / line.length);
  return {
    head: Buffer.alloc(0),
    line,
    count,
    tail: log.tail ? stamped(log.tail) : Buffer.alloc(0),
  };
}

/** Writes the log's bytes from offset `from`, in pieces of about 64 KiB, minding backpressure. */
async function writeFrom(
  res: ServerResponse,
  parts: { head: Buffer; line: Buffer; count: number; tail: Buffer },
  from: number,
): Promise<void> {
  const perBatch = Math.max(1, Math.floor(65_536 / Math.max(1, parts.line.length)));
  const batch = parts.count > 0 ? Buffer.concat(Array(perBatch).fill(parts.line)) : parts.line;
  let skip = from;
  const write = async (piece: Buffer): Promise<void> => {
    if (res.destroyed || skip >= piece.length) {
      skip -= Math.min(skip, piece.length);
      return;
    }
    const rest = piece.subarray(skip);
    skip = 0;
    if (!res.write(rest)) await drained(res);
  };
  await write(parts.head);
  const lineLength = parts.line.length;
  // Whole batches wholly before `from` are skipped without a write.
  let written = lineLength
    ? Math.min(parts.count, Math.floor(skip / (lineLength * perBatch)) * perBatch)
    : parts.count;
  skip -= written * lineLength;
  for (; written < parts.count && !res.destroyed; written += perBatch) {
    const n = Math.min(perBatch, parts.count - written);
    await write(n === perBatch ? batch : batch.subarray(0, n * lineLength));
  }
  await write(parts.tail);
}

/** Resolves when `res` drains or closes, leaving no listener behind. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
