// Element type conversions for model inputs: ONNX QuantizeLinear / DequantizeLinear (per tensor or
// per axis) and float32 <-> float16 (IEEE binary16, round to nearest even).

/** float32 -> binary16 bits, round to nearest even; overflow to ±inf, NaN stays NaN (quiet). */
// @ts-ignore: decorator
@inline
function f32ToF16(f: f32): u32 {
  const x = reinterpret<u32>(f);
  const sign = (x >>> 16) & 0x8000;
  const e = <i32>((x >>> 23) & 0xff);
  let m = x & 0x7fffff;
  if (e == 255) return sign | 0x7c00 | (m != 0 ? 0x200 | (m >>> 13) : 0);
  const he = e - 127 + 15;
  if (he >= 31) return sign | 0x7c00;
  if (he <= 0) {
    if (he < -10) return sign;
    m |= 0x800000;
    const shift = <u32>(14 - he);
    let h = m >>> shift;
    const rem = m & ((<u32>1 << shift) - 1);
    const half = <u32>1 << (shift - 1);
    if (rem > half || (rem == half && (h & 1) != 0)) h++;
    return sign | h;
  }
  let h = (<u32>he << 10) | (m >>> 13);
  const rem = m & 0x1fff;
  // A carry out of the mantissa moves into the exponent, which is the right result (up to inf).
  if (rem > 0x1000 || (rem == 0x1000 && (h & 1) != 0)) h++;
  return sign | h;
}

/** binary16 bits -> float32 (exact). */
// @ts-ignore: decorator
@inline
function f16ToF32(h: u32): f32 {
  const sign = (h & 0x8000) << 16;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e == 0) {
    const v = <f32>m * <f32>5.9604644775390625e-8; // m * 2^-24, exact
    return sign != 0 ? -v : v;
  }
  if (e == 31) return reinterpret<f32>(sign | 0x7f800000 | (m << 13));
  return reinterpret<f32>(sign | ((e + 112) << 23) | (m << 13));
}

export function convert_f32_f16(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<u16>(dst + (<usize>i << 1), <u16>f32ToF16(load<f32>(src + (<usize>i << 2))));
}

export function convert_f16_f32(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), f16ToF32(<u32>load<u16>(src + (<usize>i << 1))));
}

/**
 * ONNX QuantizeLinear over a tensor viewed as [outer, axisLen, inner]: element (o, a, i) uses
 * scale[a] and zeroPoint[a] (f32 and i32 arrays of axisLen; axisLen = 1 is per tensor).
 * y = saturate(round_half_even(x / scale) + zeroPoint) to [0, 255] (signed = 0) or [-128, 127].
 * NaN quantizes to the zero point.
 */
export function quantize_linear_f32(
  src: usize, dst: usize, outer: i32, axisLen: i32, inner: i32, scales: usize, zeroPoints: usize, signed: i32,
): void {
  const lo: f32 = signed != 0 ? -128 : 0;
  const hi: f32 = signed != 0 ? 127 : 255;
  let k: usize = 0;
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < axisLen; a++) {
      const s = load<f32>(scales + (<usize>a << 2));
      const zp = <f32>load<i32>(zeroPoints + (<usize>a << 2));
      let i = 0;
      if (inner >= 4) {
        const vs = f32x4.splat(s);
        const vz = f32x4.splat(zp);
        const vlo = f32x4.splat(lo);
        const vhi = f32x4.splat(hi);
        for (; i + 4 <= inner; i += 4) {
          const x = v128.load(src + ((k + <usize>i) << 2));
          let q = f32x4.add(f32x4.nearest(f32x4.div(x, vs)), vz);
          // NaN lanes fail x == x; take the zero point there. pmin/pmax keep the bound for NaN too.
          q = v128.bitselect(q, vz, f32x4.eq(q, q));
          q = f32x4.pmax(vlo, f32x4.pmin(vhi, q));
          const r = i32x4.trunc_sat_f32x4_s(q);
          if (signed != 0) {
            store<i8>(dst + k + i, <i8>i32x4.extract_lane(r, 0));
            store<i8>(dst + k + i + 1, <i8>i32x4.extract_lane(r, 1));
            store<i8>(dst + k + i + 2, <i8>i32x4.extract_lane(r, 2));
            store<i8>(dst + k + i + 3, <i8>i32x4.extract_lane(r, 3));
          } else {
            store<u8>(dst + k + i, <u8>i32x4.extract_lane(r, 0));
            store<u8>(dst + k + i + 1, <u8>i32x4.extract_lane(r, 1));
            store<u8>(dst + k + i + 2, <u8>i32x4.extract_lane(r, 2));
            store<u8>(dst + k + i + 3, <u8>i32x4.extract_lane(r, 3));
          }
        }
      }
      for (; i < inner; i++) {
        const x = load<f32>(src + ((k + <usize>i) << 2));
        let q: f32 = nearest<f32>(x / s) + zp;
        if (q != q) q = zp;
        q = q < lo ? lo : q > hi ? hi : q;
        if (signed != 0) store<i8>(dst + k + i, <i8><i32>q);
        else store<u8>(dst + k + i, <u8><i32>q);
      }
      k += <usize>inner;
    }
  }
}

/** ONNX DequantizeLinear, same layout: y = (x - zeroPoint) * scale, x u8 (signed = 0) or i8. */
export function dequantize_linear_f32(
  src: usize, dst: usize, outer: i32, axisLen: i32, inner: i32, scales: usize, zeroPoints: usize, signed: i32,
): void {
  let k: usize = 0;
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < axisLen; a++) {
      const s = load<f32>(scales + (<usize>a << 2));
      const zp = load<i32>(zeroPoints + (<usize>a << 2));
      for (let i = 0; i < inner; i++) {
        const x = signed != 0 ? <i32>load<i8>(src + k + i) : <i32>load<u8>(src + k + i);
        store<f32>(dst + ((k + <usize>i) << 2), <f32>(x - zp) * s);
      }
      k += <usize>inner;
    }
  }
}
