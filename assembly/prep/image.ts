// uint8 images (HWC, 1/3/4 channels) -> normalised float tensors, one output row at a time.
//
// A row of the resized image is made in three steps, all on slices of wasm memory:
//   1. vertical: the taps rows of the source (already cropped by offset) are weighted into one f32
//      row (dense: a contiguous range of pixels; gather: only the pixels the horizontal filter reads);
//   2. horizontal: each output pixel is a weighted sum of that row's pixels, all channels at once
//      (an f32x4 per pixel, lane k = source channel k);
//   3. post: a 4x4 matrix and bias map source channels to output channels with the normalisation
//      folded in ((x * scale - mean) / std, channel order, gray), written in CHW or HWC.
// The weights come from resize_table (assembly/prep/resize.ts), so the image path resizes exactly
// as ONNX Resize does on the same axes.
//
// The parameters travel in a small i32/f32 block (see P_* below) because there are many.

export const P_SRC: i32 = 0;
export const P_STRIDE: i32 = 1;
export const P_CHANNELS: i32 = 2;
export const P_ROW_OFFSET: i32 = 3;
export const P_COL_OFFSET: i32 = 4;
export const P_IN_W: i32 = 5;
export const P_FIRST_Y: i32 = 6;
export const P_WEIGHTS_Y: i32 = 7;
export const P_TAPS_Y: i32 = 8;
export const P_FIRST_X: i32 = 9;
export const P_WEIGHTS_X: i32 = 10;
export const P_TAPS_X: i32 = 11;
export const P_J0: i32 = 12;
export const P_J1: i32 = 13;
export const P_M0: i32 = 14;
export const P_M1: i32 = 15;
export const P_VBUF: i32 = 16;
export const P_HBUF: i32 = 17;
export const P_MIX: i32 = 18;
export const P_OUT: i32 = 19;
export const P_PLANAR: i32 = 20;
export const P_OUT_C: i32 = 21;
export const P_CANVAS_H: i32 = 22;
export const P_CANVAS_W: i32 = 23;
export const P_D_ROW: i32 = 24;
export const P_D_COL: i32 = 25;
export const P_GATHER: i32 = 26;
export const P_GATHER_N: i32 = 27;
export const P_V_LO: i32 = 28;
export const P_V_HI: i32 = 29;
export const P_COUNT: i32 = 30;

// @ts-ignore: decorator
@inline
function p(params: usize, i: i32): i32 {
  return load<i32>(params + (<usize>i << 2));
}

/** Four u8 at `src` as an f32x4 (lanes beyond the image's channels hold whatever follows). */
// @ts-ignore: decorator
@inline
function pixel4(src: usize): v128 {
  const v = v128.load32_zero(src);
  return f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v)));
}

/**
 * Vertical pass over pixels [lo, hi) of the cropped row range, all channels: vbuf[px*C + c] =
 * sum_t w[t] * src[row(first + t), px, c]. 16 bytes per step where possible.
 */
function verticalDense(
  src: usize, stride: usize, rowOffset: i32, colOffsetBytes: usize, channels: i32,
  first: i32, w: usize, taps: i32, lo: i32, hi: i32, vbuf: usize,
): void {
  const b0 = <usize>lo * <usize>channels;
  const b1 = <usize>hi * <usize>channels;
  const base = src + colOffsetBytes + <usize>(first - rowOffset) * stride;
  let b = b0;
  for (; b + 16 <= b1; b += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let q = base + b;
    for (let t = 0; t < taps; t++) {
      const wt = v128.load32_splat(w + (<usize>t << 2));
      const v = v128.load(q);
      const lo16 = i16x8.extend_low_i8x16_u(v);
      const hi16 = i16x8.extend_high_i8x16_u(v);
      a0 = f32x4.add(a0, f32x4.mul(wt, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(lo16))));
      a1 = f32x4.add(a1, f32x4.mul(wt, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(lo16))));
      a2 = f32x4.add(a2, f32x4.mul(wt, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(hi16))));
      a3 = f32x4.add(a3, f32x4.mul(wt, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(hi16))));
      q += stride;
    }
    const d = vbuf + (b << 2);
    v128.store(d, a0);
    v128.store(d, a1, 16);
    v128.store(d, a2, 32);
    v128.store(d, a3, 48);
  }
  for (; b < b1; b++) {
    let acc: f32 = 0;
    let q = base + b;
    for (let t = 0; t < taps; t++) {
      acc += load<f32>(w + (<usize>t << 2)) * <f32>load<u8>(q);
      q += stride;
    }
    store<f32>(vbuf + (b << 2), acc);
  }
}

/** Vertical pass at the listed pixels only (the ones a short horizontal filter reads). */
function verticalGather(
  src: usize, stride: usize, rowOffset: i32, colOffsetBytes: usize, channels: i32,
  first: i32, w: usize, taps: i32, list: usize, n: i32, vbuf: usize,
): void {
  const base = src + colOffsetBytes + <usize>(first - rowOffset) * stride;
  if (channels >= 3) {
    // Four bytes per pixel are read; with three channels the fourth belongs to the next pixel
    // (or to the padding the caller leaves after the last row) and is discarded later.
    for (let i = 0; i < n; i++) {
      const px = <usize>load<i32>(list + (<usize>i << 2)) * <usize>channels;
      let acc = f32x4.splat(0);
      let q = base + px;
      for (let t = 0; t < taps; t++) {
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(w + (<usize>t << 2)), pixel4(q)));
        q += stride;
      }
      v128.store(vbuf + (px << 2), acc);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const px = <usize>load<i32>(list + (<usize>i << 2));
      let acc: f32 = 0;
      let q = base + px;
      for (let t = 0; t < taps; t++) {
        acc += load<f32>(w + (<usize>t << 2)) * <f32>load<u8>(q);
        q += stride;
      }
      store<f32>(vbuf + (px << 2), acc);
    }
  }
}

