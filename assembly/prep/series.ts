// Series kernels: rolling statistics, exponentially weighted statistics, framing and the
// ONNX cosine-sum windows. Every kernel works on f64 samples in linear memory and keeps its
// running state in a block that TypeScript allocates, so a series pushed in chunks gives
// bit-for-bit the same outputs as the whole series pushed at once.

// ---------------------------------------------------------------------------------------------
// Rolling window: mean and std (shifted sums with add/remove), min and max (van Herk /
// Gil-Werman), z-score.
//
// Mean and std keep S1 = sum(x - K) and S2 = sum((x - K)^2) over the valid samples in the
// window, for a shift K taken from the window itself ("shifted data" variance): with K near the
// data, n S2 - S1^2 does not cancel catastrophically, and for integer-valued series every update
// is exact, so a constant window has std exactly 0 (and a sample equal to it z = 0). Each sample is one add and one remove, with
// no dependency through the mean. Every max(4 window, 4096) samples K is re-taken from the window
// and S1, S2 are recomputed from the ring, which bounds the rounding drift of the updates at
// O(1) amortised cost.
//
// Min and max split the series into blocks of `window` samples aligned to absolute index 0. The
// window ending at t covers the tail of the previous block from t-w+1 and the head of the
// current block up to t, so max = max(suffixMax[prev block][(t+1) mod w], prefixMax[current
// block]). The prefix is a running max; the suffix maxima of a block are computed in one
// backward pass when it completes. That is 3 comparisons per sample, branch-free, whatever the
// data — a monotonic deque needs a data-dependent number of pops. A NaN sample never wins a
// comparison; the valid count decides when outputs are defined.
//
// State block (all offsets in bytes):
//   0  window      i32     4  minPeriods  i32     8  ddof        i32    12  count (valid)  i32
//  16  ringHead    i32    20  untilExact  i32    24  shift K     f64    32  S1             f64
//  40  S2          f64    48  prefixMax   f64    56  prefixMin   f64
//  64  ring f64[w] | suffixMax f64[w] | suffixMin f64[w]
// ringHead is the absolute sample index mod window, so ring slot j holds the sample at in-block
// offset j. NaN marks an absent sample in the ring (warm-up or a NaN input): removal skips it.

const R_WINDOW: usize = 0;
const R_MINP: usize = 4;
const R_DDOF: usize = 8;
const R_COUNT: usize = 12;
const R_RING_HEAD: usize = 16;
const R_UNTIL_EXACT: usize = 20;
const R_SHIFT: usize = 24;
const R_S1: usize = 32;
const R_S2: usize = 40;
const R_PMAX: usize = 48;
const R_PMIN: usize = 56;
const R_DATA: usize = 64;

// @ts-ignore: decorator
@inline function exactEvery(window: i32): i32 {
  return max(window << 2, 4096);
}

/** Bytes of the state block for a rolling window of `window` samples (window <= 2^26). */
export function rolling_state_bytes(window: i32): usize {
  return R_DATA + (<usize>window << 3) * 3;
}

/** Initialises a rolling state block (window >= 1, 1 <= minPeriods <= window, ddof >= 0). */
export function rolling_init(state: usize, window: i32, minPeriods: i32, ddof: i32): void {
  memory.fill(state, 0, R_DATA);
  store<i32>(state + R_WINDOW, window);
  store<i32>(state + R_MINP, minPeriods);
  store<i32>(state + R_DDOF, ddof);
  store<i32>(state + R_UNTIL_EXACT, exactEvery(window));
  store<f64>(state + R_PMAX, -Infinity);
  store<f64>(state + R_PMIN, Infinity);
  const ring = state + R_DATA;
  const wz = <usize>window << 3;
  for (let i = 0; i < window; i++) {
    const off = <usize>i << 3;
    store<f64>(ring + off, NaN);
    store<f64>(ring + wz + off, -Infinity);
    store<f64>(ring + 2 * wz + off, Infinity);
  }
}

/** Re-takes the shift from the window (its first valid sample) and recomputes S1 and S2. */
function exactSums(state: usize): void {
  const w = load<i32>(state + R_WINDOW);
  const ring = state + R_DATA;
  let k: f64 = NaN;
  let s1 = 0.0, s2 = 0.0;
  for (let i = 0; i < w; i++) {
    const v = load<f64>(ring + (<usize>i << 3));
    if (v == v) {
      if (k != k) k = v;
      const d = v - k;
      s1 += d;
      s2 += d * d;
    }
  }
  store<f64>(state + R_SHIFT, k == k ? k : 0.0);
  store<f64>(state + R_S1, s1);
  store<f64>(state + R_S2, s2);
}

