/**
 * A wait's log line says what happened without the advice on what to do: the advice is said
 * once, in the room's failure. Built from the real transport sentences and retry reasons.
 */
import { describe, expect, it } from 'vitest';
import { withoutAdvice } from '../../src/delivery/log-words.js';
import {
  dnsText,
  noAnswerText,
  noConnectionText,
  refusedText,
} from '../../src/hipchat/transport-advice.js';

const facts = { host: 'hipchat.example.com:443', via: '', code: 'ECONNREFUSED', detail: '' };
const notPosted = '; nothing was posted, so the retry cannot post twice';
const maybePosted =
  '; HipChat may have posted it, so it is retried once so the notification is not lost (a duplicate is possible)';
const why = (sentence: string, tail = notPosted): string => sentence.replace(/\.$/, '') + tail;

describe('withoutAdvice', () => {
  it('keeps the fact and the retry reason, and drops the advice between them', () => {
    expect(withoutAdvice(why(refusedText(facts, undefined)))).toBe(
      `hipchat.example.com:443 refused the connection (ECONNREFUSED)${notPosted}`,
    );
    expect(withoutAdvice(why(dnsText({ ...facts, code: 'ENOTFOUND' })))).toBe(
      `The host name hipchat.example.com:443 does not resolve (ENOTFOUND)${notPosted}`,
    );
    const timeout = noConnectionText(
      { ...facts, code: 'UND_ERR_CONNECT_TIMEOUT' },
      'the `timeout` (30 s)',
    );
    expect(withoutAdvice(why(timeout))).toBe(
      `No connection to hipchat.example.com:443 within the \`timeout\` (30 s): the request was not sent (UND_ERR_CONNECT_TIMEOUT)${notPosted}`,
    );
  });

  it('leaves a reason without advice as it is', () => {
    const noAnswer = why(
      noAnswerText({ ...facts, code: 'TIMEOUT' }, 'the `timeout` (2 s)'),
      maybePosted,
    );
    expect(withoutAdvice(noAnswer)).toBe(noAnswer);
    const http = 'the server answered 503; it did not act, so the retry cannot post twice';
    expect(withoutAdvice(http)).toBe(http);
  });
});
