/**
 * `npm run bench:junit`: what reading JUnit reports costs a run with `test-results`.
 *
 * Runs the committed bundle as the runner does (`runStep`: a dry run of a failure alert, so no
 * request is made) without `test-results`, with a small report (the vitest fixture), and with
 * one as large as a report may be (just under the 10 MiB cap: tens of thousands of test cases,
 * one in twenty failing with a stack trace and captured output). Prints the median wall time
 * (spawn to exit) and peak RSS of each: what the glob, the XML parser's chunk and streaming a
 * report through it add to a run.
 *
 * Options: --runs N  rounds per report (default 5)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, runStep } from './lib/action-runner.ts';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Math.max(1, Number(args.runs));
const CAP = 10 * 1024 * 1024;

/** A large report: `cases` test cases, every 20th failing with a 12-line stack trace. */
function largeReport(cases: number): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bench">\n'];
  for (let suite = 0; suite * 500 < cases; suite++) {
    parts.push(`<testsuite name="com.example.bench.Suite${suite}" tests="500">\n`);
    for (let i = suite * 500; i < Math.min(cases, (suite + 1) * 500); i++) {
      parts.push(
        `  <testcase name="case${i}" classname="com.example.bench.Suite${suite}" time="0.001"`,
      );
      if (i % 20 === 0) {
        const stack = Array.from(
          { length: 12 },
          (_, n) => `\tat com.example.bench.Suite${suite}.case${i}(Suite${suite}.java:${n + 10})`,
        ).join('\n');
        parts.push(
          `>\n    <failure message="expected: &lt;${i}&gt; but was: &lt;${i + 1}&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <${i}> but was: <${i + 1}>\n${stack}\n]]></failure>\n    <system-out><![CDATA[${'log line of the test\n'.repeat(20)}]]></system-out>\n  </testcase>\n`,
        );
      } else {
        parts.push('/>\n');
      }
    }
    parts.push('</testsuite>\n');
  }
  parts.push('</testsuites>\n');
  return parts.join('');
}

/** The largest report under the cap this generator makes (a few binary-search steps). */
function nearCap(): { text: string; cases: number } {
  let low = 1000;
  let high = 200_000;
  let best = { text: largeReport(low), cases: low };
  while (high - low > 500) {
    const mid = Math.floor((low + high) / 2);
    const text = largeReport(mid);
    if (Buffer.byteLength(text) < CAP) {
      best = { text, cases: mid };
      low = mid;
    } else {
      high = mid;
    }
  }
  return best;
}

/** Writes the peak RSS of the process it is preloaded into, at exit (as bench.ts does). */
const PROBE = `process.on('exit', () => {
  require('fs').writeFileSync(process.env.BENCH_USAGE_FILE, String(process.resourceUsage().maxRSS));
});
`;

interface Sample {
  ms: number;
  rssKiB: number;
  log: string;
}

/** Runs the bundle as the runner does (a dry run: no request), `RUNS` times. */
async function measure(
  scratch: string,
  inputs: Record<string, string>,
  files: Record<string, string>,
): Promise<Sample[]> {
  const probe = path.join(scratch, 'probe.cjs');
  writeFileSync(probe, PROBE);
  const usage = path.join(scratch, 'usage');
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    const result = await runStep({
      jobStatus: 'failure',
      files,
      with: {
        token: 'bench-token',
        room: 'CI',
        server: 'http://127.0.0.1:9',
        'dry-run': 'true',
        ...inputs,
      },
      env: { NODE_OPTIONS: `--require ${probe}`, BENCH_USAGE_FILE: usage },
    });
    if (result.exitCode !== 0 || result.warnings.length > 0) {
      throw new Error(`bench run failed: ${result.stdout}${result.stderr}`);
    }
    samples.push({
      ms: result.durationMs,
      rssKiB: Number(readFileSync(usage, 'utf8')),
      log: result.stdout,
    });
  }
  return samples;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;

const scratch = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-bench-junit-'));
try {
  const small = readFileSync(path.join(ROOT, '__tests__/fixtures/junit/vitest.xml'), 'utf8');
  const large = nearCap();
  console.log(
    `node dist/index.js, a dry run of a failure alert, ${RUNS} rounds each; medians of wall time and peak RSS:`,
  );
  const cases = [
    ['no test-results (every-run path)', {}, {}],
    [
      `small report (${Buffer.byteLength(small).toLocaleString('en')} bytes)`,
      { 'test-results': 'reports/*.xml' },
      { 'reports/small.xml': small },
    ],
    [
      `large report (${Buffer.byteLength(large.text).toLocaleString('en')} bytes, ${large.cases.toLocaleString('en')} tests)`,
      { 'test-results': 'reports/*.xml' },
      { 'reports/large.xml': large.text },
    ],
  ] as const;
  for (const [label, inputs, files] of cases) {
    const samples = await measure(scratch, { ...inputs }, { ...files });
    const read = /test-results: .*/.exec(samples[0]!.log)?.[0] ?? '';
    console.log(
      `${label}: ${median(samples.map((s) => s.ms)).toFixed(0)} ms, ${mib(median(samples.map((s) => s.rssKiB)))}${read ? ` — ${read}` : ''}`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
