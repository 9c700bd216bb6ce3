/**
 * Reading an untrusted event payload: own properties only, strings or nothing, web links only.
 * Every reader returns '' or `{}` for what is missing or of another type, never undefined.
 */
import type { Json } from './kind.js';

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object-valued own property, `{}` when absent or of another type. */
export function record(value: unknown, key: string): Json {
  if (!isRecord(value) || !Object.hasOwn(value, key)) return {};
  const child = value[key];
  return isRecord(child) ? child : {};
}

/** A string (or finite number) own property as text, '' otherwise: never "undefined". */
export function text(value: unknown, key: string): string {
  if (!isRecord(value) || !Object.hasOwn(value, key)) return '';
  const child = value[key];
  if (typeof child === 'string') return child;
  return typeof child === 'number' && Number.isFinite(child) ? String(child) : '';
}

/** Payload links end up in `href`s: accept only web links, never `javascript:` or the like. */
export function webUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '';
}

export function firstLine(message: string): string {
  return (message.split(/\r?\n|\r/, 1)[0] ?? '').trim();
}

/** Whitespace runs (newlines included) collapsed to one space, trimmed. */
export function clean(value: string | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
}
