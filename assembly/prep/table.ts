// Table kernels: column statistics for fitting, and one pass that writes a row-major f32
// feature matrix from columnar inputs (standardise / min-max / passthrough / bucketise numeric
// columns, one-hot / ordinal / hashed categorical columns). Columns arrive as Arrow buffers
// copied into linear memory: values, an optional validity bitmap with a bit offset, and for
// strings the offsets and bytes.
import { murmur3_32 } from "../common/hash";

// Source element types (how `src` is read).
const T_F64 = 0;
const T_F32 = 1;
const T_I32 = 2;
const T_I16 = 3;
const T_I8 = 4;
const T_U32 = 5;
const T_U16 = 6;
const T_U8 = 7;
const T_I64 = 8;

// @ts-ignore: decorator
@inline function readAs(src: usize, type: i32, i: i32): f64 {
  const p = <usize>i;
  switch (type) {
    case T_F64: return load<f64>(src + (p << 3));
    case T_F32: return <f64>load<f32>(src + (p << 2));
    case T_I32: return <f64>load<i32>(src + (p << 2));
    case T_I16: return <f64>load<i16>(src + (p << 1));
    case T_I8: return <f64>load<i8>(src + p);
    case T_U32: return <f64>load<u32>(src + (p << 2));
    case T_U16: return <f64>load<u16>(src + (p << 1));
    case T_U8: return <f64>load<u8>(src + p);
    default: return <f64>load<i64>(src + (p << 3));
  }
}

// @ts-ignore: decorator
@inline function readCode(src: usize, type: i32, i: i32): i32 {
  const p = <usize>i;
  switch (type) {
    case T_I32: case T_U32: return load<i32>(src + (p << 2));
    case T_I16: return <i32>load<i16>(src + (p << 1));
    case T_U16: return <i32>load<u16>(src + (p << 1));
    case T_I8: return <i32>load<i8>(src + p);
    default: return <i32>load<u8>(src + p);
  }
}

// @ts-ignore: decorator
@inline function isValid(validity: usize, bitOffset: i32, i: i32): bool {
  if (validity == 0) return true;
  const b = bitOffset + i;
  return ((load<u8>(validity + <usize>(b >>> 3)) >>> (b & 7)) & 1) != 0;
}

/**
 * Statistics of the valid (non-null, non-NaN) values of a numeric column into out f64[5]:
 * count, mean, M2 (sum of squared deviations, two-pass), min, max.
 */
export function column_stats(src: usize, type: i32, validity: usize, bitOffset: i32, n: i32, out: usize): void {
  let count = 0;
  let sum = 0.0;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, bitOffset, i)) continue;
    const v = readAs(src, type, i);
    if (v != v) continue;
    count++;
    sum += v;
    lo = min(lo, v);
    hi = max(hi, v);
  }
  const mean = count > 0 ? sum / <f64>count : NaN;
  let m2 = 0.0;
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, bitOffset, i)) continue;
    const v = readAs(src, type, i);
    if (v == v) { const d = v - mean; m2 += d * d; }
  }
  store<f64>(out, <f64>count);
  store<f64>(out + 8, mean);
  store<f64>(out + 16, m2);
  store<f64>(out + 24, count > 0 ? lo : NaN);
  store<f64>(out + 32, count > 0 ? hi : NaN);
}

/** Copies the valid values of a numeric column to dst as f64; returns how many. */
export function column_valid_f64(src: usize, type: i32, validity: usize, bitOffset: i32, n: i32, dst: usize): i32 {
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, bitOffset, i)) continue;
    const v = readAs(src, type, i);
    if (v == v) { store<f64>(dst + (<usize>k << 3), v); k++; }
  }
  return k;
}

