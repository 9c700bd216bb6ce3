/**
 * A fake GitHub REST API on 127.0.0.1: a real HTTP server (node:http, port 0) serving what the
 * action calls, from fixture runs and jobs, and a second server, the log host, that job logs
 * are redirected to (as GitHub redirects to its blob storage).
 *
 *   GET {basePath}/repos/{owner}/{repo}/actions/runs/{run_id}
 *   GET {basePath}/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs
 *       ?branch= &event= &status= (a status or a conclusion) &per_page= (≤ 100; 30) &page=
 *   GET {basePath}/repos/{owner}/{repo}/actions/runs/{run_id}/jobs?filter=latest|all
 *   GET {basePath}/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{n}/jobs
 *   GET {basePath}/repos/{owner}/{repo}/actions/jobs/{job_id}/logs  → 302 to the log host
 *   GET {basePath}/repos/{owner}/{repo}/releases                     newest first (fake-github-commits.ts)
 *   GET {basePath}/repos/{owner}/{repo}/compare/{base}...{head}      commits between two tags
 *   GET /{owner}/{repo}/actions/runs/{run_id}[/job/{job_id}]        web pages (links work)
 *
 * Runs are listed newest first (by `created_at`, then id), as GitHub does; jobs by id, 30 a
 * page unless `per_page` (≤ 100) says otherwise (fake-github-jobs.ts). The log host refuses a
 * request that carries an Authorization header (400), as signed storage URLs do, and serves
 * logs only for completed jobs. Anything else is a 404 with GitHub's error body. Every request
 * is recorded (also the rejected ones, and those to the log host).
 *
 * Use from unit/integration tests with `findPreviousRun({ apiUrl: fake.url, token: fake.token })`,
 * and from end-to-end tests with `GITHUB_API_URL=fake.url`, `GITHUB_SERVER_URL=fake.webUrl`
 * and `INPUT_GITHUB-TOKEN=fake.token`.
 *
 *   const fake = await startFakeGithub({
 *     runs: [{ id: 41, conclusion: 'failure' }, { id: 42, status: 'in_progress' }],
 *     jobs: [...matrix('test', 256, [3, 7]), { name: 'notify', status: 'in_progress' }],
 *   });
 *   …
 *   fake.failWith(403);   // every following request: 403 "Resource not accessible by integration"
 *   fake.failWith(429, 1, /\/jobs$/);  // the next jobs listing only
 *   fake.failWith(null);  // back to normal
 *   await fake.close();   // from now on the URLs are unreachable (connection refused)
 */
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiJob, completeJob, listJobs, writeLog } from './fake-github-jobs.ts';
import { serveHistory } from './fake-github-commits.ts';
import type { FakeHistory } from './fake-github-commits.ts';
import type { FakeJob, FakeJobInput } from './fake-github-jobs.ts';

export { matrix } from './fake-github-jobs.ts';
export type { FakeJob, FakeJobInput, FakeLog } from './fake-github-jobs.ts';

/** A workflow run in the fixture. Only `id` is required; the rest have defaults. */
export interface FakeRunInput {
  id: number;
  /** Default: `id`. */
  run_number?: number;
  /** Default: 1. */
  workflow_id?: number;
  /** Workflow file; the URL's `workflow_id` may be its base name. Default `.github/workflows/ci.yml`. */
  path?: string;
  /** Default: `main`. */
  head_branch?: string | null;
  /** Default: `push`. */
  event?: string;
  /** Default: `completed`. */
  status?: 'completed' | 'in_progress' | 'queued' | 'waiting' | 'requested' | 'pending';
  /** Default: `success` when completed, else `null`. */
  conclusion?: string | null;
  /** `owner/name` the head commit came from. Default: the fake's repository. */
  head_repository?: string;
  /** ISO time. Default: derived from `id`, so a larger id is newer. */
  created_at?: string;
}

