/**
 * Rolling (moving-window) statistics over a numeric series: mean, standard deviation, min, max,
 * and the z-score of each sample against the window before it.
 *
 * Semantics follow pandas `Series.rolling(window, min_periods).mean()/std(ddof)/min()/max()`:
 * the window ending at sample t holds samples t-window+1 .. t; NaN samples are skipped (not
 * counted); an output is NaN while the window holds fewer than `minPeriods` valid samples, and
 * std is NaN while it holds `ddof` or fewer. ±Infinity samples are not supported by mean/std.
 * min/max compare values, so -0 and +0 tie: a window whose extreme is a zero of both signs may
 * give either sign (as NumPy's maximum/minimum and pandas' rolling min/max do).
 *
 * Complexity: O(1) amortised per sample — mean and std from shifted running sums
 * S1 = sum(x - K), S2 = sum((x - K)^2) with K taken from the window and all sums recomputed
 * exactly from the window every max(4 window, 4096) samples, which bounds rounding drift; min and
 * max by van Herk / Gil-Werman block prefix and suffix maxima (3 comparisons per sample,
 * branch-free). Memory: 24 bytes per window slot.
 *
 * Precision: for integer-valued series (counts) every update is exact while window * S2 stays
 * below 2^53 (e.g. values within 10^4 of each other in windows of up to 1000 samples), so a
 * constant window has std exactly 0 and a sample equal to it z = 0. Otherwise the variance carries rounding of order
 * 1e-16 times the square of the data's spread around K, so std is accurate relative to that
 * spread, not to itself when it is ~1e-7 of it or less (a z-score against such a window is noise).
 */
import { WeirError } from '../runtime/errors.js';
import type { Kernel } from '../runtime/kernel.js';
import { getPrepKernel, type PrepExports } from './kernel.js';
import { CHUNK, checkSeries, intArg, optionsArg, type NumericSeries } from './series-args.js';

export type { NumericSeries };

export type RollingStat = 'mean' | 'std' | 'min' | 'max' | 'zscore';

const STATS: readonly RollingStat[] = ['mean', 'std', 'min', 'max', 'zscore'];

export interface RollingOptions {
  /** Samples in the window (>= 1). */
  window: number;
  /** Valid samples the window needs before outputs are defined; 1..window, default `window`. */
  minPeriods?: number;
  /** Delta degrees of freedom of std (divisor count - ddof); default 1 (sample std, as pandas). */
  ddof?: number;
  /** What to compute; default `['mean', 'std', 'min', 'max']`. */
  stats?: readonly RollingStat[];
}

/** Frozen defaults, for docs and tests. */
export const ROLLING_DEFAULTS = Object.freeze({ ddof: 1, stats: Object.freeze(['mean', 'std', 'min', 'max'] as RollingStat[]) });

/**
 * One Float64Array (a copy, owned by the caller) per requested statistic, each as long as the
 * input. `zscore[t]` = (x[t] - mean) / std of the `window` samples before t (not including t),
 * so an outlier does not dilute its own score; 0 when std is 0 and x equals the mean, ±Infinity
 * when std is 0 and it does not.
 */
export interface RollingResult {
  mean?: Float64Array;
  std?: Float64Array;
  min?: Float64Array;
  max?: Float64Array;
  zscore?: Float64Array;
}

interface Resolved {
  window: number;
  minPeriods: number;
  ddof: number;
  stats: RollingStat[];
}

// The 4 GiB wasm limit bounds the window far below this; the cap keeps the state block sane.
const MAX_WINDOW = 1 << 26;

function resolve(opts: unknown): Resolved {
  const o = optionsArg<RollingOptions>(opts, 'prep/rolling');
  const window = intArg(o.window, 'prep/rolling: window', 1, MAX_WINDOW);
  const minPeriods = o.minPeriods === undefined ? window : intArg(o.minPeriods, 'prep/rolling: minPeriods', 1, window);
  const ddof = o.ddof === undefined ? ROLLING_DEFAULTS.ddof : intArg(o.ddof, 'prep/rolling: ddof', 0, 1 << 30);
  const stats = o.stats === undefined ? [...ROLLING_DEFAULTS.stats] : o.stats;
  if (!Array.isArray(stats) || stats.length === 0 || !stats.every((s) => (STATS as readonly unknown[]).includes(s))) {
    throw new WeirError('E_ARG', `prep/rolling: stats must be a non-empty array of ${STATS.map((s) => `'${s}'`).join(', ')}, got ${JSON.stringify(stats)}`);
  }
  return { window, minPeriods, ddof, stats: [...new Set(stats)] as RollingStat[] };
}

/**
 * A rolling window that carries its state across `push` calls, so a series pushed in chunks
 * gives exactly (bit for bit) the outputs of the whole series pushed at once. Holds
 * 24 * window bytes of wasm memory until {@link RollingStats.dispose}.
 *
 * @example
 * const r = await RollingStats.create({ window: 60, stats: ['mean', 'std'] });
 * const { mean, std } = r.push(firstHour);
 * r.push(nextHour); // continues the same windows
 * r.dispose();
 */
export class RollingStats {
  readonly window: number;
  readonly minPeriods: number;
  readonly ddof: number;
  readonly stats: readonly RollingStat[];
  private state: number;
  // The zero-copy path's block: `capacity` input samples, then `capacity` per statistic.
  private block = 0;
  private capacity = 0;

  private constructor(private readonly kernel: Kernel<PrepExports>, r: Resolved) {
    this.window = r.window;
    this.minPeriods = r.minPeriods;
    this.ddof = r.ddof;
    this.stats = Object.freeze(r.stats);
    this.state = kernel.alloc(kernel.exports.rolling_state_bytes(r.window) >>> 0);
    this.reset();
  }

