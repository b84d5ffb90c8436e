/**
 * HyperLogLog distinct counting (Flajolet, Fusy, Gandouet, Meunier, "HyperLogLog: the analysis of a
 * near-optimal cardinality estimation algorithm", AofA 2007) with the estimator of Otmar Ertl,
 * "New cardinality estimation algorithms for HyperLogLog sketches" (arXiv:1702.01284, 2017),
 * Algorithm 6 ("improved raw estimator"): no empirical bias tables, unbiased over the whole range
 * from 0 to far beyond 2^p.
 *
 * A sketch is one heap block addressed by its pointer (the handle). All state lives in the block,
 * so copying the module's memory copies the sketch. Two representations:
 *
 * - sparse: an open-addressed set (linear probing) of 32-bit tokens `idx26 << 6 | rho26`, one per
 *   26-bit register index, keeping the largest rho seen for it. This is an HLL with 2^26
 *   registers stored sparsely; it is estimated with the same estimator at p' = 26, which is
 *   near-exact while the sketch is small (off only when two distinct hashes share the top 26
 *   bits: for n items, expected n^2 / 2^27 collisions, about 0.07 at n = 1000). A token keeps
 *   everything the dense registers need, so converting gives the same registers as adding the
 *   hashes densely would have.
 * - dense: 2^p one-byte registers.
 *
 * The sketch converts to dense when it would hold more than 3/4 * 2^p / 4 sparse tokens (the
 * point where the sparse table would outgrow the dense registers). That depends only on the set
 * of hashes added, so the representation, the registers and the estimate depend on the set alone:
 * not on insertion order, not on how it was split and merged. Precisions below 5 start dense.
 *
 * Error: standard error 1.04 / sqrt(2^p) in dense mode (0.81% at the default p = 14);
 * near-exact in sparse mode (up to 3072 distinct hashes at p = 14).
 * Memory: 16 + 4 * slots bytes sparse (48 bytes when empty, slots doubling from 8 up to 2^p / 4;
 * a table doubles when it is half full, the last one converts when three quarters full),
 * 16 + 2^p bytes dense (16 KiB at p = 14).
 * Cost: hllAdd O(1) (amortised in sparse mode, where the table doubles); hllEstimate O(2^p)
 * dense, O(1) sparse; hllMerge O(2^p) (SIMD byte max) or O(src slots).
 *
 * Hashes must be well mixed 64-bit values (common/hash.ts: hashInt64, hashBytes64).
 *
 * @example
 * let h = hllNew(14);
 * h = hllAdd(h, hashInt64(userId, 0));
 * const distinct = hllEstimate(h);
 * hllFree(h);
 */

// Block layout: header, then either sparse slots (u32) or dense registers (u8).
// @ts-ignore: decorator
@lazy @inline const OFF_P: usize = 0; // u8 precision
// @ts-ignore: decorator
@lazy @inline const OFF_DENSE: usize = 1; // u8 0 sparse / 1 dense
// @ts-ignore: decorator
@lazy @inline const OFF_COUNT: usize = 4; // u32 sparse tokens stored
// @ts-ignore: decorator
@lazy @inline const OFF_SLOTS: usize = 8; // u32 sparse table size (power of two)
// @ts-ignore: decorator
@lazy @inline const HEADER: usize = 16;

/** The sparse representation's own precision: index bits kept per token. */
// @ts-ignore: decorator
@lazy @inline const SP: i32 = 26;
// @ts-ignore: decorator
@lazy @inline const SPARSE_INITIAL_SLOTS: u32 = 8;

/** The default precision: 2^14 registers, standard error 0.81%. */
export const HLL_DEFAULT_P: i32 = 14;
export const HLL_MIN_P: i32 = 4;
export const HLL_MAX_P: i32 = 18;

// @ts-ignore: decorator
@inline function precision(h: usize): i32 {
  return <i32>load<u8>(h, OFF_P);
}

