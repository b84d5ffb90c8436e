// Discrete Fourier transforms as the ONNX DFT and STFT operators define them, for any length:
// iterative radix-2 with precomputed per-stage twiddles for powers of two (one complex f64 per
// v128, so each butterfly is a handful of SIMD ops), Bluestein's chirp-z convolution over a
// power-of-two FFT for every other length, and the half-length trick for real input of even
// length. All arithmetic is f64 whatever the tensor dtype; inputs and outputs are f32 or f64.
//
// A plan (built by fft_plan_init into memory TypeScript allocates per call) holds the tables
// and the scratch a transform needs, so kernels allocate nothing.

// Plan header, byte offsets (pointers are absolute addresses in linear memory).
const P_M: usize = 0; // complex length the engine transforms
const P_KIND: usize = 4; // 0 power of two, 1 Bluestein
const P_L: usize = 8; // power-of-two length of the radix-2 tables (M, or Bluestein's padded length)
const P_N: usize = 12; // real length for a half-length real plan, else 0
const P_REV: usize = 16;
const P_TW: usize = 20;
const P_CHIRP: usize = 24;
const P_B: usize = 28;
const P_BWORK: usize = 32;
const P_BUF: usize = 36;
const P_POST: usize = 40;
const HEADER: usize = 48;

const KIND_POW2 = 0;
const KIND_BLUESTEIN = 1;

// @ts-ignore: decorator
@inline function isPow2(n: i32): bool {
  return n > 0 && (n & (n - 1)) == 0;
}

// @ts-ignore: decorator
@inline function align16(n: usize): usize {
  return (n + 15) & ~<usize>15;
}

function engineLength(m: i32): i32 {
  if (isPow2(m)) return m;
  let l = 1;
  while (l < 2 * m - 1) l <<= 1;
  return l;
}

function engineSize(n: i32, real: i32): i32 {
  return real != 0 && (n & 1) == 0 && n >= 2 ? n >> 1 : n;
}

/**
 * Bytes of a plan for an n-point transform (n >= 1). `real` = 1 plans the half-length real
 * transform when n is even (used for forward transforms of real input).
 */
export function fft_plan_bytes(n: i32, real: i32): usize {
  const m = engineSize(n, real);
  const l = engineLength(m);
  let bytes = HEADER + align16(<usize>l << 2) + (<usize>(l - 1) << 5) + (<usize>l << 4);
  if (!isPow2(m)) bytes += (<usize>m << 4) + (<usize>l << 5);
  if (m != n) bytes += <usize>(m + 1) << 5;
  return bytes + 16;
}

