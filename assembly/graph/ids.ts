// Node ids are labels, not indices: these kernels turn integer id columns (i32, u32 or f64
// holding integers) into dense u32 node indices ordered by ascending id. Two paths:
// a direct table over [min, max] when the id range is small compared with the edge count, and
// an open-addressing hash (f64 keys, NaN = empty) otherwise. TS picks the path and sorts the
// unique keys of the hash path.

import { mix64 } from "../common/hash";

const MAX_SAFE: f64 = 9007199254740991.0;

// @ts-ignore: decorator
@inline function readId<T>(ptr: usize, i: i32): f64 {
  return <f64>load<T>(ptr + (<usize>i << alignof<T>()));
}

/**
 * Checks that every id is a safe integer and folds its min/max into out[0], out[1] (f64, which
 * the caller initialises to +Inf/-Inf). Returns -1, or the index of the first bad id.
 */
function scan<T>(ptr: usize, len: i32, out: usize): i32 {
  let lo = load<f64>(out);
  let hi = load<f64>(out, 8);
  for (let i = 0; i < len; i++) {
    const x = readId<T>(ptr, i);
    if (isFloat<T>()) {
      if (!(Math.abs(x) <= MAX_SAFE) || Math.floor(x) != x) return i;
    }
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  store<f64>(out, lo);
  store<f64>(out, hi, 8);
  return -1;
}
export function idsScanI32(ptr: usize, len: i32, out: usize): i32 { return scan<i32>(ptr, len, out); }
export function idsScanU32(ptr: usize, len: i32, out: usize): i32 { return scan<u32>(ptr, len, out); }
export function idsScanF64(ptr: usize, len: i32, out: usize): i32 { return scan<f64>(ptr, len, out); }

// ---- direct table: table[id - min] is 1 when present, later the node index ----

function directMark<T>(ptr: usize, len: i32, lo: f64, table: usize): void {
  for (let i = 0; i < len; i++) {
    store<u32>(table + (<usize>(readId<T>(ptr, i) - lo) << 2), 1);
  }
}
export function idsMarkI32(ptr: usize, len: i32, lo: f64, table: usize): void { directMark<i32>(ptr, len, lo, table); }
export function idsMarkU32(ptr: usize, len: i32, lo: f64, table: usize): void { directMark<u32>(ptr, len, lo, table); }
export function idsMarkF64(ptr: usize, len: i32, lo: f64, table: usize): void { directMark<f64>(ptr, len, lo, table); }

/** Number of marked slots. */
export function idsCountMarked(table: usize, range: i32): i32 {
  let n = 0;
  for (let k = 0; k < range; k++) n += <i32>load<u32>(table + (<usize>k << 2));
  return n;
}

/** Replaces marks by node indices (ascending id order) and writes each node's id to ids (f64). */
export function idsRankMarked(table: usize, range: i32, lo: f64, ids: usize): void {
  let r: u32 = 0;
  for (let k = 0; k < range; k++) {
    const p = table + (<usize>k << 2);
    if (load<u32>(p)) {
      store<f64>(ids + (<usize>r << 3), lo + <f64>k);
      store<u32>(p, r++);
    }
  }
}

// Every mapper also counts each index into deg (u32[n]) when deg != 0: the CSR build needs the
// degrees, and counting while the index is in hand saves a pass over the edges.
// @ts-ignore: decorator
@inline function emit(out: usize, i: i32, v: u32, deg: usize): void {
  store<u32>(out + (<usize>i << 2), v);
  if (deg) {
    const p = deg + (<usize>v << 2);
    store<u32>(p, load<u32>(p) + 1);
  }
}

function directMap<T>(ptr: usize, len: i32, lo: f64, table: usize, out: usize, deg: usize): void {
  for (let i = 0; i < len; i++) {
    emit(out, i, load<u32>(table + (<usize>(readId<T>(ptr, i) - lo) << 2)), deg);
  }
}
export function idsMapDirectI32(ptr: usize, len: i32, lo: f64, table: usize, out: usize, deg: usize): void { directMap<i32>(ptr, len, lo, table, out, deg); }
export function idsMapDirectU32(ptr: usize, len: i32, lo: f64, table: usize, out: usize, deg: usize): void { directMap<u32>(ptr, len, lo, table, out, deg); }
export function idsMapDirectF64(ptr: usize, len: i32, lo: f64, table: usize, out: usize, deg: usize): void { directMap<f64>(ptr, len, lo, table, out, deg); }

/** ids 0..n-1 exactly: the index is the id, so mapping is a conversion. */
function identityMap<T>(ptr: usize, len: i32, out: usize, deg: usize): void {
  for (let i = 0; i < len; i++) emit(out, i, <u32>readId<T>(ptr, i), deg);
}
export function idsIdentityI32(ptr: usize, len: i32, out: usize, deg: usize): void { identityMap<i32>(ptr, len, out, deg); }
export function idsIdentityU32(ptr: usize, len: i32, out: usize, deg: usize): void { identityMap<u32>(ptr, len, out, deg); }
export function idsIdentityF64(ptr: usize, len: i32, out: usize, deg: usize): void { identityMap<f64>(ptr, len, out, deg); }


// ---- hash path: keys f64[cap] (NaN = empty), vals u32[cap]; cap is a power of two ----

export function hashInit(keys: usize, cap: i32): void {
  for (let i = 0; i < cap; i++) store<f64>(keys + (<usize>i << 3), NaN);
}

// @ts-ignore: decorator
@inline function slotOf(x: f64, mask: u32): u32 {
  return <u32>mix64(<u64>(<i64>x)) & mask;
}

/**
 * Inserts ids from ptr[start..len) until the table holds `limit` keys; returns the index where it
 * stopped (len when all are in). The count of keys lives in count[0] (u32).
 */
function hashInsert<T>(ptr: usize, start: i32, len: i32, keys: usize, cap: i32, limit: i32, count: usize): i32 {
  const mask = <u32>(cap - 1);
  let c = load<i32>(count);
  let i = start;
  for (; i < len; i++) {
    const x = readId<T>(ptr, i);
    let s = slotOf(x, mask);
    while (true) {
      const k = load<f64>(keys + (<usize>s << 3));
      if (k == x) break;
      if (k != k) {
        if (c >= limit) {
          store<i32>(count, c);
          return i;
        }
        store<f64>(keys + (<usize>s << 3), x);
        c++;
        break;
      }
      s = (s + 1) & mask;
    }
  }
  store<i32>(count, c);
  return i;
}
export function hashInsertI32(ptr: usize, start: i32, len: i32, keys: usize, cap: i32, limit: i32, count: usize): i32 { return hashInsert<i32>(ptr, start, len, keys, cap, limit, count); }
export function hashInsertU32(ptr: usize, start: i32, len: i32, keys: usize, cap: i32, limit: i32, count: usize): i32 { return hashInsert<u32>(ptr, start, len, keys, cap, limit, count); }
export function hashInsertF64(ptr: usize, start: i32, len: i32, keys: usize, cap: i32, limit: i32, count: usize): i32 { return hashInsert<f64>(ptr, start, len, keys, cap, limit, count); }

/** Writes every key of the table to out (f64), in slot order; returns how many. */
export function hashCollect(keys: usize, cap: i32, out: usize): i32 {
  let n = 0;
  for (let i = 0; i < cap; i++) {
    const k = load<f64>(keys + (<usize>i << 3));
    if (k == k) store<f64>(out + (<usize>(n++) << 3), k);
  }
  return n;
}

/** Rebuilds the table from n sorted keys, giving key r the value r. */
export function hashRank(keys: usize, vals: usize, cap: i32, sorted: usize, n: i32): void {
  hashInit(keys, cap);
  const mask = <u32>(cap - 1);
  for (let r = 0; r < n; r++) {
    const x = load<f64>(sorted + (<usize>r << 3));
    let s = slotOf(x, mask);
    while (load<f64>(keys + (<usize>s << 3)) == load<f64>(keys + (<usize>s << 3))) s = (s + 1) & mask;
    store<f64>(keys + (<usize>s << 3), x);
    store<u32>(vals + (<usize>s << 2), <u32>r);
  }
}

function hashMap<T>(ptr: usize, len: i32, keys: usize, vals: usize, cap: i32, out: usize, deg: usize): void {
  const mask = <u32>(cap - 1);
  for (let i = 0; i < len; i++) {
    const x = readId<T>(ptr, i);
    let s = slotOf(x, mask);
    while (load<f64>(keys + (<usize>s << 3)) != x) s = (s + 1) & mask;
    emit(out, i, load<u32>(vals + (<usize>s << 2)), deg);
  }
}
export function idsMapHashI32(ptr: usize, len: i32, keys: usize, vals: usize, cap: i32, out: usize, deg: usize): void { hashMap<i32>(ptr, len, keys, vals, cap, out, deg); }
export function idsMapHashU32(ptr: usize, len: i32, keys: usize, vals: usize, cap: i32, out: usize, deg: usize): void { hashMap<u32>(ptr, len, keys, vals, cap, out, deg); }
export function idsMapHashF64(ptr: usize, len: i32, keys: usize, vals: usize, cap: i32, out: usize, deg: usize): void { hashMap<f64>(ptr, len, keys, vals, cap, out, deg); }