/** Suffix maxima and minima of the block just completed in the ring (NaN never wins). */
function closeBlock(ring: usize, w: i32, wantMax: bool, wantMin: bool): void {
  const wz = <usize>w << 3;
  const smax = ring + wz;
  const smin = smax + wz;
  // [max, -min] in one vector (negation is exact); f64x2.pmax(h, v) = select(v, h, v > h). Two
  // independent chains: the upper half [half, w) and the lower half [0, half) on its own, whose
  // suffixes then take in the upper half's full suffix: pmax(upper, lower) keeps the upper (later)
  // sample on ties, as one backward chain does. NaN never wins.
  const half = w >> 1;
  let hu = f64x2(-Infinity, -Infinity);
  let hl = hu;
  for (let j = w - 1; j >= half; j--) {
    const off = <usize>j << 3;
    hu = f64x2.pmax(hu, v128.xor(v128.load64_splat(ring + off), NEG_HIGH));
    if (wantMax) store<f64>(smax + off, f64x2.extract_lane(hu, 0));
    if (wantMin) store<f64>(smin + off, -f64x2.extract_lane(hu, 1));
    const k = j - half;
    if (k < half) {
      const offL = <usize>k << 3;
      hl = f64x2.pmax(hl, v128.xor(v128.load64_splat(ring + offL), NEG_HIGH));
      if (wantMax) store<f64>(smax + offL, f64x2.extract_lane(hl, 0));
      if (wantMin) store<f64>(smin + offL, -f64x2.extract_lane(hl, 1));
    }
  }
  if (half > 0) {
    const topMax = f64x2.splat(load<f64>(smax + (<usize>half << 3)));
    const topMin = f64x2.splat(load<f64>(smin + (<usize>half << 3)));
    let j = 0;
    for (; j + 2 <= half; j += 2) {
      const off = <usize>j << 3;
      if (wantMax) v128.store(smax + off, f64x2.pmax(topMax, v128.load(smax + off)));
      if (wantMin) v128.store(smin + off, f64x2.pmin(topMin, v128.load(smin + off)));
    }
    for (; j < half; j++) {
      const off = <usize>j << 3;
      if (wantMax) store<f64>(smax + off, f64x2.extract_lane(f64x2.pmax(topMax, v128.load64_splat(smax + off)), 0));
      if (wantMin) store<f64>(smin + off, f64x2.extract_lane(f64x2.pmin(topMin, v128.load64_splat(smin + off)), 0));
    }
  }
}

// Fast runs of rolling_push: at most FAST_RUN samples, scratch rows of FAST_RUN + 1 f64:
// S1 (entry t = after t samples of the run), S2, then prefix max and minus prefix min interleaved.
const FAST_RUN: i32 = 256;
const FAST_STRIDE: usize = (<usize>FAST_RUN + 2) << 3;
const FAST_SCRATCH = memory.data(<i32>FAST_STRIDE * 4, 16);
const NEG_HIGH = i64x2(0, 0x8000000000000000);

/** How many of the first `len` f64 at `x` come before the first NaN. */
function nanFreePrefix(x: usize, len: i32): i32 {
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const v = v128.load(x + (<usize>i << 3));
    if (!i64x2.all_true(f64x2.eq(v, v))) break;
  }
  for (; i < len; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    if (v != v) return i;
  }
  return len;
}

/**
 * `len` NaN-free samples at `x` through a full window of valid samples, none of them the last of
 * a block or the exact recompute: exactly rolling_push's arithmetic for that case. First the
 * serial part (ring, running sums, prefix max/min) into FAST_SCRATCH, then every output, two
 * samples per step (lane-wise f64 ops round as the scalar ones do). `sMax`/`sMin` point at the
 * previous block's suffix for the first sample's successor slot; `at` is the outputs' byte offset.
 */