/** Builds a forward-transform plan in `plan` (fft_plan_bytes(n, real) bytes, any alignment). */
export function fft_plan_init(plan: usize, n: i32, real: i32): void {
  plan = align16(plan);
  const m = engineSize(n, real);
  const l = engineLength(m);
  const kind = isPow2(m) ? KIND_POW2 : KIND_BLUESTEIN;
  store<i32>(plan + P_M, m);
  store<i32>(plan + P_KIND, kind);
  store<i32>(plan + P_L, l);
  store<i32>(plan + P_N, m != n ? n : 0);
  let p = plan + HEADER;
  const rev = p; p += align16(<usize>l << 2);
  const tw = p; p += <usize>(l - 1) << 5;
  const buf = p; p += <usize>l << 4;
  let chirp: usize = 0, bb: usize = 0, bwork: usize = 0, post: usize = 0;
  if (kind == KIND_BLUESTEIN) {
    chirp = p; p += <usize>m << 4;
    bb = p; p += <usize>l << 4;
    bwork = p; p += <usize>l << 4;
  }
  if (m != n) post = p;
  store<i32>(plan + P_REV, <i32>rev);
  store<i32>(plan + P_TW, <i32>tw);
  store<i32>(plan + P_BUF, <i32>buf);
  store<i32>(plan + P_CHIRP, <i32>chirp);
  store<i32>(plan + P_B, <i32>bb);
  store<i32>(plan + P_BWORK, <i32>bwork);
  store<i32>(plan + P_POST, <i32>post);

  // Bit reversal of log2(l) bits.
  let bits = 0;
  while ((1 << bits) < l) bits++;
  for (let i = 0; i < l; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    store<i32>(rev + (<usize>i << 2), r);
  }
  // Stage with half-size h keeps its h twiddles exp(-i pi k / h) at entries h-1 .. 2h-2, each
  // stored as (w) and (-w.im, w.re) so a product is two multiplies and an add.
  for (let h = 1; h < l; h <<= 1) {
    for (let k = 0; k < h; k++) {
      const a = Math.PI * <f64>k / <f64>h;
      const wr = Math.cos(a), wi = -Math.sin(a);
      const e = tw + (<usize>(h - 1 + k) << 5);
      v128.store(e, f64x2(wr, wi));
      v128.store(e + 16, f64x2(-wi, wr));
    }
  }
  if (kind == KIND_BLUESTEIN) {
    // chirp c[k] = exp(-i pi k^2 / m), with k^2 reduced mod 2m so large k keep full precision.
    const m2 = <i64>m << 1;
    for (let k = 0; k < m; k++) {
      const q = (<i64>k * <i64>k) % m2;
      const a = Math.PI * <f64>q / <f64>m;
      v128.store(chirp + (<usize>k << 4), f64x2(Math.cos(a), -Math.sin(a)));
    }
    // b = conj(c) placed circularly, transformed once and pre-scaled by 1/l (the inverse's factor).
    memory.fill(bb, 0, <usize>l << 4);
    for (let k = 0; k < m; k++) {
      const c = conj(v128.load(chirp + (<usize>k << 4)));
      storeAt(plan, bb, k, c);
      if (k > 0) storeAt(plan, bb, l - k, c);
    }
    butterflies(plan, bb);
    const s = f64x2.splat(1.0 / <f64>l);
    for (let k = 0; k < l; k++) {
      const e = bb + (<usize>k << 4);
      v128.store(e, f64x2.mul(v128.load(e), s));
    }
  }
  if (m != n) {
    // X[k] = (E + P_k * O) with E, O from Z[k] and conj(Z[m-k]); P_k = -i/2 exp(-2 pi i k / n).
    for (let k = 0; k <= m; k++) {
      const a = 2.0 * Math.PI * <f64>k / <f64>n;
      const wr = Math.cos(a), wi = -Math.sin(a);
      const pr = 0.5 * wi, pi = -0.5 * wr;
      const e = post + (<usize>k << 5);
      v128.store(e, f64x2(pr, pi));
      v128.store(e + 16, f64x2(-pi, pr));
    }
  }
}

// @ts-ignore: decorator
@inline function conj(a: v128): v128 {
  return f64x2.mul(a, f64x2(1.0, -1.0));
}

// @ts-ignore: decorator
@inline function cmul(a: v128, b: v128): v128 {
  const bs = f64x2.mul(f64x2.shuffle(b, b, 1, 0), f64x2(-1.0, 1.0));
  return f64x2.add(f64x2.mul(f64x2.shuffle(a, a, 0, 0), b), f64x2.mul(f64x2.shuffle(a, a, 1, 1), bs));
}

// Stores c at index k of a power-of-two engine buffer in bit-reversed order.
// @ts-ignore: decorator
@inline function storeAt(plan: usize, buf: usize, k: i32, c: v128): void {
  const rev = <usize>load<i32>(plan + P_REV);
  v128.store(buf + (<usize>load<i32>(rev + (<usize>k << 2)) << 4), c);
}

