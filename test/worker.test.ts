import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeVector, tableFromArrays, type Table } from 'apache-arrow';
import { createPool, type Pool } from '../dist/worker/index.js';
import { WeirError } from '../dist/index.js';
import { windowOperator, tumbling, session } from '../dist/stream/index.js';
import { Graph, pagerank, louvain } from '../dist/graph/index.js';
import { rolling } from '../dist/prep/index.js';
import { probeChromium, runPoolInChromium } from './conformance/browser/run.mjs';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

/** A table as plain data: column names and types, then rows. */
function rows(t: Table) {
  return { schema: t.schema.fields.map((f) => `${f.name}:${String(f.type)}`), rows: t.toArray().map((r) => r.toJSON()) };
}

/** Seeded events: ts (epoch ms, some out of order and late), user, price, item. */
function events(seed: number, n: number) {
  let a = seed;
  const rnd = () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const ts = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 100 - Math.floor(rnd() < 0.1 ? rnd() * 90_000 : rnd() * 3_000));
  const user = Int32Array.from({ length: n }, () => Math.floor(rnd() * 20));
  const price = Float64Array.from({ length: n }, () => Math.round(rnd() * 10_000) / 100);
  const item = Int32Array.from({ length: n }, () => Math.floor(rnd() * 10));
  return { ts, user, price, item };
}

/** `cols` cut into batches of 500, each column copied (the pool detaches what it is given). */
function batches(cols: ReturnType<typeof events>) {
  const out = [];
  for (let i = 0; i < cols.ts.length; i += 500) {
    out.push({ ts: cols.ts.slice(i, i + 500), user: cols.user.slice(i, i + 500), price: cols.price.slice(i, i + 500), item: cols.item.slice(i, i + 500) });
  }
  return out;
}

const windowOptions = [
  { window: tumbling('1m'), time: 'ts', key: 'user', aggregates: ['count', 'sum:price', 'p99:price', 'topk:2:item', 'distinct:item'], outOfOrderness: '5s', lateness: '30s' },
  { window: session('2s'), time: 'ts', key: 'user', aggregates: ['count', 'mean:price', 'last:price'], outOfOrderness: '5s', lateness: '10s' },
] as const;

