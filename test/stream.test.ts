import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dictionary, Int32, Table, Utf8, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import { windowOperator, tumbling, sliding, session, WeirError } from '../dist/index.js';
import { runReference, type RefConfig, type RefEvent } from './reference/windows.js';
import { SCALAR_AGGS, runWasm, referenceRows, sortRows, close, rowsOf, columnsOf } from './helpers/stream.js';

const base: RefConfig = { kind: 'tumbling', size: 10, slide: 10, offset: 0, gap: 5, bound: 0, lateness: 0 };

function ev(t: number, key: number | string, v = 1, item: number | string = 0): RefEvent {
  return { t, key, v, item };
}

async function compare(cfg: RefConfig, events: RefEvent[], chunks?: number[]) {
  const got = await runWasm(cfg, events, SCALAR_AGGS, chunks);
  const want = referenceRows(cfg, events);
  const g = sortRows(got.rows);
  const w = sortRows(want.rows);
  expect(g.map((r) => [r.window_start, r.window_end, r.key, r.revision, r.retract])).toEqual(
    w.map((r) => [r.window_start, r.window_end, r.key, r.revision, r.retract]),
  );
  for (let i = 0; i < g.length; i++) {
    for (const name of ['count', 'sum_v', 'min_v', 'max_v', 'mean_v', 'var_v', 'stddev_pop_v', 'first_v', 'last_v', 'decayed_v_7']) {
      const ok = close(g[i][name], (w[i] as Record<string, unknown>)[name], 1e-8);
      if (!ok) throw new Error(`row ${JSON.stringify(w[i].window_start)}..${w[i].window_end} key ${w[i].key} rev ${w[i].revision}: ${name} wasm ${g[i][name]} reference ${(w[i] as Record<string, unknown>)[name]}`);
    }
  }
  expect(got.late.map((l) => l.t)).toEqual(want.late.map((e) => e.t));
  return { got, want };
}