/** Radix-2 DIT butterflies over a bit-reversed buffer of L complex values (in place). */
function butterflies(plan: usize, a: usize): void {
  const l = load<i32>(plan + P_L);
  const tw = <usize>load<i32>(plan + P_TW);
  if (l < 2) return;
  const end = a + (<usize>l << 4);
  if (l == 2) {
    const u = v128.load(a), v = v128.load(a, 16);
    v128.store(a, f64x2.add(u, v));
    v128.store(a, f64x2.sub(u, v), 16);
    return;
  }
  // Stages h = 1 and h = 2 fused (twiddles 1 and -i need no multiplies): a radix-4 butterfly
  // on each group of four.
  for (let p = a; p < end; p += 64) {
    const a0 = v128.load(p), a1 = v128.load(p, 16), a2 = v128.load(p, 32), a3 = v128.load(p, 48);
    const b0 = f64x2.add(a0, a1), b1 = f64x2.sub(a0, a1);
    const b2 = f64x2.add(a2, a3), b3 = f64x2.sub(a2, a3);
    // -i * b3 = (b3.im, -b3.re)
    const t = f64x2.mul(f64x2.shuffle(b3, b3, 1, 0), f64x2(1.0, -1.0));
    v128.store(p, f64x2.add(b0, b2));
    v128.store(p, f64x2.add(b1, t), 16);
    v128.store(p, f64x2.sub(b0, b2), 32);
    v128.store(p, f64x2.sub(b1, t), 48);
  }
  for (let h = 4; h < l; h <<= 1) {
    const twh = tw + (<usize>(h - 1) << 5);
    const hb = <usize>h << 4;
    for (let s = a; s < end; s += hb << 1) {
      let t = twh;
      const stop = s + hb;
      for (let p = s; p < stop; p += 16) {
        const q = p + hb;
        const u = v128.load(p);
        const b = v128.load(q);
        const prod = f64x2.add(
          f64x2.mul(f64x2.shuffle(b, b, 0, 0), v128.load(t)),
          f64x2.mul(f64x2.shuffle(b, b, 1, 1), v128.load(t, 16)),
        );
        v128.store(p, f64x2.add(u, prod));
        v128.store(q, f64x2.sub(u, prod));
        t += 32;
      }
    }
  }
}

/**
 * Forward DFT of the engine buffer in place. For a power-of-two plan the buffer was filled in
 * bit-reversed order (see `put`) and the result is in natural order; for Bluestein the buffer is
 * in natural order on both sides.
 */
function engine(plan: usize): void {
  const buf = <usize>load<i32>(plan + P_BUF);
  if (load<i32>(plan + P_KIND) == KIND_POW2) {
    butterflies(plan, buf);
    return;
  }
  const m = load<i32>(plan + P_M);
  const l = load<i32>(plan + P_L);
  const chirp = <usize>load<i32>(plan + P_CHIRP);
  const bb = <usize>load<i32>(plan + P_B);
  const work = <usize>load<i32>(plan + P_BWORK);
  const rev = <usize>load<i32>(plan + P_REV);
  memory.fill(work, 0, <usize>l << 4);
  for (let k = 0; k < m; k++) {
    const x = v128.load(buf + (<usize>k << 4));
    v128.store(work + (<usize>load<i32>(rev + (<usize>k << 2)) << 4), cmul(x, v128.load(chirp + (<usize>k << 4))));
  }
  butterflies(plan, work);
  // Inverse FFT of A*B as conj(FFT(conj(A*B))): the conjugated product goes to bit-reversed
  // slots of buf-sized scratch; B carries the 1/l factor.
  for (let k = 0; k < l; k++) {
    const e = work + (<usize>k << 4);
    v128.store(e, conj(cmul(v128.load(e), v128.load(bb + (<usize>k << 4)))));
  }
  // In-place bit-reversal permutation of work.
  for (let i = 0; i < l; i++) {
    const j = load<i32>(rev + (<usize>i << 2));
    if (i < j) {
      const pi = work + (<usize>i << 4), pj = work + (<usize>j << 4);
      const t = v128.load(pi);
      v128.store(pi, v128.load(pj));
      v128.store(pj, t);
    }
  }
  butterflies(plan, work);
  for (let k = 0; k < m; k++) {
    const y = conj(v128.load(work + (<usize>k << 4)));
    v128.store(buf + (<usize>k << 4), cmul(y, v128.load(chirp + (<usize>k << 4))));
  }
}

// Writes c as element k of the engine's input (bit-reversed slot for power-of-two plans).
// @ts-ignore: decorator
@inline function put(plan: usize, buf: usize, pow2: bool, k: i32, c: v128): void {
  if (pow2) storeAt(plan, buf, k, c);
  else v128.store(buf + (<usize>k << 4), c);
}

// @ts-ignore: decorator
@inline function loadT<T>(p: usize, i: usize): f64 {
  return <f64>load<T>(p + i * sizeof<T>());
}

