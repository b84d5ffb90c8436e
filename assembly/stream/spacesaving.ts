/**
 * Space-Saving heavy hitters (Metwally, Agrawal, El Abbadi, "Efficient computation of frequent
 * and top-k elements in data streams", ICDT 2005) over i64 items with f64 weights (> 0).
 *
 * K counters (the capacity). Adding a monitored item adds its weight to its counter; an
 * unmonitored item takes a free counter, or else replaces the item of the smallest counter and
 * adds its weight to that count. With N the total weight added and min the smallest count (0
 * while a counter is free), every summary, merged or not, keeps:
 *
 * - f(x) <= count(x) <= f(x) + min for a monitored item x (counts overestimate);
 * - f(x) <= min for an item that is not monitored;
 * - sum of counts <= N, hence min <= N / K.
 *
 * So every item with f(x) > N / K is reported, every count is at most N / K too high, and the
 * counts are exact while at most K distinct items were seen.
 *
 * Merge: the mergeable-summaries merge of Agarwal, Cormode, Huang, Phillips, Wei, Yi,
 * "Mergeable summaries" (PODS 2012, TODS 2013), applied through their isomorphism between
 * Space-Saving and Misra-Gries (MG count = count - min): add the MG counters, subtract the
 * (K+1)-th largest sum, keep the K largest; turned back into Space-Saving form that is
 *   count(x) = count_a(x) + count_b(x), where a summary that does not monitor x counts min_a (b),
 * keeping the K largest (ties: smaller item first). All three invariants above carry over
 * (every combined count is >= min_a + min_b, the bound for items neither monitors, and the K
 * largest combined counts sum to at most N_a + N_b), so the guarantees hold for merged summaries
 * with N = N_a + N_b. The merge is symmetric: merge(a, b) and merge(b, a) report the same counts.
 *
 * Layout: one heap block: header, then per counter item i64, count f64 and index slot i32, kept
 * as a binary min-heap on count (the root is the counter to replace), then an open-addressed
 * (linear probing, Fibonacci hashing) index from item to heap position with >= 2K slots.
 * Memory: 32 + 20 K + 4 * slots bytes (1824 bytes for K = 64).
 * Cost: ssAdd O(1) index probe + O(log K) heap sift (a hit on a large counter, the common case
 * for heavy items, stops at once); ssTop O(K + k log K); ssMerge O(K log K).
 * Ties among equal smallest counts are broken by heap position: deterministic for a given
 * input sequence, and ssTop orders reported ties by item.
 *
 * @example
 * const s = ssNew(64);
 * ssAdd(s, productId, 1.0);
 * const n = ssTop(s, 10, itemsPtr, countsPtr);
 * ssFree(s);
 */

// @ts-ignore: decorator
@lazy @inline const OFF_CAP: usize = 0; // i32 capacity K
// @ts-ignore: decorator
@lazy @inline const OFF_SIZE: usize = 4; // i32 counters in use
// @ts-ignore: decorator
@lazy @inline const OFF_MASK: usize = 8; // u32 index slots - 1
// @ts-ignore: decorator
@lazy @inline const OFF_SHIFT: usize = 12; // u32 64 - log2(index slots)
// @ts-ignore: decorator
@lazy @inline const OFF_TOTAL: usize = 16; // f64 total weight N
// @ts-ignore: decorator
@lazy @inline const HEADER: usize = 32;

// @ts-ignore: decorator
@lazy @inline const GOLDEN: u64 = 0x9e3779b97f4a7c15;

// @ts-ignore: decorator
@inline function cap(s: usize): i32 {
  return load<i32>(s, OFF_CAP);
}
// @ts-ignore: decorator
@inline function itemAt(s: usize, i: i32): usize {
  return s + HEADER + (<usize>i << 3);
}
// @ts-ignore: decorator
@inline function countAt(s: usize, i: i32): usize {
  return s + HEADER + (<usize>cap(s) << 3) + (<usize>i << 3);
}
// @ts-ignore: decorator
@inline function slotOfAt(s: usize, i: i32): usize {
  return s + HEADER + (<usize>cap(s) << 4) + (<usize>i << 2);
}
// @ts-ignore: decorator
@inline function indexAt(s: usize, slot: u32): usize {
  return s + HEADER + <usize>cap(s) * 20 + (<usize>slot << 2);
}
// @ts-ignore: decorator
@inline function home(s: usize, item: i64): u32 {
  return <u32>((<u64>item * GOLDEN) >> <u64>load<u32>(s, OFF_SHIFT));
}

