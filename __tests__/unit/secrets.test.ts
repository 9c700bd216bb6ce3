import { describe, expect, it } from 'vitest';
import { Secrets, redact, redactDeep } from '../../src/text/secrets.js';
import { inertLines } from '../../src/report/runner-io.js';
import { inertText } from '../../src/report/report.js';
import { MAX_HINT_MS, readRateInfo } from '../../src/http/rate-headers.js';

const TOKEN = 'Zq7Rx2Lm9Vb4Nc8Kp3Ws6Yd1Hf5Jg0Tu2Ea7Oi9';

describe('redact', () => {
  it('replaces a whole secret and any run of 12 or more of its characters', () => {
    expect(redact(`a ${TOKEN} b`, [TOKEN])).toBe('a *** b');
    expect(redact(`head ${TOKEN.slice(0, 12)}`, [TOKEN])).toBe('head ***');
    expect(redact(`${TOKEN.slice(20, 32)}!`, [TOKEN])).toBe('***!');
    expect(redact(TOKEN.slice(0, 11), [TOKEN])).toBe(TOKEN.slice(0, 11));
  });

  it('counts a short secret only whole', () => {
    expect(redact('pw and pwd', ['pwd'])).toBe('pw and ***');
  });

  it('keeps multi-line secrets line by line, and walks objects', () => {
    const secrets = new Secrets();
    secrets.add('first-line-secret\nsecond-line-secret');
    expect(secrets.redact('x second-line-secret y')).toBe('x *** y');
    expect(secrets.redact('x second-line-secr y')).toBe('x second-line-secr y');
    expect(secrets.redactUntrusted('x second-line-secr y')).toBe('x *** y');
    expect(redactDeep({ a: ['first-line-secret'], n: 1 }, secrets)).toEqual({ a: ['***'], n: 1 });
    expect(secrets.holds('…first-line-se…')).toBe(true);
  });
});

describe('inert text', () => {
  it('no line of a log text can start a workflow command', () => {
    expect(inertLines('ok\n::error::x\r  ::add-mask::y\r\nlast')).toBe(
      'ok\n: :error::x\n  : :add-mask::y\nlast',
    );
    expect(inertLines('IPv6 http://[::1]:8080')).toBe('IPv6 http://[::1]:8080');
  });

  it('a table cell cannot open a link or an image, nor end the cell', () => {
    const cell = inertText('![x](http://e) # [l](u) | a\n\nb');
    expect(cell.replace(/&#\d+;/g, '')).not.toMatch(/[[\]!|\n]/);
  });
});

describe('implausible rate-limit hints', () => {
  const now = Date.UTC(2026, 0, 1);
  it('ignores resets and Retry-After beyond a day, with a note', () => {
    const info = readRateInfo(
      { 'x-ratelimit-reset': '99999999999999999999', 'retry-after': '99999999999999' },
      now,
    );
    expect(info.token.resetMs).toBeUndefined();
    expect(info.retryAtMs).toBeUndefined();
    expect(info.ignored?.join(' ')).toMatch(/X-Ratelimit-Reset .* Retry-After/);
  });

  it('keeps a plausible reset', () => {
    const reset = (now + MAX_HINT_MS / 2) / 1000;
    expect(readRateInfo({ 'x-ratelimit-reset': String(reset) }, now).token.resetMs).toBe(
      reset * 1000,
    );
  });
});