// @ts-ignore: decorator
@inline function storeT<T>(p: usize, i: usize, v: f64): void {
  store<T>(p + i * sizeof<T>(), <T>v);
}

// Bin k (0 <= k <= m) of the real transform, from the half-length engine output Z.
// @ts-ignore: decorator
@inline function realBin(buf: usize, post: usize, m: i32, k: i32): v128 {
  const zk = v128.load(buf + (<usize>(k == m ? 0 : k) << 4));
  const zc = conj(v128.load(buf + (<usize>(k == 0 ? 0 : m - k) << 4)));
  const e = f64x2.mul(f64x2.add(zk, zc), f64x2.splat(0.5));
  const o = f64x2.sub(zk, zc);
  const pe = post + (<usize>k << 5);
  return f64x2.add(e, f64x2.add(
    f64x2.mul(f64x2.shuffle(o, o, 0, 0), v128.load(pe)),
    f64x2.mul(f64x2.shuffle(o, o, 1, 1), v128.load(pe, 16)),
  ));
}

/**
 * Loads one signal of `count` samples (real if inC == 1, complex if 2) from `src` with element
 * stride `stride` (in T elements, per sample), times `window` (f64, or 0), zero-padded to the
 * plan's length, into the engine buffer; `conjugate` negates imaginary parts (inverse via the
 * conjugation identity).
 */
function loadSignal<T>(plan: usize, src: usize, inC: i32, stride: usize, count: i32, window: usize, conjugate: bool): void {
  const m = load<i32>(plan + P_M);
  const n = load<i32>(plan + P_N);
  const buf = <usize>load<i32>(plan + P_BUF);
  const pow2 = load<i32>(plan + P_KIND) == KIND_POW2;
  const zero = f64x2.splat(0);
  if (n != 0) {
    // Half-length real plan: z[j] = x[2j] + i x[2j+1].
    for (let j = 0; j < m; j++) {
      const i0 = j << 1, i1 = i0 + 1;
      let re = i0 < count ? loadT<T>(src, <usize>i0 * stride) : 0.0;
      let im = i1 < count ? loadT<T>(src, <usize>i1 * stride) : 0.0;
      if (window != 0) {
        re *= load<f64>(window + (<usize>i0 << 3));
        im *= load<f64>(window + (<usize>i1 << 3));
      }
      put(plan, buf, pow2, j, f64x2(re, im));
    }
    return;
  }
  for (let j = 0; j < m; j++) {
    if (j >= count) { put(plan, buf, pow2, j, zero); continue; }
    const base = <usize>j * stride;
    const re = loadT<T>(src, base);
    let im = inC == 2 ? loadT<T>(src, base + 1) : 0.0;
    if (conjugate) im = -im;
    let c = f64x2(re, im);
    if (window != 0) c = f64x2.mul(c, f64x2.splat(load<f64>(window + (<usize>j << 3))));
    put(plan, buf, pow2, j, c);
  }
}

/** Spectrum bin k of the signal just transformed by `engine` (full-length or half-length plan). */
// @ts-ignore: decorator
@inline function bin(plan: usize, k: i32): v128 {
  const n = load<i32>(plan + P_N);
  const buf = <usize>load<i32>(plan + P_BUF);
  if (n == 0) return v128.load(buf + (<usize>k << 4));
  const m = load<i32>(plan + P_M);
  if (k <= m) return realBin(buf, <usize>load<i32>(plan + P_POST), m, k);
  return conj(realBin(buf, <usize>load<i32>(plan + P_POST), m, n - k));
}

// ---------------------------------------------------------------------------------------------
// ONNX DFT over one axis of a [outer, nAxis, inner, inC] tensor.

/**
 * Transforms every line of `in` ([outer][nAxis][inner][inC], T) along the axis into `out`
 * ([outer][outLen][inner][outC], T). `n` is dft_length: lines are truncated or zero-padded to
 * it. Modes: forward (onesided: bins 0..n/2), inverse (scaled by 1/n) and, for inverse with
 * onesided, the real inverse of a Hermitian half spectrum (first min(nAxis, n/2+1) bins).
 * The plan must be built for n (real = 1 only for forward transforms of real input).
 * Returns 0.
 */