function indexSlots(capacity: i32): u32 {
  let slots: u32 = 2;
  while (slots < (<u32>capacity << 1)) slots <<= 1;
  return slots;
}

function blockBytes(capacity: i32): usize {
  return HEADER + <usize>capacity * 20 + (<usize>indexSlots(capacity) << 2);
}

/** A new, empty summary with `capacity` counters (1 <= capacity <= 2^24). Returns 0 otherwise. */
export function ssNew(capacity: i32): usize {
  if (capacity < 1 || capacity > 1 << 24) return 0;
  const bytes = blockBytes(capacity);
  const s = heap.alloc(bytes);
  memory.fill(s, 0, bytes);
  const slots = indexSlots(capacity);
  store<i32>(s, capacity, OFF_CAP);
  store<u32>(s, slots - 1, OFF_MASK);
  store<u32>(s, 64 - ctz(slots), OFF_SHIFT);
  return s;
}

/**
 * The index slot holding `item`, or the empty slot where it would go (check the slot's value:
 * 0 means absent, else heap position + 1).
 */
// @ts-ignore: decorator
@inline function findSlot(s: usize, item: i64): u32 {
  const mask = load<u32>(s, OFF_MASK);
  let slot = home(s, item);
  while (true) {
    const e = load<i32>(indexAt(s, slot));
    if (e == 0 || load<i64>(itemAt(s, e - 1)) == item) return slot;
    slot = (slot + 1) & mask;
  }
}

/** Puts counter (item, count, slot) at heap position i and points its index slot at it. */
// @ts-ignore: decorator
@inline function place(s: usize, i: i32, item: i64, count: f64, slot: u32): void {
  store<i64>(itemAt(s, i), item);
  store<f64>(countAt(s, i), count);
  store<u32>(slotOfAt(s, i), slot);
  store<i32>(indexAt(s, slot), i + 1);
}

/** Restores the min-heap below position i after its count grew. */
function siftDown(s: usize, i: i32): void {
  const size = load<i32>(s, OFF_SIZE);
  const item = load<i64>(itemAt(s, i));
  const count = load<f64>(countAt(s, i));
  const slot = load<u32>(slotOfAt(s, i));
  while (true) {
    let c = (i << 1) + 1;
    if (c >= size) break;
    let cc = load<f64>(countAt(s, c));
    if (c + 1 < size) {
      const rc = load<f64>(countAt(s, c + 1));
      if (rc < cc) {
        c++;
        cc = rc;
      }
    }
    if (cc >= count) break;
    place(s, i, load<i64>(itemAt(s, c)), cc, load<u32>(slotOfAt(s, c)));
    i = c;
  }
  place(s, i, item, count, slot);
}

/** Restores the min-heap above position i. */
function siftUp(s: usize, i: i32): void {
  const item = load<i64>(itemAt(s, i));
  const count = load<f64>(countAt(s, i));
  const slot = load<u32>(slotOfAt(s, i));
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pc = load<f64>(countAt(s, p));
    if (pc <= count) break;
    place(s, i, load<i64>(itemAt(s, p)), pc, load<u32>(slotOfAt(s, p)));
    i = p;
  }
  place(s, i, item, count, slot);
}

