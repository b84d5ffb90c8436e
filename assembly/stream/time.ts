// Flink's window arithmetic as small named functions (TimeWindow, WindowOperator).

/** Start of the window of length `size` (aligned to `offset`) containing `t`; negative times align too. */
// @ts-ignore: decorator
@inline
export function windowStart(t: i64, offset: i64, size: i64): i64 {
  const r = (t - offset) % size;
  return r < 0 ? t - (r + size) : t - r;
}

/** When a window's state may be dropped: maxTimestamp + allowed lateness, capped on overflow. */
// @ts-ignore: decorator
@inline
export function cleanupTime(end: i64, lateness: i64): i64 {
  const maxTs = end - 1;
  const c = maxTs + lateness;
  return c < maxTs ? i64.MAX_VALUE : c;
}

/** A window is late once the watermark has reached its cleanup time. */
// @ts-ignore: decorator
@inline
export function isWindowLate(end: i64, lateness: i64, watermark: i64): bool {
  return cleanupTime(end, lateness) <= watermark;
}
