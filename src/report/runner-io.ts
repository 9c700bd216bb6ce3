/**
 * Everything the action writes for the runner, in one place: log lines, annotations, outputs,
 * the step summary and the failure. Each text is redacted of the run's secrets (whole or in
 * part) and every log line passes one gate, `inertLines`: no line can start or hold a workflow
 * command in either of the runner's syntaxes (`::…`, `##[…]`), whatever outside text it carries.
 */
import * as core from '@actions/core';
import { accessSync, appendFileSync, constants, existsSync } from 'node:fs';
import { EOL } from 'node:os';
import type { Secrets } from '../text/secrets.js';
import { visibleLines } from '../text/one-line.js';

/** The runner's sinks, redacted and inert. */
export interface RunnerIo {
  info(message: string): void;
  warning(message: string): void;
  /** A notice annotation: something worth knowing that is not a problem. */
  notice(message: string): void;
  debug(message: string): void;
  setFailed(message: string): void;
  setOutput(name: string, value: string): void;
  /** Registers a secret with the runner's masking and with the redaction of every sink. */
  setSecret(secret: string): void;
  /** Appends to the step summary; undefined outside a runner (no GITHUB_STEP_SUMMARY). */
  appendSummary?(markdown: string): Promise<void>;
}

/**
 * The gate every log line passes (last, after redaction): `text` as lines the runner cannot read
 * as a workflow command, whatever outside text it carries. The runner reads its stdout line by
 * line (CR or LF) and acts on two syntaxes: `::name …::value` where a line's first non-blank
 * characters are `::`, and the older `##[name …]value` anywhere in a line (see
 * docs/security.md). So: line breaks of any kind become `\n`, controls and invisible format
 * characters go (a zero-width character between two colons must not vanish later, and none
 * can hide a command from a reader), a line starting with `::` gets them spaced out, and every
 * `##[` becomes `## [`. Only spaces are added, so no new command can form.
 */
export function inertLines(text: string): string {
  return visibleLines(text)
    .split('\n')
    .map((line) => line.replace(/^(\s*):(?=:)/, '$1: ').replace(/##\[/g, '## ['))
    .join('\n');
}

/** Where the texts finally go: @actions/core on a runner, a recorder in the fuzzing suite. */
export interface RunnerBackend {
  info(message: string): void;
  warning(message: string): void;
  notice?(message: string): void;
  debug(message: string): void;
  setFailed(message: string): void;
  setOutput(name: string, value: string): void;
  setSecret(secret: string): void;
  appendSummary(markdown: string): Promise<void>;
}

/** @actions/core as a backend (member calls, so the bundle keeps only what is used). */
const CORE: RunnerBackend = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  notice: (message) => core.notice(message),
  debug: (message) => core.debug(message),
  setFailed: (message) => core.setFailed(message),
  setOutput: (name, value) =>
    process.env.GITHUB_OUTPUT ? writeStepOutput(name, value) : core.setOutput(name, value),
  setSecret: (secret) => core.setSecret(secret),
  appendSummary: async (markdown) => appendStepSummary(markdown),
};

/**
 * Appends one output to the `GITHUB_OUTPUT` file as `core.setOutput` does — `name<<DELIMITER`,
 * the value, the delimiter, each on its own line — but without `node:crypto`, which every run
 * would load (CONTRIBUTING.md: Keeping start-up fast). The runner reads the value up to the delimiter,
 * so what keeps a value from adding outputs is that the delimiter occurs in neither the name nor
 * the value: that is checked, and a delimiter that does occur is replaced, where core.setOutput
 * would throw. Being unguessable adds nothing once that holds, so `Math.random` serves.
 */
export function writeStepOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT ?? '';
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  let delimiter = outputDelimiter();
  while (name.includes(delimiter) || value.includes(delimiter)) delimiter = outputDelimiter();
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, {
    encoding: 'utf8',
  });
}

function outputDelimiter(): string {
  const random = (): string => Math.random().toString(36).slice(2, 12).padEnd(10, '0');
  return `ghadelimiter_${random()}${random()}${random()}`;
}

/**
 * Appends `markdown` and a line end to the step summary file: the checks, errors and bytes of
 * `core.summary.addRaw(markdown, true).write()`, done synchronously. `core.summary` takes
 * `fs.promises` as it loads, and its first asynchronous file call starts libuv's thread pool:
 * on every run, for a few hundred bytes (CONTRIBUTING.md: Keeping start-up fast).
 */
export function appendStepSummary(markdown: string): void {
  // From the process's environment, as @actions/core reads it (once: it keeps the path after
  // its first write; a run writes once, so reading it per call changes nothing).
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) {
    throw new Error(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
    );
  }
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(
      `Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`,
    );
  }
  appendFileSync(file, `${markdown}${EOL}`, { encoding: 'utf8' });
}

/**
 * The runner's sinks (through @actions/core unless another `backend` is given), every text
 * redacted by `secrets` first and every log line inert.
 */
export function runnerIo(
  env: NodeJS.ProcessEnv,
  secrets: Secrets,
  backend: RunnerBackend = CORE,
): RunnerIo {
  const clean = (text: string): string => inertLines(secrets.redact(text));
  return {
    info: (message) => backend.info(clean(message)),
    warning: (message) => backend.warning(clean(message)),
    // A backend without notices (a recorder) logs them as info.
    notice: (message) =>
      backend.notice ? backend.notice(clean(message)) : backend.info(clean(message)),
    debug: (message) => backend.debug(clean(message)),
    setFailed: (message) => backend.setFailed(clean(message)),
    // Outputs keep their line breaks (a message may be multi-line): they are files, not the log.
    setOutput: (name, value) => backend.setOutput(name, secrets.redact(value)),
    setSecret: (secret) => {
      secrets.add(secret);
      backend.setSecret(secret);
    },
    appendSummary: env.GITHUB_STEP_SUMMARY
      ? (markdown) => backend.appendSummary(secrets.redact(markdown))
      : undefined,
  };
}