/** Sorts n f64 values (no NaN) ascending in place: quicksort, insertion sort below 16. */
export function sort_f64(p: usize, n: i32): void {
  let lo = 0, hi = n - 1;
  // Recurse into the smaller side, loop on the larger: O(log n) stack.
  while (hi - lo >= 16) {
    const mid = lo + ((hi - lo) >> 1);
    // median of three as pivot
    let a = load<f64>(p + (<usize>lo << 3)), b = load<f64>(p + (<usize>mid << 3)), c = load<f64>(p + (<usize>hi << 3));
    if (a > b) { const t = a; a = b; b = t; }
    if (b > c) { b = c; }
    if (a > b) { b = a; }
    const pivot = b;
    let i = lo, j = hi;
    while (i <= j) {
      while (load<f64>(p + (<usize>i << 3)) < pivot) i++;
      while (load<f64>(p + (<usize>j << 3)) > pivot) j--;
      if (i <= j) {
        const pi = p + (<usize>i << 3), pj = p + (<usize>j << 3);
        const t = load<f64>(pi);
        store<f64>(pi, load<f64>(pj));
        store<f64>(pj, t);
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) { sort_f64(p + (<usize>lo << 3), j - lo + 1); lo = i; }
    else { sort_f64(p + (<usize>i << 3), hi - i + 1); hi = j; }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = load<f64>(p + (<usize>i << 3));
    let j = i - 1;
    while (j >= lo && load<f64>(p + (<usize>j << 3)) > v) {
      store<f64>(p + (<usize>(j + 1) << 3), load<f64>(p + (<usize>j << 3)));
      j--;
    }
    store<f64>(p + (<usize>(j + 1) << 3), v);
  }
}

/** The most frequent value of n sorted f64 values (the smallest among ties). n >= 1. */
export function mode_sorted_f64(p: usize, n: i32): f64 {
  let best = load<f64>(p), bestRun = 0;
  let i = 0;
  while (i < n) {
    const v = load<f64>(p + (<usize>i << 3));
    let j = i + 1;
    while (j < n && load<f64>(p + (<usize>j << 3)) == v) j++;
    if (j - i > bestRun) { bestRun = j - i; best = v; }
    i = j;
  }
  return best;
}

/** Occurrences of each dictionary code among the valid rows into counts (i32[dictSize]); returns 0, or 1 if a code is out of range. */
export function code_counts(src: usize, type: i32, validity: usize, bitOffset: i32, n: i32, dictSize: i32, counts: usize): i32 {
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, bitOffset, i)) continue;
    const c = readCode(src, type, i);
    if (<u32>c >= <u32>dictSize) return 1;
    const p = counts + (<usize>c << 2);
    store<i32>(p, load<i32>(p) + 1);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Feature hashing as scikit-learn's FeatureHasher (input_type "dict"): the feature string
// "<column>=<value>" is hashed with MurmurHash3_x86_32, read as a signed int32 h; the index is
// |h| mod features, and with alternate signs the value added is +1 for h >= 0 and -1 otherwise.

// @ts-ignore: decorator
@inline function hashIndex(h: i32, features: i32): i32 {
  // |INT32_MIN| does not fit in an int32; scikit-learn maps it like this.
  if (h == i32.MIN_VALUE) return (i32.MAX_VALUE - (features - 1)) % features;
  return abs(h) % features;
}

/**
 * Hash of the prefix already at `scratch` followed by `len` bytes at `value`, assembled in
 * `scratch` (which must hold prefixLen + len bytes).
 */
// @ts-ignore: decorator
@inline function hashWithPrefix(scratch: usize, prefixLen: i32, value: usize, len: i32, seed: u32): i32 {
  memory.copy(scratch + <usize>prefixLen, value, <usize>len);
  return <i32>murmur3_32(scratch, prefixLen + len, seed);
}

/**
 * For each of `count` strings (Arrow Utf8: i32 offsets[count+1], bytes), the hashed feature
 * index (i32) and sign (f32, +-1, or +1 without alternate signs) of "<prefix><string>".
 * `scratch` holds the prefix followed by room for the longest string.
 */
export function hash_strings(
  offsets: usize, bytes: usize, count: i32, scratch: usize, prefixLen: i32, seed: u32, features: i32, alternate: i32,
  outIdx: usize, outSign: usize,
): void {
  const base = load<i32>(offsets);
  for (let i = 0; i < count; i++) {
    const a = load<i32>(offsets + (<usize>i << 2)), b = load<i32>(offsets + (<usize>(i + 1) << 2));
    const h = hashWithPrefix(scratch, prefixLen, bytes + <usize>(a - base), b - a, seed);
    store<i32>(outIdx + (<usize>i << 2), hashIndex(h, features));
    store<f32>(outSign + (<usize>i << 2), alternate != 0 && h < 0 ? -1.0 : 1.0);
  }
}

// ---------------------------------------------------------------------------------------------
// The transform: a list of ops, each writing one input column into `width` output columns
// starting at `outCol` of a row-major f32 matrix with `stride` columns. Rows go in blocks of
// BLOCK, every op over a block before the next block, so the block of output stays in cache
// while strided writes from all columns land in it.

const BLOCK = 64;

