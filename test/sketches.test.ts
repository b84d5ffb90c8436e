// The stream sketches (HyperLogLog, DDSketch, Space-Saving; assembly/stream/*.ts) against the
// exact answers of test/reference/sketches.ts and against @datadog/sketches-js.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DDSketch } from '@datadog/sketches-js';
import { createStreamKernel } from '../dist/stream/kernel.js';
import type { Kernel } from '../dist/runtime/kernel.js';
import {
  binnedQuantile,
  distinctHashPrefixes,
  exactCounts,
  exactDistinct,
  exactQuantile,
  exactTopK,
} from './reference/sketches.js';

interface SketchExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  test_hllNew(p: number): number;
  test_hllAddInt(h: number, x: number): number;
  test_hllAddInts(h: number, ptr: number, n: number): number;
  test_hllAddHash(h: number, hi: number, lo: number): number;
  test_hllMerge(dst: number, src: number): number;
  test_hllEstimate(h: number): number;
  test_hllClone(h: number): number;
  test_hllFree(h: number): void;
  test_hllBytes(h: number): number;
  test_hllIsDense(h: number): number;
  test_hllEquals(a: number, b: number): number;
  test_ddsNew(alpha: number, binLimit: number): number;
  test_ddsAdd(s: number, v: number): number;
  test_ddsAddWeighted(s: number, v: number, w: number): number;
  test_ddsAddMany(s: number, ptr: number, n: number): number;
  test_ddsAddAll(s: number, ptr: number, n: number): number;
  test_ddsMerge(dst: number, src: number): number;
  test_ddsQuantile(s: number, q: number): number;
  test_ddsCount(s: number): number;
  test_ddsClone(s: number): number;
  test_ddsFree(s: number): void;
  test_ddsBytes(s: number): number;
  test_ssNew(capacity: number): number;
  test_ssAdd(s: number, x: number, w: number): void;
  test_ssAddMany(s: number, ptr: number, n: number): void;
  test_ssMerge(dst: number, src: number): void;
  test_ssTop(s: number, k: number, outItems: number, outCounts: number): number;
  test_ssTotal(s: number): number;
  test_ssSize(s: number): number;
  test_ssClone(s: number): number;
  test_ssFree(s: number): void;
  test_ssBytes(s: number): number;
}

let kernel: Kernel;
let e: SketchExports;

beforeAll(async () => {
  kernel = await createStreamKernel();
  e = kernel.exports as unknown as SketchExports;
});

const SEED = 20240611;
const u = (x: number) => x >>> 0;

/** Runs `fn` with `values` copied into wasm memory as f64s. */
function withF64<T>(values: ArrayLike<number>, fn: (ptr: number, n: number) => T): T {
  const ptr = kernel.copyIn(Float64Array.from(values));
  try {
    return fn(ptr, values.length);
  } finally {
    kernel.free(ptr);
  }
}

/** Deterministic shuffle (mulberry32) so order tests do not depend on Math.random. */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// HyperLogLog

function hllOf(values: ArrayLike<number>, p = 14): number {
  const h = u(e.test_hllNew(p));
  return u(withF64(values, (ptr, n) => e.test_hllAddInts(h, ptr, n)));
}

/** n distinct integers: base, base + step, ... (step odd, so no two coincide). */
function distinctInts(n: number, base: number, step: number): number[] {
  return Array.from({ length: n }, (_, i) => base + i * step);
}

