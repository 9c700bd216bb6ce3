/**
 * The last lines of a job's failed step, from its log as a stream of text chunks: a ring
 * buffer of `max` lines, so a log of any size costs the same memory.
 *
 * GitHub's job log prefixes every line with an ISO-8601 timestamp, marks the start of each
 * step with `##[group]Run …` and errors with `##[error]…`. The tail kept is the one ending at
 * the last `##[error]` line, from no earlier than the start of that step: the lines after it
 * belong to post-job cleanup. A log without errors gives its last lines.
 *
 * Fed only the end of a log (a byte range), the first line is a fragment and is dropped, and
 * `exact()` says whether the tail is the one the whole log gives.
 */
import { ellipsis, fit } from '../text/fit.js';
import { NO_SECRETS } from '../text/secrets.js';
import type { Redactor } from '../text/secrets.js';

/** Longest line kept, in characters; the rest of a longer line is dropped. */
export const MAX_LINE_CHARS = 300;

const TIMESTAMP = /^\uFEFF?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
// CSI sequences (colours, cursor moves), OSC sequences (titles, links), other ESC pairs.
// eslint-disable-next-line no-control-regex -- escape sequences are what is removed
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]/g;
// Controls and invisible format characters (bidi overrides, zero-width), joiners kept.
const INVISIBLE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * One log line as a reader wants it: no timestamp, no escape sequences, no control or format
 * characters (a fork's log must not reorder what the room reads).
 */
export function cleanLogLine(line: string): string {
  return line.replace(TIMESTAMP, '').replace(ANSI, '').replace(INVISIBLE, '').trimEnd();
}

/** A kept line before it is fitted, and whether the read cut it short. */
interface Kept {
  text: string;
  cut: boolean;
}

/**
 * Collects the tail of a failed step from log chunks (see the module comment). Lines are
 * redacted and fitted only when the tail is asked for: a log of a million lines costs the
 * redaction of the few kept, not of every line.
 */
export class LogTail {
  private readonly max: number;
  private ring: Kept[] = [];
  private start = 0;
  private partial = '';
  /** The partial line passed `MAX_LINE_CHARS`: drop until its end. */
  private overlong = false;
  private atError: Kept[] | undefined;
  /** Whether a step began before the kept error: then nothing earlier could belong to it. */
  private stepBeforeError = false;
  private stepSeen = false;
  /** Fed from mid-log: the line being read is a fragment, until its end. */
  private fragment: boolean;
  private readonly secrets: Redactor;

  /**
   * @param secrets each kept line is redacted of them before it is cut to `MAX_LINE_CHARS`
   *   (text/fit.ts), so no cut leaves a fragment.
   * @param midLog the pieces start somewhere inside the log, not at a line's start.
   */
  constructor(maxLines: number, secrets: Redactor = NO_SECRETS, midLog = false) {
    this.max = Math.max(0, Math.floor(maxLines));
    this.secrets = secrets;
    this.fragment = midLog;
  }

  /**
   * Whether `lines()` is what the whole log would give, for a tail fed from mid-log: an error
   * was seen, and before it either a step's start or as many lines as are kept. (A log fed from
   * its start is always exact.) Call after `lines()`.
   */
  exact(): boolean {
    return this.atError !== undefined && (this.stepBeforeError || this.atError.length >= this.max);
  }

  /** Feeds the next piece of the log (any size; lines may span pieces). */
  push(chunk: string): void {
    let from = 0;
    for (let nl = chunk.indexOf('\n', from); nl >= 0; nl = chunk.indexOf('\n', from)) {
      this.take(chunk.slice(from, nl));
      if (this.fragment) this.fragment = false;
      else this.line(this.partial, this.overlong);
      this.partial = '';
      this.overlong = false;
      from = nl + 1;
    }
    this.take(chunk.slice(from));
  }

  /** The tail: the lines up to the last error of the failing step, else the log's last lines. */
  lines(): string[] {
    if (this.partial && !this.fragment) {
      this.line(this.partial, this.overlong);
      this.partial = '';
    }
    const kept = this.atError ?? this.current();
    return kept.map((line) => fit(line.text, MAX_LINE_CHARS, this.secrets, ellipsis, line.cut));
  }

  /** Adds to the line being read, up to the length kept (with room for the timestamp). */
  private take(piece: string): void {
    if (this.overlong || !piece) return;
    const room = MAX_LINE_CHARS + 40 - this.partial.length;
    if (piece.length > room) {
      this.partial += piece.slice(0, room);
      this.overlong = true;
    } else {
      this.partial += piece;
    }
  }

  private line(raw: string, overlong: boolean): void {
    if (this.max === 0) return;
    const line = cleanLogLine(raw.replace(/\r$/, ''));
    if (line.startsWith('##[group]Run ')) {
      // A new step: what came before belongs to an earlier one.
      this.ring = [];
      this.start = 0;
      this.stepSeen = true;
    }
    if (line.startsWith('##[endgroup]') || line === '') return;
    const shown = line.startsWith('##[group]')
      ? line.slice(9)
      : line.replace(/^##\[error\]/, 'Error: ');
    this.add({ text: shown, cut: overlong });
    if (line.startsWith('##[error]')) {
      this.atError = this.current();
      this.stepBeforeError = this.stepSeen;
    }
  }

  private add(line: Kept): void {
    if (this.ring.length < this.max) {
      this.ring.push(line);
      return;
    }
    this.ring[this.start] = line;
    this.start = (this.start + 1) % this.max;
  }

  private current(): Kept[] {
    return [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
  }
}