/** Horizontal pass: hbuf[m - m0] (f32x4, lane = source channel) for output pixels [m0, m1). */
function horizontal(vbuf: usize, channels: i32, first: usize, w: usize, taps: i32, m0: i32, m1: i32, hbuf: usize): void {
  const pxBytes = <usize>channels << 2;
  for (let m = m0; m < m1; m++) {
    let acc = f32x4.splat(0);
    let q = vbuf + <usize>load<i32>(first + (<usize>m << 2)) * pxBytes;
    let wq = w + ((<usize>m * <usize>taps) << 2);
    if (channels == 1) {
      let s: f32 = 0;
      for (let t = 0; t < taps; t++) {
        s += load<f32>(wq) * load<f32>(q);
        q += 4;
        wq += 4;
      }
      acc = f32x4.splat(s);
    } else {
      for (let t = 0; t < taps; t++) {
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(wq), v128.load(q)));
        q += pxBytes;
        wq += 4;
      }
    }
    v128.store(hbuf + (<usize>(m - m0) << 4), acc);
  }
}

const POST_SPLAT = memory.data(4 * 80);

/** M[c][K] (lane c of mK) and bias[c] splatted into POST_SPLAT, five vectors per output channel. */
function postSplat(mix: usize, outC: i32): void {
  for (let c = 0; c < outC; c++) {
    const q = POST_SPLAT + (<usize>c * 80);
    const lane = <usize>c << 2;
    v128.store(q, v128.load32_splat(mix + lane));
    v128.store(q, v128.load32_splat(mix + 16 + lane), 16);
    v128.store(q, v128.load32_splat(mix + 32 + lane), 32);
    v128.store(q, v128.load32_splat(mix + 48 + lane), 48);
    v128.store(q, v128.load32_splat(mix + 64 + lane), 64);
  }
}

/**
 * Four pixel vectors (lane = source channel) through the post step (POST_SPLAT set up), stored
 * as four consecutive floats of each of the outC planes from `at`: transposed so each output
 * channel is four multiply-adds and one store.
 */
// @ts-ignore: decorator
@inline
function mixStore4(v0: v128, v1: v128, v2: v128, v3: v128, at: usize, plane: usize, outC: i32): void {
  // Transpose: lane K of each pixel vector into vector K (pixels in lanes).
  const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
  const k0 = i64x2.shuffle(t0, t1, 0, 2);
  const k1 = i64x2.shuffle(t0, t1, 1, 3);
  const k2 = i64x2.shuffle(t2, t3, 0, 2);
  const k3 = i64x2.shuffle(t2, t3, 1, 3);
  for (let c = 0; c < outC; c++) {
    const q = POST_SPLAT + (<usize>c * 80);
    let y = f32x4.add(v128.load(q, 64), f32x4.mul(k0, v128.load(q)));
    y = f32x4.add(y, f32x4.mul(k1, v128.load(q, 16)));
    y = f32x4.add(y, f32x4.mul(k2, v128.load(q, 32)));
    y = f32x4.add(y, f32x4.mul(k3, v128.load(q, 48)));
    v128.store(at + <usize>c * plane, y);
  }
}

/** Linear 2x2 of an RGBA output pixel m (both pixels of a row in one 8-byte load), as image_rows computes it. */
// @ts-ignore: decorator
@inline
function bilinear4(row0: usize, row1: usize, firstX: usize, weightsX: usize, m: i32, wy0: v128, wy1: v128): v128 {
  const at = <usize>load<i32>(firstX + (<usize>m << 2)) << 2;
  const wx = weightsX + (<usize>m << 3);
  const wx0 = v128.load32_splat(wx);
  const wx1 = v128.load32_splat(wx + 4);
  const a = i16x8.extend_low_i8x16_u(v128.load64_zero(row0 + at));
  const b = i16x8.extend_low_i8x16_u(v128.load64_zero(row1 + at));
  const top = f32x4.add(f32x4.mul(wx0, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(a))), f32x4.mul(wx1, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(a))));
  const bottom = f32x4.add(f32x4.mul(wx0, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(b))), f32x4.mul(wx1, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(b))));
  return f32x4.add(f32x4.mul(wy0, top), f32x4.mul(wy1, bottom));
}

/**
 * Post step for n pixels of hbuf: y = M v + bias (M row c = output channel c), stored at canvas
 * row `row`, columns col0.. in CHW (planar) or HWC. Planar output goes four pixels at a time:
 * their vectors are transposed to one vector per source channel, so each output channel is four
 * multiply-adds and one store.
 */
