/**
 * Runs the committed bundle the way the GitHub runner does: `node dist/index.js` in a fresh
 * process, inputs as `INPUT_<NAME>` with action.yml's defaults (expressions evaluated from the
 * given job status, github token and event payload), `GITHUB_*` variables, an event file, and the output,
 * summary and state files — then reads back what the step produced.
 * Shared by the end-to-end tests, the demo and the benchmarks.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; main: string };
}

let actionYml: ActionYml | undefined;

/** action.yml, parsed once. */
export function loadActionYml(): ActionYml {
  actionYml ??= parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
  return actionYml;
}

/** What a step run is given. */
export interface StepOptions {
  /** Inputs as a workflow's `with:` would give them (values are strings, like YAML scalars). */
  with?: Record<string, string>;
  /** The event name and payload (`GITHUB_EVENT_NAME`, `GITHUB_EVENT_PATH`). */
  eventName?: string;
  event?: Record<string, unknown>;
  /** `job.status` for the `status` default (which a workflow_run's conclusion takes precedence over). */
  jobStatus?: string;
  /** `github.token` for the `github-token` default. */
  githubToken?: string;
  /** Extra or overriding environment (GITHUB_* facts, proxies, NODE_EXTRA_CA_CERTS…). */
  env?: Record<string, string | undefined>;
  /** Node binary; defaults to the one running this code (Node 24 under the project's scripts). */
  node?: string;
  /** Kill the process after this many ms (a test safety net, not the action's own timeout). */
  killAfterMs?: number;
  /** Files to create in the workspace, by relative path. */
  files?: Record<string, string>;
  /** Symbolic links to create in the workspace: relative path → target (as a fork checks in). */
  links?: Record<string, string>;
}

/** What a step run produced. */
export interface StepResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::error::` / `::warning::` / `::notice::` annotations, message text decoded. */
  errors: string[];
  warnings: string[];
  notices: string[];
  /** Values registered with `::add-mask::`. */
  masked: string[];
  durationMs: number;
  /** The environment the process saw (for assertions on what was passed). */
  env: Record<string, string>;
}

/** The facts a push to main in octo-org/octo-app would carry. */
export const SAMPLE_FACTS: Record<string, string> = {
  GITHUB_ACTIONS: 'true',
  CI: 'true',
  GITHUB_REPOSITORY: 'octo-org/octo-app',
  GITHUB_REPOSITORY_OWNER: 'octo-org',
  GITHUB_ACTOR: 'mona',
  GITHUB_TRIGGERING_ACTOR: 'mona',
  GITHUB_SHA: '8f2e1c0d9b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
  GITHUB_REF_TYPE: 'branch',
  GITHUB_HEAD_REF: '',
  GITHUB_BASE_REF: '',
  GITHUB_WORKFLOW: 'CI',
  GITHUB_JOB: 'build',
  GITHUB_RUN_ID: '7012345678',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  RUNNER_OS: 'Linux',
};

/** A push event payload matching SAMPLE_FACTS. */
export function samplePushEvent(
  message = 'Fix flaky cache key in build script',
): Record<string, unknown> {
  return {
    ref: 'refs/heads/main',
    before: '1111111111111111111111111111111111111111',
    after: SAMPLE_FACTS.GITHUB_SHA,
    compare: 'https://github.com/octo-org/octo-app/compare/1111111111ab...8f2e1c0d9b7a',
    repository: {
      full_name: 'octo-org/octo-app',
      html_url: 'https://github.com/octo-org/octo-app',
    },
    pusher: { name: 'mona' },
    sender: { login: 'mona' },
    head_commit: {
      id: SAMPLE_FACTS.GITHUB_SHA,
      message: `${message}\n\nThe key now includes the lockfile hash.`,
      author: { name: 'Mona Lisa', username: 'mona' },
      url: `https://github.com/octo-org/octo-app/commit/${SAMPLE_FACTS.GITHUB_SHA}`,
    },
  };
}

/**
 * Evaluates the few expressions action.yml defaults use, as the runner does: `${{ a || b }}`,
 * where each operand is `job.status`, `github.token` or a `github.event.*` path into the step's
 * event payload (a missing property is null). `||` gives the first truthy operand, else the
 * last one; null, false, 0 and '' are falsy and null reads as ''. Anything else throws, so
 * action.yml cannot come to rely on something this emulation would get wrong.
 */
