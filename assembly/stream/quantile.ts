// Quantile state: exact for small windows, DDSketch beyond. Most (window, key) pairs of a
// real stream hold a handful of values; a DDSketch for them costs a bin array spanning the
// values' range (hundreds of bins for prices from 1 to 100). So a state first keeps up to SMALL
// raw values and answers exactly (the value at rank floor(q·(n−1))), and turns into a DDSketch
// — with every value added — only when it outgrows that. The result for a multiset of values
// does not depend on insertion or merge order: up to SMALL values it is exact, past it it is
// the DDSketch of all of them.
//
// The state is two words: a block pointer and a mode (0 empty, 1 raw values, 2 DDSketch).
// Raw block: [n i32, cap i32, values f64 × cap].
import { ddsNew, ddsAdd, ddsAddAll, ddsMerge, ddsQuantile, ddsClone, ddsFree } from "./ddsketch";

const SMALL: i32 = 32;
const EMPTY: i32 = 0;
const RAW: i32 = 1;
const SKETCH: i32 = 2;

// @ts-ignore: decorator
@inline function rawN(b: usize): i32 { return load<i32>(b); }
// @ts-ignore: decorator
@inline function rawAt(b: usize, i: i32): f64 { return load<f64>(b + 8 + (<usize>i << 3)); }

function rawAppend(b: usize, v: f64): usize {
  let n = load<i32>(b);
  let cap = load<i32>(b, 4);
  if (n == cap) {
    cap *= 2;
    b = heap.realloc(b, 8 + (<usize>cap << 3));
    store<i32>(b, cap, 4);
  }
  store<f64>(b + 8 + (<usize>n << 3), v);
  store<i32>(b, n + 1);
  return b;
}

function toSketch(b: usize, alpha: f64): usize {
  const s = ddsAddAll(ddsNew(alpha), b + 8, rawN(b));
  heap.free(b);
  return s;
}

/** Adds a (non-NaN) value to the state at `p`. */
export function quantileAdd(p: usize, v: f64, alpha: f64): void {
  const mode = load<i32>(p, 8);
  let b = <usize>load<u64>(p);
  if (mode == EMPTY) {
    // Room for 8 values at once: most (window, key) pairs hold a handful, so this rarely grows.
    b = heap.alloc(8 + 8 * 8);
    store<i32>(b, 0);
    store<i32>(b, 8, 4);
    store<i32>(p, RAW, 8);
  } else if (mode == SKETCH) {
    store<u64>(p, <u64>ddsAdd(b, v));
    return;
  }
  if (rawN(b) < SMALL) {
    store<u64>(p, <u64>rawAppend(b, v));
    return;
  }
  store<u64>(p, <u64>ddsAdd(toSketch(b, alpha), v));
  store<i32>(p, SKETCH, 8);
}

/** Merges state `s` into state `d` (s unchanged). */
export function quantileMerge(d: usize, s: usize, alpha: f64): void {
  const ms = load<i32>(s, 8);
  if (ms == EMPTY) return;
  const bs = <usize>load<u64>(s);
  let md = load<i32>(d, 8);
  let bd = <usize>load<u64>(d);
  if (md == EMPTY) {
    if (ms == SKETCH) store<u64>(d, <u64>ddsClone(bs));
    else {
      const bytes = 8 + (<usize>load<i32>(bs, 4) << 3);
      const c = heap.alloc(bytes);
      memory.copy(c, bs, bytes);
      store<u64>(d, <u64>c);
    }
    store<i32>(d, ms, 8);
    return;
  }
  if (md == RAW && (ms == SKETCH || rawN(bd) + rawN(bs) > SMALL)) {
    bd = toSketch(bd, alpha);
    md = SKETCH;
    store<i32>(d, SKETCH, 8);
  }
  if (md == SKETCH) {
    if (ms == SKETCH) bd = ddsMerge(bd, bs);
    else for (let i = 0, n = rawN(bs); i < n; i++) bd = ddsAdd(bd, rawAt(bs, i));
  } else {
    for (let i = 0, n = rawN(bs); i < n; i++) bd = rawAppend(bd, rawAt(bs, i));
  }
  store<u64>(d, <u64>bd);
}

/** The q-quantile: exact (rank floor(q·(n−1))) for raw values, DDSketch's estimate otherwise. */
export function quantileValue(p: usize, q: f64, scratch: usize): f64 {
  const mode = load<i32>(p, 8);
  const b = <usize>load<u64>(p);
  if (mode == EMPTY) return NaN;
  if (mode == SKETCH) return ddsQuantile(b, q);
  const n = rawN(b);
  // insertion sort of at most SMALL values, in a scratch copy
  for (let i = 0; i < n; i++) {
    const v = rawAt(b, i);
    let j = i - 1;
    while (j >= 0 && load<f64>(scratch + (<usize>j << 3)) > v) {
      store<f64>(scratch + (<usize>(j + 1) << 3), load<f64>(scratch + (<usize>j << 3)));
      j--;
    }
    store<f64>(scratch + (<usize>(j + 1) << 3), v);
  }
  return load<f64>(scratch + (<usize>(<i32>Math.floor(q * <f64>(n - 1))) << 3));
}

export function quantileFree(p: usize): void {
  const mode = load<i32>(p, 8);
  const b = <usize>load<u64>(p);
  if (mode == SKETCH) ddsFree(b);
  else if (mode == RAW) heap.free(b);
  store<u64>(p, 0);
  store<i32>(p, EMPTY, 8);
}

/** Bytes of scratch `quantileValue` needs. */
export const QUANTILE_SCRATCH: i32 = SMALL * 8;