function fastRun(
  x: usize, len: i32, ring: usize, sMax: usize, sMin: usize,
  shift: f64, s1: f64, s2: f64, pmax: f64, pmin: f64, fc: f64, inv: f64, invDof: f64,
  wantMoments: bool, wantMax: bool, wantMin: bool,
  outMean: usize, outStd: usize, outMin: usize, outMax: usize, outZ: usize, at: usize,
): void {
  const A1 = FAST_SCRATCH;
  const A2 = A1 + FAST_STRIDE;
  const PX = A2 + FAST_STRIDE; // [max, -min] per sample: two rows
  store<f64>(A1, s1);
  store<f64>(A2, s2);
  let P = f64x2(pmax, -pmin);
  for (let t = 0; t < len; t++) {
    const o = <usize>t << 3;
    const v = load<f64>(x + o);
    const old = load<f64>(ring + o);
    store<f64>(ring + o, v);
    if (wantMoments) {
      const d1 = v - shift, d0 = old - shift;
      s1 += d1 - d0;
      s2 += (d1 - d0) * (d1 + d0);
      store<f64>(A1 + o, s1, 8);
      store<f64>(A2 + o, s2, 8);
    }
    if (wantMax | wantMin) {
      // Both prefixes in one vector, the min negated (negation is exact).
      // f64x2.pmax(P, v) is P < v ? v : P, i.e. select(v, P, v > P), one instruction.
      P = f64x2.pmax(P, v128.xor(f64x2.splat(v), NEG_HIGH));
      v128.store(PX + (o << 1), P);
    }
  }
  const vShift = f64x2.splat(shift);
  const vFc = f64x2.splat(fc);
  const vInv = f64x2.splat(inv);
  const vInvDof = f64x2.splat(invDof);
  const zero = f64x2.splat(0);
  // Dividing by a power of two is multiplying by its reciprocal, exactly.
  const pow2 = fc > 0 && (<u64>fc & (<u64>fc - 1)) == 0 && fc < 9007199254740992.0;
  const vRecip = f64x2.splat(1.0 / fc);
  let t = 0;
  for (; t + 2 <= len; t += 2) {
    const o = <usize>t << 3;
    const q = at + o;
    if (outMean != 0) {
      const a = v128.load(A1 + o, 8);
      v128.store(outMean + q, f64x2.add(vShift, pow2 ? f64x2.mul(a, vRecip) : f64x2.div(a, vFc)));
    }
    if (outStd != 0) {
      const a = v128.load(A1 + o, 8);
      const b = v128.load(A2 + o, 8);
      const m = f64x2.max(f64x2.sub(f64x2.mul(vFc, b), f64x2.mul(a, a)), zero);
      v128.store(outStd + q, f64x2.sqrt(f64x2.mul(f64x2.mul(m, vInv), vInvDof)));
    }
    if (outZ != 0) {
      const a = v128.load(A1 + o);
      const b = v128.load(A2 + o);
      const v = v128.load(x + o);
      const m = f64x2.max(f64x2.sub(f64x2.mul(vFc, b), f64x2.mul(a, a)), zero);
      const sd = f64x2.sqrt(f64x2.mul(f64x2.mul(m, vInv), vInvDof));
      const d = f64x2.sub(f64x2.mul(f64x2.sub(v, vShift), vFc), a);
      const alt = v128.bitselect(zero, f64x2.mul(d, f64x2.splat(Infinity)), f64x2.eq(d, zero));
      v128.store(outZ + q, v128.bitselect(f64x2.div(d, f64x2.mul(sd, vFc)), alt, f64x2.gt(sd, zero)));
    }
    if (wantMax | wantMin) {
      const p0 = v128.load(PX + (o << 1));
      const p1 = v128.load(PX + (o << 1), 16);
      if (wantMax) {
        const sv = v128.load(sMax + o);
        const pv = i64x2.shuffle(p0, p1, 0, 2);
        v128.store(outMax + q, f64x2.pmax(pv, sv)); // select(sv, pv, sv > pv)
      }
      if (wantMin) {
        const sv = v128.load(sMin + o);
        const pv = f64x2.neg(i64x2.shuffle(p0, p1, 1, 3));
        v128.store(outMin + q, f64x2.pmin(pv, sv)); // select(sv, pv, sv < pv)
      }
    }
  }
  for (; t < len; t++) {
    const o = <usize>t << 3;
    const q = at + o;
    const a1 = load<f64>(A1 + o, 8), a2 = load<f64>(A2 + o, 8);
    if (outMean != 0) store<f64>(outMean + q, shift + a1 / fc);
    if (outStd != 0) store<f64>(outStd + q, Math.sqrt(max(fc * a2 - a1 * a1, 0.0) * inv * invDof));
    if (outZ != 0) {
      const p1 = load<f64>(A1 + o), p2 = load<f64>(A2 + o);
      const sd = Math.sqrt(max(fc * p2 - p1 * p1, 0.0) * inv * invDof);
      const d = (load<f64>(x + o) - shift) * fc - p1;
      store<f64>(outZ + q, sd > 0 ? d / (sd * fc) : (d == 0 ? 0.0 : d * Infinity));
    }
    if (wantMax) {
      const sv = load<f64>(sMax + o), pv = load<f64>(PX + (o << 1));
      store<f64>(outMax + q, select<f64>(sv, pv, sv > pv));
    }
    if (wantMin) {
      const sv = load<f64>(sMin + o), pv = -load<f64>(PX + (o << 1), 8);
      store<f64>(outMin + q, select<f64>(sv, pv, sv < pv));
    }
  }
}

