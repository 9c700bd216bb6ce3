/**
 * One JUnit XML report → its counts and first failures. Pure (text in, counts out), and the
 * only module that imports the XML parser, so the parser stays in the on-demand chunk.
 *
 * A streaming, conformant parser (saxes): a report is read in chunks as it comes off the disk,
 * so a large one costs no more memory than a small one, and anything that is not well-formed
 * XML is refused. Only XML's own entities and character references are decoded: an entity a
 * DOCTYPE declares is never expanded (no "billion laughs", no external files); a report that
 * uses one is refused like any other malformed report.
 *
 * The dialects differ in detail, and each is read as its tool writes it:
 * - JUnit / Maven Surefire: `<testsuite>` root, `message` and `type` on `<failure>`/`<error>`,
 *   the stack trace as text; a test that passed on a rerun carries `<flakyFailure>` and counts
 *   as passed and flaky; one that failed every rerun carries `<rerunFailure>`s and counts once.
 * - pytest: `<testsuites><testsuite name="pytest">`, newlines in `message` as `&#10;`, setup
 *   failures as `<error>`; the line that states a failure starts with `E ` (in the message
 *   or the text, after the traceback). pytest-rerunfailures repeats a retried test case.
 * - jest-junit: no `message` attribute; the first line of the text says what failed, and the
 *   default `classname` repeats the name, so the suite is shown instead.
 * - vitest: `classname` is the file, `name` is `describe > test`.
 * - go-junit-report: every failure's `message` is just "Failed" (a build failure's "Build
 *   error"); the text, in CDATA, is what `go test` printed, so that is the message.
 * - GoogleTest: a disabled test is `status="notrun"` (`result="suppressed"`); others write
 *   `status="disabled"` or `"skipped"`: skipped, never passed.
 * Totals are counted from the test cases (cases.ts: retries once, flaky apart), never from a
 * suite's `tests`/`failures` attributes, which nested suites would count twice and some tools
 * leave out — except for a suite that has counts and no test cases at all.
 */
import { fit } from '../text/fit.js';
import { oneLine } from '../text/one-line.js';
import { NO_SECRETS } from '../text/secrets.js';
import type { Redactor } from '../text/secrets.js';
import { SaxesParser } from 'saxes';
import type { SaxesTagPlain } from 'saxes';
import { CaseTally, countAttribute } from './cases.js';
import type { CaseOutcome, ReportCounts, SuiteCounts } from './cases.js';
import type { TestFailure } from './summary.js';

/** A report that cannot be read as JUnit XML; `message` says why, for a warning. */
export class JunitError extends Error {
  override name = 'JunitError';
}

/** Reads one report fed in chunks: `write` each, then `end` for the counts. Throws `JunitError`. */
export interface JunitReader {
  write(chunk: string): void;
  end(): ReportCounts;
}

/** Messages go-junit-report writes for every failure: they say nothing, the text does. */
const GENERIC_MESSAGES = new Set(['Failed', 'Build error', 'Runtime error']);

/** Characters kept of what a report says, per field (the message is one line anyway). */
const FIELD_LIMITS = { name: 200, file: 200, message: 300 } as const;

/** Characters of a failure's text kept to find its first line (stack traces run long). */
const TEXT_KEPT = 4096;

/** Deeper nesting than any test tool writes: refused rather than tracked. */
const MAX_DEPTH = 64;

/** A `<failure>` or `<error>` of the open test case. */
interface Problem {
  kind: TestFailure['kind'];
  message: string;
  text: string;
  /** Its element's depth while open; -1 once closed (its text is complete). */
  depth: number;
  /** pytest's `E ` line that states the failure, once found. */
  stated: string;
  /** The text's last, unfinished line, while looking for it (bounded). */
  partial: string;
}

/** The test case being read, until its closing tag. */
interface OpenCase {
  name: string;
  classname: string;
  file: string;
  suite: string;
  problem?: Problem;
  skipped: boolean;
  /** Surefire's `<flakyFailure>`/`<flakyError>`: it failed before it passed. */
  flaky: boolean;
}

