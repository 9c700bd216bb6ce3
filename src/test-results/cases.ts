/**
 * Counting a report's test cases as the tools mean them. Pure.
 *
 * - A retried test counts once, with its final outcome. Tools write retries as the same test
 *   case again (pytest-rerunfailures, jest-junit's retries, Xcode's retries: same suite, class
 *   and name, the last one final), or inside one case (Maven Surefire: `<flakyFailure>` /
 *   `<flakyError>` for a test that then passed, `<rerunFailure>` for one that kept failing).
 *   A retried test whose final outcome is a pass is flaky.
 * - A suite that carries counts but no test cases (some tools summarise, some reports are cut
 *   down) counts by its `tests`, `failures`, `errors` and `skipped` attributes.
 */
import type { TestFailure } from './summary.js';

/** How one execution of a test ended. */
export type CaseOutcome = 'passed' | 'failed' | 'errored' | 'skipped';

/** Counts of one report, and its first failures (at most the reader's `maxFailures`). */
export interface ReportCounts {
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  /** Tests that passed after failing first (retried); counted in `passed` too. */
  flaky: number;
  failures: TestFailure[];
}

/** One test as read so far: its latest outcome, how often it ran, its failure if it failed. */
interface CaseRecord {
  outcome: CaseOutcome;
  tries: number;
  /** Surefire said it failed before it passed. */
  flaky: boolean;
  failure?: TestFailure;
}

/** Tests told apart by name (more are counted without that: memory stays bounded). */
const MAX_TRACKED = 50_000;

/** Failures kept with their details while reading (all are counted). */
const MAX_DETAILS = 1_000;

/** Most a suite's count attribute may say: more is not a count. */
const MAX_SUITE_COUNT = 10_000_000;

/** A suite's own counts, from its attributes. */
export interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** Reads a count attribute: a whole number, else 0. */
export function countAttribute(value: string): number {
  const n = /^\s*\d{1,8}\s*$/.test(value) ? Number(value) : 0;
  return Math.min(n, MAX_SUITE_COUNT);
}

/** The tally of one report: `add` each test case as it closes, then `counts`. */
export class CaseTally {
  private readonly cases = new Map<string, CaseRecord>();
  /** Cases past `MAX_TRACKED`, and suites counted by their attributes. */
  private readonly loose: ReportCounts = {
    passed: 0,
    failed: 0,
    errored: 0,
    skipped: 0,
    flaky: 0,
    failures: [],
  };
  private details = 0;

  /** One execution of the test `key` (suite, class and name); `flaky` from Surefire's marks. */
  add(key: string, outcome: CaseOutcome, flaky: boolean, failure?: TestFailure): void {
    const seen = this.cases.get(key);
    const detail = failure && this.details < MAX_DETAILS ? failure : undefined;
    if (detail) this.details += 1;
    if (seen) {
      seen.tries += 1;
      seen.outcome = outcome;
      seen.flaky ||= flaky;
      seen.failure = detail;
      return;
    }
    if (this.cases.size < MAX_TRACKED) {
      this.cases.set(key, { outcome, tries: 1, flaky, ...(detail ? { failure: detail } : {}) });
      return;
    }
    this.loose[outcome] += 1;
    if (flaky && outcome === 'passed') this.loose.flaky += 1;
    if (detail) this.loose.failures.push(detail);
  }

  /** A suite without test cases, counted by its attributes. */
  addSuite(suite: SuiteCounts): void {
    const failed = Math.min(suite.failures, suite.tests);
    const errored = Math.min(suite.errors, suite.tests - failed);
    const skipped = Math.min(suite.skipped, suite.tests - failed - errored);
    this.loose.failed += failed;
    this.loose.errored += errored;
    this.loose.skipped += skipped;
    this.loose.passed += suite.tests - failed - errored - skipped;
  }

  /** The report's counts; at most `max` failures listed, in the order the tests first ran. */
  counts(max: number): ReportCounts {
    const out: ReportCounts = { ...this.loose, failures: [] };
    const failures: TestFailure[] = [];
    for (const record of this.cases.values()) {
      out[record.outcome] += 1;
      if (record.outcome === 'passed' && (record.flaky || record.tries > 1)) out.flaky += 1;
      const failing = record.outcome === 'failed' || record.outcome === 'errored';
      if (failing && record.failure && failures.length < max) failures.push(record.failure);
    }
    for (const failure of this.loose.failures) if (failures.length < max) failures.push(failure);
    out.failures = failures;
    return out;
  }
}