/** A run as the fake serves it: the fields of GitHub's answer that matter, with defaults filled. */
export interface FakeRun {
  id: number;
  name: string;
  run_number: number;
  run_attempt: number;
  workflow_id: number;
  path: string;
  head_branch: string | null;
  head_sha: string;
  event: string;
  status: string;
  conclusion: string | null;
  url: string;
  html_url: string;
  created_at: string;
  updated_at: string;
  repository: { full_name: string };
  head_repository: { full_name: string };
}

export interface RecordedRequest {
  method: string;
  /** Path without the query, including `basePath`. */
  path: string;
  query: Record<string, string>;
  /** The `Authorization` header as received, `undefined` when absent. */
  authorization: string | undefined;
  /** `api`, `web` (a page a link in the message points to) or `logs` (the log host). */
  host: 'api' | 'web' | 'logs';
  /** The `Range` header, `undefined` when absent. */
  range?: string;
}

export interface FakeGithubOptions {
  /** The token to accept, as `Bearer <token>` or `token <token>`. Default `ghs_fake_token`. */
  token?: string;
  /** `owner/name` served. Default `octo/app`. */
  repository?: string;
  /** Path prefix of the API, e.g. `/api/v3` to play GitHub Enterprise Server. Default none. */
  basePath?: string;
  runs?: FakeRunInput[];
  /** Jobs of the runs; those without `run_id` belong to `runId`. */
  jobs?: FakeJobInput[];
  /** The run jobs belong to by default: the id of the last run given, else 1. */
  runId?: number;
  /** Whether the log host serves byte ranges, as cloud storage does. Default true. */
  logRanges?: boolean;
  /** The repository's commits and releases, for the releases and compare routes. */
  history?: FakeHistory;
}

/**
 * Fault for every request: an HTTP status, `'hang'` (never answer), an answer of our making
 * (status, headers, JSON body), or `null` (none).
 */
export type FakeFault =
  number | 'hang' | { status: number; headers?: Record<string, string>; body?: unknown } | null;

export interface FakeGithub {
  /** API base URL (with `basePath`), no trailing slash: use as `apiUrl` / `GITHUB_API_URL`. */
  url: string;
  /** The token the fake accepts. */
  token: string;
  repository: string;
  /** Every request received, in order. Clear it with `requests.length = 0`. */
  requests: RecordedRequest[];
  /** The web origin (GITHUB_SERVER_URL): job pages and run pages, for checking links. */
  webUrl: string;
  /** Replace the fixture runs. */
  setRuns(runs: FakeRunInput[]): void;
  /** Replace the fixture jobs. */
  setJobs(jobs: FakeJobInput[]): void;
  /** The jobs as served (ids, urls filled in). */
  jobs(): FakeJob[];
  /** Whether the log host serves byte ranges from now on (a host that ignores `Range`). */
  setLogRanges(on: boolean): void;
  /**
   * Answer every following request with this fault. 403 sends GitHub's
   * `{"message":"Resource not accessible by integration",…}` with the
   * `x-accepted-github-permissions: actions=read` header; other statuses send
   * `{"message": <reason phrase>}`. `'hang'` accepts the request and never answers.
   * With `times`, only the next `times` requests meet the fault; then the fake is normal again.
   * With `match`, only API requests whose path matches it meet the fault (and count).
   */
  failWith(fault: FakeFault, times?: number, match?: RegExp): void;
  /** Stop listening and drop open connections; afterwards the URL refuses connections. */
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest/actions/workflow-runs';

export async function startFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  const token = options.token ?? 'ghs_fake_token';
  const repository = options.repository ?? 'octo/app';
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const requests: RecordedRequest[] = [];
  let runs: FakeRun[] = [];
  let jobs: FakeJob[] = [];
  let logRanges = options.logRanges ?? true;
  let fault: FakeFault = null;
  let faultsLeft = Infinity;
  let faultMatch: RegExp | undefined;
  let origin = '';
  let logOrigin = '';
  const defaultRunId = options.runId ?? options.runs?.at(-1)?.id ?? 1;

