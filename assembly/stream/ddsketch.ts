/**
 * DDSketch quantiles with relative accuracy (Masson, Rim, Lee, "DDSketch: a fast and
 * fully-mergeable quantile sketch with relative-error guarantees", VLDB 2019), matching
 * @datadog/sketches-js 2.x `LogCollapsingLowestDenseDDSketch`:
 *
 * - mapping (LogarithmicMapping): gamma = 1 + 2a / (1 - a); a value v > minPossible goes to bin
 *   key(v) = ceil(log2(v) * multiplier), multiplier = ln 2 / log1p(gamma - 1); a bin stands for
 *   value(k) = 2^(k / multiplier) * 2 / (1 + gamma), within relative error a of every value in it.
 *   Values in [-minPossible, minPossible] (minPossible = 2^-1023 * gamma) count as zero;
 *   negative values go to a second store keyed by |v|. NaN is ignored. +-Infinity (which
 *   sketches-js cannot take) are counted apart and rank below / above every finite value, so a
 *   quantile whose rank falls on them is -Infinity / +Infinity, and they never widen a store.
 * - quantile rank rule: rank = q * (count - 1); the answer is the bin holding the value of
 *   0-based rank floor(rank) in sorted order (sketches-js's keyAtRank with lower = true on the
 *   positive side, lower = false on the reversed negative side). For n unit weights that is
 *   sorted[floor(q * (n - 1))] up to relative error a.
 * - bins: each store is a dense array of f64 counts covering minKey..maxKey, grown in chunks.
 *   It never exceeds binLimit bins (default 2048): once keys span more than binLimit, the lowest
 *   keys (values closest to zero, on each side) collapse into the lowest kept bin, maxKey -
 *   binLimit + 1. Which bins survive depends only on the keys ever seen, so a sketch is the same
 *   whatever the insertion or merge order, and merge(a, b) equals the sketch of a ∪ b.
 *   (sketches-js 2.1.1 double-counts one bin when it collapses and drops the negative store in
 *   merge; this sketch does neither.)
 *
 * Guarantee: while no collapse touched the quantile's bin, |estimate - exact| <= a * |exact|.
 * Memory: 128 bytes + 8 bytes per allocated bin (at most 128 + 2 * 8 * binLimit).
 * Cost: ddsAdd O(1) amortised (a log2, a ceil, a store); ddsQuantile O(bins); ddsMerge
 * O(bins of both).
 *
 * One heap block per sketch, addressed by its pointer; every growth returns the new handle.
 *
 * @example
 * let s = ddsNew(0.01);
 * s = ddsAdd(s, latencyMs);
 * const p99 = ddsQuantile(s, 0.99);
 * ddsFree(s);
 */

// Header: mapping constants and counters, then two store descriptors, then the bins of the
// positive store followed by those of the negative store.
// @ts-ignore: decorator
@lazy @inline const OFF_MULT: usize = 0; // f64 multiplier
// @ts-ignore: decorator
@lazy @inline const OFF_GAMMA: usize = 8; // f64 gamma
// @ts-ignore: decorator
@lazy @inline const OFF_MINPOS: usize = 16; // f64 minPossible
// @ts-ignore: decorator
@lazy @inline const OFF_ZERO: usize = 24; // f64 zero count
// @ts-ignore: decorator
@lazy @inline const OFF_COUNT: usize = 32; // f64 total count
// @ts-ignore: decorator
@lazy @inline const OFF_NEG_INF: usize = 40; // f64 count of -Infinity
// @ts-ignore: decorator
@lazy @inline const OFF_POS_INF: usize = 48; // f64 count of +Infinity
// @ts-ignore: decorator
@lazy @inline const OFF_LIMIT: usize = 56; // i32 bin limit
// @ts-ignore: decorator
@lazy @inline const OFF_POS: usize = 64; // positive store descriptor
// @ts-ignore: decorator
@lazy @inline const OFF_NEG: usize = 96; // negative store descriptor
// @ts-ignore: decorator
@lazy @inline const HEADER: usize = 128;