function post(hbuf: usize, n: i32, mix: usize, out: usize, planar: i32, outC: i32, canvasH: i32, canvasW: i32, row: i32, col0: i32): void {
  const m0 = v128.load(mix);
  const m1 = v128.load(mix, 16);
  const m2 = v128.load(mix, 32);
  const m3 = v128.load(mix, 48);
  const bias = v128.load(mix, 64);
  const plane = <usize>canvasH * <usize>canvasW << 2;
  let i = 0;
  if (planar != 0 && n >= 4) {
    postSplat(mix, outC);
    const at0 = out + ((<usize>row * <usize>canvasW + <usize>col0) << 2);
    for (; i + 4 <= n; i += 4) {
      const p = hbuf + (<usize>i << 4);
      mixStore4(v128.load(p), v128.load(p, 16), v128.load(p, 32), v128.load(p, 48), at0 + (<usize>i << 2), plane, outC);
    }
  }
  for (; i < n; i++) {
    const v = v128.load(hbuf + (<usize>i << 4));
    // Columns of M^T are stored at mix (lane c of mK = M[c][K]), so y = sum_K v[K] * mK + bias.
    let y = f32x4.add(bias, f32x4.mul(f32x4.splat(f32x4.extract_lane(v, 0)), m0));
    y = f32x4.add(y, f32x4.mul(f32x4.splat(f32x4.extract_lane(v, 1)), m1));
    y = f32x4.add(y, f32x4.mul(f32x4.splat(f32x4.extract_lane(v, 2)), m2));
    y = f32x4.add(y, f32x4.mul(f32x4.splat(f32x4.extract_lane(v, 3)), m3));
    const col = <usize>(col0 + i);
    if (planar != 0) {
      const at = out + ((<usize>row * <usize>canvasW + col) << 2);
      store<f32>(at, f32x4.extract_lane(y, 0));
      if (outC > 1) store<f32>(at + plane, f32x4.extract_lane(y, 1));
      if (outC > 2) store<f32>(at + 2 * plane, f32x4.extract_lane(y, 2));
      if (outC > 3) store<f32>(at + 3 * plane, f32x4.extract_lane(y, 3));
    } else {
      const at = out + (((<usize>row * <usize>canvasW + col) * <usize>outC) << 2);
      if (outC == 4) v128.store(at, y);
      else {
        store<f32>(at, f32x4.extract_lane(y, 0));
        if (outC > 1) store<f32>(at, f32x4.extract_lane(y, 1), 4);
        if (outC > 2) store<f32>(at, f32x4.extract_lane(y, 2), 8);
      }
    }
  }
}

/**
 * Makes resized rows [j0, j1), columns [m0, m1), and writes them (after the post step) at canvas
 * position (j + dRow, m + dCol). The source rows the vertical filter reads must be present at
 * src (row r at src + (r - rowOffset) * stride). Returns 0.
 */
export function image_rows(params: usize): i32 {
  const src = <usize>p(params, P_SRC);
  const stride = <usize>p(params, P_STRIDE);
  const channels = p(params, P_CHANNELS);
  const rowOffset = p(params, P_ROW_OFFSET);
  const colOffsetBytes = <usize>p(params, P_COL_OFFSET) * <usize>channels;
  const firstY = <usize>p(params, P_FIRST_Y);
  const weightsY = <usize>p(params, P_WEIGHTS_Y);
  const tapsY = p(params, P_TAPS_Y);
  const firstX = <usize>p(params, P_FIRST_X);
  const weightsX = <usize>p(params, P_WEIGHTS_X);
  const tapsX = p(params, P_TAPS_X);
  const j0 = p(params, P_J0);
  const j1 = p(params, P_J1);
  const m0 = p(params, P_M0);
  const m1 = p(params, P_M1);
  const vbuf = <usize>p(params, P_VBUF);
  const hbuf = <usize>p(params, P_HBUF);
  const mix = <usize>p(params, P_MIX);
  const out = <usize>p(params, P_OUT);
  const planar = p(params, P_PLANAR);
  const outC = p(params, P_OUT_C);
  const canvasH = p(params, P_CANVAS_H);
  const canvasW = p(params, P_CANVAS_W);
  const dRow = p(params, P_D_ROW);
  const dCol = p(params, P_D_COL);
  const gather = <usize>p(params, P_GATHER);
  const gatherN = p(params, P_GATHER_N);
  const vLo = p(params, P_V_LO);
  const vHi = p(params, P_V_HI);
  // Two taps each way (linear without antialias) with 3-4 channels: each output pixel straight
  // from its four source pixels, without the intermediate row.
  const direct2x2 = tapsY == 2 && tapsX == 2 && channels >= 3;
  const px = <usize>channels;
  for (let j = j0; j < j1; j++) {
    const fy = load<i32>(firstY + (<usize>j << 2));
    const wy = weightsY + ((<usize>j * <usize>tapsY) << 2);
    if (direct2x2) {
      const row0 = src + colOffsetBytes + <usize>(fy - rowOffset) * stride;
      const row1 = row0 + stride;
      const wy0 = v128.load32_splat(wy);
      const wy1 = v128.load32_splat(wy + 4);
      let m = m0;
      if (planar != 0 && channels == 4 && m1 - m0 >= 4) {
        // Four output pixels at a time straight to the planes (the post step inline, no hbuf).
        postSplat(mix, outC);
        const plane = <usize>canvasH * <usize>canvasW << 2;
        const at0 = out + ((<usize>(j + dRow) * <usize>canvasW + <usize>(m0 + dCol)) << 2) - (<usize>m0 << 2);
        for (; m + 4 <= m1; m += 4) {
          const v0 = bilinear4(row0, row1, firstX, weightsX, m, wy0, wy1);
          const v1 = bilinear4(row0, row1, firstX, weightsX, m + 1, wy0, wy1);
          const v2 = bilinear4(row0, row1, firstX, weightsX, m + 2, wy0, wy1);
          const v3 = bilinear4(row0, row1, firstX, weightsX, m + 3, wy0, wy1);
          mixStore4(v0, v1, v2, v3, at0 + (<usize>m << 2), plane, outC);
        }
      }
      const mStart = m;
      for (; m < m1; m++) {
        const at = <usize>load<i32>(firstX + (<usize>m << 2)) * px;
        const wx = weightsX + (<usize>m << 3);
        const wx0 = v128.load32_splat(wx);
        const wx1 = v128.load32_splat(wx + 4);
        let p00: v128, p01: v128, p10: v128, p11: v128;
        if (channels == 4) {
          // Both pixels of a row in one 8-byte load.
          const a = i16x8.extend_low_i8x16_u(v128.load64_zero(row0 + at));
          const b = i16x8.extend_low_i8x16_u(v128.load64_zero(row1 + at));
          p00 = f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(a));
          p01 = f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(a));
          p10 = f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(b));
          p11 = f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(b));
        } else {
          p00 = pixel4(row0 + at);
          p01 = pixel4(row0 + at + px);
          p10 = pixel4(row1 + at);
          p11 = pixel4(row1 + at + px);
        }
        const top = f32x4.add(f32x4.mul(wx0, p00), f32x4.mul(wx1, p01));
        const bottom = f32x4.add(f32x4.mul(wx0, p10), f32x4.mul(wx1, p11));
        v128.store(hbuf + (<usize>(m - mStart) << 4), f32x4.add(f32x4.mul(wy0, top), f32x4.mul(wy1, bottom)));
      }
      post(hbuf, m1 - mStart, mix, out, planar, outC, canvasH, canvasW, j + dRow, mStart + dCol);
      continue;
    }
    if (gather != 0) verticalGather(src, stride, rowOffset, colOffsetBytes, channels, fy, wy, tapsY, gather, gatherN, vbuf);
    else verticalDense(src, stride, rowOffset, colOffsetBytes, channels, fy, wy, tapsY, vLo, vHi, vbuf);
    horizontal(vbuf, channels, firstX, weightsX, tapsX, m0, m1, hbuf);
    post(hbuf, m1 - m0, mix, out, planar, outC, canvasH, canvasW, j + dRow, m0 + dCol);
  }
  return 0;
}