// Op kinds
const OP_AFFINE = 0; // f = (x - shift) * scale; missing -> fill
const OP_BUCKET = 1; // f = #boundaries <= x; missing -> fill
const OP_ONEHOT = 2; // out[outCol + lut[code]] = 1; lut < 0: unknown
const OP_ORDINAL = 3; // f = lut[code]; missing or unknown -> NaN
const OP_HASH_CODES = 4; // out[outCol + idx[code]] += sign[code]
const OP_HASH_UTF8 = 5; // hashes "<prefix><row string>" per row

// Op descriptor layout (bytes); OP_BYTES each.
const O_KIND: usize = 0;
const O_TYPE: usize = 4;
const O_SRC: usize = 8;
const O_VALIDITY: usize = 12;
const O_BIT_OFFSET: usize = 16;
const O_OUT_COL: usize = 20;
const O_AUX: usize = 24; // lut (i32) / boundaries (f64) / utf8 offsets (i32)
const O_AUX_LEN: usize = 28; // dictionary size / boundary count
const O_AUX2: usize = 32; // hash signs (f32) / utf8 bytes
const O_SCRATCH: usize = 36; // OP_HASH_UTF8: prefix + room for the longest string
const O_PREFIX_LEN: usize = 40;
const O_SEED: usize = 44;
const O_FEATURES: usize = 48;
const O_FLAGS: usize = 52; // bit 0: alternate signs; bit 1: unknown categories are ignored
const O_BAD_ROW: usize = 56; // out: first row with an unknown category (or -1)
const O_SCALE: usize = 64;
const O_SHIFT: usize = 72;
const O_FILL: usize = 80;
const OP_BYTES: usize = 96;

/** Bytes per op descriptor (for TypeScript). */
export function table_op_bytes(): i32 {
  return <i32>OP_BYTES;
}

/**
 * Writes rows [0, rows) of the feature matrix at `out` (f32, `stride` columns per row) from
 * `nOps` op descriptors at `ops`. Returns 0, or 1 if an op with unknown categories set to
 * "error" met one (its O_BAD_ROW holds the first such row).
 */
export function table_transform(ops: usize, nOps: i32, rows: i32, out: usize, stride: i32): i32 {
  let status = 0;
  for (let k = 0; k < nOps; k++) store<i32>(ops + <usize>k * OP_BYTES + O_BAD_ROW, -1);
  const rowBytes = <usize>stride << 2;
  for (let start = 0; start < rows; start += BLOCK) {
    const end = min(rows, start + BLOCK);
    memory.fill(out + <usize>start * rowBytes, 0, <usize>(end - start) * rowBytes);
    for (let k = 0; k < nOps; ) {
      // Four f64 columns standardised into four adjacent output columns go together.
      const run = affineRun(ops, k, nOps);
      if (run >= 4) {
        const groups = run >> 2;
        for (let g = 0; g < groups; g++) affine4(ops + <usize>(k + (g << 2)) * OP_BYTES, start, end, out, rowBytes);
        k += groups << 2;
        continue;
      }
      if (runOp(ops + <usize>k * OP_BYTES, start, end, out, rowBytes) != 0) status = 1;
      k++;
    }
  }
  return status;
}

/** Whether op `k` is an f64 affine op without a validity bitmap. */
// @ts-ignore: decorator
@inline function plainAffineF64(op: usize): bool {
  return load<i32>(op + O_KIND) == OP_AFFINE && load<i32>(op + O_TYPE) == T_F64 && load<i32>(op + O_VALIDITY) == 0;
}

/** How many ops from `k` on are plain f64 affine ops writing consecutive output columns. */
function affineRun(ops: usize, k: i32, nOps: i32): i32 {
  let n = 0;
  let col = 0;
  for (let j = k; j < nOps; j++) {
    const op = ops + <usize>j * OP_BYTES;
    if (!plainAffineF64(op)) break;
    const c = load<i32>(op + O_OUT_COL);
    if (n > 0 && c != col + 1) break;
    col = c;
    n++;
  }
  return n;
}

/**
 * Four plain f64 affine ops (adjacent output columns) over rows [start, end): per row the four
 * values go through (x - shift) * scale in f64, as `affine` computes them, and are stored as one
 * f32x4. NaN -> fill.
 */
