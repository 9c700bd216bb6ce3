/**
 * Answer headers, one shape for HipChat and the GitHub API: names lower-cased, repeated headers
 * joined, absent values left out; HipChat's answer redacts every value after flattening.
 */
import { describe, expect, it } from 'vitest';
import { toResponse } from '../../src/hipchat/response.js';
import { flattenHeaders } from '../../src/http-headers.js';

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
});

describe('toResponse', () => {
  it('flattens the headers, then redacts each joined value and the body', () => {
    const redact = (text: string): string => text.replaceAll('s3cret', '***');
    const response = toResponse(
      { statusCode: 429, headers: { 'X-Echo': ['s3c', 'ret', 's3cret'], Date: 'today' } },
      { text: 'token s3cret', truncated: false },
      redact,
    );
    expect(response).toEqual({
      status: 429,
      headers: { 'x-echo': 's3c, ret, ***', date: 'today' },
      body: 'token ***',
    });
  });
});