/**
 * Fills every canvas pixel outside rows [top, top + h) x columns [left, left + w) with `values`
 * (f32 per channel, already normalised), in CHW (planar) or HWC. The letterbox border.
 */
export function image_pad_f32(out: usize, planar: i32, outC: i32, canvasH: i32, canvasW: i32, top: i32, left: i32, h: i32, w: i32, values: usize): void {
  for (let y = 0; y < canvasH; y++) {
    const inside = y >= top && y < top + h;
    for (let x = 0; x < canvasW; x++) {
      if (inside && x >= left && x < left + w) continue;
      for (let c = 0; c < outC; c++) {
        const v = load<f32>(values + (<usize>c << 2));
        const at = planar != 0
          ? ((<usize>c * <usize>canvasH + <usize>y) * <usize>canvasW + <usize>x) << 2
          : ((<usize>y * <usize>canvasW + <usize>x) * <usize>outC + <usize>c) << 2;
        store<f32>(out + at, v);
      }
    }
  }
}

/**
 * tf_crop_and_resize: writes `values` (f32 per channel) at canvas pixels of resized rows [j0, j1) ×
 * columns [m0, m1) (placed at + dRow, + dCol) whose row or column sampled outside the input
 * (`outsideY[j]` / `outsideX[m]`, u8; either pointer may be 0).
 */
