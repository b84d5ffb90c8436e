// Incremental aggregates: init, add one event, merge two states, write the result, free.
// No aggregate keeps per-event buffers: scalars are O(1) words, sketches are bounded blocks.
import { AggType, ColType, State, aggAt, columnAt } from "./layout";
import { readItem, readValue, itemHash } from "./input";
import { hllNew, hllAdd, hllMerge, hllEstimate, hllClone, hllFree } from "./hll";
import { quantileAdd, quantileMerge, quantileValue, quantileFree, QUANTILE_SCRATCH } from "./quantile";
import { ssNew, ssAdd, ssMerge, ssTop, ssClone, ssFree } from "./spacesaving";

/** Bytes of state an aggregate keeps per (window, key). */
export function aggStateBytes(type: i32): i32 {
  switch (type) {
    case AggType.MEAN: case AggType.FIRST: case AggType.LAST: case AggType.DECAYED: case AggType.QUANTILE: return 16;
    case AggType.VAR: case AggType.VAR_POP: case AggType.STDDEV: case AggType.STDDEV_POP: return 24;
    default: return 8;
  }
}

/** Output words (8 bytes each) an aggregate writes per row: top-k writes k items then k counts. */
export function aggOutWords(type: i32, param: f64): i32 {
  return type == AggType.TOPK ? 2 * <i32>param : 1;
}


export function initAggs(st: State, s: usize): void {
  for (let a = 0; a < st.nAggs; a++) {
    const sp = aggAt(st, a);
    const p = s + <usize>sp.slot;
    switch (sp.type) {
      case AggType.MIN: case AggType.MAX: store<f64>(p, NaN); break;
      case AggType.MEAN: store<f64>(p, 0); store<f64>(p, 0, 8); break;
      case AggType.VAR: case AggType.VAR_POP: case AggType.STDDEV: case AggType.STDDEV_POP:
        store<f64>(p, 0); store<f64>(p, 0, 8); store<f64>(p, 0, 16); break;
      case AggType.FIRST: store<f64>(p, Infinity); store<f64>(p, NaN, 8); break;
      case AggType.LAST: store<f64>(p, -Infinity); store<f64>(p, NaN, 8); break;
      case AggType.DECAYED: store<f64>(p, 0); store<f64>(p, NaN, 8); break;
      case AggType.QUANTILE: store<u64>(p, 0); store<u64>(p, 0, 8); break;
      default: store<u64>(p, 0);
    }
  }
}

/**
 * Decides, for the batch about to be processed, whether events can take the fast path: only
 * count/sum/min/max/mean, over f64 columns read straight from memory.
 */
export function prepareBatch(st: State): void {
  let fast = 1;
  for (let a = 0; a < st.nAggs; a++) {
    const sp = aggAt(st, a);
    const t = sp.type;
    sp.colPtr = 0;
    if (t == AggType.COUNT) continue;
    const c = columnAt(st, sp.col);
    if (t > AggType.MEAN || c.type != ColType.F64 || c.remap) { fast = 0; continue; }
    sp.colPtr = c.ptr;
  }
  st.fast = fast;
}

/**
 * One fast aggregate (count/sum/min/max/mean over an f64 column read straight from `col`)
 * applied to the state at `p` for event `i`; NaN is a missing value.
 */
// @ts-ignore: decorator
@inline
export function addFastOne(type: i32, p: usize, col: usize, i: i32): void {
  if (type == AggType.COUNT) { store<f64>(p, load<f64>(p) + 1); return; }
  const v = load<f64>(col + (<usize>i << 3));
  if (v != v) return;
  if (type == AggType.SUM) store<f64>(p, load<f64>(p) + v);
  else if (type == AggType.MIN) { if (!(load<f64>(p) <= v)) store<f64>(p, v); }
  else if (type == AggType.MAX) { if (!(load<f64>(p) >= v)) store<f64>(p, v); }
  else { store<f64>(p, load<f64>(p) + 1); store<f64>(p, load<f64>(p, 8) + v, 8); }
}

// The fast path of addEvent: no column indirection and no type switch per value.
// @ts-ignore: decorator
@inline
function addFast(st: State, s: usize, i: i32): void {
  for (let a = 0; a < st.nAggs; a++) {
    const sp = aggAt(st, a);
    addFastOne(sp.type, s + <usize>sp.slot, sp.colPtr, i);
  }
}

