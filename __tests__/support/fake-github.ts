/**
 * A fake GitHub REST API on 127.0.0.1 for `send-when`: a real HTTP server (node:http, port 0)
 * serving the two endpoints the action calls, from fixture runs.
 *
 *   GET {basePath}/repos/{owner}/{repo}/actions/runs/{run_id}
 *   GET {basePath}/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs
 *       ?branch= &event= &status= (a status or a conclusion) &per_page= (≤ 100; 30) &page=
 *
 * Runs are listed newest first (by `created_at`, then id), as GitHub does. Anything else is a
 * 404 with GitHub's error body. Every request is recorded (also the rejected ones).
 *
 * Use from unit/integration tests with `findPreviousRun({ apiUrl: fake.url, token: fake.token })`,
 * and from end-to-end tests with `GITHUB_API_URL=fake.url` and `INPUT_GITHUB-TOKEN=fake.token`.
 *
 *   const fake = await startFakeGithub({
 *     runs: [{ id: 41, conclusion: 'failure' }, { id: 42, status: 'in_progress' }],
 *   });
 *   …
 *   fake.failWith(403);   // every following request: 403 "Resource not accessible by integration"
 *   fake.failWith(null);  // back to normal
 *   await fake.close();   // from now on the URL is unreachable (connection refused)
 */
import { createServer, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';

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
}

export interface FakeGithubOptions {
  /** The token to accept, as `Bearer <token>` or `token <token>`. Default `ghs_fake_token`. */
  token?: string;
  /** `owner/name` served. Default `octo/app`. */
  repository?: string;
  /** Path prefix of the API, e.g. `/api/v3` to play GitHub Enterprise Server. Default none. */
  basePath?: string;
  runs?: FakeRunInput[];
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
  /** Replace the fixture runs. */
  setRuns(runs: FakeRunInput[]): void;
  /**
   * Answer every following request with this fault. 403 sends GitHub's
   * `{"message":"Resource not accessible by integration",…}` with the
   * `x-accepted-github-permissions: actions=read` header; other statuses send
   * `{"message": <reason phrase>}`. `'hang'` accepts the request and never answers.
   * With `times`, only the next `times` requests meet the fault; then the fake is normal again.
   */
  failWith(fault: FakeFault, times?: number): void;
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
  let fault: FakeFault = null;
  let faultsLeft = Infinity;
  let origin = '';

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

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
    });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string, headers?: Record<string, string>) =>
      send(status, { message, documentation_url: DOCS, status: String(status) }, headers);

    const current = faultsLeft > 0 ? fault : null;
    if (current !== null) faultsLeft--;
    if (current === 'hang') return; // keep the socket open, never answer
    if (current !== null && typeof current === 'object') {
      return send(
        current.status,
        current.body ?? { message: STATUS_CODES[current.status] },
        current.headers,
      );
    }
    if (typeof current === 'number') {
      return current === 403
        ? error(403, 'Resource not accessible by integration', {
            'x-accepted-github-permissions': 'actions=read',
          })
        : error(current, STATUS_CODES[current] ?? 'Error');
    }
    const [scheme = '', given] = (req.headers.authorization ?? '').split(' ');
    if (!['bearer', 'token'].includes(scheme.toLowerCase()) || given !== token) {
      return error(401, 'Bad credentials');
    }
    if (req.method !== 'GET' || !url.pathname.startsWith(`${basePath}/`)) {
      return error(404, 'Not Found');
    }
    const route = url.pathname.slice(basePath.length);
    const prefix = `/repos/${repository}/actions/`;
    if (!route.startsWith(prefix)) return error(404, 'Not Found');
    const rest = route.slice(prefix.length);

    const one = /^runs\/(\d+)$/.exec(rest);
    if (one) {
      const run = runs.find((r) => r.id === Number(one[1]));
      return run ? send(200, run) : error(404, 'Not Found');
    }
    const list = /^workflows\/([^/]+)\/runs$/.exec(rest);
    if (list) {
      const workflow = decodeURIComponent(list[1] ?? '');
      const q = url.searchParams;
      const perPage = Math.min(Number(q.get('per_page') ?? 30) || 30, 100);
      const page = Math.max(Number(q.get('page') ?? 1) || 1, 1);
      const matching = runs
        .filter((r) => String(r.workflow_id) === workflow || r.path.endsWith(`/${workflow}`))
        .filter((r) => !q.has('branch') || r.head_branch === q.get('branch'))
        .filter((r) => !q.has('event') || r.event === q.get('event'))
        .filter((r) => !q.has('status') || [r.status, r.conclusion].includes(q.get('status')))
        .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
      return send(200, {
        total_count: matching.length,
        workflow_runs: matching.slice((page - 1) * perPage, page * perPage),
      });
    }
    return error(404, 'Not Found');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  runs = (options.runs ?? []).map(complete);

  return {
    url: `${origin}${basePath}`,
    token,
    repository,
    requests,
    setRuns(next) {
      runs = next.map(complete);
    },
    failWith(next, times = Infinity) {
      fault = next;
      faultsLeft = times;
    },
    close() {
      return new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