// Store descriptor fields.
// @ts-ignore: decorator
@lazy @inline const S_OFFSET: usize = 0; // i32 key of bins[0]
// @ts-ignore: decorator
@lazy @inline const S_CAP: usize = 4; // i32 bins allocated
// @ts-ignore: decorator
@lazy @inline const S_MIN: usize = 8; // i32 lowest key held (the collapse floor once collapsed)
// @ts-ignore: decorator
@lazy @inline const S_MAX: usize = 12; // i32 highest key held
// @ts-ignore: decorator
@lazy @inline const S_COLLAPSED: usize = 16; // i32 1 once keys spanned more than the limit
// @ts-ignore: decorator
@lazy @inline const S_COUNT: usize = 24; // f64 weight held

/** Bin counts are rounded up to multiples of this (sketches-js grows in chunks too). */
// @ts-ignore: decorator
@lazy @inline const CHUNK: i32 = 8;

export const DDS_DEFAULT_ALPHA: f64 = 0.01;
export const DDS_DEFAULT_BIN_LIMIT: i32 = 2048;

/**
 * A new, empty sketch with relative accuracy `alpha` (0 < alpha < 1) and at most `binLimit`
 * bins per sign (>= 1). Returns 0 if an argument is out of range.
 */
export function ddsNew(alpha: f64 = DDS_DEFAULT_ALPHA, binLimit: i32 = DDS_DEFAULT_BIN_LIMIT): usize {
  if (!(alpha > 0.0 && alpha < 1.0) || binLimit < 1) return 0;
  const s = heap.alloc(HEADER);
  memory.fill(s, 0, HEADER);
  // Same operations, in the same order, as sketches-js's KeyMapping + LogarithmicMapping. A
  // stream makes a sketch per (window, key) with one alpha, so the last multiplier is kept.
  const gammaMantissa = (2.0 * alpha) / (1.0 - alpha);
  const gamma = 1.0 + gammaMantissa;
  if (alpha != lastAlpha) {
    let m = 1.0 / Math.log1p(gammaMantissa);
    m *= Math.log(2.0);
    lastMultiplier = m;
    lastAlpha = alpha;
  }
  const multiplier = lastMultiplier;
  store<f64>(s, multiplier, OFF_MULT);
  store<f64>(s, gamma, OFF_GAMMA);
  store<f64>(s, Math.pow(2.0, -1023.0) * gamma, OFF_MINPOS);
  store<i32>(s, binLimit, OFF_LIMIT);
  initStore(s + OFF_POS);
  initStore(s + OFF_NEG);
  return s;
}

/** The alpha whose multiplier ddsNew computed last (NaN: none yet), and that multiplier. */
let lastAlpha: f64 = NaN;
let lastMultiplier: f64 = 0;

/**
 * Adds `n` values from `values` (f64) at once: the same sketch as adding them one by one, but each
 * store is sized for the values' key range first, so it is allocated once instead of growing
 * (and moving) several times. Returns the handle.
 */
export function ddsAddAll(s: usize, values: usize, n: i32): usize {
  const minPos = load<f64>(s, OFF_MINPOS);
  // keyOf is monotone in |v|, so each store's key range comes from its extreme values (two logs
  // per store, not one per value)
  let posLo = Infinity, posHi = -Infinity, negLo = Infinity, negHi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(values + (<usize>i << 3));
    if (v > minPos && v != Infinity) {
      posLo = min(posLo, v);
      posHi = max(posHi, v);
    } else if (v < -minPos && v != -Infinity) {
      negLo = min(negLo, -v);
      negHi = max(negHi, -v);
    }
  }
  if (posLo <= posHi) s = reserve(s, OFF_POS, keyOf(s, posLo), keyOf(s, posHi));
  if (negLo <= negHi) s = reserve(s, OFF_NEG, keyOf(s, negLo), keyOf(s, negHi));
  for (let i = 0; i < n; i++) s = ddsAddWeighted(s, load<f64>(values + (<usize>i << 3)), 1.0);
  return s;
}

/**
 * Grows an empty store to hold keys lo..hi (the lowest and highest key of the values about to be
 * added) when that span needs no collapse; a collapsing span takes the one-by-one path, whose
 * floor moves as keys arrive. minKey/maxKey are set to lo/hi at once, which is what the adds
 * would leave; only the allocation differs.
 */
