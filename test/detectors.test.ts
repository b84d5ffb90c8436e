import { afterAll, describe, expect, it } from 'vitest';
import { ZScoreDetector, EwmaDetector, AutoencoderDetector, Model, thresholdForFpr } from '../dist/infer/index.js';
import { rollingZScore } from '../dist/prep/index.js';
import { WeirError } from '../dist/index.js';
import { buildModel } from './helpers/onnx-model.js';
import { rng } from './helpers/random.js';

// Synthetic data with known labels, from a seeded generator so every run sees the same series.

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * A week of per-minute request counts: a daily cycle, Poisson-like noise, and `count` injected
 * anomalies (spikes to 1.8x and drops to 0.2x the expected rate), at least `gap` minutes apart.
 */
function trafficWeek(seed: number, count: number, gap: number): { x: Float64Array; labels: Set<number> } {
  const r = rng(seed);
  const n = 7 * 1440;
  const x = new Float64Array(n);
  const rate = (t: number) => 300 + 150 * Math.sin((2 * Math.PI * t) / 1440);
  for (let t = 0; t < n; t++) x[t] = Math.max(0, Math.round(rate(t) + Math.sqrt(rate(t)) * gauss(r)));
  const labels = new Set<number>();
  while (labels.size < count) {
    const t = 200 + Math.floor(r() * (n - 400));
    if ([...labels].some((u) => Math.abs(u - t) < gap)) continue;
    labels.add(t);
    x[t] = Math.round(rate(t) * (r() < 0.5 ? 1.8 : 0.2));
  }
  return { x, labels };
}

function precisionRecall(found: number[], labels: Set<number>): { precision: number; recall: number } {
  const tp = found.filter((i) => labels.has(i)).length;
  return { precision: found.length ? tp / found.length : 0, recall: tp / labels.size };
}

const fmt = (m: { precision: number; recall: number }) => `precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}`;

// Detectors run at collection time so their precision and recall can be in the test names.
const week = trafficWeek(1, 40, 180);
const zRolling = precisionRecall(await new ZScoreDetector({ window: 60, threshold: 5 }).detect(week.x), week.labels);
const ewma = precisionRecall(await new EwmaDetector({ span: 60, threshold: 5 }).detect(week.x), week.labels);

// A stationary sensor sampled each second: fit the global z-score detector on a clean day,
// detect in a labelled hour.
function sensor(seed: number, length: number, anomalies: number): { x: Float64Array; labels: Set<number> } {
  const r = rng(seed);
  const x = Float64Array.from({ length }, () => 20 + 0.5 * gauss(r));
  const labels = new Set<number>();
  while (labels.size < anomalies) {
    const t = Math.floor(r() * x.length);
    labels.add(t);
    x[t] = 20 + (r() < 0.5 ? 1 : -1) * (3 + 2 * r());
  }
  return { x, labels };
}
const globalDet = new ZScoreDetector({ targetFpr: 0.0002 });
await globalDet.fit(sensor(2, 86_400, 0).x);
const sensorTest = sensor(3, 3600, 25);
const zGlobal = precisionRecall(await globalDet.detect(sensorTest.x), sensorTest.labels);

// Autoencoder: normal rows lie near a 3-dimensional subspace of R^16; anomalies leave it.
const F = 16;
const LATENT = 3;
function basis(seed: number): Float64Array[] {
  const r = rng(seed);
  const cols: Float64Array[] = [];
  while (cols.length < LATENT) {
    const v = Float64Array.from({ length: F }, () => gauss(r));
    for (const c of cols) {
      const d = v.reduce((a, x, i) => a + x * c[i]!, 0);
      for (let i = 0; i < F; i++) v[i] -= d * c[i]!;
    }
    const norm = Math.hypot(...v);
    cols.push(v.map((x) => x / norm));
  }
  return cols;
}
const B = basis(4);
function rows(seed: number, n: number, anomalous: Set<number>): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n * F);
  for (let i = 0; i < n; i++) {
    const z = [gauss(r) * 2, gauss(r) * 2, gauss(r) * 2];
    for (let j = 0; j < F; j++) out[i * F + j] = B.reduce((a, c, k) => a + c[j]! * z[k]!, 0) + 0.05 * gauss(r);
    if (anomalous.has(i)) for (let j = 0; j < F; j++) out[i * F + j] += 0.6 * gauss(r);
  }
  return out;
}
// Encoder x . B ([F, LATENT]) and decoder h . B^T: the projection onto the normal subspace.
const enc = new Float32Array(F * LATENT);
const dec = new Float32Array(LATENT * F);
for (let j = 0; j < F; j++) for (let k = 0; k < LATENT; k++) { enc[j * LATENT + k] = B[k]![j]!; dec[k * F + j] = B[k]![j]!; }
const aeBytes = buildModel({
  nodes: [
    { opType: 'MatMul', inputs: ['x', 'enc'], outputs: ['h'] },
    { opType: 'MatMul', inputs: ['h', 'dec'], outputs: ['recon'] },
  ],
  inputs: [{ name: 'x', dtype: 'float32', dims: ['N', F] }],
  outputs: [{ name: 'recon', dtype: 'float32', dims: ['N', F] }],
  initializers: [
    { name: 'enc', dtype: 'float32', dims: [F, LATENT], data: enc },
    { name: 'dec', dtype: 'float32', dims: [LATENT, F], data: dec },
  ],
});
const ae = await Model.load(aeBytes);
const aeDet = new AutoencoderDetector(ae, { targetFpr: 0.002, batchSize: 500 });
await aeDet.fit({ dtype: 'float32', dims: [2000, F], data: rows(5, 2000, new Set()) });
const aeLabels = new Set(Array.from({ length: 40 }, (_, i) => i * 37 + 11));
const aeAll = await aeDet.detect({ dtype: 'float32', dims: [2000, F], data: rows(6, 2000, aeLabels) });
const aeMetrics = precisionRecall(aeAll, aeLabels);
afterAll(() => ae.dispose());

