/**
 * Scripted faults: what the sandbox does instead of (or on top of) answering normally, for the
 * next requests that match. Queued from tests (`sandbox.script`), the CLI and `/_sandbox/faults`.
 */

/** Which requests a fault applies to; every given field must match. */
export interface FaultMatch {
  /** Substring of the request path, e.g. `/notification` or `/oauth/token`. */
  path?: string;
  /** Room id, or room name / path segment as decoded from the URL. */
  room?: string | number;
  /** HTTP method, case-insensitive. */
  method?: string;
  /** Only `auth_test=true` calls (true) or only real calls (false). */
  authTest?: boolean;
}

interface FaultBase {
  match?: FaultMatch;
  /** How many matching requests the fault applies to (default 1). */
  times?: number;
}

/**
 * Answer with `status` instead of the normal answer. Header values may use `{now+N}` (Unix
 * seconds N from now, for `X-Ratelimit-Reset`) and `{date+N}` (an HTTP date, for `Retry-After`).
 */
export interface StatusFault extends FaultBase {
  kind: 'status';
  status: number;
  /** Extra or overriding headers (e.g. `Retry-After`, `X-Ratelimit-Remaining`). */
  headers?: Record<string, string>;
  /** Body: a string is sent as is, anything else as JSON. Default: HipChat's error body. */
  body?: unknown;
  /** Answer with a proxy's `text/html` error page (nginx) and no rate-limit headers. */
  html?: boolean;
  /** Handle the request normally first (deliver the notification), then answer `status`. */
  acted?: boolean;
}

/** Destroy the connection (TCP reset) before acting: nothing is delivered. */
export interface ResetBeforeFault extends FaultBase {
  kind: 'reset-before';
}

/** Act (deliver the notification), then destroy the connection without answering. */
export interface ResetAfterFault extends FaultBase {
  kind: 'reset-after';
}

/**
 * Answer late. By default wait `ms`, then handle the request (rate limits are counted then);
 * with `actFirst`, handle it at once and only send the answer after `ms`.
 */
export interface DelayFault extends FaultBase {
  kind: 'delay';
  ms: number;
  actFirst?: boolean;
}

/** Never answer (optionally after acting); the socket is destroyed on close or reset. */
export interface SilentFault extends FaultBase {
  kind: 'silent';
  acted?: boolean;
}

/** One scripted fault. */
export type Fault = StatusFault | ResetBeforeFault | ResetAfterFault | DelayFault | SilentFault;

/** Kinds of fault. */
const FAULT_KINDS = ['status', 'reset-before', 'reset-after', 'delay', 'silent'] as const;

/** What a fault is matched against. */
export interface FaultTarget {
  method: string;
  path: string;
  authTest: boolean;
  /** The room path segment, percent-decoded. */
  roomRef?: string;
  roomId?: number;
  roomName?: string;
}

function matches(match: FaultMatch | undefined, target: FaultTarget): boolean {
  if (match === undefined) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== target.method.toUpperCase()) {
    return false;
  }
  if (match.path !== undefined && !target.path.includes(match.path)) return false;
  if (match.authTest !== undefined && match.authTest !== target.authTest) return false;
  if (match.room !== undefined) {
    const want = String(match.room);
    const candidates = [target.roomRef, target.roomName, target.roomId?.toString()];
    if (!candidates.includes(want)) return false;
  }
  return true;
}

/** A queue of faults, each consumed by the next `times` requests it matches. */
export class FaultQueue {
  readonly #entries: { fault: Fault; left: number }[] = [];

  /** Appends faults (validate untrusted input with {@link parseFaults} first). */
  add(faults: readonly Fault[]): void {
    for (const fault of faults) this.#entries.push({ fault, left: fault.times ?? 1 });
  }

  /** Takes the first queued fault that matches, or undefined. */
  take(target: FaultTarget): Fault | undefined {
    const index = this.#entries.findIndex((entry) => matches(entry.fault.match, target));
    const entry = this.#entries[index];
    if (entry === undefined) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.#entries.splice(index, 1);
    return entry.fault;
  }