describe('stream: fixed cases (Flink semantics)', () => {
  it('tumbling: assigns [start, end) and fires when the watermark reaches end - 1', async () => {
    const op = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['count', 'sum:v'] });
    const a = op.push({ t: [0, 5, 9], k: [1, 1, 2], v: [1, 2, 3] });
    expect(a.windows.numRows).toBe(0); // watermark 8 < 9
    const b = op.push({ t: [10], k: [1], v: [4] }); // watermark 9: [0,10) fires
    expect(rowsOf(b.windows).map((r) => [r.window_start, r.window_end, r.key, r.count, r.sum_v])).toEqual([
      [0, 10, 1, 2, 3],
      [0, 10, 2, 1, 3],
    ]);
    expect(rowsOf(op.flush().windows).map((r) => [r.window_start, r.key, r.count])).toEqual([[10, 1, 1]]);
  });

  it('tumbling: negative timestamps and offsets align as Flink getWindowStartWithOffset', async () => {
    const op = await windowOperator({ window: tumbling(10, { offset: 3 }), time: 't', key: 'k', aggregates: ['count'] });
    const pushed = op.push({ t: [-8, -7, 2, 3], k: [0, 0, 0, 0] }); // watermark 2 fires the first two
    const rows = [pushed, op.flush()].flatMap((o) => rowsOf(o.windows)).map((r) => [r.window_start, r.window_end, r.count]);
    expect(rows).toEqual([[-17, -7, 1], [-7, 3, 2], [3, 13, 1]]);
  });

  it('sliding: an event belongs to size/slide windows', async () => {
    const op = await windowOperator({ window: sliding(10, 5), time: 't', key: 'k', aggregates: ['count'] });
    op.push({ t: [7], k: [1] });
    const rows = rowsOf(op.flush().windows).map((r) => [r.window_start, r.window_end]);
    expect(rows).toEqual([[0, 10], [5, 15]]);
  });

  it('session: events within the gap merge, touching windows merge, a larger gap splits', async () => {
    const op = await windowOperator({ window: session(5), time: 't', key: 'k', aggregates: ['count'] });
    const pushed = op.push({ t: [0, 3, 8, 20], k: [1, 1, 1, 1] }); // [0,5) + [3,8) + [8,13) touch -> [0,13); [20,25)
    const rows = [pushed, op.flush()].flatMap((o) => rowsOf(o.windows)).map((r) => [r.window_start, r.window_end, r.count]);
    expect(rows).toEqual([[0, 13, 3], [20, 25, 1]]);
  });

  it('watermark: bounded out-of-orderness keeps a window open for late-but-in-bound events', async () => {
    const op = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['count'], outOfOrderness: 5 });
    const a = op.push({ t: [1, 12, 4], k: [0, 0, 0] }); // wm after 12 = 6: [0,10) still open
    expect(a.windows.numRows).toBe(0);
    expect(op.watermark).toBe(6);
    const b = op.push({ t: [15], k: [0] }); // wm 9 -> fires with 2 events
    expect(rowsOf(b.windows).map((r) => r.count)).toEqual([2]);
  });

  it('lateness: a late event within allowed lateness fires an update; beyond it goes to the late output', async () => {
    const op = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['count'], lateness: 5 });
    const a = op.push({ t: [1, 10], k: [0, 0] }); // fires [0,10) rev 0
    expect(rowsOf(a.windows).map((r) => [r.count, r.revision])).toEqual([[1, 0]]);
    const b = op.push({ t: [2], k: [0] }); // wm 9, cleanup 14 > 9: update rev 1
    expect(rowsOf(b.windows).map((r) => [r.count, r.revision])).toEqual([[2, 1]]);
    const c = op.push({ t: [20, 3], k: [0, 0] }); // wm 19 >= 14: [0,10) is gone; t=3 is late
    expect(c.late.numRows).toBe(1);
    expect(c.late.getChild('t')?.get(0)).toBe(3);
    expect(c.late.getChild('reason')?.get(0)).toBe('beyond allowed lateness');
    expect(op.stats.late).toBe(1);
  });

  it('session within lateness: a fired session merged into a larger one is retracted', async () => {
    const op = await windowOperator({ window: session(5), time: 't', key: 'k', aggregates: ['count'], lateness: 100 });
    const a = op.push({ t: [0, 10], k: [0, 0] }); // wm 9: [0,5) fires
    expect(rowsOf(a.windows).map((r) => [r.window_start, r.window_end, r.count, r.retract])).toEqual([[0, 5, 1, false]]);
    const b = op.push({ t: [4], k: [0] }); // [4,9) merges [0,5) and touches? [0,9) intersects [10,15)? no
    const rows = rowsOf(b.windows).map((r) => [r.window_start, r.window_end, r.count, r.revision, r.retract]);
    expect(rows).toEqual([[0, 5, 1, 0, true], [0, 9, 2, 1, false]]);
  });

  it("emit: 'final' gives only final revisions ordered by window_end then key", async () => {
    const op = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['count'], lateness: 5, emit: 'final' });
    const a = op.push({ t: [1, 2, 10], k: ['b', 'a', 'a'] });
    expect(a.windows.numRows).toBe(0); // fired but not final until wm >= 14
    op.push({ t: [3], k: ['b'] });
    const c = op.push({ t: [30], k: ['a'] });
    expect(rowsOf(c.windows).map((r) => [r.window_start, r.key, r.count])).toEqual([[0, 'a', 1], [0, 'b', 2], [10, 'a', 1]]);
  });

  it('string keys and items: distinct, top-k and first/last come back under the caller’s values', async () => {
    const op = await windowOperator({ window: tumbling(100), time: 't', key: 'k', aggregates: ['distinct:u', 'topk:2:u', 'first:v', 'last:v'] });
    op.push({ t: [1, 2, 3, 4, 5], k: ['x', 'x', 'x', 'x', 'y'], u: ['a', 'b', 'a', 'c', 'a'], v: [5, 6, 7, 8, 9] });
    const rows = rowsOf(op.flush().windows);
    expect(rows[0].key).toBe('x');
    expect(rows[0].distinct_u).toBe(3);
    expect(JSON.parse(rows[0].topk_2_u as string)[0]).toEqual({ item: 'a', count: 2 });
    expect([rows[0].first_v, rows[0].last_v]).toEqual([5, 8]);
  });

  it('empty batches and empty input produce nothing', async () => {
    const op = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['count'] });
    expect(op.push({ t: [], k: [] }).windows.numRows).toBe(0);
    expect(op.flush().windows.numRows).toBe(0);
  });
});

const eventsArb = (keys: fc.Arbitrary<number | string>) =>
  fc.array(
    fc.record({
      t: fc.integer({ min: -60, max: 200 }),
      key: keys,
      v: fc.oneof(fc.integer({ min: -50, max: 50 }).map((x) => x / 4), fc.constant(NaN)),
      item: fc.integer({ min: 0, max: 6 }),
    }),
    { maxLength: 120 },
  );