// @ts-ignore: decorator
@inline function isDense(h: usize): bool {
  return load<u8>(h, OFF_DENSE) != 0;
}

/** The largest sparse table for precision p: as many bytes as the dense registers. */
// @ts-ignore: decorator
@inline function maxSlots(p: i32): u32 {
  return (<u32>1 << <u32>p) >> 2;
}

/**
 * A new, empty sketch with 2^p registers (4 <= p <= 18; 14 is the usual choice). Returns 0 if p
 * is out of range.
 */
export function hllNew(p: i32): usize {
  if (p < HLL_MIN_P || p > HLL_MAX_P) return 0;
  if (maxSlots(p) < SPARSE_INITIAL_SLOTS) return newDense(p);
  const bytes = HEADER + (<usize>SPARSE_INITIAL_SLOTS << 2);
  const h = heap.alloc(bytes);
  memory.fill(h, 0, bytes);
  store<u8>(h, <u8>p, OFF_P);
  store<u32>(h, SPARSE_INITIAL_SLOTS, OFF_SLOTS);
  return h;
}

function newDense(p: i32): usize {
  const bytes = HEADER + (<usize>1 << <usize>p);
  const h = heap.alloc(bytes);
  memory.fill(h, 0, bytes);
  store<u8>(h, <u8>p, OFF_P);
  store<u8>(h, 1, OFF_DENSE);
  return h;
}

/**
 * Adds one 64-bit hash. Returns the sketch's handle, which moves when the sparse table grows or
 * converts to dense: always continue with the returned handle. O(1) amortised.
 */
export function hllAdd(h: usize, hash: u64): usize {
  if (isDense(h)) {
    denseAdd(h, hash);
    return h;
  }
  const w = hash << <u64>SP;
  const rho = w == 0 ? <u32>(65 - SP) : <u32>clz(w) + 1;
  return sparseInsert(h, (<u32>(hash >> <u64>(64 - SP)) << 6) | rho);
}

// @ts-ignore: decorator
@inline function denseAdd(h: usize, hash: u64): void {
  const p = precision(h);
  const idx = <usize>(hash >> <u64>(64 - p));
  const w = hash << <u64>p;
  const rho = w == 0 ? <u8>(65 - p) : <u8>clz(w) + 1;
  const at = h + HEADER + idx;
  if (rho > load<u8>(at)) store<u8>(at, rho);
}

/** Sets the dense register a sparse token maps to (same value its hash would have set). */
function denseAddToken(h: usize, token: u32): void {
  const p = precision(h);
  const idx26 = token >> 6;
  const shift = <u32>(SP - p);
  const rest = idx26 & ((<u32>1 << shift) - 1);
  // Leading zeros in the index bits below the top p, else continue into the token's rho.
  const rho = rest != 0 ? <u8>(clz(rest) - (32 - shift) + 1) : <u8>(shift + (token & 63));
  const at = h + HEADER + <usize>(idx26 >> shift);
  if (rho > load<u8>(at)) store<u8>(at, rho);
}

/** Adds a token to a sparse sketch, growing or converting it; returns the (possibly new) handle. */
function sparseInsert(h: usize, token: u32): usize {
  const slots = load<u32>(h, OFF_SLOTS);
  const mask = slots - 1;
  const idx26 = token >> 6;
  const table = h + HEADER;
  let i = idx26 & mask;
  while (true) {
    const at = table + (<usize>i << 2);
    const e = load<u32>(at);
    if (e == 0) break;
    if (e >> 6 == idx26) {
      if ((token & 63) > (e & 63)) store<u32>(at, token);
      return h;
    }
    i = (i + 1) & mask;
  }
  const count = load<u32>(h, OFF_COUNT) + 1;
  const p = precision(h);
  const last = slots >= maxSlots(p);
  // Tables below the cap grow at half full (linear probing's misses stay short: about 2.5 probes
  // against 8.5 at three quarters); the last one fills to three quarters, then converts. Both are
  // deterministic in the number of distinct indices alone.
  if (count > (last ? (slots >> 2) * 3 : slots >> 1)) {
    if (last) {
      const d = toDense(h);
      denseAddToken(d, token);
      return d;
    }
    const g = rehash(h, slots << 1);
    return sparseInsert(g, token);
  }
  store<u32>(table + (<usize>i << 2), token);
  store<u32>(h, count, OFF_COUNT);
  return h;
}

