// ONNX Resize (opset 19) as separable passes over f32 tensors.
//
// Resize interpolates each axis independently: an output coordinate maps to x_original on that
// axis, and the value is a weighted sum of input samples along it. So one axis is one pass, and a
// pass is described by a table per output position: the first input index of a window of `taps`
// consecutive indices and the weight of each. `resize_table` builds that table from the
// operator's attributes (all the spec's formulas live there), `resize_pass_f32` applies it along
// one axis of a tensor viewed as [outer, len, inner], and `resize_mask_f32` writes
// extrapolation_value where tf_crop_and_resize samples outside the input.
//
// Coordinates are evaluated in f32, in the order the spec writes each formula (the scales and roi
// inputs are float tensors; onnxruntime evaluates them the same way), so nearest-neighbour ties
// pick the same pixel. Weights are computed in f64 and stored as f32; sums accumulate in f32.

export const MODE_NEAREST: i32 = 0;
export const MODE_LINEAR: i32 = 1;
export const MODE_CUBIC: i32 = 2;
/** Box filter over each output pixel's footprint (cv2 INTER_AREA); not an ONNX mode. */
export const MODE_AREA: i32 = 3;

export const CTM_HALF_PIXEL: i32 = 0;
export const CTM_HALF_PIXEL_SYMMETRIC: i32 = 1;
export const CTM_PYTORCH_HALF_PIXEL: i32 = 2;
export const CTM_ALIGN_CORNERS: i32 = 3;
export const CTM_ASYMMETRIC: i32 = 4;
export const CTM_TF_CROP_AND_RESIZE: i32 = 5;

export const NEAREST_ROUND_PREFER_FLOOR: i32 = 0;
export const NEAREST_ROUND_PREFER_CEIL: i32 = 1;
export const NEAREST_FLOOR: i32 = 2;
export const NEAREST_CEIL: i32 = 3;

/** x_original for output index `x` on one axis (the spec's coordinate_transformation_mode). */
// @ts-ignore: decorator
@inline
function originalCoordinate(ctm: i32, x: f32, scale: f32, outLen: f32, inLen: f32, roiStart: f32, roiEnd: f32): f32 {
  switch (ctm) {
    case CTM_HALF_PIXEL_SYMMETRIC: {
      const outputWidth: f32 = scale * inLen;
      const adjustment: f32 = outLen / outputWidth;
      const center: f32 = inLen / 2;
      const offset: f32 = center * (1 - adjustment);
      // The spec's 0.5 constants, evaluated in double as onnxruntime does, then rounded once.
      return <f32>(<f64>offset + (<f64>x + 0.5) / <f64>scale - 0.5);
    }
    case CTM_PYTORCH_HALF_PIXEL:
      return outLen > 1 ? (x + <f32>0.5) / scale - <f32>0.5 : 0;
    case CTM_ALIGN_CORNERS:
      return outLen == 1 ? 0 : (x * (inLen - 1)) / (outLen - 1);
    case CTM_ASYMMETRIC:
      return x / scale;
    case CTM_TF_CROP_AND_RESIZE:
      return outLen > 1
        ? roiStart * (inLen - 1) + (x * (roiEnd - roiStart) * (inLen - 1)) / (outLen - 1)
        : <f32>(0.5 * <f64>(roiStart + roiEnd) * <f64>(inLen - 1));
    default: // half_pixel
      return (x + <f32>0.5) / scale - <f32>0.5;
  }
}

/** The nearest input index for x_original under nearest_mode (before clamping). */
// @ts-ignore: decorator
@inline
function nearestIndex(nearestMode: i32, x: f32): i32 {
  const f = Mathf.floor(x);
  const d = x - f; // exact in f32
  switch (nearestMode) {
    case NEAREST_ROUND_PREFER_CEIL: return <i32>f + (d >= 0.5 ? 1 : 0);
    case NEAREST_FLOOR: return <i32>f;
    case NEAREST_CEIL: return <i32>Mathf.ceil(x);
    default: return <i32>f + (d > 0.5 ? 1 : 0); // round_prefer_floor
  }
}