describe('worker pool (Node worker_threads)', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = await createPool({ size: 2 });
  });
  afterAll(() => pool.close());

  it('runs stream, graph and prep tasks on 2 workers with the in-process results', async () => {
    expect(pool.size).toBe(2);
    const histories = [1, 2, 3, 4].map((seed) => events(seed, 5000));
    const edges = { src: Int32Array.from({ length: 3000 }, (_, i) => (i * 7) % 500), dst: Int32Array.from({ length: 3000 }, (_, i) => (i * 13 + 1) % 500), directed: true };
    const series = Float64Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 50) * 100 + (i % 7));

    const remote = await Promise.all([
      ...histories.map((h, i) => pool.run('stream.window', windowOptions[i % 2], batches(h))),
      pool.run('graph.pagerank', { ...edges, src: edges.src.slice(), dst: edges.dst.slice() }),
      pool.run('prep.rolling', series.slice(), { window: 64, stats: ['mean', 'std', 'zscore'] }),
    ]);

    for (const [i, h] of histories.entries()) {
      const op = await windowOperator(windowOptions[i % 2]);
      const outs = [...batches(h).map((b) => op.push(b)), op.flush()];
      op.dispose();
      const got = remote[i] as Awaited<ReturnType<typeof op.flush>>;
      expect(rows(got.windows).schema).toEqual(rows(outs[0].windows).schema);
      expect(rows(got.windows).rows).toEqual(outs.flatMap((o) => rows(o.windows).rows));
      expect(rows(got.late).rows).toEqual(outs.flatMap((o) => rows(o.late).rows));
      expect(got.windows.numRows).toBeGreaterThan(0);
    }
    expect((remote[0] as { late: Table }).late.numRows, 'the history has late events').toBeGreaterThan(0);

    const g = await Graph.fromEdges(edges);
    expect(remote[4]).toEqual({ ids: g.nodeIds, scores: pagerank(g) });
    g.dispose();
    expect(remote[5]).toEqual(await rolling(series, { window: 64, stats: ['mean', 'std', 'zscore'] }));
  });

  it('runs Louvain on a worker with the in-process result', async () => {
    const src = Int32Array.from({ length: 3000 }, (_, i) => (i * 7) % 400);
    const dst = Int32Array.from({ length: 3000 }, (_, i) => (i * 13 + (i % 5)) % 400);
    const remote = await pool.run('graph.louvain', { src: src.slice(), dst: dst.slice() }, { seed: 3 });
    const g = await Graph.fromEdges({ src, dst });
    const local = louvain(g, { seed: 3 });
    expect(remote.modularity).toBe(local.modularity);
    expect(Array.from(remote.communities)).toEqual(Array.from(local.communities));
    expect(remote.modularity).toBeGreaterThan(0);
    g.dispose();
  });

  it('passes Arrow Tables, RecordBatches and Vectors through as Arrow objects', async () => {
    const [b1, b2, b3] = batches(events(9, 1500));
    const table = tableFromArrays(b1);
    const vectors = { ts: makeVector(b3.ts), user: makeVector(b3.user), price: makeVector(b3.price), item: makeVector(b3.item) };
    const op = await windowOperator(windowOptions[0]);
    const local = [op.push(table), op.push(tableFromArrays(b2).batches[0]), op.push(vectors), op.flush()];
    op.dispose();
    const remote = await pool.run('stream.window', windowOptions[0], [table, tableFromArrays(b2).batches[0], vectors]);
    expect(rows(remote.windows).rows).toEqual(local.flatMap((o) => rows(o.windows).rows));
    expect(remote.windows.numRows).toBeGreaterThan(0);
  });

  it('transfers argument and result buffers instead of copying them', async () => {
    const series = new Float64Array(1 << 20).fill(2);
    const r = await pool.run('prep.rolling', series, { window: 8, stats: ['mean'] });
    expect(series.byteLength).toBe(0); // detached: moved to the worker
    expect(r.mean).toBeInstanceOf(Float64Array);
    expect(r.mean!.length).toBe(1 << 20);
    expect(r.mean![100]).toBe(2);
  });

  it('rejects with the WeirError (class, code, message) the task throws in-process', async () => {
    const cases: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
      ['E_AGG', () => windowOperator({ ...windowOptions[0], aggregates: ['median:price'] }), () => pool.run('stream.window', { ...windowOptions[0], aggregates: ['median:price'] }, [])],
      [
        'E_TIME',
        async () => {
          const op = await windowOperator(windowOptions[0]);
          try {
            op.push({ ts: Float64Array.of(NaN), user: Int32Array.of(1), price: Float64Array.of(1), item: Int32Array.of(1) });
          } finally {
            op.dispose();
          }
        },
        () => pool.run('stream.window', windowOptions[0], [{ ts: Float64Array.of(NaN), user: Int32Array.of(1), price: Float64Array.of(1), item: Int32Array.of(1) }]),
      ],
      ['E_LENGTH', () => Graph.fromEdges({ src: Int32Array.of(1, 2), dst: Int32Array.of(1) }), () => pool.run('graph.pagerank', { src: Int32Array.of(1, 2), dst: Int32Array.of(1) })],
    ];
    for (const [code, local, remote] of cases) {
      const l = await rejection(local());
      const r = await rejection(remote());
      expect(l, code).toBeInstanceOf(WeirError);
      expect(r, code).toBeInstanceOf(WeirError);
      expect((l as WeirError).code).toBe(code);
      expect((r as WeirError).code).toBe(code);
      expect((r as WeirError).message).toBe((l as WeirError).message);
    }
  });

  it('rejects an unknown task, and arguments that cannot be sent, with E_ARG', async () => {
    const e = await rejection(pool.run('graph.nope' as never));
    expect(e).toBeInstanceOf(WeirError);
    expect(e).toMatchObject({ code: 'E_ARG', message: expect.stringMatching(/unknown task 'graph\.nope'.*stream\.window/) });
    const fn = await rejection(pool.run('prep.rolling', (() => 1) as never, { window: 2 }));
    expect(fn).toBeInstanceOf(WeirError);
    expect(fn).toMatchObject({ code: 'E_ARG', message: expect.stringMatching(/cannot be sent to a worker/) });
  });
});

