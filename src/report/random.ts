/**
 * Seeded sampling for the built-in dataset: a small PRNG and the draws the generator needs
 * (exponential, normal, from a cumulative weight table). Seeded, so the dataset is the same on
 * every platform for a seed; no Math.random anywhere.
 */

/** A seeded source of uniform floats in [0, 1) (sfc32: 128 bits of state, fast in V8's int32 paths). */
export interface Random {
  (): number;
  /** An integer in [0, n). */
  below(n: number): number;
  /** Exponential with the given mean. */
  exp(mean: number): number;
  /** Standard normal (Box–Muller, one value per call). */
  normal(): number;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator) seeded from one integer through
 * splitmix32, so nearby seeds give unrelated streams.
 *
 * @example
 * const r = random(42); r(); r.below(10); r.exp(45_000);
 */
export function random(seed: number): Random {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = (() => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  }) as Random;
  for (let i = 0; i < 12; i++) next();
  next.below = (n) => Math.floor(next() * n);
  next.exp = (mean) => -Math.log(1 - next()) * mean;
  next.normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return next;
}

/** Running sums of `weights` (a cumulative table for {@link pick}). */
export function cumulative(weights: ArrayLike<number>): Float64Array {
  const cum = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) cum[i] = s += weights[i];
  return cum;
}

/** An index drawn with probability proportional to its weight, by binary search of `cum`. O(log n). */
export function pick(cum: Float64Array, r: Random): number {
  const x = r() * cum[cum.length - 1];
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A seeded permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, r: Random): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = r.below(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