function dftLines<T>(
  plan: usize, src: usize, dst: usize, outer: i32, nAxis: i32, inner: i32, inC: i32,
  n: i32, onesided: i32, inverse: i32,
): i32 {
  const buf = <usize>load<i32>(plan + P_BUF);
  const irfft = inverse != 0 && onesided != 0;
  const outLen = irfft ? n : (onesided != 0 ? (n >> 1) + 1 : n);
  const outC = irfft ? 1 : 2;
  const inStride = <usize>inner * <usize>inC;
  const outStride = <usize>inner * <usize>outC;
  const scale = inverse != 0 ? 1.0 / <f64>n : 1.0;
  const pow2 = load<i32>(plan + P_KIND) == KIND_POW2;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const lineIn = src + ((<usize>o * <usize>nAxis * <usize>inner + <usize>i) * <usize>inC) * sizeof<T>();
      const lineOut = dst + ((<usize>o * <usize>outLen * <usize>inner + <usize>i) * <usize>outC) * sizeof<T>();
      if (irfft) {
        // Hermitian extension of the half spectrum, conjugated for the inverse.
        const half = n >> 1;
        const bins = min(nAxis, half + 1);
        for (let k = 0; k < n; k++) {
          const kk = k <= half ? k : n - k;
          let re = 0.0, im = 0.0;
          if (kk < bins) {
            re = loadT<T>(lineIn, <usize>kk * inStride);
            im = inC == 2 ? loadT<T>(lineIn, <usize>kk * inStride + 1) : 0.0;
            if (k > half) im = -im;
          }
          put(plan, buf, pow2, k, f64x2(re, -im));
        }
        engine(plan);
        for (let k = 0; k < n; k++) {
          storeT<T>(lineOut, <usize>k * outStride, f64x2.extract_lane(v128.load(buf + (<usize>k << 4)), 0) * scale);
        }
        continue;
      }
      loadSignal<T>(plan, lineIn, inC, inStride, min(nAxis, n), 0, inverse != 0);
      engine(plan);
      for (let k = 0; k < outLen; k++) {
        const c = bin(plan, k);
        const p = <usize>k * outStride;
        storeT<T>(lineOut, p, f64x2.extract_lane(c, 0) * scale);
        // inverse: conj(FFT(conj(x))) / n
        const im = f64x2.extract_lane(c, 1) * scale;
        storeT<T>(lineOut, p + 1, inverse != 0 ? -im : im);
      }
    }
  }
  return 0;
}

export function dft_f32(plan: usize, src: usize, dst: usize, outer: i32, nAxis: i32, inner: i32, inC: i32, n: i32, onesided: i32, inverse: i32): i32 {
  return dftLines<f32>(align16(plan), src, dst, outer, nAxis, inner, inC, n, onesided, inverse);
}

export function dft_f64(plan: usize, src: usize, dst: usize, outer: i32, nAxis: i32, inner: i32, inC: i32, n: i32, onesided: i32, inverse: i32): i32 {
  return dftLines<f64>(align16(plan), src, dst, outer, nAxis, inner, inC, n, onesided, inverse);
}

// ---------------------------------------------------------------------------------------------
// Frames -> spectra (the STFT and the hot path: many short real frames).

const SPEC_COMPLEX_ONESIDED = 0;
const SPEC_COMPLEX_FULL = 1;
const SPEC_MAGNITUDE = 2;
const SPEC_POWER = 3;

/**
 * For f in [0, frames): the n-point DFT of the frame of n samples starting at sample f * hop of
 * `src` (real if inC == 1, complex if 2), times `window` (n f64 values, or 0), into row f of
 * `dst` (T). kind 0: complex bins 0..n/2 ([n/2+1][2]); 1: all n complex bins ([n][2]);
 * 2: magnitudes of bins 0..n/2; 3: power (|X|^2) of bins 0..n/2. Returns 0.
 */