const configArb = fc.oneof(
  fc.record({ kind: fc.constant('tumbling' as const), size: fc.integer({ min: 1, max: 40 }), slide: fc.constant(0), offset: fc.constant(0), gap: fc.constant(0), bound: fc.integer({ min: 0, max: 30 }), lateness: fc.integer({ min: 0, max: 30 }) })
    .chain((c) => fc.integer({ min: -(c.size - 1), max: c.size - 1 }).map((offset) => ({ ...c, offset, slide: c.size }))),
  fc.record({ kind: fc.constant('sliding' as const), size: fc.integer({ min: 2, max: 40 }), slide: fc.integer({ min: 1, max: 40 }), offset: fc.constant(0), gap: fc.constant(0), bound: fc.integer({ min: 0, max: 30 }), lateness: fc.integer({ min: 0, max: 30 }) })
    .filter((c) => c.slide <= c.size)
    .chain((c) => fc.integer({ min: -(c.slide - 1), max: c.slide - 1 }).map((offset) => ({ ...c, offset }))),
  fc.record({ kind: fc.constant('session' as const), size: fc.constant(0), slide: fc.constant(0), offset: fc.constant(0), gap: fc.integer({ min: 1, max: 30 }), bound: fc.integer({ min: 0, max: 30 }), lateness: fc.integer({ min: 0, max: 30 }) }),
);

describe('stream: wasm operator vs reference on random out-of-order streams', () => {
  it('equal rows, revisions, retractions and late events for every window kind', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, eventsArb(fc.integer({ min: 0, max: 4 })), async (cfg, events) => {
        await compare(cfg as RefConfig, events);
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('the fast path (count, sum, min, max, mean over float64 columns) equals the reference', async () => {
    const fast = ['count', 'sum:v', 'min:v', 'max:v', 'mean:v'];
    await fc.assert(
      fc.asyncProperty(configArb, eventsArb(fc.integer({ min: 0, max: 4 })), async (cfg, events) => {
        const got = sortRows((await runWasm(cfg as RefConfig, events, fast)).rows);
        const want = sortRows(referenceRows(cfg as RefConfig, events).rows);
        expect(got.map((r) => [r.window_start, r.window_end, r.key, r.revision, r.retract])).toEqual(
          want.map((r) => [r.window_start, r.window_end, r.key, r.revision, r.retract]),
        );
        got.forEach((g, i) => {
          for (const name of ['count', 'sum_v', 'min_v', 'max_v', 'mean_v']) {
            expect(close(g[name], (want[i] as Record<string, unknown>)[name], 1e-8), `${name}: ${g[name]} vs ${(want[i] as Record<string, unknown>)[name]}`).toBe(true);
          }
        });
      }),
      { numRuns: 100, seed: 17 },
    );
  });

  it('string keys behave as integer keys', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, eventsArb(fc.constantFrom('a', 'b', 'ü', '')), async (cfg, events) => {
        await compare(cfg as RefConfig, events);
      }),
      { numRuns: 50, seed: 7 },
    );
  });

  it('Arrow dictionary keys (remapped in the kernel) give the same output as plain string keys', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, eventsArb(fc.constantFrom('a', 'b', 'c', 'd')), fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 6 }), async (cfg, events, chunks) => {
        const c = cfg as RefConfig;
        const aggs = ['count', 'sum:v', 'max:v'];
        const plain = await runWasm(c, events, aggs, chunks);
        // Each batch brings its own dictionary, in its own order: the kernel remaps indices to operator ids.
        const asDictionary = (part: RefEvent[]) => {
          const dict = [...new Set(part.map((e) => e.key as string))].reverse();
          return new Table({
            t: makeVector(Float64Array.from(part, (e) => e.t)),
            k: makeVector(makeData({ type: new Dictionary(new Utf8(), new Int32()), length: part.length, data: Int32Array.from(part, (e) => dict.indexOf(e.key as string)), dictionary: vectorFromArray(dict, new Utf8()) })),
            v: makeVector(Float64Array.from(part, (e) => e.v)),
          });
        };
        expect((await runWasm(c, events, aggs, chunks, 'updates', asDictionary)).rows).toEqual(plain.rows);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('BigInt64 times and keys take their own specialised loops and give the same output', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, eventsArb(fc.integer({ min: 0, max: 4 })), fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 6 }), async (cfg, events, chunks) => {
        const c = cfg as RefConfig;
        const aggs = ['count', 'sum:v', 'min:v', 'distinct:u'];
        const plain = await runWasm(c, events, aggs, chunks);
        for (const bigKeys of [false, true]) {
          const asBigInt = (part: RefEvent[]) => {
            const cols = columnsOf(part);
            return { ...cols, t: BigInt64Array.from(part, (e) => BigInt(e.t)), k: bigKeys ? BigInt64Array.from(part, (e) => BigInt(e.key as number)) : cols.k };
          };
          const { rows } = await runWasm(c, events, aggs, chunks, 'updates', asBigInt);
          expect(rows.map((r) => ({ ...r, key: Number(r.key) }))).toEqual(plain.rows);
        }
      }),
      { numRuns: 60, seed: 23 },
    );
  });

  it('output does not depend on how the input is split into batches', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, eventsArb(fc.integer({ min: 0, max: 3 })), fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 8 }), async (cfg, events, chunks) => {
        const aggs = [...SCALAR_AGGS, 'distinct:u', 'p50:v', 'topk:2:u'];
        const one = await runWasm(cfg as RefConfig, events, aggs);
        const split = await runWasm(cfg as RefConfig, events, aggs, chunks);
        expect(JSON.stringify(split)).toBe(JSON.stringify(one));
      }),
      { numRuns: 80, seed: 3 },
    );
  });
});