  /** Validates `opts` and allocates the window state. */
  static async create(opts: RollingOptions): Promise<RollingStats> {
    const r = resolve(opts);
    return new RollingStats(await getPrepKernel(), r);
  }

  /** Forgets every sample pushed so far. */
  reset(): void {
    this.assertLive();
    this.kernel.exports.rolling_init(this.state, this.window, this.minPeriods, this.ddof);
  }

  /**
   * Pushes samples and returns the requested statistics for each of them (copies). O(n).
   * The series is streamed through wasm memory in chunks of 65536 samples.
   */
  push(x: NumericSeries): RollingResult {
    this.assertLive();
    checkSeries(x, 'prep/rolling: x');
    const n = x.length;
    const out: RollingResult = {};
    for (const s of this.stats) out[s] = new Float64Array(n);
    if (n === 0) return out;
    const k = this.kernel;
    const chunk = Math.min(n, CHUNK);
    k.scoped((alloc) => {
      const bytes = chunk * 8;
      const input = alloc(bytes);
      const ptr: Record<RollingStat, number> = { mean: 0, std: 0, min: 0, max: 0, zscore: 0 };
      for (const s of this.stats) ptr[s] = alloc(bytes);
      for (let start = 0; start < n; start += chunk) {
        const len = Math.min(chunk, n - start);
        k.view(Float64Array, input, len).set(sliceOf(x, start, start + len));
        k.exports.rolling_push(this.state, input, len, ptr.mean, ptr.std, ptr.min, ptr.max, ptr.zscore);
        for (const s of this.stats) out[s]!.set(k.view(Float64Array, ptr[s], len), start);
      }
    });
    return out;
  }

  /**
   * The zero-copy path for large series: a Float64Array of `n` samples in wasm memory (a view
   * owned by this object) to write samples straight into — then {@link RollingStats.pushBuffer}.
   * The view stays valid until the next prep call (any call may grow wasm memory, which detaches
   * it); the memory stays allocated, grown as needed, until dispose().
   *
   * @example
   * const r = await RollingStats.create({ window: 1024 });
   * sensor.readInto(r.buffer(n));           // the one write of the samples
   * const { mean, max } = r.pushBuffer(n);  // views, valid until the next prep call
   */
  buffer(n: number): Float64Array {
    this.assertLive();
    intArg(n, 'prep/rolling: n', 0, 2 ** 28);
    if (n > this.capacity) {
      const k = this.kernel;
      const block = k.alloc(n * 8 * (1 + this.stats.length));
      if (this.block) k.free(this.block);
      this.block = block;
      this.capacity = n;
    }
    return this.kernel.view(Float64Array, this.block, n);
  }

  /**
   * Pushes the first `n` samples written into {@link RollingStats.buffer} and returns the
   * statistics as views over wasm memory (not copies; valid until the next prep call — copy
   * with `.slice()` to keep them). Same results as `push` of the same samples. O(n).
   */
  pushBuffer(n: number): RollingResult {
    this.assertLive();
    intArg(n, 'prep/rolling: n', 0, this.capacity);
    const k = this.kernel;
    const ptr: Record<RollingStat, number> = { mean: 0, std: 0, min: 0, max: 0, zscore: 0 };
    this.stats.forEach((s, i) => { ptr[s] = this.block + (i + 1) * this.capacity * 8; });
    if (n > 0) k.exports.rolling_push(this.state, this.block, n, ptr.mean, ptr.std, ptr.min, ptr.max, ptr.zscore);
    const out: RollingResult = {};
    for (const s of this.stats) out[s] = k.view(Float64Array, ptr[s], n);
    return out;
  }

  /** Frees the window state and the buffer. Idempotent. */
  dispose(): void {
    if (this.state) {
      this.kernel.free(this.state);
      this.kernel.free(this.block);
      this.state = 0;
      this.block = 0;
      this.capacity = 0;
    }
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  private assertLive(): void {
    if (!this.state) throw new WeirError('E_STATE', 'prep/rolling: this RollingStats was disposed');
  }
}

/** `x[start, end)` without copying typed arrays. */
export function sliceOf(x: NumericSeries, start: number, end: number): ArrayLike<number> {
  if (start === 0 && end === x.length) return x;
  return ArrayBuffer.isView(x) ? (x as Float64Array).subarray(start, end) : (x as readonly number[]).slice(start, end);
}

/**
 * Rolling statistics of a whole series (see {@link RollingStats} for the semantics).
 *
 * @example
 * const { mean, max } = await rolling(cpu, { window: 1024, stats: ['mean', 'max'] });
 */
export async function rolling(x: NumericSeries, opts: RollingOptions): Promise<RollingResult> {
  checkSeries(x, 'prep/rolling: x');
  const r = await RollingStats.create(opts);
  try {
    return r.push(x);
  } finally {
    r.dispose();
  }
}

/**
 * The z-score of each sample against the `window` samples before it:
 * (x[t] - mean(x[t-window .. t-1])) / std(...). NaN until `minPeriods` earlier valid samples.
 *
 * @example
 * const z = await rollingZScore(requestsPerMinute, { window: 60 });
 */
export async function rollingZScore(x: NumericSeries, opts: Omit<RollingOptions, 'stats'>): Promise<Float64Array> {
  return (await rolling(x, { ...optionsArg<RollingOptions>(opts, 'prep/rolling'), stats: ['zscore'] })).zscore!;
}
