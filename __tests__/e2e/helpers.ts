/**
 * Shared pieces of the end-to-end tests: they run the committed bundle (`node dist/index.js`)
 * the way the runner does, against the HipChat sandbox on 127.0.0.1, and read back what the
 * step produced and what HipChat received.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { StepOptions, StepResult } from '../../scripts/lib/action-runner.ts';
import { ROOT, runStep } from '../../scripts/lib/action-runner.ts';
import type { RecordedRequest, Sandbox, SandboxOptions, WindowSpec } from '../../sandbox/server.ts';
import { startSandbox } from '../../sandbox/server.ts';
import { ACME_WIDGETS_FACTS } from '../support/acme-widgets.ts';

/**
 * Limits no test reaches. The end-to-end tests are about what one run sends, not about pacing
 * (another suite covers that), and HipChat's 30 posts per minute per room would otherwise make
 * later tests wait on earlier ones. The headers are still sent on every answer.
 */
export const ROOMY_LIMITS: { token: WindowSpec; room: WindowSpec } = {
  token: { limit: 100_000, windowMs: 300_000 },
  room: { limit: 100_000, windowMs: 60_000 },
};

/**
 * One sandbox for a test file: started before its tests, closed after them and, with
 * `resetEach`, cleared before each test. The handle forwards to the running sandbox, so a test
 * file declares it once at module level and uses it in its tests and hooks.
 */
export function useSandbox(
  options: SandboxOptions = { limits: ROOMY_LIMITS },
  { resetEach = false }: { resetEach?: boolean } = {},
): Sandbox {
  let current: Sandbox | undefined;
  beforeAll(async () => {
    current = await startSandbox(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  if (resetEach) beforeEach(() => current!.reset());
  return new Proxy({} as Sandbox, {
    get(_, property) {
      if (!current) throw new Error('the sandbox starts in beforeAll: use it in tests and hooks');
      const value: unknown = Reflect.get(current, property, current);
      return typeof value === 'function' ? (value as () => unknown).bind(current) : value;
    },
  });
}

/** A test's safety net: no step may hang a test run (the action's own timeouts are smaller). */
const KILL_AFTER_MS = 25_000;

/** Runs the action against `sandbox` (unless `with.server` is given or `server: null`). */
export function step(
  sandbox: Sandbox,
  options: Omit<StepOptions, 'with'> & { with?: Record<string, string> },
  server: string | null = sandbox.url,
): Promise<StepResult> {
  const inputs = { ...options.with };
  if (server !== null && inputs.server === undefined) inputs.server = server;
  return runStep({ killAfterMs: KILL_AFTER_MS, ...options, with: inputs });
}

/** An event payload from `__tests__/fixtures/events/`. */
export function fixture(name: string): Record<string, unknown> {
  const file = path.join(ROOT, '__tests__', 'fixtures', 'events', `${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/**
 * The runner's view of a fixture event: its name, payload and the GITHUB_* facts that go with
 * it (the fixtures live in acme/widgets), so links in the message agree with the payload.
 */
export function eventRun(name: string): Pick<StepOptions, 'eventName' | 'event' | 'env'> {
  const facts: Record<string, string> = {
    ...ACME_WIDGETS_FACTS,
    GITHUB_REF_TYPE: 'branch',
    GITHUB_HEAD_REF: '',
    GITHUB_BASE_REF: '',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_RUN_ID: '555',
    GITHUB_RUN_NUMBER: '17',
  };
  const byEvent: Record<string, Record<string, string>> = {
    pull_request: {
      GITHUB_ACTOR: 'bob',
      GITHUB_TRIGGERING_ACTOR: 'bob',
      GITHUB_REF: 'refs/pull/12/merge',
      GITHUB_REF_NAME: '12/merge',
      GITHUB_HEAD_REF: 'feature/new-widget',
      GITHUB_BASE_REF: 'main',
    },
    release: {
      GITHUB_ACTOR: 'carol',
      GITHUB_TRIGGERING_ACTOR: 'carol',
      GITHUB_REF: 'refs/tags/v1.2.0',
      GITHUB_REF_NAME: 'v1.2.0',
      GITHUB_REF_TYPE: 'tag',
      GITHUB_WORKFLOW: 'Release',
    },
    workflow_dispatch: { GITHUB_ACTOR: 'erin', GITHUB_TRIGGERING_ACTOR: 'erin' },
    schedule: { GITHUB_WORKFLOW: 'Nightly' },
    workflow_run: { GITHUB_ACTOR: 'dave', GITHUB_TRIGGERING_ACTOR: 'dave' },
    issue_comment: { GITHUB_ACTOR: 'frank', GITHUB_TRIGGERING_ACTOR: 'frank' },
    deployment_status: { GITHUB_ACTOR: 'dave', GITHUB_TRIGGERING_ACTOR: 'dave' },
  };
  return { eventName: name, event: fixture(name), env: { ...facts, ...byEvent[name] } };
}

/** The step's log lines, without the `::add-mask::` commands (the runner does not show them). */
export function logLines(result: StepResult): string[] {
  return result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
}

/**
 * Asserts that `secret` appears nowhere a person or a later step can read it: the log (masking
 * commands aside), stderr, outputs and the step summary — and that it was registered for masking.
 */
export function expectSecretKept(result: StepResult, secret: string): void {
  expect(secret.length).toBeGreaterThan(0);
  expect(result.masked).toContain(secret);
  expect(logLines(result).join('\n')).not.toContain(secret);
  expect(result.stderr).not.toContain(secret);
  expect(result.summary).not.toContain(secret);
  for (const [name, value] of Object.entries(result.outputs)) {
    expect(value, `output ${name}`).not.toContain(secret);
  }
}

/** Asserts that the step's first lines register every input secret, before anything else. */
export function expectMasksFirst(result: StepResult, secrets: string[]): void {
  const lines = result.stdout.split('\n').filter(Boolean);
  const firstOther = lines.findIndex((line) => !line.startsWith(MASK));
  const head = lines
    .slice(0, firstOther < 0 ? lines.length : firstOther)
    .map((line) => decodeCommandData(line.slice(MASK.length)));
  for (const secret of secrets) expect(head).toContain(secret);
}

const MASK = '::add-mask::';

/** Undoes the toolkit's escaping of a workflow command's data (a multi-line secret's `%0A`). */
function decodeCommandData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** The `results` output, parsed. */
export interface RoomResultOutput {
  room: string;
  ok: boolean;
  status: number | null;
  attempts: number;
  error?: string;
  dry_run?: boolean;
  possibly_duplicated?: boolean;
}

export function results(result: StepResult): RoomResultOutput[] {
  return JSON.parse(result.outputs.results ?? 'null') as RoomResultOutput[];
}

/** Requests of the record that posted (or auth-tested) into a room. */
export function roomCalls(sandbox: Sandbox): RecordedRequest[] {
  return sandbox.requests.filter((r) => r.path.includes('/notification'));
}

/** A string of `length` characters, for messages over HipChat's limit. */
export function longText(length: number, unit = 'lorem ipsum '): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** A JSON error body as HipChat sends it. */
export function hipchatError(code: number, message: string, type = 'Error'): unknown {
  return { error: { code, message, type } };
}

/**
 * Runs `fn` over `items` with at most `limit` at once, results in order. Steps are separate Node
 * processes: a few at a time overlap their start-up without thrashing two CPU cores.
 */
export async function inParallel<T, R>(
  items: readonly T[],
  fn: (item: T) => Promise<R>,
  limit = 4,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