describe('worker pool lifecycle', { timeout: 20_000 }, () => {
  let dir: string;
  let fixture: string;
  beforeAll(async () => {
    // A worker that serves the real tasks, but exits on 'test.exit' and blocks forever on 'test.hang'
    // (its listener runs in the same dispatch as comlink's, before comlink's answer is posted).
    dir = await mkdtemp(path.join(tmpdir(), 'weir-worker-'));
    fixture = path.join(dir, 'fixture.mjs');
    const real = new URL('../dist/worker/worker.js', import.meta.url).href;
    await writeFile(
      fixture,
      `import { parentPort } from 'node:worker_threads';
       await import(${JSON.stringify(real)});
       parentPort.on('message', (m) => {
         const task = m?.argumentList?.[0]?.value;
         if (task === 'test.exit') process.exit(3);
         if (task === 'test.hang') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
       });`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('rejects the tasks of a worker that dies with E_STATE, then replaces the worker', async () => {
    const pool = await createPool({ size: 1, url: fixture });
    try {
      const e = await rejection(pool.run('test.exit' as never));
      expect(e).toMatchObject({ name: 'WeirError', code: 'E_STATE', message: expect.stringMatching(/exited with code 3/) });
      const r = await pool.run('prep.rolling', Float64Array.of(1, 2, 3), { window: 2, stats: ['max'] });
      expect(Array.from(r.max!)).toEqual([NaN, 2, 3]);
    } finally {
      await pool.close();
    }
  });

  it('close() rejects running tasks with E_STATE; run() after close rejects with E_STATE', async () => {
    const pool = await createPool({ size: 1, url: fixture });
    const running = rejection(pool.run('test.hang' as never));
    await pool.close();
    await pool.close(); // idempotent
    expect(await running).toMatchObject({ name: 'WeirError', code: 'E_STATE', message: expect.stringMatching(/closed/) });
    expect(await rejection(pool.run('prep.rolling', Float64Array.of(1), { window: 1 }))).toMatchObject({ code: 'E_STATE' });
  });

  it('fails to start with E_LOAD when the worker script is missing', async () => {
    const e = await rejection(createPool({ size: 2, url: path.join(dir, 'missing.mjs') }));
    expect(e).toBeInstanceOf(WeirError);
    expect(e).toMatchObject({ code: 'E_LOAD', message: expect.stringContaining('missing.mjs') });
  });

  it('refuses a size that is not a positive integer', async () => {
    expect(await rejection(createPool({ size: 0 }))).toMatchObject({ code: 'E_ARG' });
    expect(await rejection(createPool({ size: 1.5 }))).toMatchObject({ code: 'E_ARG' });
  });
});

describe('worker pool (module Web Workers in headless Chromium)', () => {
  it('runs stream.window on 2 workers with the in-page result, transfers, and keeps error codes', { timeout: 180_000 }, async (ctx) => {
    const probe = probeChromium();
    if (!probe.ok) {
      // Like the conformance check: skipped with the reason outside CI, a failure under CI=true.
      if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`Chromium is required under CI: ${probe.reason}`);
      console.warn(`SKIPPED the browser worker-pool check: ${probe.reason}`);
      ctx.skip(probe.reason);
    }
    const { result, requests } = await runPoolInChromium();
    expect(result).toMatchObject({ ok: true, size: 2, same: true, detached: true, error: { weir: true, code: 'E_AGG' } });
    // The workers were started from the default URL beside the pool module, and loaded stream.wasm.
    expect(requests).toContainEqual({ path: '/bundle/worker.js', status: 200, type: 'text/javascript; charset=utf-8' });
    expect(requests).toContainEqual({ path: '/wasm/stream.wasm', status: 200, type: 'application/wasm' });
  });
});
