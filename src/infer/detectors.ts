/**
 * Anomaly detectors with one interface: `fit(normal)` learns from data known to be normal (and,
 * with `targetFpr`, sets the threshold so that at most that fraction of the normal scores exceed
 * it), `score(batch)` gives one score per item (higher = more anomalous, NaN = cannot tell yet),
 * and `detect(batch)` returns the indices whose score exceeds the threshold.
 *
 * - {@link ZScoreDetector}: |z| of each sample, against the rolling window before it or, without
 *   a window, against the mean and std of the normal data.
 * - {@link EwmaDetector}: |z| against the exponentially weighted mean and std before the sample.
 * - {@link AutoencoderDetector}: mean squared reconstruction error of each row under an ONNX
 *   autoencoder.
 *
 * Scores are computed by the prep kernels (series) or by the model; taking |z| and comparing
 * with the threshold are plain loops over the returned array.
 */
import { WeirError } from '../runtime/errors.js';
import { getPrepKernel } from '../prep/kernel.js';
import { RollingStats, sliceOf } from '../prep/rolling.js';
import { EwmStats, ewmAlpha } from '../prep/ewm.js';
import { CHUNK, checkSeries, intArg, type NumericSeries } from '../prep/series-args.js';
import { checkTensor, type Tensor } from '../prep/tensor.js';
import type { Model } from './model.js';

/** What every detector implements. `B` is what it scores: a series or a batch of rows. */
export interface AnomalyDetector<B> {
  /** Scores above this are anomalies. */
  threshold: number;
  /** Learns from normal data; with `targetFpr` set, also sets {@link AnomalyDetector.threshold}. */
  fit(normal: B): Promise<this>;
  /** One score per item (a new array); NaN where the detector cannot score yet (warm-up). */
  score(batch: B): Promise<Float64Array>;
  /** Indices (ascending) of items whose score exceeds the threshold. */
  detect(batch: B): Promise<number[]>;
}

export interface DetectorOptions {
  /** Fixed threshold on the score; default 3 for z-scores. Replaced by fit() when targetFpr is set. */
  threshold?: number;
  /** If set, fit() picks the threshold so that at most this fraction (0..1) of normal scores exceed it. */
  targetFpr?: number;
}

/** Which deviations count: both directions (|z|, default), only above (z) or only below (-z). */
export type Side = 'both' | 'upper' | 'lower';

/**
 * The smallest threshold t among the scores such that the fraction of (non-NaN) normal scores
 * strictly above t is at most `fpr`: the ceil((1 - fpr) n)-th smallest score. O(n log n).
 *
 * @example
 * thresholdForFpr(scoresOfNormalData, 0.01) // 1% of normal data would be flagged
 */
export function thresholdForFpr(normalScores: Float64Array, fpr: number): number {
  if (typeof fpr !== 'number' || !(fpr >= 0 && fpr < 1)) throw new WeirError('E_ARG', `infer/detectors: targetFpr must be in [0, 1), got ${String(fpr)}`);
  const finite = normalScores.filter((s) => !Number.isNaN(s)).sort();
  if (finite.length === 0) throw new WeirError('E_ARG', 'infer/detectors: the normal data gave no scores (too short for the window?)');
  const k = Math.max(1, Math.ceil((1 - fpr) * finite.length));
  return finite[k - 1]!;
}

function checkOptions(o: DetectorOptions, dflt: number | undefined, what: string): { threshold: number; targetFpr?: number } {
  if (typeof o !== 'object' || o === null) throw new WeirError('E_ARG', `${what}: options must be an object`);
  const threshold = o.threshold ?? dflt;
  if (o.targetFpr !== undefined && (typeof o.targetFpr !== 'number' || !(o.targetFpr >= 0 && o.targetFpr < 1))) {
    throw new WeirError('E_ARG', `${what}: targetFpr must be in [0, 1), got ${String(o.targetFpr)}`);
  }
  if (threshold === undefined && o.targetFpr === undefined) throw new WeirError('E_ARG', `${what}: give a threshold or a targetFpr`);
  if (threshold !== undefined && (typeof threshold !== 'number' || Number.isNaN(threshold))) {
    throw new WeirError('E_ARG', `${what}: threshold must be a number, got ${String(threshold)}`);
  }
  return { threshold: threshold ?? Infinity, targetFpr: o.targetFpr };
}

function sided(z: Float64Array, side: Side): Float64Array {
  if (side === 'upper') return z;
  for (let i = 0; i < z.length; i++) z[i] = side === 'both' ? Math.abs(z[i]!) : -z[i]!;
  return z;
}

function above(scores: Float64Array, t: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > t) out.push(i);
  return out;
}