/** The spec's cubic convolution kernel (Keys, coefficient `a`) at distance |d|. */
// @ts-ignore: decorator
@inline
function cubicWeight(d: f64, a: f64): f64 {
  const x = Math.abs(d);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

/** Support half-width (in input samples) of the filter, stretched by 1/scale when antialiasing. */
function support(mode: i32, antialias: i32, scale: f64): f64 {
  const base: f64 = mode == MODE_CUBIC ? 2 : 1;
  return antialias != 0 && scale < 1 ? base / scale : base;
}

/** x_original (f32) of every output index of one axis, into dst (f32 × outLen). */
export function resize_coords(ctm: i32, scale: f32, inLen: i32, outLen: i32, roiStart: f32, roiEnd: f32, dst: usize): void {
  for (let j = 0; j < outLen; j++) {
    store<f32>(dst + (<usize>j << 2), originalCoordinate(ctm, <f32>j, scale, <f32>outLen, <f32>inLen, roiStart, roiEnd));
  }
}

/** Window width before clamping to the input: how many consecutive indices the filter can reach. */
function rawTapCount(mode: i32, antialias: i32, scale: f64): i32 {
  if (mode == MODE_NEAREST) return 1;
  if (mode == MODE_AREA) return <i32>Math.ceil(1 / scale) + 1;
  if (antialias != 0) return 2 * <i32>Math.ceil(support(mode, antialias, scale)) + 1;
  return mode == MODE_CUBIC ? 4 : 2;
}

/**
 * Window width (taps) of the table `resize_table` builds for one axis: the number of consecutive
 * input indices each output position reads, at most `inLen`.
 */
export function resize_taps(mode: i32, antialias: i32, scale: f64, inLen: i32): i32 {
  return min(rawTapCount(mode, antialias, scale), max(inLen, 1));
}

/** Unnormalised weight of input index i for output j (x = x_original; area uses j and scale). */
// @ts-ignore: decorator
@inline
function tapWeight(mode: i32, i: i32, x: f32, j: i32, s: f64, filterScale: f64, cubicA: f64): f64 {
  if (mode == MODE_NEAREST) return 1;
  if (mode == MODE_AREA) {
    // Overlap of input pixel [i, i+1) with the output pixel's footprint [j/s, (j+1)/s).
    const w = Math.min(<f64>(i + 1), <f64>(j + 1) / s) - Math.max(<f64>i, <f64>j / s);
    return w > 0 ? w : 0;
  }
  const d = (<f64>i - <f64>x) * filterScale;
  return mode == MODE_CUBIC ? cubicWeight(d, cubicA) : Math.max(0, 1 - Math.abs(d));
}

/**
 * Builds one axis's table. For each output position j: `first[j]` (i32) and `taps` weights (f32)
 * at `weights + j * taps * 4`, such that out[j] = sum_t w[t] * in[first[j] + t]. Samples the
 * spec places outside [0, inLen) are folded onto the edge sample (the spec pads by repeating
 * edges), or dropped and the rest renormalised when exclude_outside is set. For
 * tf_crop_and_resize, `outside[j]` (u8) is set where x_original lies outside [0, inLen - 1]
 * (then extrapolation_value is written there); `outside` may be 0 otherwise.
 *
 * Returns 1 if the table maps every output position to the same input index with weight 1 (the
 * pass is a no-op), else 0.
 */
export function resize_table(
  mode: i32, ctm: i32, nearestMode: i32, antialias: i32, excludeOutside: i32, cubicA: f64,
  scale: f32, inLen: i32, outLen: i32, roiStart: f32, roiEnd: f32,
  taps: i32, first: usize, weights: usize, outside: usize,
): i32 {
  let identity: i32 = outLen == inLen ? 1 : 0;
  const s = <f64>scale;
  const filterScale: f64 = antialias != 0 && s < 1 ? s : 1;
  const sup = support(mode, antialias, s);
  const fOut = <f32>outLen;
  const fIn = <f32>inLen;
  for (let j = 0; j < outLen; j++) {
    const wrow = weights + ((<usize>j * <usize>taps) << 2);
    memory.fill(wrow, 0, <usize>taps << 2);
    let x: f32;
    if (mode == MODE_AREA) x = 0;
    else x = originalCoordinate(ctm, <f32>j, scale, fOut, fIn, roiStart, roiEnd);
    if (outside != 0) {
      const out = ctm == CTM_TF_CROP_AND_RESIZE && (x < 0 || x > fIn - 1);
      store<u8>(outside + j, out ? 1 : 0);
      if (out) identity = 0;
    }
    // The window's raw first index (may lie outside the input) and, after clamping, where it sits.
    let raw: i32;
    if (mode == MODE_NEAREST) raw = nearestIndex(nearestMode, x);
    else if (mode == MODE_AREA) raw = <i32>Math.floor(<f64>j / s);
    else if (antialias != 0) raw = <i32>Math.floor(<f64>x - sup) + 1;
    else raw = <i32>Math.floor(<f64>x) - (mode == MODE_CUBIC ? 1 : 0);
    const rawTaps = rawTapCount(mode, antialias, s);
    const lo = max(0, min(raw, inLen - taps));
    store<i32>(first + (<usize>j << 2), lo);
    // Antialiased and area filters are normalised to sum 1 (the spec divides by the sum), and so
    // are exclude_outside weights; plain linear and cubic weights already sum to 1.
    const normalise = antialias != 0 || excludeOutside != 0 || mode == MODE_AREA;
    let total: f64 = 0;
    if (normalise) {
      for (let t = 0; t < rawTaps; t++) {
        const i = raw + t;
        if (excludeOutside != 0 && (i < 0 || i >= inLen)) continue;
        total += tapWeight(mode, i, x, j, s, filterScale, cubicA);
      }
    }
    for (let t = 0; t < rawTaps; t++) {
      const i = raw + t;
      if (excludeOutside != 0 && (i < 0 || i >= inLen)) continue;
      const tw = tapWeight(mode, i, x, j, s, filterScale, cubicA);
      const w = normalise && total != 0 ? tw / total : tw;
      // Samples outside the input take the edge sample's value (the spec pads by repeating edges).
      const p = wrow + (<usize>(min(max(i, 0), inLen - 1) - lo) << 2);
      store<f32>(p, load<f32>(p) + <f32>w);
    }
    if (identity != 0) {
      if (lo + taps <= j || lo > j) identity = 0;
      else {
        for (let k = 0; k < taps; k++) {
          const w = load<f32>(wrow + (<usize>k << 2));
          if (w != (lo + k == j ? <f32>1 : <f32>0)) { identity = 0; break; }
        }
      }
    }
  }
  return identity;
}

/**
 * One axis of a separable resize: src is [outer, inLen, inner], dst is [outer, outLen, inner],
 * dst[o, j, i] = sum_t w[j, t] * src[o, first[j] + t, i]. SIMD across `inner` when it is wide.
 */
export function resize_pass_f32(
  src: usize, dst: usize, outer: i32, inLen: i32, outLen: i32, inner: i32,
  taps: i32, first: usize, weights: usize,
): void {
  const inStride = <usize>inLen * <usize>inner << 2;
  const outStride = <usize>outLen * <usize>inner << 2;
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const s = src + <usize>o * inStride;
    const d = dst + <usize>o * outStride;
    if (inner == 1) {
      for (let j = 0; j < outLen; j++) {
        const base = s + (<usize>load<i32>(first + (<usize>j << 2)) << 2);
        const w = weights + ((<usize>j * <usize>taps) << 2);
        let acc: f32 = 0;
        for (let t = 0; t < taps; t++) {
          acc += load<f32>(w + (<usize>t << 2)) * load<f32>(base + (<usize>t << 2));
        }
        store<f32>(d + (<usize>j << 2), acc);
      }
      continue;
    }
    const vecEnd = inner & ~3;
    for (let j = 0; j < outLen; j++) {
      const rows = s + <usize>load<i32>(first + (<usize>j << 2)) * rowBytes;
      const w = weights + ((<usize>j * <usize>taps) << 2);
      const drow = d + <usize>j * rowBytes;
      let i = 0;
      for (; i < vecEnd; i += 4) {
        let acc = f32x4.splat(0);
        let p = rows + (<usize>i << 2);
        for (let t = 0; t < taps; t++) {
          acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(w + (<usize>t << 2))), v128.load(p)));
          p += rowBytes;
        }
        v128.store(drow + (<usize>i << 2), acc);
      }
      for (; i < inner; i++) {
        let acc: f32 = 0;
        let p = rows + (<usize>i << 2);
        for (let t = 0; t < taps; t++) {
          acc += load<f32>(w + (<usize>t << 2)) * load<f32>(p);
          p += rowBytes;
        }
        store<f32>(drow + (<usize>i << 2), acc);
      }
    }
  }
}

