/** HTTP plumbing of the sandbox: request targets, bodies for the record, headers, resets. */

import type { Socket } from 'node:net';
import { mediaType } from './routes.ts';

/** A complete answer, ready to write. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** Serialized body; empty for none. */
  body: string;
}

/** Sets `name` in `headers`, replacing any header of the same name in another case. */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  }
  headers[name] = value;
}

/** Parses a body for the record: JSON or form by content type, else undefined. */
export function parseForRecord(contentType: string | undefined, raw: string): unknown {
  const type = mediaType(contentType);
  if (type === 'application/json') {
    try {
      return JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  return undefined;
}

/** Sends a TCP reset where the socket supports it (the client sees ECONNRESET), else closes. */
export function resetSocket(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/**
 * Splits a request target into raw path and query. The path is kept percent-encoded and not
 * normalized (no URL class), because room names are decoded per segment and recorded as sent.
 */
export function splitTarget(target: string): { path: string; query: URLSearchParams } {
  // An absolute-form target (as sent to a proxy) is reduced to its path.
  const local = /^https?:\/\//i.test(target) ? target.replace(/^https?:\/\/[^/?#]*/i, '') : target;
  const q = local.indexOf('?');
  const path = q < 0 ? local : local.slice(0, q);
  return {
    path: path === '' ? '/' : path,
    query: new URLSearchParams(q < 0 ? '' : local.slice(q + 1)),
  };
}
