/**
 * The `test-results` input: newline-separated globs of JUnit reports, relative to the
 * workspace. Pure: checked before anything is read or sent, so a pattern that would leave the
 * workspace is an input error, not a warning at the end. (Matches are checked again on their
 * real paths when read: a symbolic link can still point outside; see read-reports.ts.)
 */
import path from 'node:path';

/** More patterns than anyone lists by hand is a mistake (or a pasted file list). */
export const MAX_PATTERNS = 20;

/** The patterns, relative to the workspace with `/` separators, or the problems found. */
export type PatternsResult = { patterns: string[] } | { problems: string[] };

/**
 * Parses `test-results`. Each non-empty line is one glob (`**`, `*`, `?`, `[…]`, `{a,b}`), e.g.
 * `target/surefire-reports/TEST-*.xml`. Refused: `..` segments, absolute paths outside the
 * workspace (one inside is made relative), and `!` negations (not supported by the glob).
 */
export function parseTestResultPatterns(raw: string, workspace: string): PatternsResult {
  const lines = raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const problems: string[] = [];
  if (lines.length > MAX_PATTERNS) {
    problems.push(
      `\`test-results\` has ${lines.length} patterns: at most ${MAX_PATTERNS} are accepted (one glob per line, e.g. **/junit.xml).`,
    );
  }
  const patterns: string[] = [];
  for (const line of lines.slice(0, MAX_PATTERNS)) {
    const checked = checkPattern(line, workspace);
    if ('problem' in checked) problems.push(checked.problem);
    else if (!patterns.includes(checked.pattern)) patterns.push(checked.pattern);
  }
  return problems.length > 0 ? { problems } : { patterns };
}

function checkPattern(line: string, workspace: string): { pattern: string } | { problem: string } {
  const shown = `'${line.length > 80 ? `${line.slice(0, 79)}…` : line}'`;
  if (line.startsWith('!')) {
    return {
      problem: `\`test-results\` pattern ${shown} is a negation: list the reports to read instead (negations are not supported).`,
    };
  }
  if (line.split(/[\\/]/).includes('..')) {
    return {
      problem: `\`test-results\` pattern ${shown} leaves the workspace: '..' is not accepted; patterns are relative to the workspace (GITHUB_WORKSPACE).`,
    };
  }
  let relative = line;
  if (path.isAbsolute(line) || path.win32.isAbsolute(line)) {
    relative = path.relative(path.resolve(workspace), path.resolve(line));
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      return {
        problem: `\`test-results\` pattern ${shown} is outside the workspace (${workspace}): give a path inside it, e.g. reports/*.xml.`,
      };
    }
  }
  const pattern = relative
    .split(path.sep)
    .join('/')
    .replace(/^(\.\/)+/, '');
  if (!pattern || pattern === '.') {
    return {
      problem: `\`test-results\` pattern ${shown} names the workspace itself: give the report files, e.g. **/junit.xml.`,
    };
  }
  return { pattern };
}
