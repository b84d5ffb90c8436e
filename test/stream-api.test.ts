import { describe, expect, it } from 'vitest';
import { tableFromArrays, vectorFromArray, makeVector, Dictionary, Utf8, Int32, TimestampMillisecond, TimestampSecond, Table, RecordBatch } from 'apache-arrow';
import { windowOperator, tumbling, sliding, session } from '../dist/index.js';
import { rowsOf } from './helpers/stream.js';

describe('stream: inputs', () => {
  it('takes Arrow tables with Timestamp and Dictionary columns as they are', async () => {
    const op = await windowOperator({ window: tumbling('1s'), time: 'ts', key: 'user', aggregates: ['count', 'sum:price'] });
    const table = new Table({
      ts: vectorFromArray([1000n, 1500n, 2100n], new TimestampMillisecond()),
      user: vectorFromArray(['ann', 'bob', 'ann'], new Dictionary(new Utf8(), new Int32())),
      price: makeVector(new Float64Array([1, 2, 3])),
    });
    const rows = [op.push(table), op.flush()].flatMap((o) => rowsOf(o.windows));
    expect(rows.map((r) => [r.window_start, r.key, r.count, r.sum_price])).toEqual([
      [1000, 'ann', 1, 1],
      [1000, 'bob', 1, 2],
      [2000, 'ann', 1, 3],
    ]);
  });

  it('converts Timestamp units (seconds) to milliseconds', async () => {
    const op = await windowOperator({ window: tumbling('1m'), time: 'ts', key: 'k', aggregates: ['count'] });
    const table = new Table({ ts: makeVector({ type: new TimestampSecond(), data: new BigInt64Array([59n, 60n, 61n]) } as never), k: makeVector(new Int32Array([1, 1, 1])) });
    const rows = [op.push(table), op.flush()].flatMap((o) => rowsOf(o.windows));
    expect(rows.map((r) => [r.window_start, r.count])).toEqual([[0, 1], [60000, 2]]);
  });

  it('treats a multi-batch Arrow table like the same rows pushed at once', async () => {
    const make = () => windowOperator({ window: session(10), time: 't', key: 'k', aggregates: ['count', 'max:v'] });
    const a = tableFromArrays({ t: new Float64Array([1, 5, 30]), k: new Int32Array([1, 2, 1]), v: new Float64Array([3, 4, 5]) });
    const b = tableFromArrays({ t: new Float64Array([8, 33, 70]), k: new Int32Array([1, 1, 2]), v: new Float64Array([6, 7, 8]) });
    const two = new Table([...a.batches, ...b.batches] as RecordBatch[]);
    expect(two.batches.length).toBe(2);
    const opA = await make();
    const split = [opA.push(two), opA.flush()].flatMap((o) => rowsOf(o.windows));
    const opB = await make();
    const whole = [opB.push({ t: [1, 5, 30, 8, 33, 70], k: [1, 2, 1, 1, 1, 2], v: [3, 4, 5, 6, 7, 8] }), opB.flush()].flatMap((o) => rowsOf(o.windows));
    expect(split).toEqual(whole);
  });

  it('keeps BigInt keys as BigInt', async () => {
    const op = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['count'] });
    op.push({ t: new Float64Array([1, 2]), k: new BigInt64Array([2n ** 60n, 2n ** 60n]) });
    const t = op.flush().windows;
    expect(t.getChild('key')?.get(0)).toBe(2n ** 60n);
  });
});

describe('stream: time and delivery', () => {
  it('advanceWatermark fires windows without new events; idle timeout advances with the wall clock', async () => {
    const op = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['count'], idleTimeout: 1000 });
    op.push({ t: [1, 2], k: [1, 1] });
    const wall = Date.now();
    expect(op.tick(wall + 500).windows.numRows).toBe(0); // not idle yet
    const fired = op.tick(wall + 20_000); // idle: watermark 1 + ~20 s of wall time
    expect(rowsOf(fired.windows).map((r) => r.count)).toEqual([2]);
    expect(op.watermark).toBeGreaterThanOrEqual(20_000);
    expect(op.push({ t: [25], k: [1] }).late.numRows).toBe(1); // the idle advance made t = 25 late
    op.dispose();
    const op2 = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['count'] });
    op2.push({ t: [25], k: [1] });
    expect(op2.advanceWatermark(28).windows.numRows).toBe(0);
    expect(rowsOf(op2.advanceWatermark(29).windows).map((r) => r.window_start)).toEqual([20]); // fires at end - 1
  });

  it('results() yields every emission and ends after flush()', async () => {
    const op = await windowOperator({ window: tumbling(10), time: 't', key: 'k', aggregates: ['count'] });
    const seen: number[] = [];
    const done = (async () => {
      for await (const out of op.results()) for (const r of rowsOf(out.windows)) seen.push(r.window_start);
    })();
    op.push({ t: [1, 11, 21], k: [0, 0, 0] });
    op.push({ t: [31], k: [0] });
    op.flush();
    await done;
    expect(seen).toEqual([0, 10, 20, 30]);
  });

  it('frees closed windows: state returns to empty and memory stops growing', async () => {
    const op = await windowOperator({ window: tumbling(1000), time: 't', key: 'k', aggregates: ['count', 'distinct:u', 'p99:v', 'topk:5:u'] });
    const batch = (from: number) => {
      const n = 100_000;
      const t = new Float64Array(n), k = new Int32Array(n), u = new Int32Array(n), v = new Float64Array(n);
      for (let i = 0; i < n; i++) { t[i] = from + i; k[i] = i % 500; u[i] = (i * 7919) % 10_000; v[i] = i % 97; }
      return { t, k, u, v };
    };
    for (let b = 0; b < 5; b++) op.push(batch(b * 100_000));
    const early = op.stats.wasmBytes;
    for (let b = 5; b < 30; b++) op.push(batch(b * 100_000));
    expect(op.stats.openWindows).toBeLessThanOrEqual(2);
    expect(op.stats.wasmBytes).toBeLessThanOrEqual(early * 1.5); // 6x the events, no growth with them
    op.flush();
    expect(op.stats.openWindows).toBe(0);
    expect((op as unknown as { kernel: { exports: { liveEntries(s: number): number } }; state: number }).kernel.exports.liveEntries((op as unknown as { state: number }).state)).toBe(0);
  });
});

describe('stream: quantiles past the exact range', () => {
  it('are exact up to 32 values per window and within 1 % beyond, also when sliding panes merge', async () => {
    const values = Array.from({ length: 500 }, (_, i) => 1 + ((i * 7919) % 1000) / 10);
    const t = values.map((_, i) => i); // 500 ms of events
    for (const window of [tumbling(1000), tumbling(20), sliding(100, 20)]) {
      const op = await windowOperator({ window, time: 't', key: 'k', aggregates: ['count', 'p50:v', 'p99:v'] });
      const rows = [op.push({ t, k: values.map(() => 1), v: values }), op.flush()].flatMap((o) => rowsOf(o.windows));
      for (const r of rows) {
        const inside = values.filter((_, i) => t[i] >= r.window_start && t[i] < r.window_end).sort((a, b) => a - b);
        expect(inside.length).toBe(r.count);
        for (const [name, q] of [['p50_v', 0.5], ['p99_v', 0.99]] as const) {
          const exact = inside[Math.floor(q * (inside.length - 1))];
          const got = r[name] as number;
          if (inside.length <= 32) expect(got).toBe(exact);
          else expect(Math.abs(got - exact)).toBeLessThanOrEqual(0.01 * exact);
        }
      }
    }
  });
});