export function image_mask_f32(
  out: usize, planar: i32, outC: i32, canvasH: i32, canvasW: i32, j0: i32, j1: i32, m0: i32, m1: i32,
  dRow: i32, dCol: i32, outsideY: usize, outsideX: usize, values: usize,
): void {
  for (let j = j0; j < j1; j++) {
    const rowOut = outsideY != 0 && load<u8>(outsideY + j) != 0;
    for (let m = m0; m < m1; m++) {
      if (!rowOut && (outsideX == 0 || load<u8>(outsideX + m) == 0)) continue;
      const y = <usize>(j + dRow);
      const x = <usize>(m + dCol);
      for (let c = 0; c < outC; c++) {
        const at = planar != 0
          ? ((<usize>c * <usize>canvasH + y) * <usize>canvasW + x) << 2
          : ((y * <usize>canvasW + x) * <usize>outC + <usize>c) << 2;
        store<f32>(out + at, load<f32>(values + (<usize>c << 2)));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Antialiased linear downscale in O(1) per source sample.
//
// With antialias the linear filter of output j is the tent u_j(i) = max(0, 1 - |i - c_j| / R),
// R = 1 / scale, centred on c_j = x_original(j). When the centres are R apart (every transform but
// align_corners and tf_crop_and_resize), the source splits into segments j = (c_j, c_{j+1}] and on
// segment j the tents of outputs j and j + 1 are linear in i. So with, per segment, the exact
// integer sums S = sum x_i and T = sum (b - i) x_i (b the segment's last index):
//   sum_{seg j} u_j x   = ((c_j + R - b) S + T) / R
//   sum_{seg j} u_j+1 x = ((b - c_{j+1} + R) S - T) / R
// and output j = (left half from segment j - 1 + right half from segment j) / sum_i u_j(i). S and T
// come from running sums (T += S before S += x), two integer adds per sample, in u16 lanes for the
// vertical direction (T fits while a segment has <= 23 rows) and i32 lanes per pixel for the
// horizontal one, which runs on the S and T rows of each vertical segment. Only the 4 coefficients
// per output row and column are fractional; they come from TS (weights as resize_table gives them
// for the same outputs). Outputs whose window reaches past an edge use the general path instead.

export const A_K0: i32 = 0;
export const A_K1: i32 = 1;
export const A_VSEG: i32 = 2;
export const A_VSEG_BASE: i32 = 3;
export const A_VCOEF: i32 = 4;
export const A_HSEG: i32 = 5;
export const A_HSEG_BASE: i32 = 6;
export const A_HCOEF: i32 = 7;
export const A_MA: i32 = 8;
export const A_MB: i32 = 9;
export const A_SROW: i32 = 10;
export const A_TROW: i32 = 11;
export const A_SEGBUF: i32 = 12;
export const A_HS: i32 = 13;
export const A_HT: i32 = 14;
export const A_HS_PREV: i32 = 15;
export const A_HT_PREV: i32 = 16;
export const A_HAVE_PREV: i32 = 17;
/** Packed [S | T'] row (16 bytes per pixel, RGBA only), or 0 for the separate S and T rows. */
export const A_PACKED: i32 = 18;
export const A_COUNT: i32 = 19;

/**
 * The running sums S = sum x and T = sum (rows before) S of 32 byte columns over `rows` rows from
 * q (eight independent add chains per row). Separate: S to `at`, T to `tAt` (u16 per column).
 * Packed: T' = T - o S, and per pixel one v128 [S of 4 channels | T' of 4 channels] to `at`.
 * Inlined with a constant `packedOut`, so each caller keeps only its own tail.
 */
// @ts-ignore: decorator
@inline
function sums32(q: usize, stride: usize, rows: i32, packedOut: bool, o: v128, at: usize, tAt: usize): void {
  let s0 = i16x8.splat(0), s1 = i16x8.splat(0), t0 = i16x8.splat(0), t1 = i16x8.splat(0);
  let s2 = i16x8.splat(0), s3 = i16x8.splat(0), t2 = i16x8.splat(0), t3 = i16x8.splat(0);
  for (let r = 0; r < rows; r++) {
    const v = v128.load(q);
    const w = v128.load(q, 16);
    t0 = i16x8.add(t0, s0);
    t1 = i16x8.add(t1, s1);
    t2 = i16x8.add(t2, s2);
    t3 = i16x8.add(t3, s3);
    s0 = i16x8.add(s0, i16x8.extend_low_i8x16_u(v));
    s1 = i16x8.add(s1, i16x8.extend_high_i8x16_u(v));
    s2 = i16x8.add(s2, i16x8.extend_low_i8x16_u(w));
    s3 = i16x8.add(s3, i16x8.extend_high_i8x16_u(w));
    q += stride;
  }
  if (packedOut) {
    t0 = i16x8.sub(t0, i16x8.mul(s0, o));
    t1 = i16x8.sub(t1, i16x8.mul(s1, o));
    t2 = i16x8.sub(t2, i16x8.mul(s2, o));
    t3 = i16x8.sub(t3, i16x8.mul(s3, o));
    v128.store(at, i64x2.shuffle(s0, t0, 0, 2));
    v128.store(at, i64x2.shuffle(s0, t0, 1, 3), 16);
    v128.store(at, i64x2.shuffle(s1, t1, 0, 2), 32);
    v128.store(at, i64x2.shuffle(s1, t1, 1, 3), 48);
    v128.store(at, i64x2.shuffle(s2, t2, 0, 2), 64);
    v128.store(at, i64x2.shuffle(s2, t2, 1, 3), 80);
    v128.store(at, i64x2.shuffle(s3, t3, 0, 2), 96);
    v128.store(at, i64x2.shuffle(s3, t3, 1, 3), 112);
  } else {
    v128.store(at, s0);
    v128.store(at, s1, 16);
    v128.store(at, s2, 32);
    v128.store(at, s3, 48);
    v128.store(tAt, t0);
    v128.store(tAt, t1, 16);
    v128.store(tAt, t2, 32);
    v128.store(tAt, t3, 48);
  }
}

/** S and T (u16 per byte column) of source rows [r0, r1), byte columns [b0, b1) of the crop. */
function segmentSums(base: usize, stride: usize, r0: i32, r1: i32, b0: usize, b1: usize, sRow: usize, tRow: usize): void {
  let b = b0;
  for (; b + 32 <= b1; b += 32) sums32(base + <usize>r0 * stride + b, stride, r1 - r0, false, v128.splat<i16>(0), sRow + (b << 1), tRow + (b << 1));
  for (; b + 16 <= b1; b += 16) {
    let s0 = i16x8.splat(0), s1 = i16x8.splat(0), t0 = i16x8.splat(0), t1 = i16x8.splat(0);
    let q = base + <usize>r0 * stride + b;
    for (let r = r0; r < r1; r++) {
      const v = v128.load(q);
      t0 = i16x8.add(t0, s0);
      t1 = i16x8.add(t1, s1);
      s0 = i16x8.add(s0, i16x8.extend_low_i8x16_u(v));
      s1 = i16x8.add(s1, i16x8.extend_high_i8x16_u(v));
      q += stride;
    }
    v128.store(sRow + (b << 1), s0);
    v128.store(sRow + (b << 1), s1, 16);
    v128.store(tRow + (b << 1), t0);
    v128.store(tRow + (b << 1), t1, 16);
  }
  for (; b < b1; b++) {
    let s: u32 = 0, t: u32 = 0;
    let q = base + <usize>r0 * stride + b;
    for (let r = r0; r < r1; r++) {
      t += s;
      s += <u32>load<u8>(q);
      q += stride;
    }
    store<u16>(sRow + (b << 1), <u16>s);
    store<u16>(tRow + (b << 1), <u16>t);
  }
}

/**
 * Horizontal filter of the S and T rows of one vertical segment (u16, C channels per pixel, read
 * 4 lanes at a time) into outS/outT[m - m0] (f32x4) for m in [m0, m1): interior columns [ma, mb)
 * by segment sums, the rest by the table. Both rows go through one loop for fewer branches.
 */
function horizontalOfSums(
  sRow: usize, tRow: usize, channels: i32, m0: i32, m1: i32, ma: i32, mb: i32,
  hseg: usize, hsegBase: i32, hcoef: usize, segBuf: usize,
  firstX: usize, weightsX: usize, tapsX: i32, outS: usize, outT: usize,
): void {
  const px = <usize>channels << 1;
  // Segment sums for segments ma - 1 .. mb - 1: S and T of the S row, then of the T row.
  let e0 = load<i32>(hseg + (<usize>(ma - 1 - hsegBase) << 2));
  for (let g = ma - 1; g < mb; g++) {
    const e1 = load<i32>(hseg + (<usize>(g + 1 - hsegBase) << 2));
    let ss = i32x4.splat(0), st = i32x4.splat(0), ts = i32x4.splat(0), tt = i32x4.splat(0);
    let q = <usize>e0 * px;
    const end = <usize>e1 * px;
    if (channels == 4) {
      // Two pixels per 16-byte load.
      for (; q + 16 <= end; q += 16) {
        const a = v128.load(sRow + q);
        const b = v128.load(tRow + q);
        st = i32x4.add(st, ss);
        ss = i32x4.add(ss, i32x4.extend_low_i16x8_u(a));
        tt = i32x4.add(tt, ts);
        ts = i32x4.add(ts, i32x4.extend_low_i16x8_u(b));
        st = i32x4.add(st, ss);
        ss = i32x4.add(ss, i32x4.extend_high_i16x8_u(a));
        tt = i32x4.add(tt, ts);
        ts = i32x4.add(ts, i32x4.extend_high_i16x8_u(b));
      }
    }
    for (; q < end; q += px) {
      st = i32x4.add(st, ss);
      ss = i32x4.add(ss, i32x4.extend_low_i16x8_u(v128.load64_zero(sRow + q)));
      tt = i32x4.add(tt, ts);
      ts = i32x4.add(ts, i32x4.extend_low_i16x8_u(v128.load64_zero(tRow + q)));
    }
    const at = segBuf + (<usize>(g - (ma - 1)) << 6);
    v128.store(at, f32x4.convert_i32x4_s(ss));
    v128.store(at, f32x4.convert_i32x4_s(st), 16);
    v128.store(at, f32x4.convert_i32x4_s(ts), 32);
    v128.store(at, f32x4.convert_i32x4_s(tt), 48);
    e0 = e1;
  }
  for (let m = ma; m < mb; m++) {
    const c = hcoef + (<usize>(m - ma) << 4);
    const cr = v128.load32_splat(c);
    const ct = v128.load32_splat(c + 4);
    const cp = v128.load32_splat(c + 8);
    const cq = v128.load32_splat(c + 12);
    const left = segBuf + (<usize>(m - ma) << 6);
    const right = left + 64;
    let y = f32x4.add(f32x4.mul(cr, v128.load(left)), f32x4.mul(ct, v128.load(left, 16)));
    y = f32x4.add(y, f32x4.add(f32x4.mul(cp, v128.load(right)), f32x4.mul(cq, v128.load(right, 16))));
    v128.store(outS + (<usize>(m - m0) << 4), y);
    let z = f32x4.add(f32x4.mul(cr, v128.load(left, 32)), f32x4.mul(ct, v128.load(left, 48)));
    z = f32x4.add(z, f32x4.add(f32x4.mul(cp, v128.load(right, 32)), f32x4.mul(cq, v128.load(right, 48))));
    v128.store(outT + (<usize>(m - m0) << 4), z);
  }
  for (let m = m0; m < m1; m++) {
    if (m >= ma && m < mb) continue;
    let accS = f32x4.splat(0);
    let accT = f32x4.splat(0);
    let q = <usize>load<i32>(firstX + (<usize>m << 2)) * px;
    let wq = weightsX + ((<usize>m * <usize>tapsX) << 2);
    for (let t = 0; t < tapsX; t++) {
      const w = v128.load32_splat(wq);
      accS = f32x4.add(accS, f32x4.mul(w, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(v128.load64_zero(sRow + q)))));
      accT = f32x4.add(accT, f32x4.mul(w, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(v128.load64_zero(tRow + q)))));
      q += px;
      wq += 4;
    }
    v128.store(outS + (<usize>(m - m0) << 4), accS);
    v128.store(outT + (<usize>(m - m0) << 4), accT);
  }
}

// ---------------------------------------------------------------------------------------------
// Packed variant (4-channel sources whose segment sums fit in 16 bits, e.g. 1920x1080 -> 224).
//
// The vertical pass stores, per pixel, one v128 of eight u16 lanes: S of the four channels, then
// T' = T - o S (o = (rows - 1) >> 1, so the row weights are centred on the segment). The
// horizontal pass then runs the same two running sums over whole pixels (s += v, t += s), so one
// i16x8 add handles S and T' of all four channels, and centres its weights the same way at the
// end of each segment. All of this is integer arithmetic modulo 2^16; it is exact because every
// final quantity fits in 16 bits (the caller checks the bounds from the segment lengths: sum S
// <= 65535, and the three centred sums within +-32767). The coefficients the caller uploads for
// this variant are the centred ones: c_S + o c_T in place of c_S.

/** S and T' of source rows [r0, r1), byte columns [b0, b1) (multiples of 4), packed per pixel. */
function segmentSumsPacked(base: usize, stride: usize, r0: i32, r1: i32, b0: usize, b1: usize, packed: usize): void {
  const oc = (r1 - r0 - 1) >> 1;
  const o = i16x8.splat(<i16>oc);
  let b = b0;
  for (; b + 32 <= b1; b += 32) sums32(base + <usize>r0 * stride + b, stride, r1 - r0, true, o, packed + (b << 2), 0);
  for (; b + 8 <= b1; b += 8) {
    let s0 = i16x8.splat(0), t0 = i16x8.splat(0);
    let q = base + <usize>r0 * stride + b;
    for (let r = r0; r < r1; r++) {
      t0 = i16x8.add(t0, s0);
      s0 = i16x8.add(s0, i16x8.extend_low_i8x16_u(v128.load64_zero(q)));
      q += stride;
    }
    t0 = i16x8.sub(t0, i16x8.mul(s0, o));
    const d = packed + (b << 2);
    v128.store(d, i64x2.shuffle(s0, t0, 0, 2));
    v128.store(d, i64x2.shuffle(s0, t0, 1, 3), 16);
  }
  for (; b < b1; b++) {
    let s: u32 = 0, t: u32 = 0;
    let q = base + <usize>r0 * stride + b;
    for (let r = r0; r < r1; r++) {
      t += s;
      s += <u32>load<u8>(q);
      q += stride;
    }
    const d = packed + ((b >> 2) << 4) + ((b & 3) << 1);
    store<u16>(d, <u16>s);
    store<u16>(d + 8, <u16>(t - <u32>oc * s));
  }
}

/**
 * Horizontal filter of a packed row (see above) into outS/outT[m - m0] (f32x4 each: the row's S
 * and T' filtered) for m in [m0, m1): interior columns [ma, mb) by segment sums with the centred
 * coefficients at hcoef, the rest by the table.
 */
function horizontalPacked(
  packed: usize, m0: i32, m1: i32, ma: i32, mb: i32, hseg: usize, hsegBase: i32, hcoef: usize,
  firstX: usize, weightsX: usize, tapsX: i32, outS: usize, outT: usize,
): void {
  let e0 = load<i32>(hseg + (<usize>(ma - 1 - hsegBase) << 2));
  // The shortest and longest segment: every segment runs minLen unmasked steps, then
  // maxLen - minLen steps masked by whether they are still inside it (no data-dependent loop
  // count; the pixels read past a segment's end are zeroed by the mask).
  let minLen = i32.MAX_VALUE, maxLen = 0;
  for (let g = ma - 1; g < mb; g++) {
    const len = load<i32>(hseg + (<usize>(g + 1 - hsegBase) << 2)) - load<i32>(hseg + (<usize>(g - hsegBase) << 2));
    minLen = min(minLen, len);
    maxLen = max(maxLen, len);
  }
  let pS = f32x4.splat(0), pSw = f32x4.splat(0), pT = f32x4.splat(0), pTw = f32x4.splat(0);
  for (let g = ma - 1; g < mb; g++) {
    const e1 = load<i32>(hseg + (<usize>(g + 1 - hsegBase) << 2));
    let s = i16x8.splat(0), t = i16x8.splat(0);
    let q = packed + (<usize>e0 << 4);
    const end = packed + (<usize>e1 << 4);
    for (; q < end; q += 16) {
      t = i16x8.add(t, s);
      s = i16x8.add(s, v128.load(q));
    }
    const len = e1 - e0;
    t = i16x8.sub(t, i16x8.mul(s, i16x8.splat(<i16>((len - 1) >> 1))));
    const cS = f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(s));
    const cT = f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(s));
    const cSw = f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(t));
    const cTw = f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(t));
    if (g >= ma) {
      const c = hcoef + (<usize>(g - ma) << 4);
      const cr = v128.load32_splat(c);
      const ct = v128.load32_splat(c + 4);
      const cp = v128.load32_splat(c + 8);
      const cq = v128.load32_splat(c + 12);
      let y = f32x4.add(f32x4.mul(cr, pS), f32x4.mul(ct, pSw));
      y = f32x4.add(y, f32x4.add(f32x4.mul(cp, cS), f32x4.mul(cq, cSw)));
      v128.store(outS + (<usize>(g - m0) << 4), y);
      let z = f32x4.add(f32x4.mul(cr, pT), f32x4.mul(ct, pTw));
      z = f32x4.add(z, f32x4.add(f32x4.mul(cp, cT), f32x4.mul(cq, cTw)));
      v128.store(outT + (<usize>(g - m0) << 4), z);
    }
    pS = cS;
    pSw = cSw;
    pT = cT;
    pTw = cTw;
    e0 = e1;
  }
  for (let m = m0; m < m1; m++) {
    if (m >= ma && m < mb) continue;
    let accS = f32x4.splat(0);
    let accT = f32x4.splat(0);
    let q = packed + (<usize>load<i32>(firstX + (<usize>m << 2)) << 4);
    let wq = weightsX + ((<usize>m * <usize>tapsX) << 2);
    for (let t = 0; t < tapsX; t++) {
      const w = v128.load32_splat(wq);
      const v = v128.load(q);
      accS = f32x4.add(accS, f32x4.mul(w, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(v))));
      accT = f32x4.add(accT, f32x4.mul(w, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(v))));
      q += 16;
      wq += 4;
    }
    v128.store(outS + (<usize>(m - m0) << 4), accS);
    v128.store(outT + (<usize>(m - m0) << 4), accT);
  }
}