  /** The faults still queued, with `times` set to the uses left. */
  pending(): Fault[] {
    return this.#entries.map((entry) => ({ ...entry.fault, times: entry.left }));
  }

  /** Drops every queued fault. */
  clear(): void {
    this.#entries.length = 0;
  }
}

/**
 * Expands `{now}`, `{now+N}` (Unix seconds, rounded up, so "N seconds from now" is never
 * early) and `{date+N}` (an HTTP date) in a scripted header value.
 */
export function expandHeaderValue(value: string, nowMs: number): string {
  return value.replace(/\{(now|date)(?:\+(\d+))?\}/g, (_all, kind: string, plus?: string) => {
    const seconds = Math.ceil(nowMs / 1000) + Number(plus ?? 0);
    return kind === 'now' ? String(seconds) : new Date(seconds * 1000).toUTCString();
  });
}

function fail(path: string, message: string): never {
  throw new Error(`invalid fault ${path}: ${message}`);
}

function checkMatch(path: string, match: unknown): void {
  if (match === undefined) return;
  if (typeof match !== 'object' || match === null || Array.isArray(match)) {
    fail(`${path}.match`, 'must be an object');
  }
  const m = match as Record<string, unknown>;
  for (const key of ['path', 'method'] as const) {
    if (m[key] !== undefined && typeof m[key] !== 'string')
      fail(`${path}.match.${key}`, 'must be a string');
  }
  if (m.room !== undefined && typeof m.room !== 'string' && typeof m.room !== 'number') {
    fail(`${path}.match.room`, 'must be a room id or name');
  }
  if (m.authTest !== undefined && typeof m.authTest !== 'boolean') {
    fail(`${path}.match.authTest`, 'must be true or false');
  }
}

function checkBoolean(path: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') fail(path, 'must be true or false');
}

/**
 * Validates untrusted fault JSON (CLI, HTTP) and returns the faults. Accepts one fault or an
 * array; `{"status": 502}` without `kind` means a status fault. Throws naming the bad field.
 */
export function parseFaults(input: unknown): Fault[] {
  const list: unknown[] = Array.isArray(input) ? input : [input];
  return list.map((item, i) => {
    const path = `[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      fail(path, 'must be an object');
    const f = { ...(item as Record<string, unknown>) };
    if (f.kind === undefined && typeof f.status === 'number') f.kind = 'status';
    if (typeof f.kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(f.kind)) {
      fail(`${path}.kind`, `must be one of ${FAULT_KINDS.join(', ')}`);
    }
    checkMatch(path, f.match);
    if (f.times !== undefined && !(Number.isInteger(f.times) && (f.times as number) >= 1)) {
      fail(`${path}.times`, 'must be a whole number ≥ 1');
    }
    checkBoolean(`${path}.acted`, f.acted);
    if (f.kind === 'status') {
      if (!(
        Number.isInteger(f.status) &&
        (f.status as number) >= 200 &&
        (f.status as number) <= 599
      )) {
        fail(`${path}.status`, 'must be an HTTP status from 200 to 599');
      }
      checkBoolean(`${path}.html`, f.html);
      if (f.headers !== undefined) {
        const headers = f.headers;
        if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
          fail(`${path}.headers`, 'must be an object of strings');
        }
        for (const [name, value] of Object.entries(headers)) {
          if (typeof value !== 'string' && typeof value !== 'number') {
            fail(`${path}.headers.${name}`, 'must be a string');
          }
        }
      }
    }
    if (f.kind === 'delay') {
      if (typeof f.ms !== 'number' || !Number.isFinite(f.ms) || f.ms < 0) {
        fail(`${path}.ms`, 'must be a number of milliseconds ≥ 0');
      }
      checkBoolean(`${path}.actFirst`, f.actFirst);
    }
    return f as unknown as Fault;
  });
}