/**
 * Pushes `n` samples at `x` through the window; writes, per sample, the statistics of the window
 * ending at it to each non-zero output pointer (f64 arrays of `n`): mean, std, min, max, and the
 * z-score of the sample against the window *before* it (the previous `window` samples).
 * NaN samples are skipped (not counted). An output is NaN while the window holds fewer than
 * `minPeriods` valid samples; std is NaN while count <= ddof. Returns 0.
 */
export function rolling_push(
  state: usize, x: usize, n: i32,
  outMean: usize, outStd: usize, outMin: usize, outMax: usize, outZ: usize,
): i32 {
  const w = load<i32>(state + R_WINDOW);
  const minP = load<i32>(state + R_MINP);
  const ddof = load<i32>(state + R_DDOF);
  let count = load<i32>(state + R_COUNT);
  let ringHead = load<i32>(state + R_RING_HEAD);
  let untilExact = load<i32>(state + R_UNTIL_EXACT);
  let shift = load<f64>(state + R_SHIFT);
  let s1 = load<f64>(state + R_S1);
  let s2 = load<f64>(state + R_S2);
  let pmax = load<f64>(state + R_PMAX);
  let pmin = load<f64>(state + R_PMIN);
  // 1/count and 1/(count - ddof) change only with the count, so the loop multiplies.
  let inv = count > 0 ? 1.0 / <f64>count : 0.0;
  let invDof = count > ddof ? 1.0 / <f64>(count - ddof) : NaN;

  const wz = <usize>w << 3;
  const ring = state + R_DATA;
  const smax = ring + wz;
  const smin = smax + wz;
  const wantMin = outMin != 0;
  const wantMax = outMax != 0;
  const wantMoments = outMean != 0 || outStd != 0 || outZ != 0;

  // With a full window of valid samples (and the fit for std), runs of NaN-free samples that
  // neither close a block nor reach the exact recompute go through fastRun: the same arithmetic,
  // serial sums first, then the outputs two at a time. Other samples take the loop below.
  const fastOk = ddof < w;
  for (let i = 0; i < n; i++) {
    if (fastOk && count == w) {
      let len = min(min(n - i, FAST_RUN), w - 1 - ringHead);
      if (wantMoments) len = min(len, untilExact - 1);
      len = nanFreePrefix(x + (<usize>i << 3), len);
      if (len >= 2) {
        const fc = <f64>count;
        fastRun(
          x + (<usize>i << 3), len, ring + (<usize>ringHead << 3), smax + (<usize>(ringHead + 1) << 3), smin + (<usize>(ringHead + 1) << 3),
          shift, s1, s2, pmax, pmin, fc, inv, invDof, wantMoments, wantMax, wantMin,
          outMean, outStd, outMin, outMax, outZ, <usize>i << 3,
        );
        const last = FAST_SCRATCH + (<usize>len << 3);
        if (wantMoments) {
          s1 = load<f64>(last);
          s2 = load<f64>(last + FAST_STRIDE);
          untilExact -= len;
        }
        const lastP = FAST_SCRATCH + 2 * FAST_STRIDE + (<usize>(len - 1) << 4);
        if (wantMax) pmax = load<f64>(lastP);
        if (wantMin) pmin = -load<f64>(lastP, 8);
        ringHead += len;
        i += len - 1;
        continue;
      }
    }
    const off = <usize>i << 3;
    const v = load<f64>(x + off);
    const valid = v == v;

    if (outZ != 0) {
      // z against the window before this sample: its stats are the current state.
      let z: f64 = NaN;
      if (valid && count >= minP && count > ddof) {
        // n (x - mean) = n (x - K) - S1: exact for integer data, so a constant window gives 0.
        const fc = <f64>count;
        const sd = Math.sqrt(max(fc * s2 - s1 * s1, 0.0) * inv * invDof);
        const d = (v - shift) * fc - s1;
        z = sd > 0 ? d / (sd * fc) : (d == 0 ? 0.0 : d * Infinity);
      }
      store<f64>(outZ + off, z);
    }

    const slotOff = <usize>ringHead << 3;
    const old = load<f64>(ring + slotOff);
    store<f64>(ring + slotOff, v);
    const oldValid = old == old;

    if (wantMoments) {
      if (valid && oldValid) {
        const d1 = v - shift, d0 = old - shift;
        s1 += d1 - d0;
        s2 += (d1 - d0) * (d1 + d0);
      } else if (valid) {
        if (count == 0) shift = v;
        count++;
        inv = 1.0 / <f64>count;
        invDof = count > ddof ? 1.0 / <f64>(count - ddof) : NaN;
        const d = v - shift;
        s1 += d;
        s2 += d * d;
      } else if (oldValid) {
        count--;
        invDof = count > ddof ? 1.0 / <f64>(count - ddof) : NaN;
        if (count == 0) {
          s1 = 0; s2 = 0; inv = 0;
        } else {
          inv = 1.0 / <f64>count;
          const d = old - shift;
          s1 -= d;
          s2 -= d * d;
        }
      }
      if (--untilExact == 0) {
        exactSums(state);
        shift = load<f64>(state + R_SHIFT);
        s1 = load<f64>(state + R_S1);
        s2 = load<f64>(state + R_S2);
        untilExact = exactEvery(w);
      }
    } else {
      count += <i32>valid - <i32>oldValid;
    }

    const ready = count >= minP;
    if (wantMax | wantMin) {
      // The previous block's suffix at (t+1) mod w; at a block's last sample that slot belongs
      // to the block itself, whose whole extent is the prefix, so the prefix alone is right.
      const last = ringHead == w - 1;
      const next: usize = last ? 0 : <usize>(ringHead + 1) << 3;
      // Comparisons with select rather than f64.max/min: NaN (a skipped sample) never wins,
      // and engines compile them to branch-free moves.
      if (wantMax) {
        pmax = select<f64>(v, pmax, v > pmax);
        const s = load<f64>(smax + next);
        const m = last ? pmax : select<f64>(s, pmax, s > pmax);
        store<f64>(outMax + off, ready ? m : NaN);
      }
      if (wantMin) {
        pmin = select<f64>(v, pmin, v < pmin);
        const s = load<f64>(smin + next);
        const m = last ? pmin : select<f64>(s, pmin, s < pmin);
        store<f64>(outMin + off, ready ? m : NaN);
      }
      if (last) {
        closeBlock(ring, w, wantMax, wantMin);
        pmax = -Infinity;
        pmin = Infinity;
      }
    }
    if (++ringHead == w) ringHead = 0;

    // The mean divides (correctly rounded, so exact for integer data); the variance is
    // (n S2 - S1^2) / (n (n - ddof)), whose numerator is exactly 0 for a constant integer window.
    // invDof is NaN while count <= ddof, which makes std NaN.
    if (outMean != 0) store<f64>(outMean + off, ready ? shift + s1 / <f64>count : NaN);
    if (outStd != 0) store<f64>(outStd + off, ready ? Math.sqrt(max(<f64>count * s2 - s1 * s1, 0.0) * inv * invDof) : NaN);
  }

  store<i32>(state + R_COUNT, count);
  store<i32>(state + R_RING_HEAD, ringHead);
  store<i32>(state + R_UNTIL_EXACT, untilExact);
  store<f64>(state + R_SHIFT, shift);
  store<f64>(state + R_S1, s1);
  store<f64>(state + R_S2, s2);
  store<f64>(state + R_PMAX, pmax);
  store<f64>(state + R_PMIN, pmin);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Exponentially weighted mean and variance (West 1979 / Finch 2009 incremental form):
//   diff = x - mean;  mean += alpha * diff;  var = (1 - alpha) * (var + alpha * diff^2)
// The first valid sample starts the recursion (mean = x, var = 0); NaN samples are skipped.
//
// State block: 0 alpha f64 | 8 mean f64 | 16 var f64 | 24 valid count i32 | 28 minPeriods i32

/** Bytes of an EWM state block. */
export function ewm_state_bytes(): usize {
  return 32;
}

export function ewm_init(state: usize, alpha: f64, minPeriods: i32): void {
  store<f64>(state, alpha);
  store<f64>(state + 8, 0);
  store<f64>(state + 16, 0);
  store<i32>(state + 24, 0);
  store<i32>(state + 28, minPeriods);
}

/**
 * Pushes `n` samples; writes per sample (to each non-zero pointer) the EW mean and EW std after
 * the sample, and the z-score of the sample against the mean and std before it. Outputs are NaN
 * until `minPeriods` valid samples have been seen (z: before the sample); a NaN sample repeats
 * the previous mean/std and gets z = NaN.
 */
export function ewm_push(state: usize, x: usize, n: i32, outMean: usize, outStd: usize, outZ: usize): i32 {
  const alpha = load<f64>(state);
  const keep = 1.0 - alpha;
  let mean = load<f64>(state + 8);
  let vr = load<f64>(state + 16);
  let count = load<i32>(state + 24);
  const minP = load<i32>(state + 28);
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 3;
    const v = load<f64>(x + off);
    let z: f64 = NaN;
    if (v == v) {
      if (count > 0) {
        const diff = v - mean;
        if (count >= minP) {
          const sd = Math.sqrt(vr);
          z = sd > 0 ? diff / sd : (diff == 0 ? 0.0 : diff * Infinity);
        }
        const incr = alpha * diff;
        mean += incr;
        vr = keep * (vr + diff * incr);
      } else {
        mean = v;
        vr = 0;
      }
      count++;
    }
    const ready = count > 0 && count >= minP;
    if (outMean != 0) store<f64>(outMean + off, ready ? mean : NaN);
    if (outStd != 0) store<f64>(outStd + off, ready ? Math.sqrt(vr) : NaN);
    if (outZ != 0) store<f64>(outZ + off, z);
  }
  store<f64>(state + 8, mean);
  store<f64>(state + 16, vr);
  store<i32>(state + 24, count);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Whole-series moments and fixed z-scores (a z-score detector fitted on normal data).

/** Count, mean and M2 (sum of squared deviations) of the valid samples, two-pass, into out f64[3]. */
export function series_moments(x: usize, n: i32, out: usize): void {
  let sum = 0.0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    if (v == v) { sum += v; count++; }
  }
  const mean = count > 0 ? sum / <f64>count : NaN;
  let m2 = 0.0;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    if (v == v) { const d = v - mean; m2 += d * d; }
  }
  store<f64>(out, <f64>count);
  store<f64>(out + 8, mean);
  store<f64>(out + 16, m2);
}

