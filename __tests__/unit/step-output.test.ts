/**
 * runner-io.ts writes the step's outputs itself (CONTRIBUTING.md: Keeping start-up fast): the
 * GITHUB_OUTPUT file must read as `core.setOutput` leaves it, and no value may add an output,
 * so the two writers are run side by side on real files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { EOL, tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseOutputFile } from '../../scripts/lib/action-runner.ts';
import { writeStepOutput } from '../../src/runner-io.js';

let dir: string;
const saved = process.env.GITHUB_OUTPUT;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-output-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  if (saved === undefined) delete process.env.GITHUB_OUTPUT;
  else process.env.GITHUB_OUTPUT = saved;
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh, empty output file, named in GITHUB_OUTPUT. */
function outputFile(name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, '');
  process.env.GITHUB_OUTPUT = file;
  return file;
}

const withoutDelimiters = (text: string): string =>
  text.replace(/ghadelimiter_[0-9a-z-]+/g, 'ghadelimiter_X');

describe('writeStepOutput', () => {
  const values: [string, string][] = [
    ['message', 'line one\nline two\r\n  indented <b>&amp;</b> é ✅'],
    ['sent', '1'],
    ['results', JSON.stringify([{ room: 'CI', ok: true }])],
    ['empty', ''],
  ];

  it('leaves the file as core.setOutput does, but for the random delimiter', () => {
    const ours = outputFile('ours');
    for (const [name, value] of values) writeStepOutput(name, value);
    const theirs = outputFile('theirs');
    for (const [name, value] of values) core.setOutput(name, value);
    const [a, b] = [readFileSync(ours, 'utf8'), readFileSync(theirs, 'utf8')];
    expect(withoutDelimiters(a)).toBe(withoutDelimiters(b));
    expect(parseOutputFile(a)).toEqual(Object.fromEntries(values));
    expect(a.endsWith(EOL)).toBe(true);
  });

  it('a value holding the delimiter drawn gets another: it can never add an output', () => {
    const file = outputFile('collide');
    // The first delimiter drawn is the one the value carries; the next one is not.
    const draws = [0.5, 0.5, 0.5, 0.25, 0.25, 0.25];
    vi.spyOn(Math, 'random').mockImplementation(() => draws.shift() ?? 0.125);
    const first = `ghadelimiter_${(0.5).toString(36).slice(2, 12).padEnd(10, '0').repeat(3)}`;
    const hostile = `x\n${first}\ninjected<<EOF\nowned\nEOF`;
    writeStepOutput('message', hostile);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(new RegExp(`^message<<${first}$`, 'm'));
    expect(parseOutputFile(text)).toEqual({ message: hostile });
  });

  it('fails as core.setOutput does when the file is missing', () => {
    process.env.GITHUB_OUTPUT = path.join(dir, 'gone');
    const ours = (() => {
      try {
        writeStepOutput('sent', '1');
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    const theirs = (() => {
      try {
        core.setOutput('sent', '1');
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(ours).toBe(theirs);
    expect(ours).toMatch(/^Missing file at path: /);
  });
});