export function evaluateDefault(
  value: string,
  options: Pick<StepOptions, 'jobStatus' | 'githubToken'> & { event: Record<string, unknown> },
): string {
  return value.replace(/\$\{\{(.*?)\}\}/g, (_, expr: string) => {
    let result: unknown = null;
    for (const operand of expr.split('||').map((o) => o.trim())) {
      result = operandValue(operand, options);
      if (result !== null && result !== false && result !== 0 && result !== '') break;
    }
    if (result === null) return '';
    return typeof result === 'object' ? JSON.stringify(result) : String(result);
  });
}

function operandValue(
  operand: string,
  options: Pick<StepOptions, 'jobStatus' | 'githubToken'> & { event: Record<string, unknown> },
): unknown {
  if (operand === 'job.status') return options.jobStatus ?? 'success';
  if (operand === 'github.token') return options.githubToken ?? '';
  const path = /^github\.event((?:\.[A-Za-z_][\w-]*)+)$/.exec(operand);
  if (!path) {
    throw new Error(
      `action.yml default uses an expression the runner emulation does not know: ${operand || '(empty)'}`,
    );
  }
  let current: unknown = options.event;
  for (const key of path[1]!.slice(1).split('.')) {
    const holder = current as Record<string, unknown> | null;
    current =
      typeof holder === 'object' && holder !== null && Object.hasOwn(holder, key)
        ? (holder[key] ?? null)
        : null;
  }
  return current;
}

/** The runner's name for an input's variable: spaces to `_`, upper-cased, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Parses the `name<<DELIMITER` / `name=value` lines the toolkit writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      outputs[name!] = value.join('\n');
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

function decodeCommandData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** Runs the action once in a child process (asynchronously: a sandbox may live in this process). */
export async function runStep(options: StepOptions = {}): Promise<StepResult> {
  const yml = loadActionYml();
  const dir = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-step-'));
  try {
    const workspace = path.join(dir, 'workspace');
    const files = {
      event: path.join(dir, 'event.json'),
      output: path.join(dir, 'output'),
      summary: path.join(dir, 'summary.md'),
      state: path.join(dir, 'state'),
      env: path.join(dir, 'env'),
    };
    const { mkdirSync } = await import('node:fs');
    mkdirSync(workspace);
    for (const [rel, content] of Object.entries(options.files ?? {})) {
      const target = path.join(workspace, rel);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    for (const [rel, target] of Object.entries(options.links ?? {})) {
      const { symlinkSync } = await import('node:fs');
      mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
      symlinkSync(target, path.join(workspace, rel));
    }
    const event = options.event ?? samplePushEvent();
    writeFileSync(files.event, JSON.stringify(event));
    for (const f of [files.output, files.summary, files.state, files.env]) writeFileSync(f, '');

    // Only what a runner gives a step: no INPUT_* or GITHUB_* leaks from the caller.
    const env: Record<string, string> = {};
    for (const key of ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP', 'LANG']) {
      const value = process.env[key];
      if (value !== undefined) env[key] = value;
    }
    Object.assign(env, SAMPLE_FACTS, {
      GITHUB_EVENT_NAME: options.eventName ?? 'push',
      GITHUB_EVENT_PATH: files.event,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_STATE: files.state,
      GITHUB_ENV: files.env,
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: dir,
    });
    for (const [name, spec] of Object.entries(yml.inputs)) {
      const given = options.with?.[name];
      const value =
        given ??
        (spec.default === undefined
          ? ''
          : evaluateDefault(String(spec.default), { ...options, event }));
      env[inputVariable(name)] = value;
    }
    for (const name of Object.keys(options.with ?? {})) {
      if (!(name in yml.inputs)) throw new Error(`input '${name}' is not declared in action.yml`);
    }
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }

    const started = performance.now();
    const child = spawn(options.node ?? process.execPath, [path.join(ROOT, yml.runs.main)], {
      cwd: workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const killer = options.killAfterMs
      ? setTimeout(() => child.kill('SIGKILL'), options.killAfterMs)
      : undefined;
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    if (killer) clearTimeout(killer);
    const durationMs = performance.now() - started;

    const commands = (kind: string): string[] =>
      stdout
        .split('\n')
        .filter((l) => l.startsWith(`::${kind}`))
        .map((l) => decodeCommandData(l.slice(l.indexOf('::', 2) + 2)));
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
      summary: readFileSync(files.summary, 'utf8'),
      errors: commands('error'),
      warnings: commands('warning'),
      notices: commands('notice'),
      masked: commands('add-mask'),
      durationMs,
      env,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