/** out[i] = (x[i] - mean) / std; 0 when std is 0 and x == mean, ±Infinity otherwise; NaN stays NaN. */
export function zscore_fixed(x: usize, n: i32, mean: f64, std: f64, out: usize): void {
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 3;
    const d = load<f64>(x + off) - mean;
    store<f64>(out + off, std > 0 ? d / std : (d == 0 ? 0.0 : d * Infinity));
  }
}

// ---------------------------------------------------------------------------------------------
// Framing: frame f of `size` elements starts at element f * hop (no padding).

/** Copies `frames` frames of `size` elements (`elemBytes` each) starting every `hop` elements. */
export function frame_copy(x: usize, elemBytes: i32, size: i32, hop: i32, frames: i32, out: usize): void {
  const frameBytes = <usize>size * <usize>elemBytes;
  const hopBytes = <usize>hop * <usize>elemBytes;
  for (let f = 0; f < frames; f++) {
    memory.copy(out + <usize>f * frameBytes, x + <usize>f * hopBytes, frameBytes);
  }
}

// ---------------------------------------------------------------------------------------------
// Windows as ONNX HannWindow / HammingWindow / BlackmanWindow define them:
//   w[n] = a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N),  N = size (periodic) or size - 1.

/** Fills `size` window values; kind 0 Hann, 1 Hamming, 2 Blackman; f32 output unless `f64out`. */
export function window_fill(out: usize, size: i32, kind: i32, periodic: i32, f64out: i32): void {
  let a0 = 0.5, a1 = 0.5, a2 = 0.0;
  if (kind == 1) { a0 = 25.0 / 46.0; a1 = 21.0 / 46.0; }
  else if (kind == 2) { a0 = 0.42; a1 = 0.5; a2 = 0.08; }
  const N = <f64>(periodic != 0 ? size : size - 1);
  const step = 2.0 * Math.PI / N;
  for (let i = 0; i < size; i++) {
    const t = step * <f64>i;
    const v = a0 - a1 * Math.cos(t) + a2 * Math.cos(2.0 * t);
    if (f64out != 0) store<f64>(out + (<usize>i << 3), v);
    else store<f32>(out + (<usize>i << 2), <f32>v);
  }
}
