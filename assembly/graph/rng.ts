// mulberry32: the seeded PRNG every randomised graph kernel uses. The plain-TS twin in
// test/reference/graph-rng.ts yields the same sequence, so seeded results are reproducible on
// every platform and checkable against the reference.

let state: u32 = 0;

export function seedRng(seed: u32): void {
  state = seed;
}

export function nextU32(): u32 {
  state += 0x6d2b79f5;
  let t = state;
  t = (t ^ (t >>> 15)) * (t | 1);
  t ^= t + (t ^ (t >>> 7)) * (t | 61);
  return t ^ (t >>> 14);
}

/** An integer in [0, k) (k >= 1), by modulo: tiny bias, but identical everywhere. */
// @ts-ignore: decorator
@inline export function nextBelow(k: u32): u32 {
  return nextU32() % k;
}

/** Fisher–Yates shuffle of n u32 at ptr. */
export function shuffleU32(ptr: usize, n: i32): void {
  for (let i = n - 1; i > 0; i--) {
    const j = <i32>nextBelow(<u32>(i + 1));
    const a = load<u32>(ptr + (<usize>i << 2));
    store<u32>(ptr + (<usize>i << 2), load<u32>(ptr + (<usize>j << 2)));
    store<u32>(ptr + (<usize>j << 2), a);
  }
}
