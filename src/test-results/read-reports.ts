/**
 * Reads the JUnit reports `test-results` names: the I/O edge of the feature, loaded on demand
 * (with the XML parser) only when the input is set.
 *
 * Everything in the workspace is untrusted, so every step is bounded and confined:
 * - globs walk the workspace only (patterns were checked by patterns.ts), never `node_modules`
 *   or `.git`, and stop after `files` matches;
 * - each match is resolved to its real path, which must still be inside the workspace's real
 *   path (a symbolic link cannot lead out), and must be a regular file (no FIFO, device or
 *   socket: opened non-blocking and checked again on the open handle);
 * - at most `fileBytes` per file and `totalBytes` in all are read, whatever the file claims;
 * - a file that is too big, unreadable, malformed or not JUnit is a warning and is skipped:
 *   a broken report must never cost the alert.
 */
import { constants } from 'node:fs';
import { glob, open, realpath } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createJunitReader, JunitError } from './junit.js';
import type { ReportCounts } from './junit.js';
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
}

/** 10 MiB is a report of ~50,000 test cases; few suites write more, fewer in one job. */
export const READ_LIMITS: ReadLimits = {
  files: 200,
  fileBytes: 10 * 1024 * 1024,
  totalBytes: 50 * 1024 * 1024,
};

/** The `tests` view and what went wrong on the way (one warning per skipped file). */
export interface TestResults {
  view: TestsView;
  warnings: string[];
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/** Reads every report the patterns match in `workspace`; never throws for a report. */
export async function readTestResults(
  patterns: readonly string[],
  workspace: string,
  limits: ReadLimits = READ_LIMITS,
): Promise<TestResults> {
  const warnings: string[] = [];
  const root = await realpath(workspace);
  const matches = await findReports(patterns, root, limits.files, warnings);
  if (matches.length === 0) {
    warnings.push(
      `\`test-results\`: no file matched ${patterns.map((p) => `'${shown(p)}'`).join(', ')} in the workspace; check the path, and that the tests wrote their reports before this step.`,
    );
  }
  const parts: ReportPart[] = [];
  let budget = limits.totalBytes;
  for (const relative of matches) {
    const read = await readReport(root, relative, { ...limits, budget });
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

/** Matches of all patterns, workspace-relative, sorted, without duplicates, at most `max`. */
async function findReports(
  patterns: readonly string[],
  root: string,
  max: number,
  warnings: string[],
): Promise<string[]> {
  const found = new Set<string>();
  const exclude = (entry: string): boolean => SKIPPED_DIRECTORIES.has(path.basename(entry));
  for (const pattern of patterns) {
    for await (const match of glob(pattern, { cwd: root, exclude })) {
      found.add(match);
      if (found.size > max) break;
    }
    if (found.size > max) {
      warnings.push(
        `\`test-results\`: more than ${max} files matched; the first ${max} (in path order) are read.`,
      );
      break;
    }
  }
  return [...found].sort().slice(0, max);
}

type ReadResult = { counts: ReportCounts; bytes: number } | { skip: string; stop?: boolean };

/** Bytes read per chunk: a report streams through the parser, never whole in memory. */
const CHUNK_BYTES = 64 * 1024;

/** One report's counts, or why it is skipped (`stop`: the total cap is spent). */
async function readReport(
  root: string,
  relative: string,
  caps: ReadLimits & { budget: number },
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
    return await parseFile(handle, name, caps.fileBytes);
  } catch {
    return { skip: `${name} skipped: it could not be read.` };
  } finally {
    await handle.close();
  }
}

/** Streams the open file through the JUnit reader, at most `maxBytes` of it. */
async function parseFile(handle: FileHandle, name: string, maxBytes: number): Promise<ReadResult> {
  const reader = createJunitReader(MAX_LISTED_FAILURES);
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

/** A file name or reason in a log line: control characters dropped, at most 200 characters. */
function shown(text: string): string {
  const clean = text.replace(/\p{Cc}/gu, '');
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}
