/**
 * Reads the JUnit reports `test-results` names: the I/O edge of the feature, loaded on demand
 * (with the XML parser) only when the input is set.
 *
 * Everything in the workspace is untrusted, so every step is bounded and confined:
 * - globs walk the workspace only (find-reports.ts): confined by real path, never into
 *   `node_modules` or `.git`, at most `entries` entries and `files` matches, and nothing after
 *   the deadline (the share of `max-wait` before the posts' reserve) — reading stops there too;
 * - each match is resolved to its real path, which must still be inside the workspace's real
 *   path (a symbolic link cannot lead out), and must be a regular file (no FIFO, device or
 *   socket: opened non-blocking and checked again on the open handle);
 * - at most `fileBytes` per file and `totalBytes` in all are read, whatever the file claims;
 * - a file that is too big, unreadable, malformed or not JUnit is a warning and is skipped:
 *   a broken report must never cost the alert;
 * - warnings name workspace-relative paths only, never a path outside it.
 */
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { oneLine } from '../text/one-line.js';
import { findReports } from './find-reports.js';
import { NO_SECRETS } from '../text/secrets.js';
import type { Redactor } from '../text/secrets.js';
import { createJunitReader, JunitError } from './junit.js';
import type { ReportCounts } from './cases.js';
import { MAX_LISTED_FAILURES, summarizeReports } from './summary.js';
import type { ReportPart, TestsView } from './summary.js';

/** Bounds of one run's reading. */
export interface ReadLimits {
  /** Most files read (more matches are a warning). */
  files: number;
  /** Largest report read, in bytes. */
  fileBytes: number;
  /** Most bytes read over all reports. */
  totalBytes: number;
  /** Most directory entries the search looks at. */
  entries: number;
}

/** 10 MiB is a report of ~50,000 test cases; few suites write more, fewer in one job. */
export const READ_LIMITS: ReadLimits = {
  files: 200,
  fileBytes: 10 * 1024 * 1024,
  totalBytes: 50 * 1024 * 1024,
  // A large monorepo's checkout outside node_modules and .git: ~100 ms of reading directories.
  entries: 100_000,
};

/** The `tests` view and what went wrong on the way (one warning per skipped file). */
export interface TestResults {
  view: TestsView;
  warnings: string[];
}

/**
 * Reads every report the patterns match in `workspace`, until `deadlineMs` (epoch ms; none by
 * default); never throws for a report or for the workspace.
 */
export async function readTestResults(
  patterns: readonly string[],
  workspace: string,
  limits: ReadLimits = READ_LIMITS,
  deadlineMs = Infinity,
  secrets: Redactor = NO_SECRETS,
): Promise<TestResults> {
  const warnings: string[] = [];
  let root: string;
  try {
    root = await realpath(workspace);
  } catch (error) {
    // The workspace's own path is the runner's, but no path is printed from here.
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    warnings.push(`\`test-results\`: the workspace could not be searched (${code}).`);
    return { view: summarizeReports([]), warnings };
  }
  const search = { files: limits.files, entries: limits.entries, deadlineMs };
  const { matches, stopped } = await findReports(patterns, root, search);
  if (stopped !== undefined) warnings.push(`\`test-results\`: ${stopped}.`);
  if (matches.length === 0 && stopped === undefined) {
    warnings.push(
      `\`test-results\`: no file matched ${patterns.map((p) => `'${shown(p)}'`).join(', ')} in the workspace; check the path, and that the tests wrote their reports before this step.`,
    );
  }
  const parts: ReportPart[] = [];
  let budget = limits.totalBytes;
  for (const [index, relative] of matches.entries()) {
    if (Date.now() >= deadlineMs) {
      warnings.push(
        `\`test-results\`: ${matches.length - index} report(s) left unread: the reading ran out of its share of \`max-wait\`.`,
      );
      break;
    }
    const read = await readReport(root, relative, { ...limits, budget, deadlineMs, secrets });
    if ('skip' in read) {
      warnings.push(`\`test-results\`: ${read.skip}`);
      if (read.stop) break;
      continue;
    }
    budget -= read.bytes;
    parts.push(read.counts);
  }
  return { view: summarizeReports(parts), warnings };
}

type ReadResult = { counts: ReportCounts; bytes: number } | { skip: string; stop?: boolean };

/** Bytes read per chunk: a report streams through the parser, never whole in memory. */
const CHUNK_BYTES = 64 * 1024;

/** One report's counts, or why it is skipped (`stop`: the total cap is spent). */
async function readReport(
  root: string,
  relative: string,
  caps: ReadLimits & { budget: number; deadlineMs: number; secrets: Redactor },
): Promise<ReadResult> {
  const name = `'${shown(relative)}'`;
  let real: string;
  try {
    real = await realpath(path.join(root, relative));
  } catch {
    return { skip: `${name} skipped: it could not be resolved (a broken link?).` };
  }
  const inside = path.relative(root, real);
  if (inside.startsWith('..') || path.isAbsolute(inside)) {
    return { skip: `${name} skipped: it leads outside the workspace (a symbolic link).` };
  }
  // Non-blocking, so a FIFO put there between the glob and the open cannot hang the step.
  const handle = await open(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch(
    () => undefined,
  );
  if (!handle) return { skip: `${name} skipped: it could not be opened.` };
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { skip: `${name} skipped: not a regular file.` };
    if (stats.size > caps.fileBytes) return { skip: tooBig(name, stats.size, caps.fileBytes) };
    if (stats.size > caps.budget) {
      return {
        skip: `${name} and any later reports skipped: together they are over the ${caps.totalBytes.toLocaleString('en')}-byte cap for all reports.`,
        stop: true,
      };
    }
    return await parseFile(handle, name, caps);
  } catch {
    return { skip: `${name} skipped: it could not be read.` };
  } finally {
    await handle.close();
  }
}

/** Streams the open file through the JUnit reader, at most `maxBytes` of it. */
async function parseFile(
  handle: FileHandle,
  name: string,
  caps: { fileBytes: number; deadlineMs: number; secrets: Redactor },
): Promise<ReadResult> {
  const { fileBytes: maxBytes, deadlineMs } = caps;
  const reader = createJunitReader(MAX_LISTED_FAILURES, caps.secrets);
  const decoder = new TextDecoder('utf-8');
  const buffer = Buffer.alloc(CHUNK_BYTES);
  let bytes = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, bytes);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      // The file grew after it was measured: the cap holds whatever the stat said.
      if (bytes > maxBytes) return { skip: tooBig(name, bytes, maxBytes) };
      if (Date.now() >= deadlineMs) {
        return { skip: `${name} skipped: reading it ran out of the share of \`max-wait\`.` };
      }
      reader.write(decoder.decode(buffer.subarray(0, bytesRead), { stream: true }));
    }
    reader.write(decoder.decode());
    return { counts: reader.end(), bytes };
  } catch (error) {
    // A JunitError says what is wrong; anything else the parser throws is still the report's
    // fault, not the run's.
    const reason = error instanceof JunitError ? error.message : `unreadable (${String(error)})`;
    return { skip: `${name} skipped: ${shown(reason)}.` };
  }
}

function tooBig(name: string, size: number, max: number): string {
  return `${name} skipped: ${size.toLocaleString('en')} bytes is over the ${max.toLocaleString('en')}-byte cap for one report.`;
}

/** A file name or reason in a log line: one line, at most 200 characters. */
function shown(text: string): string {
  const line = oneLine(text, 200);
  return line.length < text.length && line.length >= 200 ? `${line.slice(0, 199)}…` : line;
}