function affine4(op: usize, start: i32, end: i32, out: usize, rowBytes: usize): void {
  const o1 = op + OP_BYTES, o2 = o1 + OP_BYTES, o3 = o2 + OP_BYTES;
  const s0 = <usize>load<i32>(op + O_SRC), s1 = <usize>load<i32>(o1 + O_SRC);
  const s2 = <usize>load<i32>(o2 + O_SRC), s3 = <usize>load<i32>(o3 + O_SRC);
  const shiftA = f64x2(load<f64>(op + O_SHIFT), load<f64>(o1 + O_SHIFT));
  const shiftB = f64x2(load<f64>(o2 + O_SHIFT), load<f64>(o3 + O_SHIFT));
  const scaleA = f64x2(load<f64>(op + O_SCALE), load<f64>(o1 + O_SCALE));
  const scaleB = f64x2(load<f64>(o2 + O_SCALE), load<f64>(o3 + O_SCALE));
  const fill = f32x4(
    <f32>load<f64>(op + O_FILL), <f32>load<f64>(o1 + O_FILL), <f32>load<f64>(o2 + O_FILL), <f32>load<f64>(o3 + O_FILL),
  );
  let dst = out + (<usize>load<i32>(op + O_OUT_COL) << 2) + <usize>start * rowBytes;
  for (let r = start; r < end; r++) {
    const off = <usize>r << 3;
    const a = v128.load64_lane(s1 + off, v128.load64_zero(s0 + off), 1);
    const b = v128.load64_lane(s3 + off, v128.load64_zero(s2 + off), 1);
    const ya = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.sub(a, shiftA), scaleA));
    const yb = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.sub(b, shiftB), scaleB));
    const y = i64x2.shuffle(ya, yb, 0, 2);
    const ok = i32x4.shuffle(f64x2.eq(a, a), f64x2.eq(b, b), 0, 2, 4, 6);
    v128.store(dst, v128.bitselect(y, fill, ok));
    dst += rowBytes;
  }
}

// @ts-ignore: decorator
@inline function at<T>(src: usize, r: i32): usize {
  return src + (<usize>r << alignof<T>());
}

/** (x - shift) * scale per row; missing (null or NaN) -> fill. Specialised per source type. */
function affine<T>(src: usize, validity: usize, bitOffset: i32, start: i32, end: i32, col: usize, rowBytes: usize, scale: f64, shift: f64, fill: f32): void {
  if (validity == 0) {
    for (let r = start; r < end; r++) {
      const v = <f64>load<T>(at<T>(src, r));
      store<f32>(col + <usize>r * rowBytes, v == v ? <f32>((v - shift) * scale) : fill);
    }
    return;
  }
  for (let r = start; r < end; r++) {
    const v = <f64>load<T>(at<T>(src, r));
    store<f32>(col + <usize>r * rowBytes, v == v && isValid(validity, bitOffset, r) ? <f32>((v - shift) * scale) : fill);
  }
}

/** Number of boundaries <= x per row; missing -> fill. */
function bucket<T>(src: usize, validity: usize, bitOffset: i32, start: i32, end: i32, col: usize, rowBytes: usize, bounds: usize, count: i32, fill: f32): void {
  for (let r = start; r < end; r++) {
    const v = <f64>load<T>(at<T>(src, r));
    if (v != v || !isValid(validity, bitOffset, r)) { store<f32>(col + <usize>r * rowBytes, fill); continue; }
    let lo = 0, hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (load<f64>(bounds + (<usize>mid << 3)) <= v) lo = mid + 1; else hi = mid;
    }
    store<f32>(col + <usize>r * rowBytes, <f32>lo);
  }
}

/**
 * Dictionary codes through a lookup table (one-hot, ordinal, hashed). Returns 1 if an unknown
 * category was met and unknowns are errors (recording the first such row in the op).
 */
function codes<T>(op: usize, kind: i32, src: usize, validity: usize, bitOffset: i32, start: i32, end: i32, col: usize, rowBytes: usize, lut: usize, lutLen: i32, signs: usize, flags: i32): i32 {
  let bad = 0;
  for (let r = start; r < end; r++) {
    const rowOut = col + <usize>r * rowBytes;
    if (validity != 0 && !isValid(validity, bitOffset, r)) {
      if (kind == OP_ORDINAL) store<f32>(rowOut, NaN);
      continue;
    }
    const c = <i32>load<T>(at<T>(src, r));
    const m = <u32>c < <u32>lutLen ? load<i32>(lut + (<usize>c << 2)) : -1;
    if (kind == OP_HASH_CODES) {
      if (m < 0) continue;
      const p = rowOut + (<usize>m << 2);
      store<f32>(p, load<f32>(p) + load<f32>(signs + (<usize>c << 2)));
      continue;
    }
    if (m < 0) {
      if (kind == OP_ORDINAL) store<f32>(rowOut, NaN);
      if ((flags & 2) == 0 && bad == 0) {
        bad = 1;
        if (load<i32>(op + O_BAD_ROW) < 0) store<i32>(op + O_BAD_ROW, r);
      }
      continue;
    }
    if (kind == OP_ONEHOT) store<f32>(rowOut + (<usize>m << 2), 1.0);
    else store<f32>(rowOut, <f32>m);
  }
  return bad;
}

