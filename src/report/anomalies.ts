/**
 * Anomalous minutes: traffic far above its usual level (a spike) and purchases far below it
 * (a checkout outage), flagged by weir/infer's z-score detector.
 *
 * Traffic has a daily rhythm, so each minute is first compared with its surroundings: the
 * baseline is the median of the `baselineMinutes` around it (a median, so a spike or outage
 * shorter than half the window does not drag it along), and the residual is taken after
 * Anscombe's square-root transform, 2(√(x + 3/8) − √(baseline + 3/8)), which gives Poisson-like
 * counts the same spread whatever their level: quiet nights and busy afternoons on one scale,
 * and a minute with no purchases where 17 are usual stands out as it should (z ≈ −7, not −4).
 *
 * The ZScoreDetector learns the residuals' mean and spread from normal minutes — first the
 * middle 90 %, then every minute it did not flag, until the flags stop changing — and flags
 * minutes more than `threshold` standard deviations out on the metric's side. The first and
 * last minute are not scored: a file usually starts and ends part-way through one.
 */
import { ZScoreDetector } from '../infer/index.js';
import type { Anomalies, AnomalySeries, Traffic } from './types.js';

export const ANOMALY_DEFAULTS = Object.freeze({
  /** Minutes in the rolling-median baseline (odd: centred on the minute). */
  baselineMinutes: 61,
  /** z beyond which a minute is anomalous: a week has 10 080 minutes, so 3 sigma would flag dozens of normal ones. */
  threshold: 5,
  /** Fit/flag rounds at most. */
  rounds: 5,
});

const MINUTE = 60_000;

export async function detectAnomalies(traffic: Traffic, options: Partial<typeof ANOMALY_DEFAULTS> = {}): Promise<Anomalies> {
  const o = { ...ANOMALY_DEFAULTS, ...options };
  const m = traffic.perMinute;
  const series: AnomalySeries[] = [
    await flag('traffic', 'upper', m.total, m.start, o),
    await flag('purchases', 'lower', m.purchase, m.start, o),
  ];
  return { detector: `weir/infer ZScoreDetector on 2(√(count + 3/8) − √(rolling median + 3/8)), fitted on unflagged minutes`, threshold: o.threshold, baselineMinutes: o.baselineMinutes, series };
}

async function flag(metric: AnomalySeries['metric'], side: AnomalySeries['side'], x: readonly number[], start: number, o: typeof ANOMALY_DEFAULTS): Promise<AnomalySeries> {
  const n = x.length;
  const base = rollingMedian(x, o.baselineMinutes);
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) residual[i] = 2 * (Math.sqrt(x[i] + 0.375) - Math.sqrt(base[i] + 0.375));
  // Edge minutes are usually partial: not scored, and not used to fit.
  const scored = n > 2 ? residual.subarray(1, n - 1) : new Float64Array(0);
  let flagged: number[] = [];
  let z: Float64Array = new Float64Array(scored.length);
  if (scored.length >= 10) {
    const detector = new ZScoreDetector({ threshold: o.threshold, side });
    // The first fit uses the middle 90 % of residuals, so that a long anomaly cannot widen the
    // spread enough to hide itself; later fits use every minute not flagged.
    const sorted = Float64Array.from(scored).sort();
    const lo = sorted[Math.floor(0.05 * (sorted.length - 1))];
    const hi = sorted[Math.ceil(0.95 * (sorted.length - 1))];
    let normal = scored.filter((r) => r >= lo && r <= hi);
    for (let round = 0; round < o.rounds; round++) {
      await detector.fit(normal);
      if (!(detector.fitted!.std > 0)) break;
      const next = await detector.detect(scored);
      z = await detector.score(scored);
      const same = round > 0 && next.length === flagged.length && next.every((v, i) => v === flagged[i]);
      flagged = next;
      if (same) break;
      const skip = new Set(flagged);
      normal = scored.filter((_, i) => !skip.has(i));
    }
  }
  const minutes = flagged.map((i) => i + 1);
  const scores = flagged.map((i) => z[i]);
  return { metric, side, minutes: minutes.map((i) => start + i * MINUTE), periods: periods(minutes, scores, x, base, start) };
}

/** Runs of consecutive flagged minutes, each with its most extreme minute. */
function periods(minutes: number[], scores: number[], x: readonly number[], base: Float64Array, start: number): AnomalySeries['periods'] {
  const out: AnomalySeries['periods'] = [];
  for (let i = 0; i < minutes.length; ) {
    let j = i;
    while (j + 1 < minutes.length && minutes[j + 1] === minutes[j] + 1) j++;
    let peak = i;
    for (let k = i; k <= j; k++) if (scores[k] > scores[peak]) peak = k;
    out.push({
      start: start + minutes[i] * MINUTE,
      end: start + (minutes[j] + 1) * MINUTE,
      minutes: j - i + 1,
      peakScore: scores[peak],
      value: x[minutes[peak]],
      baseline: base[minutes[peak]],
    });
    i = j + 1;
  }
  return out;
}

/** Median of the `w` values centred on each index (the window shrinks at the ends). O(n w log w). */
export function rollingMedian(x: readonly number[], w: number): Float64Array {
  const n = x.length;
  const half = Math.floor(w / 2);
  const out = new Float64Array(n);
  const buf = new Float64Array(w);
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n, i + half + 1);
    const win = buf.subarray(0, hi - lo);
    for (let k = lo; k < hi; k++) win[k - lo] = x[k];
    win.sort();
    const mid = win.length >> 1;
    out[i] = win.length % 2 ? win[mid] : (win[mid - 1] + win[mid]) / 2;
  }
  return out;
}
