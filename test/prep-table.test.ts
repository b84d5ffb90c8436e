import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Table, vectorFromArray, Float64, Float32, Int32, Int64, Utf8, Dictionary, Bool } from 'apache-arrow';
import { fitTable, transformTable, type TableSpec } from '../dist/prep/index.js';
import { WeirError } from '../dist/index.js';
import { murmur3, hashFeature, tableRef, type RefSpec } from './reference/table.js';
import { rng } from './helpers/random.js';

const dict = () => new Dictionary(new Utf8(), new Int32());


type Col = (number | bigint | string | null)[];

/** Rows of columns: x (f64, nulls and NaN), y (f32), n (int32, nulls), big (int64), color (dictionary), city (dictionary), url (utf8). */
function columns(r: () => number, rows: number, cats: string[]): Record<string, Col> {
  const pick = () => (r() < 0.1 ? null : cats[Math.floor(r() * cats.length)]!);
  return {
    x: Array.from({ length: rows }, () => (r() < 0.1 ? null : r() < 0.05 ? NaN : (r() - 0.3) * 100)),
    y: Array.from({ length: rows }, () => Math.fround(r() * 10 - 5)),
    n: Array.from({ length: rows }, () => (r() < 0.15 ? null : Math.floor(r() * 7) - 3)),
    big: Array.from({ length: rows }, () => BigInt(Math.floor(r() * 1000) - 500)),
    color: Array.from({ length: rows }, pick),
    city: Array.from({ length: rows }, pick),
    url: Array.from({ length: rows }, () => (r() < 0.1 ? null : `/p/${Math.floor(r() * 50)}/é${cats[Math.floor(r() * cats.length)]}`)),
  };
}

function toTable(c: Record<string, Col>): Table {
  return new Table({
    x: vectorFromArray(c.x as (number | null)[], new Float64()),
    y: vectorFromArray(c.y as number[], new Float32()),
    n: vectorFromArray(c.n as (number | null)[], new Int32()),
    big: vectorFromArray(c.big as bigint[], new Int64()),
    color: vectorFromArray(c.color as (string | null)[], dict()),
    city: vectorFromArray(c.city as (string | null)[], dict()),
    url: vectorFromArray(c.url as (string | null)[], new Utf8()),
  });
}

/** The same rows as `t`, cut into record batches at `cuts`. */
function rebatch(t: Table, cuts: number[]): Table {
  const bounds = [...new Set([0, ...cuts.filter((c) => c > 0 && c < t.numRows), t.numRows])].sort((a, b) => a - b);
  const parts: Table[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) parts.push(t.slice(bounds[i], bounds[i + 1]));
  return parts.length ? parts.reduce((a, b) => a.concat(b)) : t;
}

function expectMatrix(got: Float32Array, want: number[][], width: number, what: string): void {
  expect(got.length).toBe(want.length * width);
  want.forEach((row, i) => row.forEach((v, j) => {
    const a = got[i * width + j]!;
    if (Number.isNaN(v)) { if (!Number.isNaN(a)) expect.fail(`${what} [${i}, ${j}]: ${a} vs NaN`); return; }
    if (!(Math.abs(a - v) <= 1e-5 * (1 + Math.abs(v)))) expect.fail(`${what} [${i}, ${j}]: ${a} vs ${v}`);
  }));
}

const fullSpec: TableSpec & RefSpec = {
  standardize: ['x', 'big'],
  minmax: ['y'],
  passthrough: ['n'],
  bucketize: { y: [-2, 0, 2.5] },
  ordinal: ['city'],
  oneHot: ['color'],
  hash: { columns: ['color', 'url'], features: 16 },
  impute: { n: 'mostFrequent' },
};

describe('prep/table: MurmurHash3', () => {
  it('the reference reproduces published MurmurHash3_x86_32 vectors', () => {
    const b = (s: string) => new TextEncoder().encode(s);
    expect(murmur3(b(''), 0)).toBe(0);
    expect(murmur3(b(''), 1)).toBe(0x514e28b7);
    expect(murmur3(b(''), 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3(new Uint8Array(4), 0)).toBe(0x2362f9de);
    expect(murmur3(b('aaaa'), 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3(b('Hello, world!'), 0x9747b28c)).toBe(0x24884cba);
    expect(murmur3(b('The quick brown fox jumps over the lazy dog'), 0x9747b28c)).toBe(0x2fa826cd);
  });

  it('hashed features match the reference for random strings, seeds and widths (kernel hash = reference hash)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.string({ unit: 'grapheme', maxLength: 20 }), { nil: null }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 64 }), fc.nat(), fc.boolean(), async (values, features, seed, asDict) => {
          const t = new Table({ s: vectorFromArray(values, asDict ? dict() : new Utf8()) });
          const spec = { hash: { columns: ['s'], features, seed, alternateSign: seed % 2 === 0 } };
          const m = await transformTable(t, await fitTable(t, spec));
          const want = tableRef({ s: values }, { s: values }, spec);
          expect(m.names).toEqual(want.names);
          expectMatrix(m.data, want.rows, features, 'hash');
        }),
      { numRuns: 80 },
    );
    expect(hashFeature('c', 'v', 8)).toEqual(hashFeature('c', 'v', 8));
  });
});