function checkSide(side: unknown, what: string): Side {
  if (side === undefined) return 'both';
  if (side !== 'both' && side !== 'upper' && side !== 'lower') throw new WeirError('E_ARG', `${what}: side must be 'both', 'upper' or 'lower', got ${JSON.stringify(side)}`);
  return side;
}

export interface ZScoreOptions extends DetectorOptions {
  /**
   * Score each sample against the `window` samples before it (rolling z). Without a window,
   * against the mean and std of the data given to fit().
   */
  window?: number;
  /** Valid samples the rolling window needs before scoring; default `window`. */
  minPeriods?: number;
  side?: Side;
}

/**
 * z-score detector on a series. Each `score` call starts a fresh window (the first `minPeriods`
 * samples score NaN), so scoring is the same whatever came before.
 *
 * @example
 * const det = new ZScoreDetector({ window: 60, threshold: 4 });
 * const anomalousMinutes = await det.detect(requestsPerMinute);
 */
export class ZScoreDetector implements AnomalyDetector<NumericSeries> {
  threshold: number;
  readonly targetFpr?: number;
  readonly window?: number;
  readonly minPeriods?: number;
  readonly side: Side;
  /** Mean and std learned by fit() (no-window mode). */
  fitted?: { mean: number; std: number };

  constructor(opts: ZScoreOptions = {}) {
    const { threshold, targetFpr } = checkOptions(opts, 3, 'infer/ZScoreDetector');
    this.threshold = threshold;
    this.targetFpr = targetFpr;
    this.side = checkSide(opts.side, 'infer/ZScoreDetector');
    if (opts.window !== undefined) {
      this.window = intArg(opts.window, 'infer/ZScoreDetector: window', 2, 1 << 26);
      this.minPeriods = opts.minPeriods === undefined ? this.window : intArg(opts.minPeriods, 'infer/ZScoreDetector: minPeriods', 2, this.window);
    } else if (opts.minPeriods !== undefined) {
      throw new WeirError('E_ARG', 'infer/ZScoreDetector: minPeriods needs a window');
    }
  }

  async fit(normal: NumericSeries): Promise<this> {
    checkSeries(normal, 'infer/ZScoreDetector: normal');
    if (this.window === undefined) {
      const k = await getPrepKernel();
      this.fitted = k.scoped((alloc) => {
        const x = alloc(normal.length * 8 + 8);
        k.view(Float64Array, x, normal.length).set(normal);
        const out = alloc(24);
        k.exports.series_moments(x, normal.length, out);
        const [count, mean, m2] = k.view(Float64Array, out, 3);
        if (!(count! >= 2)) throw new WeirError('E_ARG', `infer/ZScoreDetector: fit needs at least 2 valid samples, got ${count}`);
        return { mean: mean!, std: Math.sqrt(m2! / (count! - 1)) };
      });
    }
    if (this.targetFpr !== undefined) this.threshold = thresholdForFpr(await this.score(normal), this.targetFpr);
    return this;
  }

  async score(batch: NumericSeries): Promise<Float64Array> {
    checkSeries(batch, 'infer/ZScoreDetector: batch');
    if (this.window !== undefined) {
      const r = await RollingStats.create({ window: this.window, minPeriods: this.minPeriods, stats: ['zscore'] });
      try {
        return sided(r.push(batch).zscore!, this.side);
      } finally {
        r.dispose();
      }
    }
    if (!this.fitted) throw new WeirError('E_STATE', 'infer/ZScoreDetector: without a window, call fit(normal) before score()');
    const { mean, std } = this.fitted;
    const k = await getPrepKernel();
    const n = batch.length;
    const out = new Float64Array(n);
    if (n === 0) return out;
    const chunk = Math.min(n, CHUNK);
    k.scoped((alloc) => {
      const x = alloc(chunk * 8);
      const z = alloc(chunk * 8);
      for (let s = 0; s < n; s += chunk) {
        const len = Math.min(chunk, n - s);
        k.view(Float64Array, x, len).set(sliceOf(batch, s, s + len));
        k.exports.zscore_fixed(x, len, mean, std, z);
        out.set(k.view(Float64Array, z, len), s);
      }
    });
    return sided(out, this.side);
  }

  async detect(batch: NumericSeries): Promise<number[]> {
    return above(await this.score(batch), this.threshold);
  }
}

export interface EwmaOptions extends DetectorOptions {
  alpha?: number;
  span?: number;
  halflife?: number;
  /** Valid samples seen before scoring starts; default ceil(2 / alpha) (the EW std is unreliable before). */
  minPeriods?: number;
  side?: Side;
}

