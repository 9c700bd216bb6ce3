import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inertLines, runnerIo } from '../../src/report/runner-io.js';
import type { RunnerIo } from '../../src/report/runner-io.js';
import { Secrets } from '../../src/text/secrets.js';
import { runnerCommands } from '../../scripts/lib/runner-commands.ts';

/** Pieces outside text is made of here: both command syntaxes, every kind of break and space. */
const PIECES = [
  '::',
  ':',
  '##[',
  '#',
  '[',
  ']',
  'error',
  'add-mask',
  'stop-commands',
  'warning',
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\v',
  '\f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u00a0',
  '\u3000',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\u0000',
  '\u001b',
  '%',
  '%0A',
  'x',
  'é',
  '😀',
];
const outside = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join(''));

/** The five log sinks and the command each issues itself ('' for a plain line). */
const SINKS: [keyof RunnerIo, string][] = [
  ['info', ''],
  ['warning', 'warning'],
  ['notice', 'notice'],
  ['debug', 'debug'],
  ['setFailed', 'error'],
];

/** Runs `write` against the real @actions/core backend, returning what reached stdout. */
function stdoutOf(write: () => void): string {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const exitCode = process.exitCode;
  try {
    write();
  } finally {
    spy.mockRestore();
    process.exitCode = exitCode;
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('the runner-command gate', () => {
  it('no outside text starts or holds a command in either syntax, through every log sink', () => {
    const io = runnerIo({}, new Secrets());
    fc.assert(
      fc.property(outside, outside, fc.constantFrom(...SINKS), (before, after, [sink, own]) => {
        const out = stdoutOf(() => (io[sink] as (m: string) => void)(`${before}ok${after}`));
        const commands = runnerCommands(out);
        expect(commands.filter((c) => c.syntax === '##[')).toEqual([]);
        expect(commands.map((c) => c.name)).toEqual(own ? [own] : []);
      }),
      { numRuns: 2000, seed: 17 },
    );
  });

  it('spaces out commands, keeps ordinary colons and brackets', () => {
    expect(inertLines('a ##[error]b\n\u00a0::warning::c')).toBe(
      'a ## [error]b\n\u00a0: :warning::c',
    );
    expect(inertLines('x\u2028::add-mask::y')).toBe('x\n: :add-mask::y');
    // A format character between the colons goes, and the colons then count as a start.
    expect(inertLines(':\u200b:error::z')).toBe(': :error::z');
    expect(inertLines('#\ufeff#[error]z')).toBe('## [error]z');
    expect(inertLines('IPv6 [::1] and a[0] ## heading')).toBe('IPv6 [::1] and a[0] ## heading');
  });
});