describe('prep/table: fit and transform', () => {
  it('matches the scikit-learn-style reference on random tables (nulls, NaN, int64, dictionaries, utf8)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 1e6 }),
        fc.array(fc.nat(300), { maxLength: 4 }), async (trainRows, testRows, seed, cuts) => {
          const r = rng(seed);
          const cats = ['red', 'green', 'blue', 'Zeta', 'ärger', '𝄞clef', ''];
          const trainCols = columns(r, trainRows, cats);
          // Test rows only use categories the training rows have (unknowns are tested apart).
          const seen = cats.filter((c) => trainCols.color!.includes(c) && trainCols.city!.includes(c));
          const testCols = columns(r, testRows, seen.length ? seen : [cats[0]!]);
          for (const c of ['color', 'city'] as const) testCols[c] = testCols[c]!.map((v) => (v !== null && !trainCols[c]!.includes(v) ? null : v));
          const hasValues = (c: string) => trainCols[c]!.some((v) => v !== null && !(typeof v === 'number' && Number.isNaN(v)));
          if (!hasValues('x') || !hasValues('n')) return;
          const stats = await fitTable(rebatch(toTable(trainCols), cuts), fullSpec);
          const m = await transformTable(rebatch(toTable(testCols), cuts.map((c) => c % Math.max(testRows, 1))), stats);
          const want = tableRef(trainCols, testCols, fullSpec);
          expect(m.names).toEqual(want.names);
          expect(m.dims).toEqual([testRows, want.names.length]);
          expectMatrix(m.data, want.rows, want.names.length, 'matrix');
        }),
      { numRuns: 60 },
    );
  });

  it('matches the reference on many adjacent null-free float64 columns (the four-column path), NaN and imputed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 11 }),
        fc.array(fc.nat(200), { maxLength: 3 }), async (trainRows, testRows, seed, ncols, cuts) => {
          const r = rng(seed);
          const names = Array.from({ length: ncols }, (_, i) => `f${i}`);
          const make = (rows: number) => Object.fromEntries(names.map((c, i) => [c, Array.from({ length: rows }, () => (
            i % 3 === 1 && r() < 0.1 ? NaN : (r() - 0.4) * 10 ** (i % 4))) as Col]));
          const trainCols = make(trainRows);
          const testCols = make(testRows);
          if (!names.every((c) => trainCols[c]!.some((v) => !Number.isNaN(v as number)))) return;
          const asTable = (cols: Record<string, Col>) => new Table(Object.fromEntries(names.map((c) => [c, vectorFromArray(Float64Array.from(cols[c] as number[]), new Float64())])));
          const spec: TableSpec & RefSpec = {
            standardize: names.filter((_, i) => i % 5 !== 4),
            minmax: names.filter((_, i) => i % 5 === 4),
            impute: Object.fromEntries(names.filter((_, i) => i % 6 === 1).map((c) => [c, 'median' as const])),
          };
          const stats = await fitTable(asTable(trainCols), spec);
          const m = await transformTable(rebatch(asTable(testCols), cuts.map((c) => c % Math.max(testRows, 1))), stats);
          const want = tableRef(trainCols, testCols, spec);
          expect(m.names).toEqual(want.names);
          expectMatrix(m.data, want.rows, want.names.length, 'matrix');
        }),
      { numRuns: 60 },
    );
  });

  it('imputes mean and median, and scales the imputed column as a Pipeline(imputer, scaler) does', async () => {
    const x = [1, null, 4, NaN, 10, null, 2];
    const t = new Table({ a: vectorFromArray(x, new Float64()), b: vectorFromArray(x, new Float64()) });
    const spec = { standardize: ['a'], minmax: ['b'], impute: { a: 'mean' as const, b: 'median' as const } };
    const stats = await fitTable(t, spec);
    expect(stats.steps[0]).toMatchObject({ op: 'standardize', fill: 17 / 4 });
    expect(stats.steps[1]).toMatchObject({ op: 'minmax', fill: 3, min: 1, max: 10 });
    const m = await transformTable(t, stats);
    const want = tableRef({ a: x, b: x }, { a: x, b: x }, spec);
    expectMatrix(m.data, want.rows, 2, 'imputed');
  });

  it('gives the same matrix for any record-batch layout and across the 32768-row chunk boundary', async () => {
    const r = rng(42);
    const cols = columns(r, 70_000, ['a', 'b', 'c', 'd']);
    const whole = toTable(cols);
    const stats = await fitTable(whole, fullSpec);
    const one = await transformTable(whole, stats);
    const many = await transformTable(rebatch(whole, [1, 5000, 32_767, 40_000, 65_537]), stats);
    expect(Buffer.from(many.data.buffer).equals(Buffer.from(one.data.buffer))).toBe(true);
    const statsMany = await fitTable(rebatch(whole, [3, 33_000]), fullSpec);
    expect(statsMany.steps.map((s) => s.op)).toEqual(stats.steps.map((s) => s.op));
    // Fitted moments merge across batches: equal up to rounding.
    const [a, b] = [stats.steps[0] as { mean: number; std: number }, statsMany.steps[0] as { mean: number; std: number }];
    expect(Math.abs(a.mean - b.mean)).toBeLessThan(1e-9);
    expect(Math.abs(a.std / b.std - 1)).toBeLessThan(1e-12);
    const want = tableRef(cols, cols, fullSpec);
    expectMatrix(one.data.subarray(32_760 * want.names.length, 32_780 * want.names.length), want.rows.slice(32_760, 32_780), want.names.length, 'chunk edge');
  });

  it('writes into a given array when asked, and checks its length', async () => {
    const t = toTable(columns(rng(9), 300, ['p', 'q']));
    const stats = await fitTable(t, fullSpec);
    const fresh = await transformTable(t, stats);
    const into = new Float32Array(fresh.data.length).fill(123);
    const m = await transformTable(t, stats, { into });
    expect(m.data).toBe(into);
    expect(Array.from(into)).toEqual(Array.from(fresh.data));
    const err = await transformTable(t, stats, { into: new Float32Array(5) }).catch((e) => e);
    expect(err.code).toBe('E_LENGTH');
    expect(err.message).toMatch(new RegExp(`300 x ${stats.names.length}`));
  });

  it('stats survive JSON and give the identical matrix', async () => {
    const t = toTable(columns(rng(7), 500, ['p', 'q', 'r']));
    const stats = await fitTable(t, fullSpec);
    const revived = JSON.parse(JSON.stringify(stats));
    expect(revived).toEqual(stats);
    const a = await transformTable(t, stats);
    const b = await transformTable(t, revived);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('names the column, row and value of an unknown category, or encodes it as missing on request', async () => {
    const train = new Table({ c: vectorFromArray(['a', 'b', 'a'], dict()) });
    const test = new Table({ c: vectorFromArray(['b', 'a', 'zzz', 'a'], dict()) });
    const stats = await fitTable(train, { oneHot: ['c'], ordinal: ['c'] });
    const err = await transformTable(test, stats).catch((e) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect(err.code).toBe('E_ARG');
    expect(err.message).toMatch(/column 'c' row 2 has category "zzz"/);
    const lenient = await fitTable(train, { ordinal: ['c'], oneHot: ['c'], unknown: 'ignore' });
    const m = await transformTable(test, lenient);
    expect(m.names).toEqual(['c', 'c=a', 'c=b']);
    expect(Array.from(m.data)).toEqual([1, 0, 1, 0, 1, 0, NaN, 0, 0, 0, 1, 0]);
  });

  it('rejects missing columns, wrong column types and malformed specs or stats', async () => {
    const t = toTable(columns(rng(1), 10, ['a']));
    const code = async (p: Promise<unknown>) => ((await p.catch((e) => e)) as WeirError).code;
    expect(await code(fitTable(t, { standardize: ['nope'] }))).toBe('E_COLUMN');
    expect(await code(fitTable(t, { standardize: ['color'] }))).toBe('E_COLUMN');
    expect(await code(fitTable(t, { oneHot: ['x'] }))).toBe('E_COLUMN');
    expect(await code(fitTable(t, { oneHot: ['url'] }))).toBe('E_COLUMN');
    expect(await code(fitTable(new Table({ b: vectorFromArray([true, false], new Bool()) }), { hash: { columns: ['b'], features: 4 } }))).toBe('E_COLUMN');
    expect(await code(fitTable(t, { bucketize: { x: [3, 1] } }))).toBe('E_ARG');
    expect(await code(fitTable(t, { hash: { columns: ['url'], features: 0 } }))).toBe('E_ARG');
    expect(await code(fitTable(t, { impute: { color: 'mean' }, oneHot: ['color'] }))).toBe('E_ARG');
    expect(await code(fitTable(t, { standardise: ['x'] } as never))).toBe('E_ARG');
    expect(await code(fitTable(t, {}))).toBe('E_ARG');
    const stats = await fitTable(t, { standardize: ['x'] });
    expect(await code(transformTable(t, { ...stats, version: 2 } as never))).toBe('E_ARG');
    expect(await code(transformTable(t, { ...stats, names: [] }))).toBe('E_ARG');
    expect(await code(transformTable(new Table({ y: vectorFromArray([1], new Float64()) }), stats))).toBe('E_COLUMN');
    expect(await code(transformTable({} as never, stats))).toBe('E_ARG');
  });
});
