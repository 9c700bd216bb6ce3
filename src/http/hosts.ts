/**
 * Host names as the transport compares them. A tiny module of its own: main.ts needs
 * `isLoopback` on every run, while proxy.ts (which uses it too) loads only when a proxy
 * variable is set.
 */
import { isIP } from 'node:net';

/** `host` as compared: lower case, no brackets around IPv6, no trailing dot. */
export function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/** Whether the host is this machine: never sent to a proxy (as the Actions toolkit does). */
export function isLoopback(host: string): boolean {
  const h = normalizeHost(host);
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    (isIP(h) === 4 && h.startsWith('127.')) ||
    h === '::1' ||
    h === '0:0:0:0:0:0:0:1'
  );
}