function reserve(s: usize, off: usize, lo: i32, hi: i32): usize {
  const d = s + off;
  if (lo > hi || load<f64>(d, S_COUNT) != 0.0) return s;
  if (<i64>hi - <i64>lo + 1 > <i64>load<i32>(s, OFF_LIMIT)) return s;
  return ensureRange(s, off, lo, hi);
}

function initStore(d: usize): void {
  store<i32>(d, i32.MAX_VALUE, S_MIN);
  store<i32>(d, i32.MIN_VALUE, S_MAX);
}

// @ts-ignore: decorator
@inline function binsOf(s: usize, d: usize): usize {
  return d == s + OFF_POS ? s + HEADER : s + HEADER + (<usize>load<i32>(s + OFF_POS, S_CAP) << 3);
}

// @ts-ignore: decorator
@inline function keyOf(s: usize, a: f64): i32 {
  return <i32>Math.ceil(Math.log2(a) * load<f64>(s, OFF_MULT));
}

// @ts-ignore: decorator
@inline function valueOf(s: usize, key: i32): f64 {
  return Math.pow(2.0, <f64>key / load<f64>(s, OFF_MULT)) * (2.0 / (1.0 + load<f64>(s, OFF_GAMMA)));
}

/** Adds `v` once. Returns the handle, which moves when a store grows. NaN is ignored. */
export function ddsAdd(s: usize, v: f64): usize {
  return ddsAddWeighted(s, v, 1.0);
}

/**
 * Adds `v` with weight `w` (w > 0; other weights and NaN values are ignored). Returns the handle,
 * which moves when a store grows. O(1) amortised.
 */
export function ddsAddWeighted(s: usize, v: f64, w: f64): usize {
  if (!(w > 0.0) || isNaN(v)) return s;
  const minPos = load<f64>(s, OFF_MINPOS);
  if (v > minPos) {
    if (v == Infinity) store<f64>(s, load<f64>(s, OFF_POS_INF) + w, OFF_POS_INF);
    else s = storeAdd(s, OFF_POS, keyOf(s, v), w);
  } else if (v < -minPos) {
    if (v == -Infinity) store<f64>(s, load<f64>(s, OFF_NEG_INF) + w, OFF_NEG_INF);
    else s = storeAdd(s, OFF_NEG, keyOf(s, -v), w);
  } else {
    store<f64>(s, load<f64>(s, OFF_ZERO) + w, OFF_ZERO);
  }
  store<f64>(s, load<f64>(s, OFF_COUNT) + w, OFF_COUNT);
  return s;
}

/** Adds weight w at key in the store at `off`, growing or collapsing it first if needed. */
function storeAdd(s: usize, off: usize, key: i32, w: f64): usize {
  let d = s + off;
  let lo = load<i32>(d, S_MIN);
  let hi = load<i32>(d, S_MAX);
  if (key < lo || key > hi) {
    if (key < lo && load<i32>(d, S_COLLAPSED) != 0) {
      key = lo;
    } else {
      s = ensureRange(s, off, key < lo ? key : lo, key > hi ? key : hi);
      d = s + off;
      lo = load<i32>(d, S_MIN);
      if (key < lo) key = lo;
    }
  }
  const at = binsOf(s, d) + (<usize>(key - load<i32>(d, S_OFFSET)) << 3);
  store<f64>(at, load<f64>(at) + w);
  store<f64>(d, load<f64>(d, S_COUNT) + w, S_COUNT);
  return s;
}

/**
 * Makes the store at `off` hold keys newLo..newHi (newLo <= its minKey, newHi >= its maxKey),
 * collapsing the lowest keys into maxKey - limit + 1 if the span exceeds the limit. Sets the
 * store's minKey/maxKey; returns the (possibly moved) handle.
 */
