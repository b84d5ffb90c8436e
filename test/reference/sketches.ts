// Plain-TS oracles for the stream sketches (assembly/stream/hll.ts, ddsketch.ts, spacesaving.ts):
// exact answers, computed the obvious way, that the sketches approximate.

/** Number of distinct values. */
export function exactDistinct(values: Iterable<number>): number {
  return new Set(values).size;
}

const MASK64 = (1n << 64n) - 1n;

/** assembly/common/hash.ts mix64 (MurmurHash3's 64-bit finaliser), on BigInts. */
export function mix64(x: bigint): bigint {
  x &= MASK64;
  x ^= x >> 33n;
  x = (x * 0xff51afd7ed558ccdn) & MASK64;
  x ^= x >> 33n;
  x = (x * 0xc4ceb9fe1a85ec53n) & MASK64;
  x ^= x >> 33n;
  return x;
}

/** assembly/common/hash.ts hashInt64(x, seed), on BigInts (x an integer, as i64). */
export function hashInt64(x: bigint, seed: bigint): bigint {
  return mix64((x & MASK64) ^ mix64((seed + 0x9e3779b97f4a7c15n) & MASK64));
}

/**
 * Distinct values among the top `bits` bits of each value's hashInt64(x, 0): what the HLL's sparse
 * mode can tell apart (it keeps 26 index bits per hash).
 */
export function distinctHashPrefixes(values: Iterable<number>, bits: number): number {
  const set = new Set<bigint>();
  for (const v of values) set.add(hashInt64(BigInt(v), 0n) >> BigInt(64 - bits));
  return set.size;
}

/**
 * The quantile DDSketch (and sketches-js) approximate: the value of 0-based rank
 * floor(q * (n - 1)) in ascending order, NaN values dropped. NaN if empty or q outside [0, 1].
 */
export function exactQuantile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0 || !(q >= 0 && q <= 1)) return NaN;
  return sorted[Math.floor(q * (sorted.length - 1))];
}

/**
 * DDSketch's answer computed without a sketch: each finite value's bin key (sketches-js
 * LogarithmicMapping; infinities stay infinite), the lowest keys of each sign collapsed into maxKey - binLimit + 1 when a
 * sign's keys span more than binLimit, then the bin value at rank floor(q * (n - 1)).
 */
export function binnedQuantile(values: readonly number[], q: number, alpha: number, binLimit: number): number {
  const gammaMantissa = (2 * alpha) / (1 - alpha);
  const gamma = 1 + gammaMantissa;
  const multiplier = (1 / Math.log1p(gammaMantissa)) * Math.log(2);
  const minPossible = Math.pow(2, -1023) * gamma;
  const key = (a: number) => Math.ceil(Math.log2(a) * multiplier);
  const value = (k: number) => Math.pow(2, k / multiplier) * (2 / (1 + gamma));
  const finite = values.filter(Number.isFinite);
  const pos = finite.filter((v) => v > minPossible).map(key);
  const neg = finite.filter((v) => v < -minPossible).map((v) => key(-v));
  const collapse = (keys: number[]) => {
    if (keys.length === 0) return keys;
    const hi = keys.reduce((a, b) => Math.max(a, b));
    const lo = keys.reduce((a, b) => Math.min(a, b));
    if (hi - lo + 1 <= binLimit) return keys;
    return keys.map((k) => Math.max(k, hi - binLimit + 1));
  };
  // Infinities are kept as they are, outside the bins.
  const signed = [
    ...values.filter((v) => v === Infinity || v === -Infinity),
    ...collapse(neg).map((k) => -value(k)),
    ...finite.filter((v) => Math.abs(v) <= minPossible).map(() => 0),
    ...collapse(pos).map(value),
  ].sort((a, b) => a - b);
  return exactQuantile(signed, q);
}

/** Exact total weight per item. */
export function exactCounts(items: readonly number[], weights?: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  items.forEach((x, i) => counts.set(x, (counts.get(x) ?? 0) + (weights ? weights[i] : 1)));
  return counts;
}

/** The k most frequent items with their exact counts: count descending, ties by item ascending. */
export function exactTopK(items: readonly number[], k: number): Array<[item: number, count: number]> {
  return [...exactCounts(items)].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
}