describe('stream: snapshot and restore', () => {
  it('a restored operator continues exactly as an uninterrupted one', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, eventsArb(fc.constantFrom('a', 'b', 'c')), fc.nat(), async (cfg, events, cut) => {
        const c = cfg as RefConfig;
        const aggs = [...SCALAR_AGGS, 'distinct:u', 'p90:v', 'topk:3:u'];
        const opts = () => ({ window: windowFor(c), time: 't', key: 'k', aggregates: aggs, outOfOrderness: c.bound, lateness: c.lateness });
        const at = events.length ? cut % (events.length + 1) : 0;
        const whole = await windowOperator(opts());
        const expected = [whole.push(columnsOf(events.slice(0, at))), whole.push(columnsOf(events.slice(at))), whole.flush()].slice(1).map((o) => rowsOf(o.windows));
        const first = await windowOperator(opts());
        first.push(columnsOf(events.slice(0, at)));
        const bytes = first.snapshot();
        first.dispose();
        const second = await windowOperator(opts());
        second.restore(bytes);
        const got = [second.push(columnsOf(events.slice(at))), second.flush()].map((o) => rowsOf(o.windows));
        expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('rejects corrupt bytes and differently configured operators with E_SNAPSHOT', async () => {
    const op = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['count'] });
    op.push({ t: [1, 2], k: [1, 2] });
    const bytes = op.snapshot();
    const other = await windowOperator({ window: tumbling(20), time: 't', key: 'k', aggregates: ['count'] });
    expect(() => other.restore(bytes)).toThrow(expect.objectContaining({ code: 'E_SNAPSHOT' }));
    const flipped = bytes.slice();
    flipped[flipped.length >> 1] ^= 1;
    const fresh = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['count'] });
    expect(() => fresh.restore(flipped)).toThrow(expect.objectContaining({ code: 'E_SNAPSHOT' }));
    expect(() => fresh.restore(bytes.subarray(0, 100))).toThrow(expect.objectContaining({ code: 'E_SNAPSHOT' }));
    fresh.restore(bytes); // still fresh after the rejected attempts
    expect(rowsOf(fresh.flush().windows).map((r) => r.count)).toEqual([1, 1]);
  });
});

function windowFor(c: RefConfig) {
  return c.kind === 'tumbling' ? tumbling(c.size, { offset: c.offset }) : c.kind === 'sliding' ? sliding(c.size, c.slide, { offset: c.offset }) : session(c.gap);
}