function ensureRange(s: usize, off: usize, newLo: i32, newHi: i32): usize {
  let d = s + off;
  const limit = load<i32>(s, OFF_LIMIT);
  let collapsed = load<i32>(d, S_COLLAPSED) != 0;
  if (<i64>newHi - <i64>newLo + 1 > <i64>limit) {
    collapsed = true;
    newLo = newHi - limit + 1;
  }
  const offset = load<i32>(d, S_OFFSET);
  const empty = load<f64>(d, S_COUNT) == 0.0;
  // A collapsed store spans exactly `limit` keys, so it only fits its bins when nothing moved.
  if (empty || newLo < offset || <i64>newHi >= <i64>offset + <i64>load<i32>(d, S_CAP)) {
    const span = newHi - newLo + 1;
    // Half the span again as headroom (at least CHUNK), on the side that is extending.
    let newCap = span + max(CHUNK, span >> 1);
    newCap = (newCap + CHUNK - 1) & ~(CHUNK - 1);
    if (newCap > limit) newCap = limit;
    const newOffset = empty
      ? newLo - ((newCap - span) >> 1)
      : collapsed || newHi > load<i32>(d, S_MAX) ? newLo : newHi - newCap + 1;
    s = relocate(s, off, newCap, newOffset, newLo);
    d = s + off;
  }
  store<i32>(d, newLo, S_MIN);
  store<i32>(d, newHi, S_MAX);
  store<i32>(d, collapsed ? 1 : 0, S_COLLAPSED);
  return s;
}

/**
 * A new block where the store at `off` has `newCap` bins starting at key `newOffset`; its old
 * bins move over, keys below `floor` folding into `floor`. The other store is copied. Frees s.
 */
function relocate(s: usize, off: usize, newCap: i32, newOffset: i32, floor: i32): usize {
  const capPos = load<i32>(s + OFF_POS, S_CAP);
  const capNeg = load<i32>(s + OFF_NEG, S_CAP);
  const newPos = off == OFF_POS ? newCap : capPos;
  const newNeg = off == OFF_NEG ? newCap : capNeg;
  const bytes = HEADER + (<usize>(newPos + newNeg) << 3);
  const t = heap.alloc(bytes);
  memory.copy(t, s, HEADER);
  memory.fill(t + HEADER, 0, bytes - HEADER);
  store<i32>(t + OFF_POS, newPos, S_CAP);
  store<i32>(t + OFF_NEG, newNeg, S_CAP);
  const srcPos = s + HEADER;
  const srcNeg = srcPos + (<usize>capPos << 3);
  const dstPos = t + HEADER;
  const dstNeg = dstPos + (<usize>newPos << 3);
  const oldOffset = load<i32>(s + off, S_OFFSET);
  const oldCap = off == OFF_POS ? capPos : capNeg;
  const from = off == OFF_POS ? srcPos : srcNeg;
  const to = off == OFF_POS ? dstPos : dstNeg;
  if (off == OFF_POS) memory.copy(dstNeg, srcNeg, <usize>capNeg << 3);
  else memory.copy(dstPos, srcPos, <usize>capPos << 3);
  for (let i = 0; i < oldCap; i++) {
    const c = load<f64>(from + (<usize>i << 3));
    if (c == 0.0) continue;
    let k = oldOffset + i;
    if (k < floor) k = floor;
    const at = to + (<usize>(k - newOffset) << 3);
    store<f64>(at, load<f64>(at) + c);
  }
  store<i32>(t + off, newOffset, S_OFFSET);
  heap.free(s);
  return t;
}

/**
 * Merges `src` into `dst` (same alpha and bin limit; src is unchanged). The result equals the
 * sketch of both inputs together. Returns dst's handle, which may move. O(bins).
 */
export function ddsMerge(dst: usize, src: usize): usize {
  assert(
    load<f64>(dst, OFF_MULT) == load<f64>(src, OFF_MULT) && load<i32>(dst, OFF_LIMIT) == load<i32>(src, OFF_LIMIT),
    "dds: mapping mismatch",
  );
  dst = storeMerge(dst, src, OFF_POS);
  dst = storeMerge(dst, src, OFF_NEG);
  store<f64>(dst, load<f64>(dst, OFF_ZERO) + load<f64>(src, OFF_ZERO), OFF_ZERO);
  store<f64>(dst, load<f64>(dst, OFF_NEG_INF) + load<f64>(src, OFF_NEG_INF), OFF_NEG_INF);
  store<f64>(dst, load<f64>(dst, OFF_POS_INF) + load<f64>(src, OFF_POS_INF), OFF_POS_INF);
  store<f64>(dst, load<f64>(dst, OFF_COUNT) + load<f64>(src, OFF_COUNT), OFF_COUNT);
  return dst;
}