/** Adds event `i` (time `t`) of the current batch to the state at `s`. */
export function addEvent(st: State, s: usize, i: i32, t: i64): void {
  if (st.fast) { addFast(st, s, i); return; }
  for (let a = 0; a < st.nAggs; a++) {
    const sp = aggAt(st, a);
    const p = s + <usize>sp.slot;
    const type = sp.type;
    if (type == AggType.COUNT) { store<f64>(p, load<f64>(p) + 1); continue; }
    const c = columnAt(st, sp.col);
    if (type == AggType.DISTINCT) {
      const item = readItem(c, i);
      if (c.hashes && item < 0) continue; // a null string
      let h = <usize>load<u64>(p);
      if (!h) h = hllNew(<i32>sp.param);
      store<u64>(p, <u64>hllAdd(h, itemHash(c, item)));
      continue;
    }
    if (type == AggType.TOPK) {
      const item = readItem(c, i);
      if (c.hashes && item < 0) continue;
      let h = <usize>load<u64>(p);
      if (!h) { h = ssNew(<i32>sp.param2); store<u64>(p, <u64>h); }
      ssAdd(h, item, 1.0);
      continue;
    }
    const v = readValue(c, i);
    if (v != v) continue; // NaN: a missing value, skipped by every value aggregate
    switch (type) {
      case AggType.SUM: store<f64>(p, load<f64>(p) + v); break;
      case AggType.MIN: { const m = load<f64>(p); if (!(m <= v)) store<f64>(p, v); break; }
      case AggType.MAX: { const m = load<f64>(p); if (!(m >= v)) store<f64>(p, v); break; }
      case AggType.MEAN: store<f64>(p, load<f64>(p) + 1); store<f64>(p, load<f64>(p, 8) + v, 8); break;
      case AggType.VAR: case AggType.VAR_POP: case AggType.STDDEV: case AggType.STDDEV_POP: {
        // Welford's online update.
        const n = load<f64>(p) + 1;
        const mean = load<f64>(p, 8);
        const d = v - mean;
        const mean2 = mean + d / n;
        store<f64>(p, n); store<f64>(p, mean2, 8); store<f64>(p, load<f64>(p, 16) + d * (v - mean2), 16);
        break;
      }
      case AggType.FIRST: { const tf = <f64>t; if (tf < load<f64>(p)) { store<f64>(p, tf); store<f64>(p, v, 8); } break; }
      case AggType.LAST: { const tf = <f64>t; if (tf >= load<f64>(p)) { store<f64>(p, tf); store<f64>(p, v, 8); } break; }
      case AggType.QUANTILE: quantileAdd(p, v, sp.param2); break;
      case AggType.DECAYED: addDecayed(p, v, <f64>t, sp.param); break;
      default: break;
    }
  }
}

// Decayed sum: S = Σ v·2^((t − anchor)/h). The anchor moves forward when exponents grow large, so
// neither overflow nor underflow of the running sum can happen within a window.
function addDecayed(p: usize, v: f64, t: f64, halfLife: f64): void {
  let anchor = load<f64>(p, 8);
  let sum = load<f64>(p);
  if (anchor != anchor) anchor = t;
  let e = (t - anchor) / halfLife;
  if (e > 256) { sum *= Math.pow(2, -e); anchor = t; e = 0; }
  store<f64>(p, sum + v * Math.pow(2, e));
  store<f64>(p, anchor, 8);
}

/** Merges the state at `src` into the state at `dst` (src unchanged). */
export function mergeAggs(st: State, dst: usize, src: usize): void {
  for (let a = 0; a < st.nAggs; a++) {
    const sp = aggAt(st, a);
    const d = dst + <usize>sp.slot;
    const s = src + <usize>sp.slot;
    switch (sp.type) {
      case AggType.COUNT: case AggType.SUM: store<f64>(d, load<f64>(d) + load<f64>(s)); break;
      case AggType.MIN: { const v = load<f64>(s); if (v == v && !(load<f64>(d) <= v)) store<f64>(d, v); break; }
      case AggType.MAX: { const v = load<f64>(s); if (v == v && !(load<f64>(d) >= v)) store<f64>(d, v); break; }
      case AggType.MEAN: store<f64>(d, load<f64>(d) + load<f64>(s)); store<f64>(d, load<f64>(d, 8) + load<f64>(s, 8), 8); break;
      case AggType.VAR: case AggType.VAR_POP: case AggType.STDDEV: case AggType.STDDEV_POP: {
        // Chan et al.'s parallel combination of (n, mean, M2).
        const nb = load<f64>(s);
        if (nb == 0) break;
        const na = load<f64>(d);
        if (na == 0) { store<f64>(d, nb); store<f64>(d, load<f64>(s, 8), 8); store<f64>(d, load<f64>(s, 16), 16); break; }
        const n = na + nb;
        const delta = load<f64>(s, 8) - load<f64>(d, 8);
        store<f64>(d, n);
        store<f64>(d, load<f64>(d, 8) + delta * (nb / n), 8);
        store<f64>(d, load<f64>(d, 16) + load<f64>(s, 16) + delta * delta * (na * nb / n), 16);
        break;
      }
      case AggType.FIRST: if (load<f64>(s) < load<f64>(d)) { store<f64>(d, load<f64>(s)); store<f64>(d, load<f64>(s, 8), 8); } break;
      case AggType.LAST: if (load<f64>(s) >= load<f64>(d) && load<f64>(s, 8) == load<f64>(s, 8)) { store<f64>(d, load<f64>(s)); store<f64>(d, load<f64>(s, 8), 8); } break;
      case AggType.DISTINCT: {
        const hs = <usize>load<u64>(s);
        if (!hs) break;
        const hd = <usize>load<u64>(d);
        store<u64>(d, <u64>(hd ? hllMerge(hd, hs) : hllClone(hs)));
        break;
      }
      case AggType.QUANTILE: quantileMerge(d, s, sp.param2); break;
      case AggType.TOPK: {
        const hs = <usize>load<u64>(s);
        if (!hs) break;
        const hd = <usize>load<u64>(d);
        if (hd) ssMerge(hd, hs); else store<u64>(d, <u64>ssClone(hs));
        break;
      }
      case AggType.DECAYED: {
        const as = load<f64>(s, 8);
        if (as != as) break;
        const ad = load<f64>(d, 8);
        if (ad != ad) { store<f64>(d, load<f64>(s)); store<f64>(d, as, 8); break; }
        const h = sp.param;
        const anchor = Math.max(as, ad);
        store<f64>(d, load<f64>(d) * Math.pow(2, (ad - anchor) / h) + load<f64>(s) * Math.pow(2, (as - anchor) / h));
        store<f64>(d, anchor, 8);
        break;
      }
      default: break;
    }
  }
}

