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
import { writeStepOutput } from '../../src/report/runner-io.js';

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

/** The message `action` throws, or 'no error'. */
function thrown(action: () => void): string {
  try {
    action();
    return 'no error';
  } catch (error) {
    return (error as Error).message;
  }
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
    // The delimiter a write draws, and how many draws that takes, seen from one write.
    const probe = outputFile('probe');
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.5);
    writeStepOutput('probe', 'x');
    const drawn = /^probe<<(.+)$/m.exec(readFileSync(probe, 'utf8'))?.[1];
    expect(drawn).toMatch(/^ghadelimiter_/);
    const draws = random.mock.calls.length;
    // The next write draws that same delimiter first, and the value carries it.
    const file = outputFile('collide');
    const sequence = Array.from({ length: draws }, () => 0.5);
    random.mockImplementation(() => sequence.shift() ?? 0.25);
    const hostile = `x\n${drawn}\ninjected<<EOF\nowned\nEOF`;
    writeStepOutput('message', hostile);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(`message<<${drawn}`);
    expect(parseOutputFile(text)).toEqual({ message: hostile });
  });

  it('fails as core.setOutput does when the file is missing', () => {
    process.env.GITHUB_OUTPUT = path.join(dir, 'gone');
    const ours = thrown(() => writeStepOutput('sent', '1'));
    const theirs = thrown(() => core.setOutput('sent', '1'));
    expect(ours).toBe(theirs);
    expect(ours).toMatch(/^Missing file at path: /);
  });
});
