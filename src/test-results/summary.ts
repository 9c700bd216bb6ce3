/**
 * The `tests` template variable: the totals of every JUnit report read, and the first
 * failures. Pure; the shape here is what templates, the built-in message and the card see.
 */

/** One failed or errored test, as reports say it; every field is one line of untrusted text. */
export interface TestFailure {
  /** The test case's name (`test_add`, `cart > applies the discount`). */
  name: string;
  /** Its file, else its class (`classname`), else its suite's name; '' when none is given. */
  file: string;
  /** The first line of what the report says went wrong; '' when it says nothing. */
  message: string;
  /** `failure`: an assertion failed; `error`: the test could not run (setup, build, crash). */
  kind: 'failure' | 'error';
}

/** `{{tests.*}}`: set when `test-results` is, even if no report was found (all zero). */
export interface TestsView {
  total: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  /** Tests that passed after failing first (retried), also counted in `passed`. */
  flaky: number;
  /** The first failed or errored tests, in report order, at most `MAX_LISTED_FAILURES`. */
  failures: TestFailure[];
  /** Failed and errored tests beyond those listed in `failures`. */
  more_failures: number;
  /** How many report files were read. */
  reports: number;
}

/** How many failures the view lists: a chat message names a few, the run page has the rest. */
export const MAX_LISTED_FAILURES = 5;

/** What one report contributes (see junit.ts). */
export interface ReportPart {
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  flaky: number;
  failures: readonly TestFailure[];
}

/** Adds the reports up, in the order given; the first failures of the first reports lead. */
export function summarizeReports(parts: readonly ReportPart[]): TestsView {
  const view: TestsView = {
    total: 0,
    passed: 0,
    failed: 0,
    errored: 0,
    skipped: 0,
    flaky: 0,
    failures: [],
    more_failures: 0,
    reports: parts.length,
  };
  for (const part of parts) {
    view.passed += part.passed;
    view.failed += part.failed;
    view.errored += part.errored;
    view.skipped += part.skipped;
    view.flaky += part.flaky;
    for (const failure of part.failures) {
      if (view.failures.length < MAX_LISTED_FAILURES) view.failures.push(failure);
    }
  }
  view.total = view.passed + view.failed + view.errored + view.skipped;
  view.more_failures = view.failed + view.errored - view.failures.length;
  return view;
}

/**
 * `2 failed, 1 errored, 40 passed (1 flaky), 3 skipped` (zero counts left out; `no tests` if
 * none).
 */
export function testCounts(view: TestsView): string {
  const parts: string[] = [];
  if (view.failed) parts.push(`${view.failed} failed`);
  if (view.errored) parts.push(`${view.errored} errored`);
  if (view.passed) parts.push(`${view.passed} passed${view.flaky ? ` (${view.flaky} flaky)` : ''}`);
  if (view.skipped) parts.push(`${view.skipped} skipped`);
  return parts.length > 0 ? parts.join(', ') : 'no tests';
}