/** A new sparse block with `slots` slots holding h's tokens; frees h. */
function rehash(h: usize, slots: u32): usize {
  const bytes = HEADER + (<usize>slots << 2);
  const g = heap.alloc(bytes);
  memory.fill(g, 0, bytes);
  store<u8>(g, load<u8>(h, OFF_P), OFF_P);
  store<u32>(g, load<u32>(h, OFF_COUNT), OFF_COUNT);
  store<u32>(g, slots, OFF_SLOTS);
  const mask = slots - 1;
  const oldSlots = load<u32>(h, OFF_SLOTS);
  for (let j: u32 = 0; j < oldSlots; j++) {
    const e = load<u32>(h + HEADER + (<usize>j << 2));
    if (e == 0) continue;
    let i = (e >> 6) & mask;
    while (load<u32>(g + HEADER + (<usize>i << 2)) != 0) i = (i + 1) & mask;
    store<u32>(g + HEADER + (<usize>i << 2), e);
  }
  heap.free(h);
  return g;
}

/** A dense block with h's tokens applied; frees h. */
function toDense(h: usize): usize {
  const d = newDense(precision(h));
  const slots = load<u32>(h, OFF_SLOTS);
  for (let j: u32 = 0; j < slots; j++) {
    const e = load<u32>(h + HEADER + (<usize>j << 2));
    if (e != 0) denseAddToken(d, e);
  }
  heap.free(h);
  return d;
}

/**
 * Merges `src` into `dst` (both must have the same precision; src is unchanged). The result is
 * the sketch of the union of both sets: the same registers, hence the same estimate, as adding
 * every hash to one sketch. Returns dst's handle, which may move. O(2^p) or O(src slots).
 */
export function hllMerge(dst: usize, src: usize): usize {
  assert(precision(dst) == precision(src), "hll: precision mismatch");
  if (!isDense(src)) {
    const slots = load<u32>(src, OFF_SLOTS);
    for (let j: u32 = 0; j < slots; j++) {
      const e = load<u32>(src + HEADER + (<usize>j << 2));
      if (e == 0) continue;
      if (isDense(dst)) denseAddToken(dst, e);
      else dst = sparseInsert(dst, e);
    }
    return dst;
  }
  if (!isDense(dst)) dst = toDense(dst);
  const m = <usize>1 << <usize>precision(dst);
  const a = dst + HEADER;
  const b = src + HEADER;
  for (let i: usize = 0; i < m; i += 16) {
    v128.store(a + i, i8x16.max_u(v128.load(a + i), v128.load(b + i)));
  }
  return dst;
}

/**
 * The estimated number of distinct hashes added (Ertl 2017, Algorithm 6). 0 for an empty sketch.
 * Depends only on the registers, so equal sets give bit-identical estimates.
 */
