// Hash functions shared by the kernels. All are fixed-seed and platform-independent, so the same
// input hashes the same in Node x64, browsers and arm64.

/** MurmurHash3's 64-bit finaliser: a bijective mix of a 64-bit integer. */
// @ts-ignore: decorator
@inline
export function mix64(x: u64): u64 {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccd;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53;
  x ^= x >> 33;
  return x;
}

/** A 64-bit hash of an integer key with a seed (for HyperLogLog, hash tables). */
// @ts-ignore: decorator
@inline
export function hashInt64(x: i64, seed: u64): u64 {
  return mix64(<u64>x ^ mix64(seed + 0x9e3779b97f4a7c15));
}

// @ts-ignore: decorator
@inline
function rotl32(x: u32, r: u32): u32 {
  return (x << r) | (x >>> (32 - r));
}

/** MurmurHash3_x86_32 of `len` bytes at `ptr` (Austin Appleby's reference, little-endian). */
export function murmur3_32(ptr: usize, len: i32, seed: u32): u32 {
  const c1: u32 = 0xcc9e2d51;
  const c2: u32 = 0x1b873593;
  let h: u32 = seed;
  const blocks = len >> 2;
  for (let i = 0; i < blocks; i++) {
    let k = load<u32>(ptr + (<usize>i << 2));
    k *= c1;
    k = rotl32(k, 15);
    k *= c2;
    h ^= k;
    h = rotl32(h, 13);
    h = h * 5 + 0xe6546b64;
  }
  const tail = ptr + (<usize>blocks << 2);
  let k1: u32 = 0;
  const rem = len & 3;
  if (rem >= 3) k1 ^= <u32>load<u8>(tail + 2) << 16;
  if (rem >= 2) k1 ^= <u32>load<u8>(tail + 1) << 8;
  if (rem >= 1) {
    k1 ^= <u32>load<u8>(tail);
    k1 *= c1;
    k1 = rotl32(k1, 15);
    k1 *= c2;
    h ^= k1;
  }
  h ^= <u32>len;
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

/** A 64-bit hash of `len` bytes: two MurmurHash3_x86_32 passes with different seeds, mixed. */
export function hashBytes64(ptr: usize, len: i32, seed: u32): u64 {
  const lo = <u64>murmur3_32(ptr, len, seed);
  const hi = <u64>murmur3_32(ptr, len, seed ^ 0x5bd1e995);
  return mix64((hi << 32) | lo);
}
