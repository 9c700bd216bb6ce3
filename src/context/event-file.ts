/**
 * The event payload file the runner wrote (`GITHUB_EVENT_PATH`), read and parsed: the one piece
 * of file I/O between the workflow's facts and the template view (context.ts).
 */
import { readFileSync } from 'node:fs';

/**
 * Read and parse the event payload the runner wrote (`GITHUB_EVENT_PATH`).
 * No path (unset or empty) means no payload: `{}`. A path that cannot be read, is not JSON, or
 * is not a JSON object is an error naming the path, so a broken runner setup is not mistaken
 * for an event without facts.
 */
export function readEvent(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the event payload file ${path}: ${reason(error)}`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    // A byte-order mark is not JSON; editors on some systems add one to hand-made fixtures.
    parsed = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`The event payload file ${path} is not valid JSON: ${reason(error)}`, {
      cause: error,
    });
  }
  if (!isRecord(parsed)) {
    throw new Error(`The event payload file ${path} does not hold a JSON object`);
  }
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
