/**
 * JUnit XML reports as each tool writes them (fixtures in `__tests__/fixtures/junit/`: pytest's
 * and vitest's written by the tools themselves, the others in their tools' exact format), read
 * by the pure parser: counts from the test cases, the first failures with name, file and the
 * first line of the message; malformed or hostile XML refused with a reason, never expanded.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createJunitReader, JunitError, parseJunit } from '../../src/test-results/junit.js';
import { summarizeReports, testCounts } from '../../src/test-results/summary.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/junit/${name}`, import.meta.url), 'utf8');

describe('parseJunit: the dialects', () => {
  it('JUnit / Maven Surefire: message attributes, errors apart, a flaky pass counts as passed', () => {
    expect(parseJunit(fixture('surefire.xml'), 5)).toEqual({
      passed: 2,
      failed: 1,
      errored: 1,
      skipped: 1,
      flaky: 1,
      failures: [
        {
          name: 'dividesByZero',
          file: 'com.example.shop.CalculatorTest',
          message: 'expected: <Infinity> but was: <NaN>',
          kind: 'failure',
        },
        {
          name: 'parsesInput',
          file: 'com.example.shop.CalculatorTest',
          message: 'For input string: "12a"',
          kind: 'error',
        },
      ],
    });
  });

  it('pytest: the first line of a multi-line message (&#10;), a setup error', () => {
    const counts = parseJunit(fixture('pytest.xml'), 5);
    expect(counts).toMatchObject({ passed: 1, failed: 1, errored: 1, skipped: 1 });
    expect(counts.failures).toEqual([
      {
        name: 'test_add_negative',
        file: 'tests.test_calc',
        message: 'AssertionError: negatives & <friends>',
        kind: 'failure',
      },
      {
        name: 'test_save',
        file: 'tests.test_calc',
        // pytest's E line states it; the message only says where ("failed on setup with …").
        message: 'ConnectionError: database at 127.0.0.1:5432 refused the connection',
        kind: 'error',
      },
    ]);
  });

  it('jest-junit: no message attribute, so the text says it; the suite, not the repeated name', () => {
    const counts = parseJunit(fixture('jest-junit.xml'), 5);
    expect(counts).toMatchObject({ passed: 2, failed: 1, errored: 0, skipped: 1 });
    expect(counts.failures).toEqual([
      {
        name: 'checkout rejects an expired card',
        file: 'checkout',
        message: 'Error: expect(received).toBe(expected) // Object.is equality',
        kind: 'failure',
      },
    ]);
  });

  it('vitest: the file as classname, a thrown error counted as a failure', () => {
    const counts = parseJunit(fixture('vitest.xml'), 5);
    expect(counts).toMatchObject({ passed: 1, failed: 2, errored: 0, skipped: 1 });
    expect(counts.failures.map((f) => [f.name, f.file, f.message])).toEqual([
      [
        'cart > applies the discount',
        'src/cart.test.ts',
        'expected 81 to be 80 // Object.is equality',
      ],
      [
        'cart > totals with tax',
        'src/cart.test.ts',
        "Cannot read properties of undefined (reading 'rate')",
      ],
    ]);
  });

  it('go-junit-report: "Failed" says nothing, so the CDATA output is the message; a build error', () => {
    const counts = parseJunit(fixture('go-junit-report.xml'), 5);
    expect(counts).toMatchObject({ passed: 1, failed: 1, errored: 1, skipped: 1 });
    expect(counts.failures).toEqual([
      {
        name: 'TestTotal/with_tax',
        file: 'example.com/shop/cart',
        message: 'cart_test.go:31: Total() = 107.00, want 108.00',
        kind: 'failure',
      },
      {
        name: '[build failed]',
        file: 'example.com/shop/payments',
        message: './card.go:12:2: undefined: validate',
        kind: 'error',
      },
    ]);
  });
});

describe('parseJunit: what it counts and keeps', () => {
  it('counts test cases, not the suites’ own (wrong) attributes, across nested suites', () => {
    const xml = `<testsuites tests="99" failures="42">
      <testsuite name="outer" tests="1"><testcase name="a"/>
        <testsuite name="inner"><testcase name="b"><failure message="boom"/></testcase></testsuite>
      </testsuite></testsuites>`;
    expect(parseJunit(xml, 5)).toEqual({
      passed: 1,
      failed: 1,
      errored: 0,
      skipped: 0,
      flaky: 0,
      failures: [{ name: 'b', file: 'inner', message: 'boom', kind: 'failure' }],
    });
  });

  it('keeps at most maxFailures failures but counts them all', () => {
    const cases = Array.from(
      { length: 30 },
      (_, i) => `<testcase name="t${i}" classname="C"><failure message="m${i}"/></testcase>`,
    ).join('');
    const counts = parseJunit(`<testsuite name="s">${cases}</testsuite>`, 3);
    expect(counts.failed).toBe(30);
    expect(counts.failures.map((f) => f.name)).toEqual(['t0', 't1', 't2']);
  });

  it('keeps one clean line of each field: no ANSI codes, no control characters, cut at 300', () => {
    const long = 'x'.repeat(400);
    const xml = `<testsuite><testcase name="a&#10;b" classname="K"><failure>&#10;\u001b[31mred\u001b[0m text&#10;second line</failure></testcase>
      <testcase name="long"><failure message="${long}"/></testcase></testsuite>`;
    const [first, second] = parseJunit(xml, 5).failures;
    expect(first).toMatchObject({ name: 'a b', message: 'red text' });
    expect(second?.message).toHaveLength(300);
    expect(second?.message.endsWith('…')).toBe(true);
  });

  it('leaves captured output unread: system-out and properties do not count', () => {
    const xml = `<testsuite name="s"><properties><property name="p" value="v"/></properties>
      <testcase name="a"><system-out><![CDATA[<testcase name="fake"><failure/></testcase>]]></system-out></testcase>
      <system-err>&lt;testcase name="fake2"/&gt;</system-err></testsuite>`;
    expect(parseJunit(xml, 5)).toMatchObject({ passed: 1, failed: 0, failures: [] });
  });

  it('accepts a byte-order mark and an XML declaration', () => {
    expect(
      parseJunit('\uFEFF<?xml version="1.0"?><testsuite><testcase name="a"/></testsuite>', 5)
        .passed,
    ).toBe(1);
  });
});

describe('parseJunit: refused with a reason', () => {
  it.each([
    [
      'truncated XML',
      '<testsuite><testcase name="a">',
      /^not well-formed XML: unclosed tag: testcase \(line 1, column \d+\)$/,
    ],
    ['mismatched tags', '<testsuite><testcase></testsuite>', /^not well-formed XML/],
    ['not XML at all', '{"tests": 3}', /^not well-formed XML/],
    [
      'another XML document',
      '<project><name>x</name></project>',
      /^not a JUnit report: the root element is <project>, not <testsuites> or <testsuite>$/,
    ],
  ])('%s', (_, xml, reason) => {
    expect(() => parseJunit(xml, 5)).toThrow(JunitError);
    expect(() => parseJunit(xml, 5)).toThrow(reason);
  });

  it('refuses a report that declares an external entity (it would read another file)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE testsuite [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
      <testsuite><testcase name="a"><failure message="&secret;"/></testcase></testsuite>`;
    expect(() => parseJunit(xxe, 5)).toThrow(JunitError);
  });

  it('never expands entities a DOCTYPE declares: a report using one is refused (no billion laughs)', () => {
    const laughs = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE testsuite [',
      '  <!ENTITY lol "lol">',
      ...Array.from(
        { length: 9 },
        (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`,
      ),
      ']>',
      '<testsuite><testcase name="&lol9;"><failure message="x"/></testcase></testsuite>',
    ].join('\n');
    expect(() => parseJunit(laughs, 5)).toThrow(/^not well-formed XML: undefined entity \(line 14/);
    // XML's own entities and character references are decoded, as ever.
    const plain =
      '<testsuite><testcase name="a"><failure message="&lt;&amp;&#33;&#x41;"/></testcase></testsuite>';
    expect(parseJunit(plain, 5).failures[0]?.message).toBe('<&!A');
  });

  it('drops control characters (raw, or as &#27;) rather than refusing the report', () => {
    const xml =
      '<testsuite><testcase name="a\u001b[31mb"><failure>&#27;[31mred&#x1B;[0m\u0007 text</failure></testcase></testsuite>';
    expect(parseJunit(xml, 5).failures[0]).toMatchObject({
      name: 'ab',
      message: 'red text',
    });
  });

  it('reads a report fed in pieces, even a character reference cut in two', () => {
    const xml =
      '<testsuite><testcase name="x&#10;y"><failure message="a&#38;b"/></testcase></testsuite>';
    for (let at = 1; at < xml.length; at++) {
      const reader = createJunitReader(5);
      reader.write(xml.slice(0, at));
      reader.write(xml.slice(at));
      expect(reader.end().failures[0], `cut at ${at}`).toMatchObject({
        name: 'x y',
        message: 'a&b',
      });
    }
  });

  it('refuses nesting deeper than the parser allows, without a stack overflow', () => {
    const deep = `<testsuite>${'<testsuite>'.repeat(5000)}${'</testsuite>'.repeat(5000)}</testsuite>`;
    expect(() => parseJunit(deep, 5)).toThrow(JunitError);
  });
});

describe('summarizeReports', () => {
  it('adds the reports up and lists the first five failures, in order', () => {
    const all = [
      'surefire.xml',
      'pytest.xml',
      'jest-junit.xml',
      'vitest.xml',
      'go-junit-report.xml',
    ];
    const view = summarizeReports(all.map((name) => parseJunit(fixture(name), 5)));
    expect(view).toMatchObject({
      total: 21,
      passed: 7,
      failed: 6,
      errored: 3,
      skipped: 5,
      more_failures: 4,
      reports: 5,
    });
    expect(view.failures.map((f) => f.name)).toEqual([
      'dividesByZero',
      'parsesInput',
      'test_add_negative',
      'test_save',
      'checkout rejects an expired card',
    ]);
    expect(testCounts(view)).toBe('6 failed, 3 errored, 7 passed (1 flaky), 5 skipped');
  });

  it('is all zero, "no tests", for no reports', () => {
    const view = summarizeReports([]);
    expect(view).toEqual({
      total: 0,
      passed: 0,
      failed: 0,
      errored: 0,
      skipped: 0,
      flaky: 0,
      failures: [],
      more_failures: 0,
      reports: 0,
    });
    expect(testCounts(view)).toBe('no tests');
  });
});