/**
 * Writes the aggregates of state `s` for a window ending at `end` into an output row: word w of
 * the row goes to `row + w·colBytes` (the output is stored column by column).
 */
export function writeAggs(st: State, s: usize, row: usize, colBytes: usize, end: i64): void {
  for (let a = 0; a < st.nAggs; a++) {
    const sp = aggAt(st, a);
    const p = s + <usize>sp.slot;
    const o = row + <usize>sp.outWord * colBytes;
    switch (sp.type) {
      case AggType.COUNT: case AggType.SUM: case AggType.MIN: case AggType.MAX: store<f64>(o, load<f64>(p)); break;
      case AggType.MEAN: { const n = load<f64>(p); store<f64>(o, n > 0 ? load<f64>(p, 8) / n : NaN); break; }
      case AggType.VAR: { const n = load<f64>(p); store<f64>(o, n > 1 ? load<f64>(p, 16) / (n - 1) : NaN); break; }
      case AggType.VAR_POP: { const n = load<f64>(p); store<f64>(o, n > 0 ? load<f64>(p, 16) / n : NaN); break; }
      case AggType.STDDEV: { const n = load<f64>(p); store<f64>(o, n > 1 ? Math.sqrt(load<f64>(p, 16) / (n - 1)) : NaN); break; }
      case AggType.STDDEV_POP: { const n = load<f64>(p); store<f64>(o, n > 0 ? Math.sqrt(load<f64>(p, 16) / n) : NaN); break; }
      case AggType.FIRST: case AggType.LAST: store<f64>(o, load<f64>(p, 8)); break;
      case AggType.DISTINCT: { const h = <usize>load<u64>(p); store<f64>(o, h ? Math.round(hllEstimate(h)) : 0); break; }
      case AggType.QUANTILE: store<f64>(o, quantileValue(p, sp.param, memory.data(QUANTILE_SCRATCH, 16))); break;
      case AggType.TOPK: {
        const k = <i32>sp.param;
        const h = <usize>load<u64>(p);
        const written = h ? ssTop(h, k, o, o + <usize>k * colBytes, colBytes) : 0;
        for (let j = written; j < k; j++) { store<i64>(o + <usize>j * colBytes, 0); store<f64>(o + <usize>(k + j) * colBytes, 0); }
        break;
      }
      case AggType.DECAYED: {
        const anchor = load<f64>(p, 8);
        store<f64>(o, anchor == anchor ? load<f64>(p) * Math.pow(2, (anchor - <f64>end) / sp.param) : 0);
        break;
      }
      default: break;
    }
  }
}

/** Frees the sketches held by state `s`. */
export function freeAggs(st: State, s: usize): void {
  for (let a = 0; a < st.nAggs; a++) {
    const sp = aggAt(st, a);
    const p = s + <usize>sp.slot;
    const h = <usize>load<u64>(p);
    if (!h) continue;
    if (sp.type == AggType.DISTINCT) hllFree(h);
    else if (sp.type == AggType.QUANTILE) { quantileFree(p); continue; }
    else if (sp.type == AggType.TOPK) ssFree(h);
    else continue;
    store<u64>(p, 0);
  }
}