function runOp(op: usize, start: i32, end: i32, out: usize, rowBytes: usize): i32 {
  const kind = load<i32>(op + O_KIND);
  const type = load<i32>(op + O_TYPE);
  const src = <usize>load<i32>(op + O_SRC);
  const validity = <usize>load<i32>(op + O_VALIDITY);
  const bitOffset = load<i32>(op + O_BIT_OFFSET);
  const col = out + (<usize>load<i32>(op + O_OUT_COL) << 2);
  const aux = <usize>load<i32>(op + O_AUX);
  const auxLen = load<i32>(op + O_AUX_LEN);
  const aux2 = <usize>load<i32>(op + O_AUX2);
  const fill = <f32>load<f64>(op + O_FILL);
  const flags = load<i32>(op + O_FLAGS);
  if (kind == OP_AFFINE) {
    const scale = load<f64>(op + O_SCALE), shift = load<f64>(op + O_SHIFT);
    switch (type) {
      case T_F64: affine<f64>(src, validity, bitOffset, start, end, col, rowBytes, scale, shift, fill); break;
      case T_F32: affine<f32>(src, validity, bitOffset, start, end, col, rowBytes, scale, shift, fill); break;
      case T_I32: affine<i32>(src, validity, bitOffset, start, end, col, rowBytes, scale, shift, fill); break;
      case T_I16: affine<i16>(src, validity, bitOffset, start, end, col, rowBytes, scale, shift, fill); break;
      case T_I8: affine<i8>(src, validity, bitOffset, start, end, col, rowBytes, scale, shift, fill); break;
      case T_U32: affine<u32>(src, validity, bitOffset, start, end, col, rowBytes, scale, shift, fill); break;
      case T_U16: affine<u16>(src, validity, bitOffset, start, end, col, rowBytes, scale, shift, fill); break;
      case T_U8: affine<u8>(src, validity, bitOffset, start, end, col, rowBytes, scale, shift, fill); break;
      default: affine<i64>(src, validity, bitOffset, start, end, col, rowBytes, scale, shift, fill);
    }
    return 0;
  }
  if (kind == OP_BUCKET) {
    switch (type) {
      case T_F64: bucket<f64>(src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, fill); break;
      case T_F32: bucket<f32>(src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, fill); break;
      case T_I32: bucket<i32>(src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, fill); break;
      case T_I16: bucket<i16>(src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, fill); break;
      case T_I8: bucket<i8>(src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, fill); break;
      case T_U32: bucket<u32>(src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, fill); break;
      case T_U16: bucket<u16>(src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, fill); break;
      case T_U8: bucket<u8>(src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, fill); break;
      default: bucket<i64>(src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, fill);
    }
    return 0;
  }
  if (kind == OP_HASH_UTF8) {
    const scratch = <usize>load<i32>(op + O_SCRATCH);
    const prefixLen = load<i32>(op + O_PREFIX_LEN);
    const seed = load<u32>(op + O_SEED);
    const features = load<i32>(op + O_FEATURES);
    const base = load<i32>(aux);
    for (let r = start; r < end; r++) {
      if (!isValid(validity, bitOffset, r)) continue;
      const a = load<i32>(aux + (<usize>r << 2)), b = load<i32>(aux + (<usize>(r + 1) << 2));
      const h = hashWithPrefix(scratch, prefixLen, aux2 + <usize>(a - base), b - a, seed);
      const p = col + <usize>r * rowBytes + (<usize>hashIndex(h, features) << 2);
      store<f32>(p, load<f32>(p) + ((flags & 1) != 0 && h < 0 ? <f32>-1.0 : <f32>1.0));
    }
    return 0;
  }
  switch (type) {
    case T_I32: case T_U32: return codes<i32>(op, kind, src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, aux2, flags);
    case T_I16: return codes<i16>(op, kind, src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, aux2, flags);
    case T_U16: return codes<u16>(op, kind, src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, aux2, flags);
    case T_I8: return codes<i8>(op, kind, src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, aux2, flags);
    default: return codes<u8>(op, kind, src, validity, bitOffset, start, end, col, rowBytes, aux, auxLen, aux2, flags);
  }
}