/** Empties index slot `slot` (linear-probing backward-shift deletion). */
function unindex(s: usize, slot: u32): void {
  const mask = load<u32>(s, OFF_MASK);
  let hole = slot;
  let j = slot;
  while (true) {
    j = (j + 1) & mask;
    const e = load<i32>(indexAt(s, j));
    if (e == 0) break;
    const h = home(s, load<i64>(itemAt(s, e - 1)));
    // Leave the entry where it is if its home lies cyclically in (hole, j].
    if (hole <= j ? hole < h && h <= j : hole < h || h <= j) continue;
    store<i32>(indexAt(s, hole), e);
    store<u32>(slotOfAt(s, e - 1), hole);
    hole = j;
  }
  store<i32>(indexAt(s, hole), 0);
}

/** Adds `weight` (> 0; other weights are ignored) to `item`. O(1) probe + O(log K) sift. */
export function ssAdd(s: usize, item: i64, weight: f64): void {
  if (!(weight > 0.0)) return;
  store<f64>(s, load<f64>(s, OFF_TOTAL) + weight, OFF_TOTAL);
  const slot = findSlot(s, item);
  const e = load<i32>(indexAt(s, slot));
  if (e != 0) {
    const at = countAt(s, e - 1);
    store<f64>(at, load<f64>(at) + weight);
    siftDown(s, e - 1);
    return;
  }
  const size = load<i32>(s, OFF_SIZE);
  if (size < cap(s)) {
    store<i32>(s, size + 1, OFF_SIZE);
    place(s, size, item, weight, slot);
    siftUp(s, size);
    return;
  }
  // Replace the smallest counter (the heap root): the newcomer inherits its count as error.
  const min = load<f64>(countAt(s, 0));
  unindex(s, load<u32>(slotOfAt(s, 0)));
  place(s, 0, item, min + weight, findSlot(s, item));
  siftDown(s, 0);
}

/** The bound on the frequency of unmonitored items: the smallest count when full, else 0. */
// @ts-ignore: decorator
@inline function floorCount(s: usize): f64 {
  return load<i32>(s, OFF_SIZE) == cap(s) ? load<f64>(countAt(s, 0)) : 0.0;
}

/** Whether counter a ranks before counter b: count descending, then item ascending. */
// @ts-ignore: decorator
@inline function before(items: usize, counts: usize, a: i32, b: i32): bool {
  const ca = load<f64>(counts + (<usize>a << 3));
  const cb = load<f64>(counts + (<usize>b << 3));
  return ca > cb || (ca == cb && load<i64>(items + (<usize>a << 3)) < load<i64>(items + (<usize>b << 3)));
}

/** Sift for a max-heap (by `before`) of counter numbers in perm[0..n). */
function rankSift(items: usize, counts: usize, perm: usize, i: i32, n: i32): void {
  const x = load<i32>(perm + (<usize>i << 2));
  while (true) {
    let c = (i << 1) + 1;
    if (c >= n) break;
    let pc = load<i32>(perm + (<usize>c << 2));
    if (c + 1 < n) {
      const pr = load<i32>(perm + (<usize>(c + 1) << 2));
      if (before(items, counts, pr, pc)) {
        c++;
        pc = pr;
      }
    }
    if (!before(items, counts, pc, x)) break;
    store<i32>(perm + (<usize>i << 2), pc);
    i = c;
  }
  store<i32>(perm + (<usize>i << 2), x);
}

/**
 * Orders the first k of n counters (arrays items i64[n], counts f64[n]) by count descending, then
 * item ascending: writes their numbers to perm[n-1], perm[n-2], ..., perm[n-k]. O(n + k log n).
 */
function rankTop(items: usize, counts: usize, perm: usize, n: i32, k: i32): void {
  for (let i = 0; i < n; i++) store<i32>(perm + (<usize>i << 2), i);
  for (let i = (n >> 1) - 1; i >= 0; i--) rankSift(items, counts, perm, i, n);
  for (let m = n; m > n - k; m--) {
    const last = perm + (<usize>(m - 1) << 2);
    const best = load<i32>(perm);
    store<i32>(perm, load<i32>(last));
    store<i32>(last, best);
    rankSift(items, counts, perm, 0, m - 1);
  }
}

/**
 * Writes the k largest counters (fewer if fewer are monitored) to outItems (i64[]) and
 * outCounts (f64[]), count descending, ties by item ascending. Returns how many were written.
 */
