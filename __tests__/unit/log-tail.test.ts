// The tail of a failed step from a job log fed in pieces: pure, no sockets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogTail, MAX_LINE_CHARS, cleanLogLine } from '../../src/whole-run/log-tail.js';
import { Secrets } from '../../src/text/secrets.js';
import type { Redactor } from '../../src/text/secrets.js';

const T = '2026-01-01T12:00:00.1234567Z ';
const stamp = (lines: string[]): string => lines.map((l) => T + l).join('\n');

function tailOf(text: string, max: number, pieceSize = 7, secrets?: Redactor): string[] {
  const tail = new LogTail(max, secrets);
  for (let i = 0; i < text.length; i += pieceSize) tail.push(text.slice(i, i + pieceSize));
  return tail.lines();
}

describe('cleanLogLine', () => {
  it('drops the timestamp, escape sequences and control characters', () => {
    expect(
      cleanLogLine(
        `${T}\u001b[1;31mred\u001b[0m \u001b]8;;http://x\u0007link\u001b]8;;\u0007\u0000!`,
      ),
    ).toBe('red link!');
    expect(cleanLogLine('no stamp\r')).toBe('no stamp');
  });
});

describe('LogTail', () => {
  const log = stamp([
    '##[group]Run actions/checkout@v4',
    'fetching',
    '##[endgroup]',
    '##[group]Run npm test',
    'test 1 ok',
    'test 2 ok',
    'test 3 FAILED',
    '##[error]Process completed with exit code 1.',
    '##[group]Run actions/upload-artifact@v4',
    'uploading',
    'Post job cleanup.',
  ]);

  it('keeps the failing step up to its error, whatever the pieces', () => {
    for (const size of [1, 3, 64, 10_000]) {
      expect(tailOf(log, 3, size)).toEqual([
        'test 2 ok',
        'test 3 FAILED',
        'Error: Process completed with exit code 1.',
      ]);
    }
  });

  it('never reaches into the step before', () => {
    expect(tailOf(log, 50)).toEqual([
      'Run npm test',
      'test 1 ok',
      'test 2 ok',
      'test 3 FAILED',
      'Error: Process completed with exit code 1.',
    ]);
  });

  it('a log without errors gives its last lines', () => {
    expect(tailOf(stamp(['a', 'b', 'c']), 2)).toEqual(['b', 'c']);
    expect(tailOf(stamp(['a', 'b', 'c']) + '\n', 0)).toEqual([]);
  });

  it('cuts a huge line, whatever its size, without holding it', () => {
    const huge = 'y'.repeat(5_000_000);
    const lines = tailOf(stamp([`##[group]Run x`, huge, 'after']), 5, 65_536);
    expect(lines[1]!.length).toBe(MAX_LINE_CHARS);
    expect(lines[1]!.endsWith('…')).toBe(true);
    expect(lines[2]).toBe('after');
  });

  it('removes secrets before any cut, and a secret cut in half', () => {
    const secret = 'ghs_SecretToken1234567890';
    const scrub = new Secrets();
    scrub.add(secret);
    const long = 'z'.repeat(MAX_LINE_CHARS + 40 - 10);
    const lines = tailOf(stamp([`token ${secret} end`, `${long}${secret}`]), 5, 5, scrub);
    expect(lines[0]).toBe('token *** end');
    expect(lines.join('\n')).not.toContain('ghs_Se');
  });

  it('removes base64 and URL forms of a secret, and bidi controls', () => {
    const secret = 'ghs_SecretToken1234567890';
    const secrets = new Secrets();
    secrets.add(secret);
    const basic = Buffer.from(`x-access-token:${secret}`).toString('base64');
    const shifted = Buffer.from(`ab${secret}`).toString('base64url');
    const lines = tailOf(
      stamp([
        `Authorization: Basic ${basic}`,
        `b=${shifted}`,
        `u=${encodeURIComponent(`x-access-token:${secret}`)}`,
        'evil\u202egnp.exe',
      ]),
      5,
      9,
      secrets,
    );
    expect(lines[0]).toMatch(/^Authorization: Basic [^A-Za-z0-9]*\*\*\*/);
    expect(lines.join('\n')).not.toContain(Buffer.from(secret).toString('base64').slice(0, 12));
    expect(lines[1]).toMatch(/^b=.{0,4}\*\*\*.{0,4}$/);
    expect(lines[2]).toMatch(/^u=.{0,20}\*\*\*$/);
    expect(lines[3]).toBe('evilgnp.exe');
  });
});

describe('LogTail fed from mid-log (a byte range of the end)', () => {
  const fromOffset = (text: string, from: number, max: number): LogTail => {
    const tail = new LogTail(max, undefined, from > 0);
    for (let i = from; i < text.length; i += 5) tail.push(text.slice(i, i + 5));
    tail.lines();
    return tail;
  };

  it('drops the first line, a fragment', () => {
    const text = stamp(['##[group]Run x', 'abcdef', '##[error]boom']);
    const tail = fromOffset(text, text.indexOf('cdef'), 5);
    expect(tail.lines()).toEqual(['Error: boom']);
  });

  it('is exact when a step began before the error, or when as many lines as kept came first', () => {
    const text = stamp(['setup', '##[group]Run a', '1', '2', '3', '4', '##[error]e', 'cleanup']);
    expect(fromOffset(text, text.indexOf('setup') + 2, 50).exact()).toBe(true);
    // The window begins inside the step's first line: that fragment is dropped, so unknown.
    expect(fromOffset(text, text.indexOf('Run a'), 50).exact()).toBe(false);
    expect(fromOffset(text, text.indexOf(`\n${T}3`), 2).exact()).toBe(true);
    // The step's start is before the window and fewer lines than kept follow: unknown.
    expect(fromOffset(text, text.indexOf(`\n${T}3`), 50).exact()).toBe(false);
    // No error in the window: an earlier one may exist.
    expect(fromOffset(text, text.indexOf('cleanup') - 2, 2).exact()).toBe(false);
  });

  it('whenever it says exact, its lines are those of the whole log', () => {
    const line = fc.oneof(
      fc.constantFrom('##[group]Run step', '##[error]failed', '##[endgroup]', '', 'é ok'),
      fc.string({ maxLength: 12 }).map((s) => s.replace(/\n/g, ' ')),
    );
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 6 }),
        (lines, at, max) => {
          const text = stamp(lines);
          const whole = fromOffset(text, 0, max).lines();
          const from = text.length ? at % text.length : 0;
          const part = fromOffset(text, from, max);
          if (from === 0 || part.exact()) expect(part.lines()).toEqual(whole);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