/** An open `<testsuite>`: its name, its own counts, and whether it holds cases or suites. */
interface OpenSuite extends SuiteCounts {
  name: string;
  depth: number;
  filled: boolean;
}

/** Parses a whole report given as one string. */
export function parseJunit(xml: string, maxFailures: number): ReportCounts {
  const reader = createJunitReader(maxFailures);
  reader.write(xml);
  return reader.end();
}

/** Where the reading of one report is: what the saxes handlers share. */
interface ReadState {
  tally: CaseTally;
  /** Removed from every text kept, before it is cut. */
  secrets: Redactor;
  /** The open suites, innermost last (a nameless suite takes its parent's name). */
  suites: OpenSuite[];
  depth: number;
  current?: OpenCase;
  started: boolean;
}

/**
 * A reader for one report, keeping at most `maxFailures` failures (all are counted); every
 * text kept is redacted of `secrets` before it is cut (text/fit.ts).
 */
export function createJunitReader(
  maxFailures: number,
  secrets: Redactor = NO_SECRETS,
): JunitReader {
  const state: ReadState = {
    tally: new CaseTally(),
    secrets,
    suites: [],
    depth: 0,
    started: false,
  };
  const parser = new SaxesParser<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  parser.on('error', (error) => {
    throw new JunitError(`not well-formed XML: ${saxesReason(error.message)}`);
  });
  parser.on('opentag', (tag) => openTag(state, tag));
  parser.on('text', (text) => keepText(state, text));
  parser.on('cdata', (text) => keepText(state, text));
  parser.on('closetag', (tag) => closeTag(state, tag.name));

  let firstChunk = true;
  let carry = '';
  return {
    write(chunk) {
      // A byte-order mark is not XML text; editors and some tools write one.
      const text = carry + (firstChunk ? chunk.replace(/^\uFEFF/, '') : chunk);
      firstChunk = false;
      // A character reference cut by the chunk boundary waits for the rest of it.
      const cut = /&#[0-9a-fA-Fx]{0,8}$/.exec(text);
      carry = cut ? cut[0] : '';
      parser.write(dropControlCharacters(cut ? text.slice(0, cut.index) : text));
    },
    end() {
      parser.write(dropControlCharacters(carry));
      parser.close();
      if (!state.started) throw new JunitError('not a JUnit report: the document is empty');
      return state.tally.counts(maxFailures);
    },
  };
}

function openTag(state: ReadState, tag: SaxesTagPlain): void {
  state.depth += 1;
  if (state.depth > MAX_DEPTH) throw new JunitError(`nested deeper than ${MAX_DEPTH} elements`);
  if (!state.started) {
    state.started = true;
    if (tag.name !== 'testsuites' && tag.name !== 'testsuite') {
      throw new JunitError(
        `not a JUnit report: the root element is <${clip(tag.name, 40)}>, not <testsuites> or <testsuite>`,
      );
    }
  }
  const parent = state.suites.at(-1);
  if (tag.name === 'testsuite' && !state.current) {
    if (parent) parent.filled = true;
    state.suites.push(openSuite(tag, parent?.name ?? '', state.depth));
  } else if (tag.name === 'testcase' && !state.current) {
    if (parent) parent.filled = true;
    state.current = openCase(tag, parent?.name ?? '');
  } else if (state.current) openInCase(state.current, tag, state.depth);
}

/** Only the text inside the open <failure>/<error>: not captured output after it. */
function keepText(state: ReadState, text: string): void {
  const problem = state.current?.problem;
  if (!problem || problem.depth <= 0) return;
  if (problem.text.length < TEXT_KEPT) problem.text += text.slice(0, TEXT_KEPT);
  // pytest's `E ` line may come after a long traceback: looked for as the text streams by.
  if (!problem.stated) findStated(problem, text);
}

function closeTag(state: ReadState, name: string): void {
  const problem = state.current?.problem;
  if (problem?.depth === state.depth && (name === 'failure' || name === 'error')) {
    if (!problem.stated) findStated(problem, '\n');
    problem.depth = -1; // its text is complete
  }
  const suite = state.suites.at(-1);
  if (name === 'testcase' && state.current) {
    countCase(state.current, state);
    state.current = undefined;
  } else if (name === 'testsuite' && suite?.depth === state.depth) {
    state.suites.pop();
    // Counts but no test cases: the suite's own word is all there is.
    if (!suite.filled) state.tally.addSuite(suite);
  }
  state.depth -= 1;
}