describe('infer/detectors on synthetic series with injected anomalies', () => {
  it(`rolling z-score (window 60, threshold 5) on a week of per-minute traffic: ${fmt(zRolling)}`, () => {
    expect(zRolling.precision).toBeGreaterThanOrEqual(0.9);
    expect(zRolling.recall).toBeGreaterThanOrEqual(0.9);
  });

  it(`EWMA z-score (span 60, threshold 5) on the same week: ${fmt(ewma)}`, () => {
    expect(ewma.precision).toBeGreaterThanOrEqual(0.9);
    expect(ewma.recall).toBeGreaterThanOrEqual(0.85);
  });

  it(`global z-score fitted on a clean day (targetFpr 0.0002), on a labelled hour of a sensor: ${fmt(zGlobal)}`, () => {
    expect(zGlobal.precision).toBeGreaterThanOrEqual(0.85);
    expect(zGlobal.recall).toBeGreaterThanOrEqual(0.9);
  });

  it(`autoencoder reconstruction error (targetFpr 0.002) on 2000 rows, 40 anomalous: ${fmt(aeMetrics)}`, () => {
    expect(aeMetrics.precision).toBeGreaterThanOrEqual(0.8);
    expect(aeMetrics.recall).toBeGreaterThanOrEqual(0.95);
  });
});

describe('infer/detectors: thresholds and interface', () => {
  it('threshold from a target false-positive rate holds on fresh normal data', async () => {
    const det = new EwmaDetector({ span: 60, targetFpr: 0.01 });
    await det.fit(trafficWeek(10, 0, 1).x);
    const fresh = await det.score(trafficWeek(11, 0, 1).x);
    const valid = fresh.filter((s) => !Number.isNaN(s));
    const fpr = valid.filter((s) => s > det.threshold).length / valid.length;
    expect(fpr).toBeGreaterThan(0.002);
    expect(fpr).toBeLessThan(0.02);
  });

  it('thresholdForFpr flags at most that fraction of the normal scores', () => {
    const scores = Float64Array.from({ length: 1000 }, (_, i) => i);
    expect(thresholdForFpr(scores, 0.01)).toBe(989);
    expect(scores.filter((s) => s > 989).length).toBe(10);
    expect(thresholdForFpr(Float64Array.of(NaN, 5, NaN, 1), 0)).toBe(5);
    expect(() => thresholdForFpr(Float64Array.of(NaN), 0.1)).toThrow(WeirError);
    expect(() => thresholdForFpr(scores, 1)).toThrow(/targetFpr/);
  });

  it('rolling z-score scores are |z| of the window before each sample, NaN while warming up', async () => {
    const x = trafficWeek(12, 5, 100).x;
    const s = await new ZScoreDetector({ window: 30 }).score(x);
    const z = await rollingZScore(x, { window: 30 });
    expect(Array.from(s)).toEqual(Array.from(z, Math.abs));
    expect(s[29]).toBeNaN();
    const upper = await new ZScoreDetector({ window: 30, side: 'upper' }).score(x);
    expect(Array.from(upper)).toEqual(Array.from(z));
  });

  it('detect returns ascending indices of scores above the threshold', async () => {
    const x = new Float64Array(500).map((_, i) => Math.sin(i / 3));
    x[300] = 50;
    x[400] = -50;
    expect(await new ZScoreDetector({ window: 50, threshold: 6 }).detect(x)).toEqual([300, 400]);
    expect(await new ZScoreDetector({ window: 50, threshold: 6, side: 'upper' }).detect(x)).toEqual([300]);
  });

  it('rejects bad options and misuse with WeirError', async () => {
    expect(() => new ZScoreDetector({ window: 1 })).toThrow(/window/);
    expect(() => new ZScoreDetector({ minPeriods: 3 })).toThrow(/needs a window/);
    expect(() => new ZScoreDetector({ targetFpr: 2 })).toThrow(/targetFpr/);
    expect(() => new EwmaDetector({})).toThrow(/alpha, span, halflife/);
    await expect(new ZScoreDetector().score([1, 2, 3])).rejects.toMatchObject({ code: 'E_STATE' });
    await expect(new ZScoreDetector().fit([1])).rejects.toMatchObject({ code: 'E_ARG' });
    expect(() => new AutoencoderDetector(ae, { threshold: 1, output: 'nope' })).toThrow(/no output "nope"/);
    await expect(aeDet.score({ dtype: 'float32', dims: [2, F + 1], data: new Float32Array(2 * (F + 1)) })).rejects.toMatchObject({ code: 'E_SHAPE' });
  });
});
