/**
 * Byte ranges for log downloads: a job log can be hundreds of megabytes, and only its end is
 * wanted. Cloud storage (where GitHub redirects a log download) says `Accept-Ranges: bytes`
 * and gives the size in `Content-Length`; then the end alone is asked for with
 * `Range: bytes=<start>-` — the form every range-serving host accepts (suffix ranges,
 * `bytes=-N`, are not: Azure Blob Storage refuses them). Pure: headers in, offsets out.
 */

/**
 * Where to start reading a log of the answer's size to get its last `tailBytes`, or
 * `undefined` when the whole body should be read: no window asked, not a plain 200, no
 * `Accept-Ranges: bytes`, no usable `Content-Length`, or a log no longer than the window.
 */
export function tailStart(
  status: number,
  headers: Readonly<Record<string, string>>,
  tailBytes: number | undefined,
): number | undefined {
  if (tailBytes === undefined || tailBytes <= 0 || status !== 200) return undefined;
  if (!/(?:^|,)\s*bytes\s*(?:,|$)/i.test(headers['accept-ranges'] ?? '')) return undefined;
  const raw = (headers['content-length'] ?? '').trim();
  if (!/^\d{1,15}$/.test(raw)) return undefined;
  const size = Number(raw);
  return size > tailBytes ? size - tailBytes : undefined;
}

/**
 * The offset a ranged answer's body starts at: the first byte of `Content-Range: bytes S-E/L`
 * for a 206, else 0 (a host that ignored the range sent the whole log). A 206 whose
 * `Content-Range` cannot be read counts as mid-log (1): its first line is not trusted.
 */
export function rangeStart(status: number, headers: Readonly<Record<string, string>>): number {
  if (status !== 206) return 0;
  const match = /^\s*bytes\s+(\d{1,15})-\d{1,15}\/(?:\d{1,15}|\*)\s*$/i.exec(
    headers['content-range'] ?? '',
  );
  return match ? Number(match[1]) : 1;
}
