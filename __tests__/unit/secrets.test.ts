import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fit } from '../../src/text/fit.js';
import { truncate } from '../../src/message/truncate.js';
import { encodedForms, fragmentsOf } from '../support/sinks.ts';
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

describe('redact, then cut (text/fit.ts)', () => {
  const secrets = new Secrets();
  secrets.add(TOKEN);

  it('no cut leaves a secret beginning, wherever the secret sits and wherever the cut falls', () => {
    fc.assert(
      fc.property(fc.nat(400), fc.nat(500), (before, max) => {
        const text = `${'x'.repeat(before)}${TOKEN}${'y'.repeat(60)}`;
        const fitted = fit(text, max, secrets);
        expect(fitted.length).toBeLessThanOrEqual(max);
        expect(fitted).not.toContain(TOKEN.slice(0, 4));
      }),
      { seed: 17, numRuns: 500 },
    );
  });

  it('a text cut short before it came (a bounded read) loses a secret beginning at its end', () => {
    expect(fit(`ok ${TOKEN.slice(0, 6)}`, 300, secrets, undefined, true)).toBe('ok ***');
    expect(fit(`ok ${TOKEN.slice(0, 6)}`, 300, secrets)).toBe(`ok ${TOKEN.slice(0, 6)}`);
  });

  it('the message limit cuts after redaction, in both formats', () => {
    for (const format of ['text', 'html'] as const) {
      const cut = truncate(
        `${'z'.repeat(9_980)}${TOKEN}${'z'.repeat(50)}`,
        format,
        10_000,
        secrets,
      );
      expect(cut.truncated).toBe(true);
      expect(cut.message).not.toContain(TOKEN.slice(0, 4));
    }
  });
});

describe('secrets in the forms the runner masks', () => {
  const github = 'ghs_Wq8Ty2Ui7Op3As9Df4Gh1Jk6Lz0Xc5Vb2Nm';
  const secrets = new Secrets();
  secrets.add(TOKEN);
  secrets.add(github);

  it('base64 in three alignments, base64url and URL encoding, of each and of x-access-token:', () => {
    const texts = [
      ...['', 'a', 'ab'].flatMap((pad) => [
        Buffer.from(`${pad}${TOKEN}`).toString('base64'),
        Buffer.from(`${pad}${TOKEN}`).toString('base64url'),
        Buffer.from(`${pad}x-access-token:${github}`).toString('base64'),
      ]),
      encodeURIComponent(`x-access-token:${github}`),
      `Basic ${Buffer.from(`x-access-token:${github}`).toString('base64')}`,
    ];
    const forms = [TOKEN, github].flatMap((s) => [s, ...encodedForms(s)]);
    for (const text of texts) {
      expect(fragmentsOf([secrets.redactUntrusted(`a ${text} b`)], forms), text).toEqual([]);
      expect(fragmentsOf([secrets.redact(`a ${text} b`)], forms), text).toEqual([]);
    }
  });

  it('200 secrets, a million characters of short lines: one indexed pass a line, within the time limit', () => {
    const many = new Secrets();
    for (let i = 0; i < 200; i++) many.add(`${TOKEN.slice(0, 20)}-${i}-${TOKEN.slice(20)}`);
    const line = 'a'.repeat(80);
    // Warm the index, then a million characters of short lines in one pass each.
    many.redactUntrusted(line);
    const lines = Array.from({ length: 12_500 }, () => line);
    expect(lines.map((l) => many.redactUntrusted(l)).join('')).toBe(lines.join(''));
  });
});
