// Reading one element of an input column, whatever its type. The branches depend only on the
// column type, so they predict perfectly inside a batch loop.
import { Column, ColType, TimeType } from "./layout";
import { hashInt64 } from "../common/hash";

/** The largest |timestamp| accepted, so that window arithmetic cannot overflow i64. */
export const TIME_LIMIT: f64 = 4611686018427387904.0; // 2^62

// @ts-ignore: decorator
@inline
export function readTime(ptr: usize, type: i32, i: i32): i64 {
  switch (type) {
    case TimeType.F64_MS: return <i64>Math.floor(load<f64>(ptr + (<usize>i << 3)));
    case TimeType.I64_MS: return load<i64>(ptr + (<usize>i << 3));
    case TimeType.I64_S: return load<i64>(ptr + (<usize>i << 3)) * 1000;
    case TimeType.I64_US: return floorDiv(load<i64>(ptr + (<usize>i << 3)), 1000);
    case TimeType.I64_NS: return floorDiv(load<i64>(ptr + (<usize>i << 3)), 1000000);
    default: return <i64>load<i32>(ptr + (<usize>i << 2));
  }
}

/** Time `i` of a column of type T known at compile time: f64 epoch ms (floored) or i64 ms. */
// @ts-ignore: decorator
@inline
export function timeAt<T>(ptr: usize, i: i32): i64 {
  const raw = load<T>(ptr + (<usize>i << alignof<T>()));
  return isFloat<T>() ? <i64>Math.floor(<f64>raw) : <i64>raw;
}

/** Key `i` of a key column of type K, through the dictionary remap table when there is one. */
// @ts-ignore: decorator
@inline
export function keyAt<K>(ptr: usize, remap: usize, i: i32): i64 {
  const raw = <i64>load<K>(ptr + (<usize>i << alignof<K>()));
  return remap ? <i64>load<i32>(remap + (<usize>raw << 2)) : raw;
}

/** Index of the first timestamp that is NaN, infinite or beyond ±2^62 ms, or -1. */
export function firstBadTime(ptr: usize, type: i32, n: i32): i32 {
  if (type == TimeType.F64_MS) {
    for (let i = 0; i < n; i++) {
      const t = load<f64>(ptr + (<usize>i << 3));
      if (!(Math.abs(t) < TIME_LIMIT)) return i;
    }
  } else if (type == TimeType.I64_S) {
    for (let i = 0; i < n; i++) {
      const t = load<i64>(ptr + (<usize>i << 3));
      if (t > 4611686018427387 || t < -4611686018427387) return i;
    }
  } else if (type != TimeType.I32_MS) {
    for (let i = 0; i < n; i++) {
      const t = load<i64>(ptr + (<usize>i << 3));
      if (t > 4611686018427387904 || t < -4611686018427387904) return i;
    }
  }
  return -1;
}

// @ts-ignore: decorator
@inline
export function floorDiv(a: i64, b: i64): i64 {
  const q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// @ts-ignore: decorator
@inline
function rawIndex(c: Column, i: i32): i64 {
  switch (c.type) {
    case ColType.I32: return <i64>load<i32>(c.ptr + (<usize>i << 2));
    case ColType.U32: return <i64>load<u32>(c.ptr + (<usize>i << 2));
    case ColType.I16: return <i64>load<i16>(c.ptr + (<usize>i << 1));
    case ColType.U16: return <i64>load<u16>(c.ptr + (<usize>i << 1));
    case ColType.I8: return <i64>load<i8>(c.ptr + <usize>i);
    case ColType.U8: return <i64>load<u8>(c.ptr + <usize>i);
    case ColType.I64: return load<i64>(c.ptr + (<usize>i << 3));
    case ColType.F32: return <i64>load<f32>(c.ptr + (<usize>i << 2));
    default: return <i64>load<f64>(c.ptr + (<usize>i << 3));
  }
}

/** An integer item (key, distinct/top-k item): the value, or its dictionary id after remapping. */
// @ts-ignore: decorator
@inline
export function readItem(c: Column, i: i32): i64 {
  const v = rawIndex(c, i);
  return c.remap ? <i64>load<i32>(c.remap + (<usize>v << 2)) : v;
}

/** A numeric value as f64 (NaN means missing). */
// @ts-ignore: decorator
@inline
export function readValue(c: Column, i: i32): f64 {
  switch (c.type) {
    case ColType.F64: return load<f64>(c.ptr + (<usize>i << 3));
    case ColType.F32: return <f64>load<f32>(c.ptr + (<usize>i << 2));
    case ColType.I64: return <f64>load<i64>(c.ptr + (<usize>i << 3));
    default: return <f64>rawIndex(c, i);
  }
}

/** The 64-bit hash of an item: of the string's content for dictionary ids, of the integer otherwise. */
// @ts-ignore: decorator
@inline
export function itemHash(c: Column, item: i64): u64 {
  return c.hashes ? load<u64>(c.hashes + (<usize>item << 3)) : hashInt64(item, 0x77656972);
}

/** Index of the first float key that is not an integer within ±2^53, or -1. */
export function firstBadFloatKey(c: Column, n: i32): i32 {
  if (c.type == ColType.F64) {
    for (let i = 0; i < n; i++) {
      const v = load<f64>(c.ptr + (<usize>i << 3));
      if (!(Math.abs(v) <= 9007199254740992.0) || Math.floor(v) != v) return i;
    }
  } else if (c.type == ColType.F32) {
    for (let i = 0; i < n; i++) {
      const v = <f64>load<f32>(c.ptr + (<usize>i << 2));
      if (!(Math.abs(v) <= 16777216.0) || Math.floor(v) != v) return i;
    }
  }
  return -1;
}
