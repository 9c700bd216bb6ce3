/**
 * JUnit reports in the shapes the real tools write (`__tests__/fixtures/junit/tools/`, each
 * with its expected counts beside it in `<name>.expected.json`, and why): retries counted once
 * with their final outcome and flaky apart, disabled tests skipped, suites with counts and no
 * test cases, and the line that states each failure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createJunitReader, parseJunit } from '../../src/test-results/junit.js';
import {
  MAX_LISTED_FAILURES,
  summarizeReports,
  testCounts,
} from '../../src/test-results/summary.js';

const DIR = new URL('../fixtures/junit/tools/', import.meta.url);

interface Expected {
  tool: string;
  why: string;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  flaky: number;
  /** [name, file, message] of each listed failure, in order. */
  failures: Array<[string, string, string]>;
}

const TOOLS = readdirSync(DIR)
  .filter((file) => file.endsWith('.xml'))
  .sort()
  .map((file) => {
    const name = file.slice(0, -'.xml'.length);
    const expected = JSON.parse(
      readFileSync(new URL(`${name}.expected.json`, DIR), 'utf8'),
    ) as Expected;
    return { name, xml: readFileSync(new URL(file, DIR), 'utf8'), expected };
  });

describe('JUnit reports as the tools write them', () => {
  it('has a fixture for every tool the docs name', () => {
    expect(TOOLS.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'surefire-rerun',
        'pytest-rerunfailures',
        'jest-junit-retries',
        'mocha',
        'gotestsum',
        'bazel',
        'phpunit',
        'nunit-junit',
        'googletest',
        'suite-counts',
      ]),
    );
  });

  it.each(TOOLS.map((t) => [`${t.name} (${t.expected.tool})`, t] as const))(
    '%s',
    (_, { xml, expected }) => {
      const counts = parseJunit(xml, MAX_LISTED_FAILURES);
      const { passed, failed, errored, skipped, flaky } = expected;
      expect(counts, expected.why).toMatchObject({ passed, failed, errored, skipped, flaky });
      expect(counts.failures.map((f) => [f.name, f.file, f.message])).toEqual(expected.failures);
      // The same counts whatever the chunks the report arrives in.
      const reader = createJunitReader(MAX_LISTED_FAILURES);
      for (let i = 0; i < xml.length; i += 97) reader.write(xml.slice(i, i + 97));
      expect(reader.end()).toEqual(counts);
    },
  );

  it('flaky tests are told beside the passes they are counted in', () => {
    const all = summarizeReports(TOOLS.map((t) => parseJunit(t.xml, MAX_LISTED_FAILURES)));
    const flaky = TOOLS.reduce((n, t) => n + t.expected.flaky, 0);
    expect(all.flaky).toBe(flaky);
    expect(testCounts(all)).toContain(`passed (${flaky} flaky)`);
  });
});

describe('the line that states a failure', () => {
  const report = (failure: string): string =>
    `<testsuite><testcase name="test_x" classname="m">${failure}</testcase></testsuite>`;
  const messageOf = (failure: string): string =>
    parseJunit(report(failure), 1).failures[0]!.message;

  it("pytest's E line, found however long the traceback before it", () => {
    const traceback = Array.from({ length: 400 }, (_, i) => `    frame ${i} in helpers.py`).join(
      '\n',
    );
    expect(messageOf(`<failure message="boom">${traceback}\nE   assert 143 == 0\n</failure>`)).toBe(
      'assert 143 == 0',
    );
    // Across chunk boundaries, too.
    const reader = createJunitReader(1);
    const xml = report(`<failure>${traceback}\nE       KeyError: 'sku'\nmore</failure>`);
    for (let i = 0; i < xml.length; i += 13) reader.write(xml.slice(i, i + 13));
    expect(reader.end().failures[0]!.message).toBe("KeyError: 'sku'");
  });

  it('else the first line of the message, else of the text; cut safely', () => {
    expect(messageOf('<failure message="first&#10;second">body</failure>')).toBe('first');
    expect(messageOf('<failure>\n\n  body line\nmore</failure>')).toBe('body line');
    const long = `${'x'.repeat(298)}😀😀`;
    const cut = messageOf(`<failure message="${long}"/>`);
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF]…$/);
  });
});

describe('bounds', () => {
  it('a report of 60,000 distinct tests counts every one (tracking stops, counting does not)', () => {
    const cases = Array.from({ length: 60_000 }, (_, i) => `<testcase name="t${i}"/>`).join('');
    // t1 again is a retry of a tracked test; t59999 again is past the tracking: counted twice.
    const again = '<testcase name="t1"/><testcase name="t59999"/>';
    expect(parseJunit(`<testsuite>${cases}${again}</testsuite>`, 5)).toMatchObject({
      passed: 60_001,
      flaky: 1,
    });
  });

  it('suite counts that are not whole numbers count nothing', () => {
    const xml =
      '<testsuites><testsuite tests="-3" failures="x"/><testsuite tests="1e9" failures="2"/></testsuites>';
    expect(parseJunit(xml, 5)).toMatchObject({ passed: 0, failed: 0, errored: 0, skipped: 0 });
  });
});