  const complete = (input: FakeRunInput): FakeRun => {
    const status = input.status ?? 'completed';
    const created =
      input.created_at ?? new Date(Date.UTC(2026, 0, 1) + input.id * 60_000).toISOString();
    return {
      id: input.id,
      name: 'CI',
      run_number: input.run_number ?? input.id,
      run_attempt: 1,
      workflow_id: input.workflow_id ?? 1,
      path: input.path ?? '.github/workflows/ci.yml',
      head_branch: input.head_branch === undefined ? 'main' : input.head_branch,
      head_sha: input.id.toString(16).padStart(40, '0'),
      event: input.event ?? 'push',
      status,
      conclusion:
        input.conclusion !== undefined
          ? input.conclusion
          : status === 'completed'
            ? 'success'
            : null,
      url: `${origin}${basePath}/repos/${repository}/actions/runs/${input.id}`,
      html_url: `https://github.example/${repository}/actions/runs/${input.id}`,
      created_at: created,
      updated_at: created,
      repository: { full_name: repository },
      head_repository: { full_name: input.head_repository ?? repository },
    };
  };
  const completeJobs = (inputs: FakeJobInput[]): FakeJob[] =>
    inputs.map((input, index) =>
      completeJob(input, index, { runId: defaultRunId, repository, web: origin }),
    );

