/**
 * An open-addressing hash set of numbers in typed arrays, sized once for at most `maxKeys` keys:
 * what the report's link handling needs for millions of numeric ids, where a JS Map spends most
 * of its time allocating. `slot(key)` gives each distinct key a stable index below `capacity`,
 * so callers keep per-key data in their own typed arrays. Keys are numbers other than NaN; -0
 * and 0 are one key.
 */
export class NumberTable {
  /** Distinct keys inserted. */
  size = 0;
  /** Whether the last slot() call inserted its key. */
  isNew = false;
  readonly capacity: number;
  private readonly keys: Float64Array;
  private readonly used: Uint8Array;
  private readonly mask: number;

  constructor(private readonly maxKeys: number) {
    let cap = 16;
    while (cap < 2 * maxKeys + 2) cap *= 2;
    this.capacity = cap;
    this.keys = new Float64Array(cap);
    this.used = new Uint8Array(cap);
    this.mask = cap - 1;
  }

  /** The slot of `key`, inserted if new. */
  slot(key: number): number {
    const k = key === 0 ? 0 : key;
    let i = hash(k) & this.mask;
    for (;;) {
      if (!this.used[i]) {
        if (this.size === this.maxKeys) throw new RangeError(`NumberTable: more than the ${this.maxKeys} keys it was sized for`);
        this.used[i] = 1;
        this.keys[i] = k;
        this.size++;
        this.isNew = true;
        return i;
      }
      if (this.keys[i] === k) {
        this.isNew = false;
        return i;
      }
      i = (i + 1) & this.mask;
    }
  }
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Mixes both 32-bit halves of the number's bits (murmur3's finaliser). */
function hash(x: number): number {
  f64[0] = x;
  let h = (u32[0] ^ Math.imul(u32[1], 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Number of distinct values. O(n). */
export function distinctCount(values: Float64Array): number {
  const t = new NumberTable(values.length);
  for (let i = 0; i < values.length; i++) t.slot(values[i]);
  return t.size;
}
