import { WeirError } from '../runtime/errors.js';
import { parseDuration } from '../runtime/duration.js';

/** A window assigner, as Flink's TumblingEventTimeWindows / SlidingEventTimeWindows / EventTimeSessionWindows. */
export type WindowSpec =
  | { readonly kind: 'tumbling'; readonly size: number; readonly offset: number }
  | { readonly kind: 'sliding'; readonly size: number; readonly slide: number; readonly offset: number }
  | { readonly kind: 'session'; readonly gap: number };

/** A duration: milliseconds, or a string such as `'500ms'`, `'30s'`, `'5m'`, `'1h'`, `'1d'`. */
export type Duration = number | string;

const MAX_SPAN = 2 ** 52; // ms; keeps every window bound exact in f64 and far from i64 overflow

function positive(d: Duration, name: string): number {
  const ms = parseDuration(d, name);
  if (ms <= 0) throw new WeirError('E_ARG', `${name}: expected a positive duration, got ${String(d)}`);
  if (ms > MAX_SPAN) throw new WeirError('E_ARG', `${name}: ${ms} ms is longer than the supported 2^52 ms`);
  return ms;
}

function offsetOf(offset: Duration | undefined, period: number, name: string): number {
  if (offset === undefined) return 0;
  const negative = typeof offset === 'number' ? offset < 0 : offset.trim().startsWith('-');
  const ms = parseDuration(typeof offset === 'string' ? offset.trim().replace(/^-/, '') : Math.abs(offset), name);
  const signed = negative ? -ms : ms;
  if (Math.abs(signed) >= period) {
    throw new WeirError('E_ARG', `${name}: expected |offset| < ${period} ms (the window ${name.includes('sliding') ? 'slide' : 'size'}), got ${signed}`);
  }
  return signed;
}

/**
 * Tumbling windows `[start, start + size)` with `start ≡ offset (mod size)`, as Flink's
 * `TumblingEventTimeWindows.of(size, offset)`; negative timestamps align the same way.
 *
 * @example tumbling('1m') // minute windows; tumbling('1d', { offset: '-8h' }) // days in UTC+8
 */
export function tumbling(size: Duration, options: { offset?: Duration } = {}): WindowSpec {
  const s = positive(size, 'tumbling size');
  return Object.freeze({ kind: 'tumbling', size: s, offset: offsetOf(options.offset, s, 'tumbling offset') });
}

/**
 * Sliding windows of `size` every `slide` (Flink's `SlidingEventTimeWindows.of(size, slide, offset)`).
 * An event belongs to size/slide windows; internally it updates one pane of gcd(size, slide) and
 * windows combine panes when they fire, so per-event cost does not grow with size/slide.
 *
 * @example sliding('1h', '1m') // the last hour, every minute
 */
export function sliding(size: Duration, slide: Duration, options: { offset?: Duration } = {}): WindowSpec {
  const s = positive(size, 'sliding size');
  const sl = positive(slide, 'sliding slide');
  if (sl > s) throw new WeirError('E_ARG', `sliding slide: expected a slide no larger than the size (${s} ms), got ${sl} ms`);
  return Object.freeze({ kind: 'sliding', size: s, slide: sl, offset: offsetOf(options.offset, sl, 'sliding offset') });
}

/**
 * Session windows (Flink's `EventTimeSessionWindows.withGap(gap)`): each event opens
 * `[t, t + gap)` and a key's windows that intersect — touching included — merge.
 *
 * @example session('30m')
 */
export function session(gap: Duration): WindowSpec {
  return Object.freeze({ kind: 'session', gap: positive(gap, 'session gap') });
}

export function checkWindowSpec(spec: unknown): WindowSpec {
  const s = spec as WindowSpec | undefined;
  if (!s || typeof s !== 'object' || !['tumbling', 'sliding', 'session'].includes((s as { kind?: string }).kind ?? '')) {
    throw new WeirError('E_ARG', 'window: expected tumbling(size), sliding(size, slide) or session(gap)');
  }
  // Re-validate through the constructors so hand-written objects get the same checks.
  if (s.kind === 'tumbling') return tumbling(s.size, { offset: s.offset });
  if (s.kind === 'sliding') return sliding(s.size, s.slide, { offset: s.offset });
  return session(s.gap);
}
