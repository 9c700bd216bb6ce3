/** Instants and durations as log lines and failures say them. */

/** An instant as ISO 8601, without milliseconds when there are none; never throws. */
export function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime())
    ? `(no valid time: ${ms})`
    : date.toISOString().replace(/\.000Z$/, 'Z');
}

/** A duration in seconds: one decimal below 10 s. */
export function secs(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