describe('HyperLogLog', () => {
  it('is 0 when empty, small in memory, and rejects precisions outside 4..18', () => {
    const h = u(e.test_hllNew(14));
    expect(e.test_hllEstimate(h)).toBe(0);
    expect(e.test_hllIsDense(h)).toBe(0);
    expect(e.test_hllBytes(h)).toBeLessThanOrEqual(64);
    e.test_hllFree(h);
    expect(e.test_hllNew(3)).toBe(0);
    expect(e.test_hllNew(19)).toBe(0);
    const d = u(e.test_hllNew(4)); // too small for a sparse table: dense from the start
    expect(e.test_hllIsDense(d)).toBe(1);
    expect(e.test_hllEstimate(d)).toBe(0);
    e.test_hllFree(d);
  });

  it('counts one element and duplicates once', () => {
    const h = hllOf([42, 42, 42]);
    expect(Math.round(e.test_hllEstimate(h))).toBe(1);
    const again = u(e.test_hllAddInt(h, 42));
    expect(again).toBe(h);
    expect(Math.round(e.test_hllEstimate(h))).toBe(1);
    e.test_hllFree(h);
  });

  it('is near-exact in sparse mode: rounds to the number of distinct 26-bit hash prefixes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: -1e12, max: 1e12 }), (n, base) => {
        const values = distinctInts(n, base, 7);
        const h = hllOf([...values, ...values.slice(0, n >> 1)]);
        const est = e.test_hllEstimate(h);
        const dense = e.test_hllIsDense(h);
        e.test_hllFree(h);
        expect(dense).toBe(0);
        // Equal to n unless two values share their top 26 hash bits (then one less per pair).
        expect(Math.round(est)).toBe(distinctHashPrefixes(values, 26));
        expect(Math.abs(est - n)).toBeLessThanOrEqual(n - distinctHashPrefixes(values, 26) + 0.5);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('stays within 3 standard errors of the exact distinct count for 0..200k items', () => {
    const stdErr = 1.04 / Math.sqrt(2 ** 14);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.integer({ min: 0, max: 1000 }),
        (n, base, k) => {
          const values = distinctInts(n, base, 2 * k + 1);
          const h = hllOf(values);
          const est = e.test_hllEstimate(h);
          e.test_hllFree(h);
          const exact = exactDistinct(values);
          expect(Math.abs(est - exact)).toBeLessThanOrEqual(3 * stdErr * exact + 0.5);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('keeps its error bound at other precisions (p = 10, 16)', () => {
    for (const p of [10, 16]) {
      const stdErr = 1.04 / Math.sqrt(2 ** p);
      for (const n of [500, 5_000, 50_000]) {
        const values = distinctInts(n, 1000 * p, 3);
        const h = hllOf(values, p);
        const est = e.test_hllEstimate(h);
        e.test_hllFree(h);
        expect(Math.abs(est - n)).toBeLessThanOrEqual(3 * stdErr * n + 0.5);
      }
    }
  });

  it('merge(a, b) has the same registers and estimate as the sketch of a ∪ b, in either order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: -10_000, max: 30_000 }),
        (na, nb, shift) => {
          const a = distinctInts(na, 0, 1);
          const b = distinctInts(nb, shift, 1);
          const ha = hllOf(a);
          const hb = hllOf(b);
          const hu = hllOf([...a, ...b]);
          const ab = u(e.test_hllMerge(u(e.test_hllClone(ha)), hb));
          const ba = u(e.test_hllMerge(u(e.test_hllClone(hb)), ha));
          expect(e.test_hllEquals(ab, hu)).toBe(1);
          expect(e.test_hllEquals(ba, hu)).toBe(1);
          expect(e.test_hllEstimate(ab)).toBe(e.test_hllEstimate(hu));
          expect(e.test_hllEstimate(ba)).toBe(e.test_hllEstimate(hu));
          // src is left as it was
          expect(e.test_hllEquals(hb, hllOf(b))).toBe(1);
          for (const h of [ha, hb, hu, ab, ba]) e.test_hllFree(h);
        },
      ),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('does not depend on insertion order or on how a set is split and merged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8_000 }), fc.integer(), fc.integer({ min: 1, max: 6 }), (n, seed, parts) => {
        const values = distinctInts(n, seed, 13);
        const h1 = hllOf(values);
        const h2 = hllOf(shuffled(values, seed));
        expect(e.test_hllEquals(h1, h2)).toBe(1);
        expect(e.test_hllEstimate(h1)).toBe(e.test_hllEstimate(h2));
        const mixed = shuffled(values, seed + 1);
        let acc = u(e.test_hllNew(14));
        for (let i = 0; i < parts; i++) {
          const part = hllOf(mixed.filter((_, j) => j % parts === i));
          acc = u(e.test_hllMerge(acc, part));
          e.test_hllFree(part);
        }
        expect(e.test_hllEquals(acc, h1)).toBe(1);
        expect(e.test_hllEstimate(acc)).toBe(e.test_hllEstimate(h1));
        for (const h of [h1, h2, acc]) e.test_hllFree(h);
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('converts sparse -> dense past 3/4 of 2^p / 4 distinct prefixes, with the same registers', () => {
    const values = distinctInts(3500, 5, 1);
    const prefixes = distinctHashPrefixes(values, 26);
    expect(prefixes).toBeGreaterThan(3072);
    const h = hllOf(values);
    expect(e.test_hllIsDense(h)).toBe(1);
    expect(e.test_hllBytes(h)).toBe(16 + 2 ** 14);
    // Hashes added to an already-dense sketch set the registers their tokens would have set.
    const viaDense = hllOf([...distinctInts(5000, 10_000_000, 1), ...values]);
    const viaSparse = hllOf(values);
    const rest = hllOf(distinctInts(5000, 10_000_000, 1));
    const merged = u(e.test_hllMerge(viaSparse, rest));
    expect(e.test_hllEquals(merged, viaDense)).toBe(1);
    for (const x of [h, viaDense, merged, rest]) e.test_hllFree(x);
  });

  it('accepts raw 64-bit hashes, including the extremes of rho', () => {
    const h0 = u(e.test_hllNew(14));
    // all-zero hash: register 0 gets rho = 64 - 14 + 1; all-ones: the last register, rho 1
    let h = u(e.test_hllAddHash(h0, 0, 0));
    h = u(e.test_hllAddHash(h, 0xffffffff, 0xffffffff));
    expect(Math.round(e.test_hllEstimate(h))).toBe(2);
    // The same extremes through the dense path (added after conversion) and the sparse-token path
    // (added before it) set the same registers.
    const rest = distinctInts(5000, 0, 1);
    let dense = hllOf(rest);
    dense = u(e.test_hllAddHash(dense, 0, 0));
    dense = u(e.test_hllAddHash(dense, 0xffffffff, 0xffffffff));
    dense = u(e.test_hllAddHash(dense, 0, 1));
    let viaTokens = u(e.test_hllNew(14));
    viaTokens = u(e.test_hllAddHash(viaTokens, 0, 0));
    viaTokens = u(e.test_hllAddHash(viaTokens, 0xffffffff, 0xffffffff));
    viaTokens = u(e.test_hllAddHash(viaTokens, 0, 1));
    viaTokens = u(withF64(rest, (ptr, n) => e.test_hllAddInts(viaTokens, ptr, n)));
    expect(e.test_hllIsDense(dense)).toBe(1);
    expect(e.test_hllEquals(dense, viaTokens)).toBe(1);
    for (const x of [h, dense, viaTokens]) e.test_hllFree(x);
  });
});

// ---------------------------------------------------------------------------------------------
// DDSketch

const QS = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

function ddsOf(values: readonly number[], alpha = 0.01, binLimit = 2048): number {
  const s = u(e.test_ddsNew(alpha, binLimit));
  return u(withF64(values, (ptr, n) => e.test_ddsAddMany(s, ptr, n)));
}

const quantiles = (s: number) => QS.map((q) => e.test_ddsQuantile(s, q));

/** Values whose bin keys span < 2048 per sign at alpha = 0.01: |v| in [1e-3, 1e6], zeros. */
const moderate = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: 1e-3, max: 1e6, noNaN: true }) },
  { weight: 4, arbitrary: fc.double({ min: -1e6, max: -1e-3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0) },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
);

function expectRelClose(actual: number, expected: number, rel: number) {
  if (Number.isNaN(expected)) return expect(actual).toBeNaN();
  if (!Number.isFinite(expected)) return expect(actual).toBe(expected);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

describe('DDSketch', () => {
  it('adding a batch with stores sized first (ddsAddAll) equals adding one by one, then and after more adds', () => {
    const value = fc.oneof(
      { weight: 12, arbitrary: moderate },
      { weight: 1, arbitrary: fc.constantFrom(Infinity, -Infinity, NaN, 1e-300, -1e300) },
      // a few bins apart (gamma ~ 1.0202): spans near the small bin limits, where collapsing starts
      { weight: 12, arbitrary: fc.integer({ min: -10, max: 10 }).map((k) => 100 * 1.0202 ** k) },
    );
    fc.assert(fc.property(
      fc.array(value, { maxLength: 64 }), fc.array(value, { maxLength: 64 }), fc.constantFrom(2048, 64, 8),
      (batch, more, binLimit) => {
        const one = ddsOf(batch, 0.01, binLimit);
        let all = u(e.test_ddsNew(0.01, binLimit));
        all = u(withF64(batch, (ptr, n) => e.test_ddsAddAll(all, ptr, n)));
        expect(e.test_ddsCount(all)).toBe(e.test_ddsCount(one));
        expect(quantiles(all)).toEqual(quantiles(one));
        const oneMore = u(withF64(more, (ptr, n) => e.test_ddsAddMany(one, ptr, n)));
        const allMore = u(withF64(more, (ptr, n) => e.test_ddsAddMany(all, ptr, n)));
        expect(quantiles(allMore)).toEqual(quantiles(oneMore));
        e.test_ddsFree(oneMore);
        e.test_ddsFree(allMore);
      },
    ), { numRuns: 300 });
  });

  it('is NaN when empty and exact to alpha for one element', () => {
    const s = u(e.test_ddsNew(0.01, 2048));
    expect(e.test_ddsCount(s)).toBe(0);
    for (const q of QS) expect(e.test_ddsQuantile(s, q)).toBeNaN();
    const t = u(e.test_ddsAdd(s, 123.456));
    for (const q of QS) expectRelClose(e.test_ddsQuantile(t, q), 123.456, 0.01);
    expect(e.test_ddsQuantile(t, -0.1)).toBeNaN();
    expect(e.test_ddsQuantile(t, 1.1)).toBeNaN();
    e.test_ddsFree(t);
    expect(e.test_ddsNew(0, 2048)).toBe(0);
    expect(e.test_ddsNew(1, 2048)).toBe(0);
    expect(e.test_ddsNew(0.01, 0)).toBe(0);
  });

  it('is within alpha of the exact quantile (rank floor(q (n - 1))), negatives and zeros included', () => {
    fc.assert(
      fc.property(fc.array(moderate, { minLength: 1, maxLength: 3000 }), fc.constantFrom(0.01, 0.02, 0.05), (values, alpha) => {
        const s = ddsOf(values, alpha);
        expect(e.test_ddsCount(s)).toBe(values.length);
        for (const q of QS) expectRelClose(e.test_ddsQuantile(s, q), exactQuantile(values, q), alpha * (1 + 1e-12));
        e.test_ddsFree(s);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('gives the answers of @datadog/sketches-js DDSketch with the same relative accuracy', () => {
    // sketches-js's DDSketch never collapses; neither does this one below its bin limit.
    fc.assert(
      fc.property(fc.array(moderate, { minLength: 1, maxLength: 3000 }), fc.constantFrom(0.01, 0.005, 0.05), (values, alpha) => {
        const s = ddsOf(values, alpha, 1 << 20);
        const peer = new DDSketch({ relativeAccuracy: alpha });
        for (const v of values) peer.accept(v);
        expect(e.test_ddsCount(s)).toBe(peer.count);
        for (const q of QS) expectRelClose(e.test_ddsQuantile(s, q), peer.getValueAtQuantile(q), 1e-12);
        e.test_ddsFree(s);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('ignores NaN, counts weights, and ranks infinities outside every bin', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6];
    const a = ddsOf(values);
    const b = ddsOf([NaN, ...values.slice(0, 4), NaN, ...values.slice(4), NaN]);
    expect(e.test_ddsCount(b)).toBe(values.length);
    expect(quantiles(b)).toEqual(quantiles(a));
    let w = u(e.test_ddsNew(0.01, 2048));
    w = u(e.test_ddsAddWeighted(w, 7, 3));
    w = u(e.test_ddsAddWeighted(w, 2, 1));
    w = u(e.test_ddsAddWeighted(w, 5, 0)); // ignored
    w = u(e.test_ddsAddWeighted(w, 5, -1)); // ignored
    const x = ddsOf([7, 2, 7, 7]);
    expect(e.test_ddsCount(w)).toBe(4);
    expect(quantiles(w)).toEqual(quantiles(x));
    const withInf = [1, Infinity, -Infinity, 2, 0, -3, Infinity];
    const inf = ddsOf(withInf);
    expect(e.test_ddsCount(inf)).toBe(7);
    expect(e.test_ddsQuantile(inf, 0)).toBe(-Infinity);
    expect(e.test_ddsQuantile(inf, 1)).toBe(Infinity);
    expect(e.test_ddsQuantile(inf, 5 / 6)).toBe(Infinity);
    for (const q of QS) expectRelClose(e.test_ddsQuantile(inf, q), exactQuantile(withInf, q), 0.01);
    // no bin was spent on them: 1 and 2 keep their accuracy
    expect(e.test_ddsBytes(inf)).toBeLessThan(1024);
    for (const s of [a, b, w, x, inf]) e.test_ddsFree(s);
  });

  it('treats tiny values as zero as sketches-js does, and -0 as 0', () => {
    const s = ddsOf([-0, 0, 1e-310, -1e-310, 5]);
    expect(e.test_ddsQuantile(s, 0)).toBe(0);
    expect(e.test_ddsQuantile(s, 0.75)).toBe(0);
    expectRelClose(e.test_ddsQuantile(s, 1), 5, 0.01);
    e.test_ddsFree(s);
  });

  it('collapses the lowest bins past the bin limit exactly as the binned reference does', () => {
    const wide = fc.oneof(
      fc.double({ min: 1e-200, max: 1e200, noNaN: true }),
      fc.double({ min: -1e200, max: -1e-200, noNaN: true }),
      fc.double({ min: 0.5, max: 2, noNaN: true }),
      fc.double({ min: -2, max: -0.5, noNaN: true }),
      fc.constantFrom(Infinity, -Infinity, 0, NaN),
    );
    fc.assert(
      fc.property(fc.array(wide, { minLength: 1, maxLength: 1500 }), fc.constantFrom(16, 64, 300), (values, limit) => {
        const s = ddsOf(values, 0.01, limit);
        expect(e.test_ddsBytes(s)).toBeLessThanOrEqual(128 + 2 * 8 * limit);
        for (const q of QS) expectRelClose(e.test_ddsQuantile(s, q), binnedQuantile(values, q, 0.01, limit), 1e-12);
        e.test_ddsFree(s);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('merge(a, b) gives the quantiles of the sketch of a ∪ b, also when collapsing', () => {
    const anyValue = fc.oneof(
      moderate,
      fc.double({ min: -1e100, max: 1e100, noNaN: true }),
      fc.constantFrom(Infinity, -Infinity, NaN),
    );
    fc.assert(
      fc.property(
        fc.array(anyValue, { maxLength: 800 }),
        fc.array(anyValue, { maxLength: 800 }),
        fc.constantFrom(8, 100, 2048),
        (a, b, limit) => {
          const sa = ddsOf(a, 0.01, limit);
          const sb = ddsOf(b, 0.01, limit);
          const su = ddsOf([...a, ...b], 0.01, limit);
          const ab = u(e.test_ddsMerge(u(e.test_ddsClone(sa)), sb));
          const ba = u(e.test_ddsMerge(u(e.test_ddsClone(sb)), sa));
          expect(e.test_ddsCount(ab)).toBe([...a, ...b].filter((v) => !Number.isNaN(v)).length);
          expect(quantiles(ab)).toEqual(quantiles(su));
          expect(quantiles(ba)).toEqual(quantiles(su));
          // insertion order does not matter either
          const sr = ddsOf(shuffled([...a, ...b], a.length * 31 + b.length), 0.01, limit);
          expect(quantiles(sr)).toEqual(quantiles(su));
          for (const s of [sa, sb, su, ab, ba, sr]) e.test_ddsFree(s);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Space-Saving

function ssOf(items: readonly number[], capacity: number): number {
  const s = u(e.test_ssNew(capacity));
  withF64(items, (ptr, n) => e.test_ssAddMany(s, ptr, n));
  return s;
}

function top(s: number, k: number): Array<[number, number]> {
  const items = kernel.alloc(8 * Math.max(k, 1));
  const counts = kernel.alloc(8 * Math.max(k, 1));
  try {
    const n = e.test_ssTop(s, k, items, counts);
    const it = kernel.copyOut(Float64Array, items, n);
    const ct = kernel.copyOut(Float64Array, counts, n);
    return Array.from(it, (x, i) => [x, ct[i]]);
  } finally {
    kernel.free(items);
    kernel.free(counts);
  }
}

/** The Space-Saving guarantees for a summary of a stream with exact counts `truth`. */
function expectGuarantees(s: number, truth: Map<number, number>, capacity: number) {
  const n = [...truth.values()].reduce((a, b) => a + b, 0);
  expect(e.test_ssTotal(s)).toBe(n);
  const reported = top(s, capacity);
  const bound = n / capacity;
  for (const [item, count] of reported) {
    const f = truth.get(item) ?? 0;
    expect(count).toBeGreaterThanOrEqual(f);
    expect(count - f).toBeLessThanOrEqual(bound + 1e-9);
  }
  const monitored = new Set(reported.map(([x]) => x));
  for (const [item, f] of truth) if (f > bound) expect(monitored.has(item)).toBe(true);
  // reported order: count descending, then item ascending
  for (let i = 1; i < reported.length; i++) {
    const [x0, c0] = reported[i - 1];
    const [x1, c1] = reported[i];
    expect(c0 > c1 || (c0 === c1 && x0 < x1)).toBe(true);
  }
}

/** Skewed streams: a few heavy items over a long tail, in random order. */
const stream = (maxItem: number, maxLength: number) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: -maxItem, max: maxItem }), { maxLength }),
      fc.array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 1, max: 200 })), { maxLength: 6 }),
      fc.integer(),
    )
    .map(([tail, heavy, seed]) => shuffled([...tail, ...heavy.flatMap(([x, r]) => new Array<number>(r).fill(x))], seed));

describe('Space-Saving', () => {
  it('is empty at first and rejects capacities < 1', () => {
    const s = u(e.test_ssNew(8));
    expect(e.test_ssTotal(s)).toBe(0);
    expect(top(s, 5)).toEqual([]);
    e.test_ssFree(s);
    expect(e.test_ssNew(0)).toBe(0);
  });

  it('is exact while at most capacity distinct items were seen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(fc.integer({ min: -1e9, max: 1e9 }), { maxLength: 64 }), fc.integer(), (capacity, pool, seed) => {
        const distinct = [...new Set(pool)].slice(0, capacity);
        if (distinct.length === 0) return;
        const items = shuffled(distinct.flatMap((x, i) => new Array<number>(1 + ((i * 7 + seed) & 15)).fill(x)), seed);
        const s = ssOf(items, capacity);
        expect(top(s, capacity)).toEqual(exactTopK(items, capacity));
        expect(top(s, 3)).toEqual(exactTopK(items, 3));
        e.test_ssFree(s);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('reports every item above N / capacity and overestimates by at most N / capacity', () => {
    fc.assert(
      fc.property(stream(300, 3000), fc.constantFrom(1, 2, 5, 16, 64), (items, capacity) => {
        const s = ssOf(items, capacity);
        expectGuarantees(s, exactCounts(items), capacity);
        e.test_ssFree(s);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('keeps the guarantees through merges (Agarwal et al.), symmetrically, and while adding after', () => {
    fc.assert(
      fc.property(stream(200, 1500), stream(200, 1500), stream(200, 800), fc.constantFrom(1, 3, 10, 64), (a, b, c, capacity) => {
        const sa = ssOf(a, capacity);
        const sb = ssOf(b, capacity);
        const ab = u(e.test_ssClone(sa));
        e.test_ssMerge(ab, sb);
        const ba = u(e.test_ssClone(sb));
        e.test_ssMerge(ba, sa);
        expect(top(ab, capacity)).toEqual(top(ba, capacity));
        expectGuarantees(ab, exactCounts([...a, ...b]), capacity);
        // a three-way merge, then more items added to the merged summary
        const sc = ssOf(c, capacity);
        e.test_ssMerge(ab, sc);
        expectGuarantees(ab, exactCounts([...a, ...b, ...c]), capacity);
        withF64(c, (ptr, n) => e.test_ssAddMany(ab, ptr, n));
        expectGuarantees(ab, exactCounts([...a, ...b, ...c, ...c]), capacity);
        // src unchanged
        expect(top(sb, capacity)).toEqual(top(ssOf(b, capacity), capacity));
        for (const s of [sa, sb, ab, ba, sc]) e.test_ssFree(s);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('merges exact summaries exactly while the union fits, and empty ones as identities', () => {
    const s1 = ssOf([1, 1, 2, 3, 3, 3], 4);
    const s2 = ssOf([3, 4, 4, 2], 4);
    e.test_ssMerge(s1, s2);
    expect(top(s1, 4)).toEqual(exactTopK([1, 1, 2, 3, 3, 3, 3, 4, 4, 2], 4));
    const empty = u(e.test_ssNew(4));
    const before = top(s1, 4);
    e.test_ssMerge(s1, empty);
    expect(top(s1, 4)).toEqual(before);
    e.test_ssMerge(empty, s1);
    expect(top(empty, 4)).toEqual(before);
    expect(e.test_ssTotal(empty)).toBe(10);
    for (const s of [s1, s2, empty]) e.test_ssFree(s);
  });

  it('counts weights and breaks ties by item', () => {
    const s = u(e.test_ssNew(3));
    e.test_ssAdd(s, 9, 2.5);
    e.test_ssAdd(s, 4, 2.5);
    e.test_ssAdd(s, 7, 1);
    e.test_ssAdd(s, 7, 0); // ignored
    e.test_ssAdd(s, 7, -3); // ignored
    expect(top(s, 3)).toEqual([[4, 2.5], [9, 2.5], [7, 1]]);
    e.test_ssAdd(s, 5, 1); // replaces 7 (the smallest) and inherits its count
    expect(top(s, 3)).toEqual([[4, 2.5], [9, 2.5], [5, 2]]);
    expect(e.test_ssTotal(s)).toBe(7);
    e.test_ssFree(s);
  });
});

// ---------------------------------------------------------------------------------------------

describe('sketch memory', () => {
  it('returns every block: repeated build/merge/free cycles do not grow wasm memory', () => {
    const cycle = () => {
      let h = hllOf(distinctInts(5000, 0, 1));
      const h2 = hllOf(distinctInts(100, 0, 1));
      h = u(e.test_hllMerge(h, h2));
      let d = ddsOf(Array.from({ length: 2000 }, (_, i) => (i - 1000) * 1.5), 0.01, 64);
      const d2 = ddsOf([1e-100, 1e100, -Infinity], 0.01, 64);
      d = u(e.test_ddsMerge(d, d2));
      const s = ssOf(Array.from({ length: 2000 }, (_, i) => i % 97), 16);
      const s2 = u(e.test_ssClone(s));
      e.test_ssMerge(s, s2);
      e.test_hllFree(h);
      e.test_hllFree(h2);
      e.test_ddsFree(d);
      e.test_ddsFree(d2);
      e.test_ssFree(s);
      e.test_ssFree(s2);
    };
    for (let i = 0; i < 5; i++) cycle();
    const bytes = kernel.byteLength;
    for (let i = 0; i < 200; i++) cycle();
    expect(kernel.byteLength).toBe(bytes);
  });
});
