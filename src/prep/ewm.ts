/**
 * Exponentially weighted moving mean, standard deviation and z-score (EWMA).
 *
 * The mean is pandas' `Series.ewm(alpha, adjust=False).mean()`: m[0] = x[0],
 * m[t] = (1 - alpha) m[t-1] + alpha x[t]. The variance is the matching exponentially weighted
 * variance about m[t] in its incremental form (West 1979, Finch 2009):
 * v[t] = (1 - alpha) (v[t-1] + alpha (x[t] - m[t-1])^2), v[0] = 0 — with weights
 * (1-alpha)^t on x[0] and alpha (1-alpha)^(t-i) on x[i], it equals sum_i w_i (x[i] - m[t])^2
 * (no bias correction, unlike pandas' `ewm().std()`). NaN samples are skipped: outputs repeat the
 * previous values and their z-score is NaN.
 *
 * `zscore[t]` = (x[t] - m[t-1]) / sqrt(v[t-1]), the sample against the statistics before it.
 * Outputs are NaN until `minPeriods` valid samples have been seen (for z: before the sample).
 * Complexity O(1) per sample, 32 bytes of state.
 */
import { WeirError } from '../runtime/errors.js';
import type { Kernel } from '../runtime/kernel.js';
import { getPrepKernel, type PrepExports } from './kernel.js';
import { CHUNK, checkSeries, intArg, numArg, optionsArg, type NumericSeries } from './series-args.js';
import { sliceOf } from './rolling.js';

export type EwmStat = 'mean' | 'std' | 'zscore';

export interface EwmOptions {
  /** Smoothing factor in (0, 1]. Give exactly one of alpha, span, halflife. */
  alpha?: number;
  /** span >= 1: alpha = 2 / (span + 1). */
  span?: number;
  /** halflife > 0 (in samples): alpha = 1 - exp(-ln 2 / halflife). */
  halflife?: number;
  /** Valid samples needed before outputs are defined (pandas `min_periods`); default 1. */
  minPeriods?: number;
  /** What to compute; default `['mean', 'std']`. */
  stats?: readonly EwmStat[];
}

/** One Float64Array (a copy) per requested statistic, as long as the input. */
export interface EwmResult {
  mean?: Float64Array;
  std?: Float64Array;
  zscore?: Float64Array;
}

const STATS: readonly EwmStat[] = ['mean', 'std', 'zscore'];

/** The alpha that `opts` (exactly one of alpha, span, halflife) stands for. */
export function ewmAlpha(opts: Pick<EwmOptions, 'alpha' | 'span' | 'halflife'>): number {
  const given = (['alpha', 'span', 'halflife'] as const).filter((k) => opts[k] !== undefined);
  if (given.length !== 1) {
    throw new WeirError('E_ARG', `prep/ewm: give exactly one of alpha, span, halflife (got ${given.length ? given.join(', ') : 'none'})`);
  }
  if (opts.alpha !== undefined) return numArg(opts.alpha, 'prep/ewm: alpha', 0, 1);
  if (opts.span !== undefined) return 2 / (numArg(opts.span, 'prep/ewm: span', 1, Number.MAX_VALUE, true) + 1);
  return 1 - Math.exp(-Math.LN2 / numArg(opts.halflife, 'prep/ewm: halflife', 0, Number.MAX_VALUE));
}

/**
 * An EWMA that carries its state across `push` calls (chunks give exactly the outputs of one
 * call). Holds 32 bytes of wasm memory until {@link EwmStats.dispose}.
 *
 * @example
 * const e = await EwmStats.create({ span: 30, stats: ['mean', 'zscore'] });
 * const { zscore } = e.push(latencyMs);
 */
export class EwmStats {
  readonly alpha: number;
  readonly minPeriods: number;
  readonly stats: readonly EwmStat[];
  private state: number;

  private constructor(private readonly kernel: Kernel<PrepExports>, alpha: number, minPeriods: number, stats: EwmStat[]) {
    this.alpha = alpha;
    this.minPeriods = minPeriods;
    this.stats = Object.freeze(stats);
    this.state = kernel.alloc(kernel.exports.ewm_state_bytes() >>> 0);
    this.reset();
  }

  static async create(opts: EwmOptions): Promise<EwmStats> {
    const o = optionsArg<EwmOptions>(opts, 'prep/ewm');
    const alpha = ewmAlpha(o);
    const minPeriods = o.minPeriods === undefined ? 1 : intArg(o.minPeriods, 'prep/ewm: minPeriods', 1, 2 ** 31 - 1);
    const stats = o.stats ?? ['mean', 'std'];
    if (!Array.isArray(stats) || stats.length === 0 || !stats.every((s) => (STATS as readonly unknown[]).includes(s))) {
      throw new WeirError('E_ARG', `prep/ewm: stats must be a non-empty array of 'mean', 'std', 'zscore', got ${JSON.stringify(stats)}`);
    }
    return new EwmStats(await getPrepKernel(), alpha, minPeriods, [...new Set(stats)] as EwmStat[]);
  }

  reset(): void {
    this.assertLive();
    this.kernel.exports.ewm_init(this.state, this.alpha, this.minPeriods);
  }

  /** Pushes samples; returns the requested statistics for each (copies). O(n). */
  push(x: NumericSeries): EwmResult {
    this.assertLive();
    checkSeries(x, 'prep/ewm: x');
    const n = x.length;
    const out: EwmResult = {};
    for (const s of this.stats) out[s] = new Float64Array(n);
    if (n === 0) return out;
    const k = this.kernel;
    const chunk = Math.min(n, CHUNK);
    k.scoped((alloc) => {
      const input = alloc(chunk * 8);
      const ptr: Record<EwmStat, number> = { mean: 0, std: 0, zscore: 0 };
      for (const s of this.stats) ptr[s] = alloc(chunk * 8);
      for (let start = 0; start < n; start += chunk) {
        const len = Math.min(chunk, n - start);
        k.view(Float64Array, input, len).set(sliceOf(x, start, start + len));
        k.exports.ewm_push(this.state, input, len, ptr.mean, ptr.std, ptr.zscore);
        for (const s of this.stats) out[s]!.set(k.view(Float64Array, ptr[s], len), start);
      }
    });
    return out;
  }

  dispose(): void {
    if (this.state) {
      this.kernel.free(this.state);
      this.state = 0;
    }
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  private assertLive(): void {
    if (!this.state) throw new WeirError('E_STATE', 'prep/ewm: this EwmStats was disposed');
  }
}

/**
 * EW statistics of a whole series (see {@link EwmStats}).
 *
 * @example
 * const { mean } = await ewm(prices, { halflife: 20, stats: ['mean'] });
 */
export async function ewm(x: NumericSeries, opts: EwmOptions): Promise<EwmResult> {
  checkSeries(x, 'prep/ewm: x');
  const e = await EwmStats.create(opts);
  try {
    return e.push(x);
  } finally {
    e.dispose();
  }
}