/**
 * Makes resized rows [k0, k1) of an antialiased linear downscale by segment sums (see above) and
 * writes them through the post step, as image_rows does. Every row k needs segments k - 1 and k;
 * segment k - 1 of the first row comes from the previous call (A_HAVE_PREV = 1), so calls must go
 * in row order. Returns 0.
 */
export function image_rows_aa(params: usize, aa: usize): i32 {
  const src = <usize>p(params, P_SRC);
  const stride = <usize>p(params, P_STRIDE);
  const channels = p(params, P_CHANNELS);
  const rowOffset = p(params, P_ROW_OFFSET);
  const colOffsetBytes = <usize>p(params, P_COL_OFFSET) * <usize>channels;
  const firstX = <usize>p(params, P_FIRST_X);
  const weightsX = <usize>p(params, P_WEIGHTS_X);
  const tapsX = p(params, P_TAPS_X);
  const m0 = p(params, P_M0);
  const m1 = p(params, P_M1);
  const hbuf = <usize>p(params, P_HBUF);
  const b0 = <usize>p(params, P_V_LO) * <usize>channels;
  const b1 = <usize>p(params, P_V_HI) * <usize>channels;
  const k0 = p(aa, A_K0);
  const k1 = p(aa, A_K1);
  const vseg = <usize>p(aa, A_VSEG);
  const vsegBase = p(aa, A_VSEG_BASE);
  const vcoef = <usize>p(aa, A_VCOEF);
  const hseg = <usize>p(aa, A_HSEG);
  const hsegBase = p(aa, A_HSEG_BASE);
  const hcoef = <usize>p(aa, A_HCOEF);
  const ma = p(aa, A_MA);
  const mb = p(aa, A_MB);
  const sRow = <usize>p(aa, A_SROW);
  const tRow = <usize>p(aa, A_TROW);
  const segBuf = <usize>p(aa, A_SEGBUF);
  const hs = <usize>p(aa, A_HS);
  const ht = <usize>p(aa, A_HT);
  const hsPrev = <usize>p(aa, A_HS_PREV);
  const htPrev = <usize>p(aa, A_HT_PREV);
  const packed = <usize>p(aa, A_PACKED);
  const base = src + colOffsetBytes - <usize>rowOffset * stride;
  const n = m1 - m0;
  const bytes = <usize>n << 4;
  for (let k = k0; k < k1; k++) {
    for (let g = (k == k0 && p(aa, A_HAVE_PREV) == 0) ? k - 1 : k; g <= k; g++) {
      const r0 = load<i32>(vseg + (<usize>(g - vsegBase) << 2));
      const r1 = load<i32>(vseg + (<usize>(g + 1 - vsegBase) << 2));
      const toS = g < k ? hsPrev : hs;
      const toT = g < k ? htPrev : ht;
      if (packed != 0) {
        segmentSumsPacked(base, stride, r0, r1, b0, b1, packed);
        horizontalPacked(packed, m0, m1, ma, mb, hseg, hsegBase, hcoef, firstX, weightsX, tapsX, toS, toT);
      } else {
        segmentSums(base, stride, r0, r1, b0, b1, sRow, tRow);
        horizontalOfSums(sRow, tRow, channels, m0, m1, ma, mb, hseg, hsegBase, hcoef, segBuf, firstX, weightsX, tapsX, toS, toT);
      }
    }
    const c = vcoef + (<usize>k << 4);
    const cr = v128.load32_splat(c);
    const ct = v128.load32_splat(c + 4);
    const cp = v128.load32_splat(c + 8);
    const cq = v128.load32_splat(c + 12);
    for (let i: usize = 0; i < bytes; i += 16) {
      let y = f32x4.mul(cr, v128.load(hsPrev + i));
      y = f32x4.add(y, f32x4.mul(ct, v128.load(htPrev + i)));
      y = f32x4.add(y, f32x4.mul(cp, v128.load(hs + i)));
      y = f32x4.add(y, f32x4.mul(cq, v128.load(ht + i)));
      v128.store(hbuf + i, y);
    }
    post(hbuf, n, <usize>p(params, P_MIX), <usize>p(params, P_OUT), p(params, P_PLANAR), p(params, P_OUT_C),
      p(params, P_CANVAS_H), p(params, P_CANVAS_W), k + p(params, P_D_ROW), m0 + p(params, P_D_COL));
    memory.copy(hsPrev, hs, bytes);
    memory.copy(htPrev, ht, bytes);
    store<i32>(aa + (<usize>A_HAVE_PREV << 2), 1);
  }
  return 0;
}
