// Node ids are labels, not indices: these kernels turn integer id columns (i32, u32 or f64
// holding integers) into dense u32 node indices ordered by ascending id. Two paths:
// a presence bitmap with rank prefixes over [min, max] when the id range is within a small
// multiple of the id count, and an open-addressing hash (f64 keys, NaN = empty) otherwise.
// TS picks the path and sorts the unique keys of the hash path.

import { mix64 } from "../common/hash";

const MAX_SAFE: f64 = 9007199254740991.0;

// @ts-ignore: decorator
@inline function readId<T>(ptr: usize, i: i32): f64 {
  return <f64>load<T>(ptr + (<usize>i << alignof<T>()));
}

// Mappers count each index into deg (u32[n]) when deg != 0: the CSR build needs the
// degrees, and counting while the index is in hand saves a pass over the edges.
// @ts-ignore: decorator
@inline function emit(out: usize, i: i32, v: u32, deg: usize): void {
  store<u32>(out + (<usize>i << 2), v);
  if (deg) {
    const p = deg + (<usize>v << 2);
    store<u32>(p, load<u32>(p) + 1);
  }
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

// ---- direct path over [min, max]: a presence bitmap (u32 words) plus, per word, the number of
// ids before it — a rank structure of range / 5.3 bytes that stays in cache, so mapping an id to
// its node index (ascending id order) is two nearby loads and a popcount ----

function bitsMark<T>(ptr: usize, len: i32, lo: f64, bits: usize): void {
  for (let i = 0; i < len; i++) {
    const k = <u32>(readId<T>(ptr, i) - lo);
    const p = bits + (<usize>(k >> 5) << 2);
    store<u32>(p, load<u32>(p) | (1 << (k & 31)));
  }
}
export function idsMarkI32(ptr: usize, len: i32, lo: f64, bits: usize): void { bitsMark<i32>(ptr, len, lo, bits); }
export function idsMarkU32(ptr: usize, len: i32, lo: f64, bits: usize): void { bitsMark<u32>(ptr, len, lo, bits); }
export function idsMarkF64(ptr: usize, len: i32, lo: f64, bits: usize): void { bitsMark<f64>(ptr, len, lo, bits); }

/** prefix[w] = ids marked in words before w (u32[words]); returns the number of ids marked. */
export function idsRankBits(bits: usize, words: i32, prefix: usize): i32 {
  let n: u32 = 0;
  for (let w = 0; w < words; w++) {
    store<u32>(prefix + (<usize>w << 2), n);
    n += popcnt(load<u32>(bits + (<usize>w << 2)));
  }
  return <i32>n;
}

/** Writes the marked ids in ascending order to ids (f64[n]). */
export function idsListBits(bits: usize, words: i32, lo: f64, ids: usize): void {
  let r = 0;
  for (let w = 0; w < words; w++) {
    let word = load<u32>(bits + (<usize>w << 2));
    while (word) {
      const b = ctz(word);
      store<f64>(ids + (<usize>(r++) << 3), lo + <f64>((w << 5) + <i32>b));
      word &= word - 1;
    }
  }
}

function bitsMap<T>(ptr: usize, len: i32, lo: f64, bits: usize, prefix: usize, out: usize, deg: usize): void {
  for (let i = 0; i < len; i++) {
    const k = <u32>(readId<T>(ptr, i) - lo);
    const w = <usize>(k >> 5) << 2;
    const r = load<u32>(prefix + w) + popcnt(load<u32>(bits + w) & ((<u32>1 << (k & 31)) - 1));
    emit(out, i, r, deg);
  }
}
export function idsMapDirectI32(ptr: usize, len: i32, lo: f64, bits: usize, prefix: usize, out: usize, deg: usize): void { bitsMap<i32>(ptr, len, lo, bits, prefix, out, deg); }
export function idsMapDirectU32(ptr: usize, len: i32, lo: f64, bits: usize, prefix: usize, out: usize, deg: usize): void { bitsMap<u32>(ptr, len, lo, bits, prefix, out, deg); }
export function idsMapDirectF64(ptr: usize, len: i32, lo: f64, bits: usize, prefix: usize, out: usize, deg: usize): void { bitsMap<f64>(ptr, len, lo, bits, prefix, out, deg); }

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
