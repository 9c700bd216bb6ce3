/**
 * Reading `test-results` reports from a real workspace on disk (a temporary directory): globs,
 * confinement on real paths (symbolic links out of the workspace are skipped), special files
 * refused, size and count caps, and every bad report a warning while the good ones still count.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTestResults } from '../../src/test-results/read-reports.js';
import { READ_LIMITS } from '../../src/test-results/read-reports.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/junit/', import.meta.url));
const POSIX = process.platform !== 'win32';

let scratch: string;
let workspace: string;
let outside: string;

beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-junit-'));
  workspace = path.join(scratch, 'workspace');
  outside = path.join(scratch, 'outside');
  mkdirSync(workspace);
  mkdirSync(outside);
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Puts a fixture (or given text) at `relative` inside `dir` (default the workspace). */
function put(relative: string, fixtureOrText: string, dir = workspace): string {
  const file = path.join(dir, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  if (fixtureOrText.endsWith('.xml') && !fixtureOrText.includes('<')) {
    copyFileSync(path.join(FIXTURES, fixtureOrText), file);
  } else {
    writeFileSync(file, fixtureOrText);
  }
  return file;
}

describe('readTestResults', () => {
  it('reads every match of every pattern once, in path order, and adds them up', async () => {
    put('target/surefire-reports/TEST-CalculatorTest.xml', 'surefire.xml');
    put('python/report.xml', 'pytest.xml');
    put('web/junit.xml', 'vitest.xml');
    const { view, warnings } = await readTestResults(
      ['target/surefire-reports/TEST-*.xml', '**/*.xml'],
      workspace,
    );
    expect(warnings).toEqual([]);
    expect(view).toMatchObject({ reports: 3, total: 13, failed: 4, errored: 2, skipped: 3 });
    // python/ < target/ < web/: the first failures come from the first report in path order.
    expect(view.failures.map((f) => f.name)).toEqual([
      'test_add_negative',
      'test_save',
      'dividesByZero',
      'parsesInput',
      'cart > applies the discount',
    ]);
  });

  it('never searches node_modules or .git', async () => {
    put('node_modules/some-package/test/junit.xml', 'pytest.xml');
    put('.git/junit.xml', 'pytest.xml');
    put('reports/junit.xml', 'vitest.xml');
    const { view } = await readTestResults(['**/junit.xml'], workspace);
    expect(view.reports).toBe(1);
  });

  it.runIf(POSIX)(
    'skips a symbolic link that leads out of the workspace, file or folder (never entered)',
    async () => {
      const secret = put('secret.xml', 'pytest.xml', outside);
      symlinkSync(secret, path.join(workspace, 'linked.xml'));
      symlinkSync(outside, path.join(workspace, 'out'));
      put('inside.xml', 'vitest.xml');
      const { view, warnings } = await readTestResults(['*.xml', 'out/*.xml'], workspace);
      expect(view.reports).toBe(1);
      expect(view.failed).toBe(2);
      expect(warnings).toEqual([
        "`test-results`: 'linked.xml' skipped: it leads outside the workspace (a symbolic link).",
      ]);
    },
  );

  it.runIf(POSIX)(
    'follows a link that stays inside, and a workspace reached by a link',
    async () => {
      put('reports/real.xml', 'vitest.xml');
      symlinkSync(path.join(workspace, 'reports', 'real.xml'), path.join(workspace, 'alias.xml'));
      const viaLink = path.join(scratch, 'ws-link');
      symlinkSync(workspace, viaLink);
      const { view, warnings } = await readTestResults(['alias.xml'], viaLink);
      expect(warnings).toEqual([]);
      expect(view.reports).toBe(1);
    },
  );

  it.runIf(POSIX)('refuses a FIFO without blocking on it; a directory is no match', async () => {
    execFileSync('mkfifo', [path.join(workspace, 'pipe.xml')]);
    mkdirSync(path.join(workspace, 'dir.xml'));
    put('ok.xml', 'vitest.xml');
    const { view, warnings } = await readTestResults(['*.xml'], workspace);
    expect(view.reports).toBe(1);
    expect(warnings).toEqual(["`test-results`: 'pipe.xml' skipped: not a regular file."]);
  });

  it('skips a malformed or foreign report with a warning; the others still count', async () => {
    put('a.xml', '<testsuite><testcase name="x">');
    put('b.xml', '<project><modelVersion>4.0.0</modelVersion></project>');
    put('c.xml', 'go-junit-report.xml');
    const { view, warnings } = await readTestResults(['*.xml'], workspace);
    expect(view).toMatchObject({ reports: 1, failed: 1, errored: 1 });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^`test-results`: 'a\.xml' skipped: not well-formed XML: .+\.$/);
    expect(warnings[1]).toBe(
      "`test-results`: 'b.xml' skipped: not a JUnit report: the root element is <project>, not <testsuites> or <testsuite>.",
    );
  });

  it('skips a report over the per-file cap, and stops at the total cap', async () => {
    const small = put('1-small.xml', 'vitest.xml');
    put('2-huge.xml', `<testsuite>${'<testcase name="x"/>'.repeat(200)}</testsuite>`);
    put('3-small.xml', 'pytest.xml');
    put('4-small.xml', 'surefire.xml');
    const size = statSync(small).size;
    const limits = { files: 10, fileBytes: 2500, totalBytes: size + 1500, entries: 1000 };
    const { view, warnings } = await readTestResults(['*.xml'], workspace, limits);
    expect(view.reports).toBe(2); // 1-small and 3-small; 4-small would pass the total
    expect(warnings).toEqual([
      "`test-results`: '2-huge.xml' skipped: 4,023 bytes is over the 2,500-byte cap for one report.",
      `\`test-results\`: '4-small.xml' and any later reports skipped: together they are over the ${(size + 1500).toLocaleString('en')}-byte cap for all reports.`,
    ]);
  });

  it('reads at most `files` reports, saying so', async () => {
    for (let i = 0; i < 5; i++) put(`r${i}.xml`, 'vitest.xml');
    const { view, warnings } = await readTestResults(['*.xml'], workspace, {
      ...READ_LIMITS,
      files: 3,
    });
    expect(view.reports).toBe(3);
    expect(warnings).toEqual([
      '`test-results`: more than 3 files matched; the first 3 (in path order) are read.',
    ]);
  });

  it('warns when nothing matches, and the view is all zero', async () => {
    const { view, warnings } = await readTestResults(['build/test-results/**/*.xml'], workspace);
    expect(view).toMatchObject({ reports: 0, total: 0, failures: [] });
    expect(warnings).toEqual([
      "`test-results`: no file matched 'build/test-results/**/*.xml' in the workspace; check the path, and that the tests wrote their reports before this step.",
    ]);
  });

  it('keeps control characters of a file name out of the warning', async () => {
    if (!POSIX) return;
    put('bad\nname::error::x.xml', '<oops');
    const { warnings } = await readTestResults(['*.xml'], workspace);
    expect(warnings[0]).toContain("'bad name::error::x.xml' skipped");
    expect(warnings[0]).not.toContain('\n');
  });
  it.runIf(POSIX)(
    'never walks a directory link out of the workspace, nor a link loop',
    async () => {
      // `build -> /` with `build/**`: the whole file system, before.
      symlinkSync('/', path.join(workspace, 'build'));
      mkdirSync(path.join(workspace, 'a'));
      symlinkSync(path.join(workspace, 'a'), path.join(workspace, 'a', 'loop'));
      put('a/TEST-ok.xml', 'vitest.xml');
      const started = Date.now();
      const { view, warnings } = await readTestResults(
        ['build/**/TEST-*.xml', '**/TEST-*.xml'],
        workspace,
      );
      expect(Date.now() - started).toBeLessThan(2000);
      expect(view.reports).toBe(1);
      expect(warnings).toEqual([]);
    },
  );

  it('stops at the entry bound and at the deadline, saying so without a path', async () => {
    for (let i = 0; i < 30; i++) put(`d${i}/r.xml`, 'vitest.xml');
    const few = await readTestResults(['**/*.xml'], workspace, { ...READ_LIMITS, entries: 10 });
    expect(few.warnings[0]).toBe(
      '`test-results`: the search looked at 10 entries of the workspace and stopped.',
    );
    const late = await readTestResults(['**/*.xml'], workspace, READ_LIMITS, Date.now() - 1);
    expect(late.view.reports).toBe(0);
    expect(late.warnings).toEqual([
      '`test-results`: the search ran out of its share of `max-wait` and stopped.',
    ]);
    for (const warning of [...few.warnings, ...late.warnings]) {
      expect(warning).not.toContain(workspace);
    }
  });
});