describe('stream: bad input is a WeirError and leaves the operator unchanged', () => {
  const make = () => windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['count', 'sum:v'] });
  const good = { t: [1, 2, 15], k: [1, 2, 1], v: [1, 2, 3] };

  it.each([
    ['NaN timestamp', { t: [1, NaN], k: [1, 1], v: [1, 1] }, 'E_TIME'],
    ['infinite timestamp', { t: [Infinity], k: [1], v: [1] }, 'E_TIME'],
    ['mismatched lengths', { t: [1, 2], k: [1], v: [1, 1] }, 'E_LENGTH'],
    ['fractional key', { t: [1], k: [1.5], v: [1] }, 'E_KEY'],
    ['missing time column', { k: [1], v: [1] }, 'E_COLUMN'],
    ['missing value column', { t: [1], k: [1] }, 'E_COLUMN'],
    ['string values', { t: [1], k: [1], v: ['x'] }, 'E_COLUMN'],
  ])('%s', async (_, batch, code) => {
    const op = await make();
    op.push({ t: [0], k: [1], v: [5] });
    expect(() => op.push(batch as never)).toThrow(expect.objectContaining({ code }));
    const after = [op.push(good), op.flush()].flatMap((o) => rowsOf(o.windows));
    const clean = await make();
    clean.push({ t: [0], k: [1], v: [5] });
    const expected = [clean.push(good), clean.flush()].flatMap((o) => rowsOf(o.windows));
    expect(after).toEqual(expected);
  });

  it('a rejected batch of string keys does not leave its strings behind', async () => {
    const op = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['topk:3:k'] });
    expect(() => op.push({ t: [1, NaN], k: ['zz', 'yy'] })).toThrow(WeirError);
    op.push({ t: [1, 2], k: ['a', 'b'] });
    const snapA = JSON.stringify(rowsOf(op.flush().windows));
    const clean = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['topk:3:k'] });
    clean.push({ t: [1, 2], k: ['a', 'b'] });
    expect(snapA).toBe(JSON.stringify(rowsOf(clean.flush().windows)));
  });

  it.each([
    ['non-positive size', () => tumbling(0), 'E_ARG'],
    ['slide larger than size', () => sliding(10, 20), 'E_ARG'],
    ['bad duration', () => session('5 weeks'), 'E_ARG'],
    ['offset too large', () => tumbling(10, { offset: 10 }), 'E_ARG'],
  ])('window spec: %s', (_, f, code) => {
    expect(f).toThrow(expect.objectContaining({ code }));
  });

  it.each([
    [['median:v'], 'E_AGG'],
    [['sum'], 'E_AGG'],
    [['topk:0:v'], 'E_AGG'],
    [['decayed:v'], 'E_AGG'],
    [[], 'E_AGG'],
    [['count', 'count'], 'E_AGG'],
  ])('aggregates %j', async (aggregates, code) => {
    await expect(windowOperator({ window: tumbling(10), aggregates })).rejects.toMatchObject({ code });
  });

  it('use after dispose is E_STATE; dispose twice is fine', async () => {
    const op = await make();
    op.dispose();
    op.dispose();
    expect(() => op.push(good)).toThrow(expect.objectContaining({ code: 'E_STATE' }));
  });
});

describe('stream: sketch aggregates vs exact values per window', () => {
  it('distinct, p50/p90 and top-k stay within their documented bounds', async () => {
    const { refDistinct, refQuantile, refTopk } = await import('./reference/windows.js');
    await fc.assert(
      fc.asyncProperty(configArb, eventsArb(fc.integer({ min: 0, max: 2 })), async (cfg, events) => {
        const c = cfg as RefConfig;
        const got = sortRows((await runWasm(c, events, ['distinct:u', 'p50:v', 'p90:v', 'topk:3:u'])).rows);
        const want = sortRows(referenceRows(c, events).rows);
        expect(got.length).toBe(want.length);
        got.forEach((g, i) => {
          const ev = want[i].events;
          // Sparse HyperLogLog is exact for a handful of items (2^26 sparse registers).
          expect(g.distinct_u).toBe(refDistinct(ev));
          for (const [name, q] of [['p50_v', 0.5], ['p90_v', 0.9]] as const) {
            const exact = refQuantile(ev, q);
            const est = g[name] === null ? NaN : (g[name] as number);
            if (Number.isNaN(exact)) expect(est).toBeNaN();
            else expect(Math.abs(est - exact)).toBeLessThanOrEqual(0.01 * Math.abs(exact) + 1e-12);
          }
          // Fewer distinct items than counters: top-k is exact, ties by smaller item.
          expect(JSON.parse(g.topk_3_u as string)).toEqual(refTopk(ev, 3));
        });
      }),
      { numRuns: 60, seed: 5 },
    );
  });
});