/**
 * Control characters are not XML 1.0, yet test output is full of them — mostly the ESC of ANSI
 * colour codes, raw or written as `&#27;` (Maven Surefire writes captured Spring Boot logs so).
 * A strict parser would refuse the whole report for one; they are dropped instead, as the
 * fields would drop them anyway. Tab, line feed and carriage return are XML and stay.
 */
function dropControlCharacters(text: string): string {
  return text
    .replace(ANSI_IN_XML, '')
    .replace(/&#(?:x0*([0-9a-fA-F]{1,2})|0*([0-9]{1,2}));/g, (ref, hex?: string, dec?: string) => {
      const code = hex ? parseInt(hex, 16) : Number(dec);
      return code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd ? '' : ref;
    })
    .replace(CONTROL, '');
}

/** An ANSI colour or cursor sequence whose ESC is raw or a character reference. */
// eslint-disable-next-line no-control-regex -- matching ESC is the point
const ANSI_IN_XML = /(?:\x1b|&#0*27;|&#[xX]0*1[bB];)\[[0-9;?]*[ -/]*[@-~]/g;

// eslint-disable-next-line no-control-regex -- dropping control characters is the point
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

function openSuite(tag: SaxesTagPlain, parentName: string, depth: number): OpenSuite {
  const count = (name: string): number => countAttribute(attribute(tag, name));
  return {
    name: attribute(tag, 'name') || parentName,
    depth,
    filled: false,
    tests: count('tests'),
    failures: count('failures'),
    errors: count('errors'),
    // pytest wrote `skips` before 5.1; GoogleTest counts `disabled` apart.
    skipped: count('skipped') || count('skips') + count('disabled'),
  };
}

/** `status`/`result` words of a test that did not run (GoogleTest, CTest and the like). */
const NOT_RUN = new Set(['disabled', 'notrun', 'skipped', 'suppressed']);

function openCase(tag: SaxesTagPlain, suite: string): OpenCase {
  const status = attribute(tag, 'status').toLowerCase();
  const result = attribute(tag, 'result').toLowerCase();
  return {
    name: attribute(tag, 'name'),
    classname: attribute(tag, 'classname'),
    file: attribute(tag, 'file'),
    suite,
    skipped: NOT_RUN.has(status) || NOT_RUN.has(result),
    flaky: false,
  };
}

/**
 * `<failure>`, `<error>` or `<skipped>` of the open test case, and Surefire's flaky marks;
 * anything else (`<rerunFailure>`, output) is ignored.
 */
function openInCase(current: OpenCase, tag: SaxesTagPlain, depth: number): void {
  if (tag.name === 'skipped') {
    current.skipped = true;
    return;
  }
  if (tag.name === 'flakyFailure' || tag.name === 'flakyError') {
    current.flaky = true;
    return;
  }
  if (tag.name !== 'failure' && tag.name !== 'error') return;
  // A failure outranks an error reported for the same test; otherwise the first one counts.
  if (current.problem && !(current.problem.kind === 'error' && tag.name === 'failure')) return;
  const message = attribute(tag, 'message');
  current.problem = { kind: tag.name, message, text: '', depth, stated: '', partial: '' };
  findStated(current.problem, `${message}\n`, true);
}

function countCase(testcase: OpenCase, { tally, secrets }: ReadState): void {
  const key = [testcase.suite, testcase.classname, testcase.name, testcase.file].join('\u0000');
  const problem = testcase.problem;
  if (!problem) {
    tally.add(key, testcase.skipped ? 'skipped' : 'passed', testcase.flaky);
    return;
  }
  const outcome: CaseOutcome = problem.kind === 'failure' ? 'failed' : 'errored';
  // jest-junit's default `classname` is the test's full name again, mocha-junit-reporter's the
  // end of it: the suite says more.
  const repeated = testcase.name.endsWith(testcase.classname);
  const classname = repeated ? '' : testcase.classname;
  tally.add(key, outcome, testcase.flaky, {
    name: clip(testcase.name, FIELD_LIMITS.name, secrets) || '(unnamed test)',
    file: clip(testcase.file || classname || testcase.suite, FIELD_LIMITS.file, secrets),
    message: clip(messageOf(problem, testcase.name), FIELD_LIMITS.message, secrets),
    kind: problem.kind,
  });
}

/** Longest line kept while looking for pytest's `E ` line. */
const MAX_LINE = 2048;

/** pytest's marker of the line that states the failure: `E       AssertionError: 143 != 0`. */
const STATED = /^E\s+(\S.*)$/;

/**
 * Looks through `text` (the next piece of a failure's message or text) for pytest's `E ` line,
 * line by line, carrying an unfinished line over to the next piece. `alone`: `text` is the
 * whole message, nothing carried in or out.
 */
function findStated(problem: Problem, text: string, alone = false): void {
  const lines = ((alone ? '' : problem.partial) + text).split(/\r?\n/);
  const rest = lines.pop() ?? '';
  if (!alone) problem.partial = rest.slice(-MAX_LINE);
  for (const line of lines) {
    const stated = STATED.exec(clean(line).trimEnd());
    if (stated?.[1]) {
      problem.stated = stated[1];
      return;
    }
  }
}

/**
 * The line that states the failure: pytest's first `E ` line (in the message or the text),
 * else the first line of the `message` attribute, else of the element's text — passing over
 * lines that only say which test or where (see `saysNothing`).
 */
function messageOf(problem: Problem, testName: string): string {
  if (problem.stated) return problem.stated;
  const message = statingLine(problem.message, testName);
  if (message && !GENERIC_MESSAGES.has(message)) return message;
  return statingLine(problem.text, testName) || message;
}

/** go test's progress lines, which gotestsum keeps in a failure's text. */
const GO_PROGRESS = /^=== (RUN|PAUSE|CONT|NAME)\s/;

/** A location alone (`/src/cart_test.cc:21`), as GoogleTest starts a failure's message. */
const LOCATION_ONLY = /^\S+:\d+(:\d+)?$/;

/**
 * Whether a line only says which test failed or where: go test's progress, PHPUnit's
 * `Class::test` heading, a bare location. The line after it says what failed.
 */
function saysNothing(line: string, testName: string): boolean {
  if (GO_PROGRESS.test(line) || LOCATION_ONLY.test(line)) return true;
  return Boolean(testName) && (line === testName || line.endsWith(`::${testName}`));
}

/** The first line of `text` that says something, cleaned; else its first non-blank line. */
function statingLine(text: string, testName: string): string {
  let first = '';
  for (const raw of clean(text).split('\n')) {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (!line) continue;
    if (!saysNothing(line, testName)) return line;
    first ||= line;
  }
  return first;
}

function attribute(tag: SaxesTagPlain, name: string): string {
  const value = Object.hasOwn(tag.attributes, name) ? tag.attributes[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/** saxes says `3:14: unclosed tag: testcase`; the warning reads `unclosed tag (line 3, column 14)`. */
function saxesReason(message: string): string {
  const match = /^(\d+):(\d+): (.*)$/s.exec(message);
  const reason = clip((match?.[3] ?? message).replace(/\.$/, ''), 120);
  return match ? `${reason} (line ${match[1]}, column ${match[2]})` : reason;
}

/** An ANSI escape sequence (colours, cursor moves), as test runners print them. */
// eslint-disable-next-line no-control-regex -- matching the ESC control character is the point
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/** Report text without ANSI colour codes and control characters (line breaks kept). */
function clean(text: string): string {
  return text.replace(ANSI, '').replace(/[^\P{Cc}\t\n]/gu, '');
}

/**
 * One line of at most `max` characters: redacted, then cut with `…` (text/fit.ts); line breaks
 * and bidi or other format characters never survive (a test name cannot forge a line).
 */
function clip(text: string, max: number, secrets: Redactor = NO_SECRETS): string {
  return fit(oneLine(clean(text), Infinity), max, secrets);
}
