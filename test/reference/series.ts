// Plain-TS oracles for the series kernels: direct, per-window computations with no running
// state, so they are slow (O(n * window)) and obviously right.

export interface RollingRefOptions {
  window: number;
  minPeriods: number;
  ddof: number;
}

export interface RollingRef {
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
  zscore: number[];
}

function validIn(x: ArrayLike<number>, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = Math.max(0, from); i <= to; i++) if (!Number.isNaN(x[i]!)) out.push(x[i]!);
  return out;
}

function meanStd(v: number[], ddof: number): [number, number] {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const ss = v.reduce((a, b) => a + (b - mean) ** 2, 0);
  return [mean, v.length - ddof > 0 ? Math.sqrt(ss / (v.length - ddof)) : NaN];
}

/** pandas-style rolling statistics, window by window; zscore against the previous window. */
export function rollingRef(x: ArrayLike<number>, o: RollingRefOptions): RollingRef {
  const r: RollingRef = { mean: [], std: [], min: [], max: [], zscore: [] };
  for (let t = 0; t < x.length; t++) {
    const v = validIn(x, t - o.window + 1, t);
    const ready = v.length >= o.minPeriods;
    const [mean, std] = ready ? meanStd(v, o.ddof) : [NaN, NaN];
    r.mean.push(mean);
    r.std.push(std);
    r.min.push(ready ? Math.min(...v) : NaN);
    r.max.push(ready ? Math.max(...v) : NaN);
    const prev = validIn(x, t - o.window, t - 1);
    let z = NaN;
    if (!Number.isNaN(x[t]!) && prev.length >= o.minPeriods && prev.length - o.ddof > 0) {
      const [pm, ps] = meanStd(prev, o.ddof);
      const d = x[t]! - pm;
      z = ps > 0 ? d / ps : d === 0 ? 0 : d * Infinity;
    }
    r.zscore.push(z);
  }
  return r;
}

/**
 * Exponentially weighted mean and variance from their closed forms over the valid samples
 * v_0..v_k seen so far: weights (1-a)^k on v_0 and a (1-a)^(k-j) on v_j; variance is the
 * weighted mean squared deviation about the weighted mean. z of a sample uses the state before it.
 */
export function ewmRef(x: ArrayLike<number>, alpha: number): { mean: number[]; std: number[]; zscore: number[] } {
  const seen: number[] = [];
  const mean: number[] = [];
  const std: number[] = [];
  const zscore: number[] = [];
  const stats = (): [number, number] => {
    const k = seen.length - 1;
    const w = seen.map((_, j) => (j === 0 ? (1 - alpha) ** k : alpha * (1 - alpha) ** (k - j)));
    const m = seen.reduce((a, v, j) => a + w[j]! * v, 0);
    const vr = seen.reduce((a, v, j) => a + w[j]! * (v - m) ** 2, 0);
    return [m, Math.sqrt(vr)];
  };
  for (let t = 0; t < x.length; t++) {
    const v = x[t]!;
    let z = NaN;
    if (!Number.isNaN(v)) {
      if (seen.length > 0) {
        const [m, s] = stats();
        const d = v - m;
        z = s > 0 ? d / s : d === 0 ? 0 : d * Infinity;
      }
      seen.push(v);
    }
    const [m, s] = seen.length ? stats() : [NaN, NaN];
    mean.push(m);
    std.push(s);
    zscore.push(z);
  }
  return { mean, std, zscore };
}

/** Frame f = x[f*hop .. f*hop+size), no padding. */
export function frameRef(x: ArrayLike<number>, size: number, hop: number): number[][] {
  const out: number[][] = [];
  for (let s = 0; s + size <= x.length; s += hop) out.push(Array.from({ length: size }, (_, i) => x[s + i]!));
  return out;
}

/** ONNX HannWindow / HammingWindow / BlackmanWindow. */
export function windowRef(kind: 'hann' | 'hamming' | 'blackman', size: number, periodic: boolean): number[] {
  const [a0, a1, a2] = kind === 'hann' ? [0.5, 0.5, 0] : kind === 'hamming' ? [25 / 46, 21 / 46, 0] : [0.42, 0.5, 0.08];
  const N = periodic ? size : size - 1;
  return Array.from({ length: size }, (_, n) => a0 - a1 * Math.cos((2 * Math.PI * n) / N) + a2 * Math.cos((4 * Math.PI * n) / N));
}