function spectra<T>(plan: usize, src: usize, inC: i32, frames: i32, hop: i32, n: i32, window: usize, dst: usize, kind: i32): i32 {
  const bins = kind == SPEC_COMPLEX_FULL ? n : (n >> 1) + 1;
  const rowOut = <usize>bins * (kind <= SPEC_COMPLEX_FULL ? 2 : 1);
  const pn = load<i32>(plan + P_N);
  const m = load<i32>(plan + P_M);
  const buf = <usize>load<i32>(plan + P_BUF);
  const post = <usize>load<i32>(plan + P_POST);
  for (let f = 0; f < frames; f++) {
    const frame = src + <usize>f * <usize>hop * <usize>inC * sizeof<T>();
    loadSignal<T>(plan, frame, inC, <usize>inC, n, window, false);
    engine(plan);
    const row = dst + <usize>f * rowOut * sizeof<T>();
    if (kind >= SPEC_MAGNITUDE) {
      for (let k = 0; k < bins; k++) {
        const c = pn != 0 ? realBin(buf, post, m, k) : v128.load(buf + (<usize>k << 4));
        const sq = f64x2.mul(c, c);
        const p = f64x2.extract_lane(sq, 0) + f64x2.extract_lane(sq, 1);
        storeT<T>(row, <usize>k, kind == SPEC_POWER ? p : Math.sqrt(p));
      }
    } else {
      for (let k = 0; k < bins; k++) {
        const c = bin(plan, k);
        storeT<T>(row, <usize>k << 1, f64x2.extract_lane(c, 0));
        storeT<T>(row, (<usize>k << 1) + 1, f64x2.extract_lane(c, 1));
      }
    }
  }
  return 0;
}

export function spectra_f32(plan: usize, src: usize, inC: i32, frames: i32, hop: i32, n: i32, window: usize, dst: usize, kind: i32): i32 {
  return spectra<f32>(align16(plan), src, inC, frames, hop, n, window, dst, kind);
}

export function spectra_f64(plan: usize, src: usize, inC: i32, frames: i32, hop: i32, n: i32, window: usize, dst: usize, kind: i32): i32 {
  return spectra<f64>(align16(plan), src, inC, frames, hop, n, window, dst, kind);
}

/**
 * Sums of `power` ([frames][bins], T) over bin ranges: band b covers bins
 * [edges[b], edges[b+1]) (i32 edges, bands + 1 of them, ascending, within [0, bins]).
 * Writes [frames][bands] T to `dst`. Returns 0.
 */
function bandSums<T>(power: usize, frames: i32, bins: i32, edges: usize, bands: i32, dst: usize): i32 {
  for (let f = 0; f < frames; f++) {
    const row = power + <usize>f * <usize>bins * sizeof<T>();
    for (let b = 0; b < bands; b++) {
      const lo = load<i32>(edges + (<usize>b << 2));
      const hi = load<i32>(edges + (<usize>(b + 1) << 2));
      let s = 0.0;
      for (let k = lo; k < hi; k++) s += loadT<T>(row, <usize>k);
      storeT<T>(dst, <usize>f * <usize>bands + <usize>b, s);
    }
  }
  return 0;
}

export function band_sums_f32(power: usize, frames: i32, bins: i32, edges: usize, bands: i32, dst: usize): i32 {
  return bandSums<f32>(power, frames, bins, edges, bands, dst);
}

export function band_sums_f64(power: usize, frames: i32, bins: i32, edges: usize, bands: i32, dst: usize): i32 {
  return bandSums<f64>(power, frames, bins, edges, bands, dst);
}

/** |z| (or |z|^2 when `power`) of `count` complex values at `src` ([count][2] T) into `dst`. */
function complexAbs<T>(src: usize, count: i32, dst: usize, power: i32): i32 {
  for (let i = 0; i < count; i++) {
    const re = loadT<T>(src, <usize>i << 1);
    const im = loadT<T>(src, (<usize>i << 1) + 1);
    const p = re * re + im * im;
    storeT<T>(dst, <usize>i, power != 0 ? p : Math.sqrt(p));
  }
  return 0;
}

export function complex_abs_f32(src: usize, count: i32, dst: usize, power: i32): i32 {
  return complexAbs<f32>(src, count, dst, power);
}

export function complex_abs_f64(src: usize, count: i32, dst: usize, power: i32): i32 {
  return complexAbs<f64>(src, count, dst, power);
}