export function hllEstimate(h: usize): f64 {
  if (!isDense(h)) {
    const count = load<u32>(h, OFF_COUNT);
    if (count == 0) return 0;
    // Sparse sketches hold at most 2^p / 4 · 3/4 tokens out of 2^26 registers; there the
    // estimate is linear counting, −m ln(1 − count/m): one log instead of Ertl's sigma and tau
    // series, which converge slowly this close to an empty sketch (they dominated the cost of
    // windows with a distinct aggregate). The two differ by less than 0.03 over the sparse range.
    const ms = <f64>(<u64>1 << <u64>SP);
    return -ms * Math.log1p(-<f64>count / ms);
  }
  // Register-value histogram C[0..q+1]; q + 2 <= 62 for p >= 4.
  const hist = memory.data(64 * 4, 16);
  memory.fill(hist, 0, 64 * 4);
  const p = precision(h);
  const n = <usize>1 << <usize>p;
  const regs = h + HEADER;
  for (let i: usize = 0; i < n; i++) {
    const at = hist + (<usize>load<u8>(regs + i) << 2);
    store<u32>(at, load<u32>(at) + 1);
  }
  const m = <f64>n;
  const q = 64 - p;
  const c0 = <f64>load<u32>(hist);
  if (c0 == m) return 0;
  let z = m * tau(1.0 - <f64>load<u32>(hist + (<usize>(q + 1) << 2)) / m);
  for (let k = q; k >= 1; k--) z = 0.5 * (z + <f64>load<u32>(hist + (<usize>k << 2)));
  z += m * sigma(c0 / m);
  // alpha_inf = 1 / (2 ln 2)
  return (m * m) / (2.0 * Math.LN2 * z);
}

/** Ertl's sigma(x) = x + sum_{k>=1} x^(2^k) 2^(k-1), for 0 <= x < 1. */
function sigma(x: f64): f64 {
  if (x == 1.0) return Infinity;
  let y = 1.0;
  let z = x;
  while (true) {
    x *= x;
    const prev = z;
    z += x * y;
    y += y;
    if (z == prev) return z;
  }
}

/** Ertl's tau(x) = (1/3)(1 - x - sum_{k>=1} (1 - x^(2^-k))^2 2^-k), for 0 <= x <= 1. */
function tau(x: f64): f64 {
  if (x == 0.0 || x == 1.0) return 0.0;
  let y = 1.0;
  let z = 1.0 - x;
  while (true) {
    x = Math.sqrt(x);
    const prev = z;
    y *= 0.5;
    const d = 1.0 - x;
    z -= d * d * y;
    if (z == prev) return z / 3.0;
  }
}

/** An independent copy of the sketch. */
export function hllClone(h: usize): usize {
  const bytes = <usize>hllBytes(h);
  const c = heap.alloc(bytes);
  memory.copy(c, h, bytes);
  return c;
}

/** Frees the sketch's block. */
export function hllFree(h: usize): void {
  heap.free(h);
}

/** Bytes the sketch's block holds. */
export function hllBytes(h: usize): i32 {
  return isDense(h)
    ? <i32>HEADER + (1 << precision(h))
    : <i32>HEADER + (<i32>load<u32>(h, OFF_SLOTS) << 2);
}

/** 1 if the sketch holds dense registers, 0 if sparse. */
export function hllIsDense(h: usize): i32 {
  return <i32>isDense(h);
}

/**
 * Whether two sketches hold the same state: same precision and representation, and the same
 * registers (dense) or the same set of tokens (sparse; table layout may differ with order).
 */
export function hllEquals(a: usize, b: usize): bool {
  if (precision(a) != precision(b) || isDense(a) != isDense(b)) return false;
  if (isDense(a)) return memory.compare(a + HEADER, b + HEADER, <usize>1 << <usize>precision(a)) == 0;
  if (load<u32>(a, OFF_COUNT) != load<u32>(b, OFF_COUNT)) return false;
  const slotsA = load<u32>(a, OFF_SLOTS);
  const slotsB = load<u32>(b, OFF_SLOTS);
  const maskB = slotsB - 1;
  for (let j: u32 = 0; j < slotsA; j++) {
    const e = load<u32>(a + HEADER + (<usize>j << 2));
    if (e == 0) continue;
    let i = (e >> 6) & maskB;
    while (true) {
      const f = load<u32>(b + HEADER + (<usize>i << 2));
      if (f == 0) return false;
      if (f >> 6 == e >> 6) {
        if (f != e) return false;
        break;
      }
      i = (i + 1) & maskB;
    }
  }
  return true;
}