/**
 * EWMA z-score detector: |x - m| / s with the exponentially weighted mean m and std s of the
 * samples before it. Each `score` call starts fresh.
 *
 * @example
 * const det = new EwmaDetector({ span: 30, targetFpr: 0.001 });
 * await det.fit(lastWeek);
 * const flagged = await det.detect(today);
 */
export class EwmaDetector implements AnomalyDetector<NumericSeries> {
  threshold: number;
  readonly targetFpr?: number;
  readonly alpha: number;
  readonly minPeriods: number;
  readonly side: Side;

  constructor(opts: EwmaOptions) {
    const { threshold, targetFpr } = checkOptions(opts, 3, 'infer/EwmaDetector');
    this.threshold = threshold;
    this.targetFpr = targetFpr;
    this.alpha = ewmAlpha(opts);
    this.minPeriods = opts.minPeriods === undefined ? Math.ceil(2 / this.alpha) : intArg(opts.minPeriods, 'infer/EwmaDetector: minPeriods', 1, 2 ** 31 - 1);
    this.side = checkSide(opts.side, 'infer/EwmaDetector');
  }

  async fit(normal: NumericSeries): Promise<this> {
    checkSeries(normal, 'infer/EwmaDetector: normal');
    if (this.targetFpr !== undefined) this.threshold = thresholdForFpr(await this.score(normal), this.targetFpr);
    return this;
  }

  async score(batch: NumericSeries): Promise<Float64Array> {
    checkSeries(batch, 'infer/EwmaDetector: batch');
    const e = await EwmStats.create({ alpha: this.alpha, minPeriods: this.minPeriods, stats: ['zscore'] });
    try {
      return sided(e.push(batch).zscore!, this.side);
    } finally {
      e.dispose();
    }
  }

  async detect(batch: NumericSeries): Promise<number[]> {
    return above(await this.score(batch), this.threshold);
  }
}

export interface AutoencoderOptions extends DetectorOptions {
  /** The model input the rows feed; default its only input. */
  input?: string;
  /** The output holding the reconstruction; default the model's first output. */
  output?: string;
  /** Rows per model run; see Model.runBatch. */
  batchSize?: number;
}

/**
 * Reconstruction-error detector: score = mean over features of (x - model(x))^2, per row of a
 * float32 batch [rows, ...features]. fit(normal) sets the threshold from `targetFpr` (required
 * unless a threshold is given).
 *
 * @example
 * const det = new AutoencoderDetector(await Model.load('ae.onnx'), { targetFpr: 0.01 });
 * await det.fit(normalRows);
 * const bad = await det.detect(rows);
 */
export class AutoencoderDetector implements AnomalyDetector<Tensor> {
  threshold: number;
  readonly targetFpr?: number;

  constructor(readonly model: Model, private readonly opts: AutoencoderOptions = {}) {
    const { threshold, targetFpr } = checkOptions(opts, undefined, 'infer/AutoencoderDetector');
    this.threshold = threshold;
    this.targetFpr = targetFpr;
    const out = opts.output ?? model.outputs[0]?.name;
    if (!model.outputs.some((o) => o.name === out)) {
      throw new WeirError('E_MODEL', `infer/AutoencoderDetector: the model has no output ${JSON.stringify(out)}; it has ${model.outputs.map((o) => o.name).join(', ')}`);
    }
  }

  async fit(normal: Tensor): Promise<this> {
    if (this.targetFpr !== undefined) this.threshold = thresholdForFpr(await this.score(normal), this.targetFpr);
    return this;
  }

  async score(batch: Tensor): Promise<Float64Array> {
    checkTensor(batch, 'infer/AutoencoderDetector: batch');
    if (batch.dtype !== 'float32' || batch.dims.length < 2) {
      throw new WeirError('E_SHAPE', `infer/AutoencoderDetector: batch must be float32 [rows, ...features], got ${batch.dtype} [${batch.dims.join(', ')}]`);
    }
    const outName = this.opts.output ?? this.model.outputs[0]!.name;
    const out = (await this.model.runBatch(batch, { batchSize: this.opts.batchSize, input: this.opts.input }))[outName]!;
    if (out.data.length !== batch.data.length) {
      throw new WeirError('E_SHAPE', `infer/AutoencoderDetector: reconstruction '${outName}' has shape [${out.dims.join(', ')}], the batch [${batch.dims.join(', ')}]`);
    }
    const rows = batch.dims[0]!;
    const width = batch.data.length / Math.max(rows, 1);
    const x = batch.data as Float32Array;
    const y = out.data as Float32Array;
    const scores = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = r * width; j < (r + 1) * width; j++) s += (x[j]! - y[j]!) ** 2;
      scores[r] = s / width;
    }
    return scores;
  }

  async detect(batch: Tensor): Promise<number[]> {
    return above(await this.score(batch), this.threshold);
  }
}
