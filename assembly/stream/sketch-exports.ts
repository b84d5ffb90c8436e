// Thin exports of the stream sketches (hll.ts, ddsketch.ts, spacesaving.ts) with JavaScript-friendly
// types, for tests and benches: integers travel as f64 (exact up to 2^53) and are hashed inside
// with hashInt64, so no BigInt crosses the boundary. The window kernel calls the sketches
// directly; these wrappers add nothing to their semantics.

import { hashInt64 } from "../common/hash";
import { hllNew, hllAdd, hllMerge, hllEstimate, hllClone, hllFree, hllBytes, hllIsDense, hllEquals } from "./hll";
import { ddsNew, ddsAddWeighted, ddsAddAll, ddsMerge, ddsQuantile, ddsCount, ddsClone, ddsFree, ddsBytes } from "./ddsketch";
import { ssNew, ssAdd, ssMerge, ssTop, ssTotal, ssSize, ssClone, ssFree, ssBytes } from "./spacesaving";

/** The seed test_hllAddInt hashes with (the reference tests hash the same way). */
// @ts-ignore: decorator
@lazy @inline const HLL_TEST_SEED: u64 = 0;

export function test_hllNew(p: i32): usize {
  return hllNew(p);
}

/** Adds the integer x (an f64 holding an integer), hashed with hashInt64(x, 0). */
export function test_hllAddInt(h: usize, x: f64): usize {
  return hllAdd(h, hashInt64(<i64>x, HLL_TEST_SEED));
}

/** Adds n integers from an f64 array at ptr. */
export function test_hllAddInts(h: usize, ptr: usize, n: i32): usize {
  for (let i = 0; i < n; i++) h = hllAdd(h, hashInt64(<i64>load<f64>(ptr + (<usize>i << 3)), HLL_TEST_SEED));
  return h;
}

/** Adds a raw 64-bit hash given as its high and low 32-bit halves. */
export function test_hllAddHash(h: usize, hi: u32, lo: u32): usize {
  return hllAdd(h, (<u64>hi << 32) | <u64>lo);
}

export function test_hllMerge(dst: usize, src: usize): usize {
  return hllMerge(dst, src);
}

export function test_hllEstimate(h: usize): f64 {
  return hllEstimate(h);
}

export function test_hllClone(h: usize): usize {
  return hllClone(h);
}

export function test_hllFree(h: usize): void {
  hllFree(h);
}

export function test_hllBytes(h: usize): i32 {
  return hllBytes(h);
}

export function test_hllIsDense(h: usize): i32 {
  return hllIsDense(h);
}

export function test_hllEquals(a: usize, b: usize): i32 {
  return <i32>hllEquals(a, b);
}

export function test_ddsNew(alpha: f64, binLimit: i32): usize {
  return ddsNew(alpha, binLimit);
}

export function test_ddsAdd(s: usize, v: f64): usize {
  return ddsAddWeighted(s, v, 1.0);
}

export function test_ddsAddWeighted(s: usize, v: f64, w: f64): usize {
  return ddsAddWeighted(s, v, w);
}

/** Adds n values from an f64 array at ptr. */
export function test_ddsAddMany(s: usize, ptr: usize, n: i32): usize {
  for (let i = 0; i < n; i++) s = ddsAddWeighted(s, load<f64>(ptr + (<usize>i << 3)), 1.0);
  return s;
}

/** Adds n values from an f64 array at ptr with ddsAddAll (stores sized first). */
export function test_ddsAddAll(s: usize, ptr: usize, n: i32): usize {
  return ddsAddAll(s, ptr, n);
}

export function test_ddsMerge(dst: usize, src: usize): usize {
  return ddsMerge(dst, src);
}

export function test_ddsQuantile(s: usize, q: f64): f64 {
  return ddsQuantile(s, q);
}

export function test_ddsCount(s: usize): f64 {
  return ddsCount(s);
}

export function test_ddsClone(s: usize): usize {
  return ddsClone(s);
}

export function test_ddsFree(s: usize): void {
  ddsFree(s);
}

export function test_ddsBytes(s: usize): i32 {
  return ddsBytes(s);
}

export function test_ssNew(capacity: i32): usize {
  return ssNew(capacity);
}

/** Adds weight w to the integer item x (an f64 holding an integer). */
export function test_ssAdd(s: usize, x: f64, w: f64): void {
  ssAdd(s, <i64>x, w);
}

/** Adds weight 1 to each of n integer items from an f64 array at ptr. */
export function test_ssAddMany(s: usize, ptr: usize, n: i32): void {
  for (let i = 0; i < n; i++) ssAdd(s, <i64>load<f64>(ptr + (<usize>i << 3)), 1.0);
}

export function test_ssMerge(dst: usize, src: usize): void {
  ssMerge(dst, src);
}

/** ssTop, with the items written as f64 (outItems is an f64[k] array). */
export function test_ssTop(s: usize, k: i32, outItems: usize, outCounts: usize): i32 {
  const n = ssTop(s, k, outItems, outCounts);
  for (let i = 0; i < n; i++) {
    const at = outItems + (<usize>i << 3);
    store<f64>(at, <f64>load<i64>(at));
  }
  return n;
}

export function test_ssTotal(s: usize): f64 {
  return ssTotal(s);
}

export function test_ssSize(s: usize): i32 {
  return ssSize(s);
}

export function test_ssClone(s: usize): usize {
  return ssClone(s);
}

export function test_ssFree(s: usize): void {
  ssFree(s);
}

export function test_ssBytes(s: usize): i32 {
  return ssBytes(s);
}