function storeMerge(dst: usize, src: usize, off: usize): usize {
  const e = src + off;
  if (load<f64>(e, S_COUNT) == 0.0) return dst;
  let d = dst + off;
  const srcLo = load<i32>(e, S_MIN);
  const srcHi = load<i32>(e, S_MAX);
  const lo = load<i32>(d, S_MIN);
  const hi = load<i32>(d, S_MAX);
  const newLo = srcLo < lo ? srcLo : lo;
  const newHi = srcHi > hi ? srcHi : hi;
  if (newLo < lo || newHi > hi) {
    if (newLo < lo && newHi <= hi && load<i32>(d, S_COLLAPSED) != 0) {
      // Everything src holds below dst's floor folds into it; nothing to extend.
    } else {
      dst = ensureRange(dst, off, newLo, newHi);
      d = dst + off;
    }
  }
  if (load<i32>(e, S_COLLAPSED) != 0) store<i32>(d, 1, S_COLLAPSED);
  const floor = load<i32>(d, S_MIN);
  const offset = load<i32>(d, S_OFFSET);
  const bins = binsOf(dst, d);
  const srcBins = binsOf(src, e);
  const srcOffset = load<i32>(e, S_OFFSET);
  for (let k = srcLo; k <= srcHi; k++) {
    const c = load<f64>(srcBins + (<usize>(k - srcOffset) << 3));
    if (c == 0.0) continue;
    const at = bins + (<usize>((k < floor ? floor : k) - offset) << 3);
    store<f64>(at, load<f64>(at) + c);
  }
  store<f64>(d, load<f64>(d, S_COUNT) + load<f64>(e, S_COUNT), S_COUNT);
  return dst;
}

/**
 * The value at quantile q (0 <= q <= 1) with sketches-js's rank rule (see the header); NaN if the
 * sketch is empty or q is outside [0, 1]. O(bins).
 */
export function ddsQuantile(s: usize, q: f64): f64 {
  const count = load<f64>(s, OFF_COUNT);
  if (!(q >= 0.0 && q <= 1.0) || count == 0.0) return NaN;
  let rank = q * (count - 1.0);
  const negInf = load<f64>(s, OFF_NEG_INF);
  if (rank < negInf) return -Infinity;
  rank -= negInf;
  const neg = s + OFF_NEG;
  const negCount = load<f64>(neg, S_COUNT);
  if (rank < negCount) {
    return -valueOf(s, keyAtRank(s, neg, negCount - rank - 1.0, false));
  }
  const zero = load<f64>(s, OFF_ZERO);
  if (rank < zero + negCount) return 0.0;
  const pos = s + OFF_POS;
  // (Compared only when there are +Infinity values, so rounding cannot invent one.)
  if (load<f64>(s, OFF_POS_INF) == 0.0 || rank < zero + negCount + load<f64>(pos, S_COUNT)) {
    return valueOf(s, keyAtRank(s, pos, rank - zero - negCount, true));
  }
  return Infinity;
}

/** sketches-js DenseStore.keyAtRank: the first key whose running count passes `rank`. */
function keyAtRank(s: usize, d: usize, rank: f64, lower: bool): i32 {
  const bins = binsOf(s, d);
  const cap = load<i32>(d, S_CAP);
  let running = 0.0;
  for (let i = 0; i < cap; i++) {
    running += load<f64>(bins + (<usize>i << 3));
    if (lower ? running > rank : running >= rank + 1.0) return load<i32>(d, S_OFFSET) + i;
  }
  return load<i32>(d, S_MAX);
}

/** Total weight added (zero, negative and positive values; not NaN). */
export function ddsCount(s: usize): f64 {
  return load<f64>(s, OFF_COUNT);
}

/** An independent copy of the sketch. */
export function ddsClone(s: usize): usize {
  const bytes = <usize>ddsBytes(s);
  const c = heap.alloc(bytes);
  memory.copy(c, s, bytes);
  return c;
}

/** Frees the sketch's block. */
export function ddsFree(s: usize): void {
  heap.free(s);
}

/** Bytes the sketch's block holds. */
export function ddsBytes(s: usize): i32 {
  return <i32>HEADER + ((load<i32>(s + OFF_POS, S_CAP) + load<i32>(s + OFF_NEG, S_CAP)) << 3);
}
