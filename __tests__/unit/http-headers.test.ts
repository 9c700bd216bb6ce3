/**
 * Answer headers, one shape for HipChat and the GitHub API: names lower-cased, repeated headers
 * joined, absent values left out; HipChat's answer redacts every value after flattening.
 */
import { describe, expect, it } from 'vitest';
import { toResponse } from '../../src/hipchat/response.js';
import { flattenHeaders } from '../../src/http/headers.js';
import { withoutObjectNames } from '../../src/http/tracing-handler.js';

describe('flattenHeaders', () => {
  it('lower-cases names, joins repeated values and leaves out absent ones', () => {
    expect(
      flattenHeaders({
        'X-RateLimit-Remaining': '4',
        'set-cookie': ['a=1', 'b=2'],
        Retry: undefined,
        'content-type': 'application/json',
      }),
    ).toEqual({
      'x-ratelimit-remaining': '4',
      'set-cookie': 'a=1, b=2',
      'content-type': 'application/json',
    });
  });

  it('is an empty map for no headers', () => {
    expect(flattenHeaders({})).toEqual({});
  });

  it('a header named like an object property is a header like any other', () => {
    const flat = flattenHeaders({ ['__proto__']: 'p', Constructor: 'c' });
    expect(Object.getPrototypeOf(flat)).toBeNull();
    expect({ ...flat }).toEqual({ ['__proto__']: 'p', constructor: 'c' });
    expect(flat.toString).toBeUndefined();
  });
});

describe('withoutObjectNames', () => {
  const raw = (...pairs: string[]): Buffer[] => pairs.map((p) => Buffer.from(p));

  it('drops the headers whose lower-cased name (as undici reads it) every object has', () => {
    const kept = withoutObjectNames(
      raw(
        'Content-Type',
        'json',
        'constructor',
        'x',
        '__proto__',
        'y',
        'ToString',
        'z',
        'Retry-After',
        '5',
      ),
    );
    // `tostring` is no property: undici looks names up lower-cased, so only these two clash.
    expect(kept.map(String)).toEqual(['Content-Type', 'json', 'ToString', 'z', 'Retry-After', '5']);
  });

  it('gives the same array back when nothing clashes', () => {
    const headers = raw('content-length', '0', 'x-ratelimit-reset', '1700000000');
    expect(withoutObjectNames(headers)).toBe(headers);
  });
});

describe('toResponse', () => {
  it('flattens the headers, then redacts each joined value and the body', () => {
    const redact = (text: string): string => text.replaceAll('s3cret', '***');
    const response = toResponse(
      { statusCode: 429, headers: { 'X-Echo': ['s3c', 'ret', 's3cret'], Date: 'today' } },
      { text: 'token s3cret', over: false },
      redact,
    );
    expect(response).toEqual({
      status: 429,
      headers: { 'x-echo': 's3c, ret, ***', date: 'today' },
      body: 'token ***',
    });
  });
});