  const record = (req: IncomingMessage, url: URL, host: RecordedRequest['host']): void => {
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      range: req.headers.range,
      host,
    });
  };
  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (
    res: ServerResponse,
    status: number,
    message: string,
    headers?: Record<string, string>,
  ): void =>
    send(res, status, { message, documentation_url: DOCS, status: String(status) }, headers);

  /** The fault this request meets, if any (counted). */
  const faultFor = (path: string): FakeFault => {
    if (fault === null || faultsLeft <= 0 || (faultMatch && !faultMatch.test(path))) return null;
    faultsLeft--;
    return fault;
  };

  /** Answers with the fault; false when there is none. */
  const answerFault = (res: ServerResponse, current: FakeFault): boolean => {
    if (current === null) return false;
    if (current === 'hang') return true; // keep the socket open, never answer
    if (typeof current === 'object') {
      send(
        res,
        current.status,
        current.body ?? { message: STATUS_CODES[current.status] },
        current.headers,
      );
    } else if (current === 403) {
      error(res, 403, 'Resource not accessible by integration', {
        'x-accepted-github-permissions': 'actions=read',
      });
    } else {
      error(res, current, STATUS_CODES[current] ?? 'Error');
    }
    return true;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const isApi = url.pathname.startsWith(`${basePath}/repos/`);
    if (!isApi && req.method === 'GET' && webPage(res, url)) return record(req, url, 'web');
    record(req, url, 'api');
    if (answerFault(res, faultFor(url.pathname))) return;
    const [scheme = '', given] = (req.headers.authorization ?? '').split(' ');
    if (!['bearer', 'token'].includes(scheme.toLowerCase()) || given !== token) {
      return error(res, 401, 'Bad credentials');
    }
    if (req.method !== 'GET' || !url.pathname.startsWith(`${basePath}/`)) {
      return error(res, 404, 'Not Found');
    }
    const route = url.pathname.slice(basePath.length);
    const served = serveHistory(
      options.history,
      route.slice(`/repos/${repository}`.length),
      url.searchParams,
      origin,
      repository,
    );
    if (route.startsWith(`/repos/${repository}/`) && served) return send(res, 200, served);
    const prefix = `/repos/${repository}/actions/`;
    if (!route.startsWith(prefix) || !api(res, route.slice(prefix.length), url.searchParams)) {
      error(res, 404, 'Not Found');
    }
  });

  /** Serves one API route; false when there is no such route or resource. */
  function api(res: ServerResponse, rest: string, q: URLSearchParams): boolean {
    const perPage = Math.min(Number(q.get('per_page') ?? 30) || 30, 100);
    const page = Math.max(Number(q.get('page') ?? 1) || 1, 1);
    const paged = <T>(items: T[]): T[] => items.slice((page - 1) * perPage, page * perPage);

    const one = /^runs\/(\d+)$/.exec(rest);
    if (one) {
      const run = runs.find((r) => r.id === Number(one[1]));
      if (run) send(res, 200, run);
      return Boolean(run);
    }
    const list = /^workflows\/([^/]+)\/runs$/.exec(rest);
    if (list) {
      const workflow = decodeURIComponent(list[1] ?? '');
      const matching = runs
        .filter((r) => String(r.workflow_id) === workflow || r.path.endsWith(`/${workflow}`))
        .filter((r) => !q.has('branch') || r.head_branch === q.get('branch'))
        .filter((r) => !q.has('event') || r.event === q.get('event'))
        .filter((r) => !q.has('status') || [r.status, r.conclusion].includes(q.get('status')))
        .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
      send(res, 200, { total_count: matching.length, workflow_runs: paged(matching) });
      return true;
    }
    const listing = /^runs\/(\d+)(?:\/attempts\/(\d+))?\/jobs$/.exec(rest);
    if (listing) {
      const attempt = listing[2] === undefined ? undefined : Number(listing[2]);
      const matching = listJobs(jobs, Number(listing[1]), { filter: q.get('filter'), attempt });
      send(res, 200, { total_count: matching.length, jobs: paged(matching).map(apiJob) });
      return true;
    }
    const logs = /^jobs\/(\d+)\/logs$/.exec(rest);
    if (logs) {
      const job = jobs.find((j) => j.id === Number(logs[1]));
      if (!job || job.status !== 'completed') return false;
      res.writeHead(302, { location: `${logOrigin}/blob/job-${job.id}.txt?sig=fake-signature` });
      res.end();
      return true;
    }
    return false;
  }

  /** The web pages the message links to: a run's, a job's. False for any other path. */
  function webPage(res: ServerResponse, url: URL): boolean {
    const page = new RegExp(
      `^/${repository}/actions/runs/(\\d+)(?:/attempts/\\d+)?(?:/job/(\\d+))?$`,
    ).exec(url.pathname);
    if (!page) return false;
    const job = page[2] ? jobs.find((j) => j.id === Number(page[2])) : undefined;
    if (page[2] && !job) return false;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>${job ? `${job.name} · ` : ''}run ${page[1]}</title>`);
    return true;
  }

  // The log host: signed URLs only, and no Authorization header (storage answers 400 to one).
  const logServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://logs');
    record(req, url, 'logs');
    if (req.headers.authorization !== undefined) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      return res.end('Authentication information is not given in the correct format.');
    }
    const id = /^\/blob\/job-(\d+)\.txt$/.exec(url.pathname)?.[1];
    const job = jobs.find((j) => String(j.id) === id);
    if (!job || url.searchParams.get('sig') !== 'fake-signature') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('The specified blob does not exist.');
    }
    const log = job.log ?? `##[group]Run ${job.steps[1]?.name ?? 'step'}\ndone\n`;
    void writeLog(res, log, { range: req.headers.range, ranges: logRanges });
  });

  origin = await listen(server);
  logOrigin = await listen(logServer);
  runs = (options.runs ?? []).map(complete);
  jobs = completeJobs(options.jobs ?? []);

  return {
    url: `${origin}${basePath}`,
    webUrl: origin,
    token,
    repository,
    requests,
    setRuns(next) {
      runs = next.map(complete);
    },
    setJobs(next) {
      jobs = completeJobs(next);
    },
    jobs: () => jobs,
    setLogRanges(on) {
      logRanges = on;
    },
    failWith(next, times = Infinity, match) {
      fault = next;
      faultsLeft = times;
      faultMatch = match;
    },
    async close() {
      await Promise.all([stop(server), stop(logServer)]);
    },
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

function stop(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