const MASK_COORDS = memory.data(4 * 32);

/**
 * Writes `value` into every element of the f32 tensor at dst (dims at `dims`, i32 × rank) whose
 * coordinate on some axis is flagged in that axis's `outside` array (u8 per output index; the
 * pointer array `outsides` holds one pointer per axis, 0 for axes without flags). rank <= 32.
 */
export function resize_mask_f32(dst: usize, rank: i32, dims: usize, outsides: usize, value: f32): void {
  const last = load<i32>(dims + (<usize>(rank - 1) << 2));
  const lastOutside = load<usize>(outsides + (<usize>(rank - 1) << 2));
  let rows: i64 = 1;
  for (let a = 0; a < rank - 1; a++) {
    rows *= <i64>load<i32>(dims + (<usize>a << 2));
    store<i32>(MASK_COORDS + (<usize>a << 2), 0);
  }
  if (last == 0) return;
  let p = dst;
  for (let r: i64 = 0; r < rows; r++) {
    let prefixOut = false;
    for (let a = 0; a < rank - 1; a++) {
      const o = load<usize>(outsides + (<usize>a << 2));
      if (o != 0 && load<u8>(o + <usize>load<i32>(MASK_COORDS + (<usize>a << 2))) != 0) { prefixOut = true; break; }
    }
    if (prefixOut) {
      for (let j = 0; j < last; j++) store<f32>(p + (<usize>j << 2), value);
    } else if (lastOutside != 0) {
      for (let j = 0; j < last; j++) if (load<u8>(lastOutside + j) != 0) store<f32>(p + (<usize>j << 2), value);
    }
    p += <usize>last << 2;
    for (let a = rank - 2; a >= 0; a--) {
      const c = MASK_COORDS + (<usize>a << 2);
      const v = load<i32>(c) + 1;
      if (v < load<i32>(dims + (<usize>a << 2))) { store<i32>(c, v); break; }
      store<i32>(c, 0);
    }
  }
}

/** u8 -> f32, n elements. */
export function convert_u8_f32(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const v = v128.load(src + i);
    const lo = i16x8.extend_low_i8x16_u(v);
    const hi = i16x8.extend_high_i8x16_u(v);
    const d = dst + (<usize>i << 2);
    v128.store(d, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(lo)));
    v128.store(d, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(lo)), 16);
    v128.store(d, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(hi)), 32);
    v128.store(d, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(hi)), 48);
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), <f32>load<u8>(src + i));
}

/** f32 -> u8 rounding half away from zero (values are >= 0 after clamping) and saturating. */
export function convert_f32_u8_round(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const v = load<f32>(src + (<usize>i << 2));
    // NaN saturates to 0, like a clamp that fails every comparison.
    const r = v >= 255 ? <f32>255 : v > 0 ? Mathf.floor(v + 0.5) : <f32>0;
    store<u8>(dst + i, <u8>r);
  }
}