export function ssTop(s: usize, k: i32, outItems: usize, outCounts: usize, stride: usize = 8): i32 {
  const size = load<i32>(s, OFF_SIZE);
  const n = k < size ? k : size;
  if (n <= 0) return 0;
  const perm = heap.alloc(<usize>size << 2);
  rankTop(itemAt(s, 0), countAt(s, 0), perm, size, n);
  for (let r = 0; r < n; r++) {
    const c = load<i32>(perm + (<usize>(size - 1 - r) << 2));
    store<i64>(outItems + <usize>r * stride, load<i64>(itemAt(s, c)));
    store<f64>(outCounts + <usize>r * stride, load<f64>(countAt(s, c)));
  }
  heap.free(perm);
  return n;
}

/**
 * Merges `src` into `dst` (same capacity; src is unchanged) as described in the header: combined
 * counts, the K largest kept. dst then summarises both streams, total N_dst + N_src.
 * O(K log K) with a scratch block of 20 * 2K bytes.
 */
export function ssMerge(dst: usize, src: usize): void {
  const k = cap(dst);
  assert(k == cap(src), "ss: capacity mismatch");
  const sizeD = load<i32>(dst, OFF_SIZE);
  const sizeS = load<i32>(src, OFF_SIZE);
  if (sizeS == 0) return;
  const floorD = floorCount(dst);
  const floorS = floorCount(src);
  const most = sizeD + sizeS;
  const scratch = heap.alloc(<usize>most * 20);
  const items = scratch;
  const counts = scratch + (<usize>most << 3);
  const perm = scratch + (<usize>most << 4);
  let n = 0;
  for (let i = 0; i < sizeD; i++) {
    const item = load<i64>(itemAt(dst, i));
    const e = load<i32>(indexAt(src, findSlot(src, item)));
    const other = e != 0 ? load<f64>(countAt(src, e - 1)) : floorS;
    store<i64>(items + (<usize>n << 3), item);
    store<f64>(counts + (<usize>n << 3), load<f64>(countAt(dst, i)) + other);
    n++;
  }
  for (let i = 0; i < sizeS; i++) {
    const item = load<i64>(itemAt(src, i));
    if (load<i32>(indexAt(dst, findSlot(dst, item))) != 0) continue;
    store<i64>(items + (<usize>n << 3), item);
    store<f64>(counts + (<usize>n << 3), load<f64>(countAt(src, i)) + floorD);
    n++;
  }
  const keep = n < k ? n : k;
  rankTop(items, counts, perm, n, keep);
  // Rebuild dst: clear the index, write the kept counters worst-first (an ascending array is
  // already a min-heap).
  memory.fill(indexAt(dst, 0), 0, <usize>(load<u32>(dst, OFF_MASK) + 1) << 2);
  store<i32>(dst, keep, OFF_SIZE);
  for (let r = 0; r < keep; r++) {
    const c = load<i32>(perm + (<usize>(n - 1 - r) << 2));
    const item = load<i64>(items + (<usize>c << 3));
    place(dst, keep - 1 - r, item, load<f64>(counts + (<usize>c << 3)), findSlot(dst, item));
  }
  store<f64>(dst, load<f64>(dst, OFF_TOTAL) + load<f64>(src, OFF_TOTAL), OFF_TOTAL);
  heap.free(scratch);
}

/** Total weight added (N), including merged summaries. */
export function ssTotal(s: usize): f64 {
  return load<f64>(s, OFF_TOTAL);
}

/** Counters in use (<= capacity). */
export function ssSize(s: usize): i32 {
  return load<i32>(s, OFF_SIZE);
}

/** An independent copy of the summary. */
export function ssClone(s: usize): usize {
  const bytes = blockBytes(cap(s));
  const c = heap.alloc(bytes);
  memory.copy(c, s, bytes);
  return c;
}

/** Frees the summary's block. */
export function ssFree(s: usize): void {
  heap.free(s);
}

/** Bytes the summary's block holds. */
export function ssBytes(s: usize): i32 {
  return <i32>blockBytes(cap(s));
}
