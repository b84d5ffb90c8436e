// The conformance corpus: fixed inputs run through the built package, every output value
// serialised canonically and hashed, so that Node 20 (x64), Node 18 on arm64 and a browser
// worker can be compared by one SHA-256 digest. Plain ESM with no Node-only API: the same file is
// imported by node.mjs, by vitest, and bundled by esbuild into the browser worker.
//
// Adding a family's section (graph, prep, …):
//   1. import what it needs relatively from ../../dist/<family>/index.js below;
//   2. append `{ name: '<family>.<what>', run: async (out) => { … } }` to `sections`;
//      `run` builds its inputs from `prng(seed)` (never Math.random, Date.now or a hash table's
//      iteration order), passes every output value to `out(label, value)` and may return a
//      small object of facts (counts) that ends up in the summary;
//   3. that is all: node.mjs, arm64.mjs, the browser worker and conformance.test.ts pick it up.
//      If the section claims coverage (say, disconnected graphs), return it as a fact and assert
//      it in conformance.test.ts ('covers what it claims'), so the corpus cannot quietly shrink.
// Keep each section small (the arm64 run is emulated and slow): a few thousand inputs. The
// corpus must stay bundlable for browsers, so a family whose entry pulls in Node-only modules
// (node:fs, …) fails the browser check here — that is the check doing its job.
//
// `out` accepts numbers, bigints, strings, booleans, null, typed arrays, arrays, plain objects,
// Arrow Tables and Vectors. A Uint8Array is written as its raw bytes. Numbers are written
// exactly: integers in decimal, other values as their 8 IEEE-754 bytes. NaN is written as `NaN`
// whatever its bits, because WebAssembly leaves the sign and payload of a computed NaN to the
// platform (x64 and arm64 differ); -0 stays -0.
import { tableFromArrays } from 'apache-arrow';
import { createStreamKernel } from '../../dist/stream/kernel.js';
import { windowOperator, tumbling, sliding, session } from '../../dist/stream/index.js';
import { Graph, pagerank, weaklyConnectedComponents, stronglyConnectedComponents, louvain, coreNumbers, triangles, labelPropagation } from '../../dist/graph/index.js';
import { tensor, resize, spectrum, rolling, layerNormalization, quantizeLinear } from '../../dist/prep/index.js';

/** Deterministic 32-bit PRNG (mulberry32): same seed, same sequence on every engine. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    /** An unsigned 32-bit integer. */
    u32: next,
    /** An integer in [0, n). */
    int: (n) => next() % n,
    /** A float in [0, 1) with 32 random bits (exact in every engine). */
    float: () => next() / 4294967296,
  };
}

// ---- stream: event generation -------------------------------------------------------------

const T0 = 1_700_000_000_000; // epoch ms
const INT_KEYS_EDGE = [0, -1, 1, -2147483648, 2147483647];
const STRING_KEYS = ['alice', 'bob', 'carol', 'zoë', '渡辺', '🦊 fox', '', 'a/b', 'Ω', 'dave'];
const STRING_ITEMS = ['apple', 'banana', 'cherry', 'dürüm', '🍣', 'fig', 'grape'];

/**
 * `n` events whose event times advance by `step` ms on average, delivered in arrival order:
 * each event's arrival is its time plus a delay — mostly within the 5 s out-of-orderness, some
 * behind the watermark but within 30 s lateness (updated firings), some just past it, and a few
 * far beyond, up to 7 min (the late side output, even for 5-minute sliding windows). 1 % repeat
 * the previous event's time exactly.
 */
function makeEvents(rnd, { n, step, key, item }) {
  const time = new Float64Array(n);
  const arrival = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    time[i] = i > 0 && rnd.float() < 0.01 ? time[i - 1] : T0 + i * step + rnd.int(step);
    const r = rnd.float();
    const delay = r < 0.7 ? rnd.int(4_000) : r < 0.88 ? 5_000 + rnd.int(15_000) : r < 0.96 ? 20_000 + rnd.int(20_000) : 40_000 + rnd.int(400_000);
    arrival[i] = time[i] + delay;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => arrival[a] - arrival[b] || a - b);
  return arrange(rnd, order, time, key, item);
}

/**
 * Session-shaped events: each key has bursts of activity (gaps mostly under 30 s, some just over
 * it, so sessions form, split and — with out-of-order arrivals — merge), delivered in arrival order.
 */
function makeSessions(rnd, { keys, n, key, item }) {
  const time = new Float64Array(n);
  const owner = new Int32Array(n);
  const perKey = Math.ceil(n / keys);
  for (let k = 0, i = 0; k < keys; k++) {
    let t = T0 + rnd.int(600_000);
    for (let j = 0; j < perKey && i < n; j++, i++) {
      const r = rnd.float();
      t += r < 0.75 ? rnd.int(20_000) : r < 0.9 ? 25_000 + rnd.int(10_000) : 60_000 + rnd.int(300_000);
      time[i] = t;
      owner[i] = k;
    }
  }
  const arrival = Float64Array.from(time, (t) => {
    const r = rnd.float();
    return t + (r < 0.75 ? rnd.int(4_000) : r < 0.93 ? 5_000 + rnd.int(30_000) : 40_000 + rnd.int(120_000));
  });
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => arrival[a] - arrival[b] || a - b);
  return arrange(rnd, order, time, (r, i) => key(r, owner[i]), item);
}

function arrange(rnd, order, time, key, item) {
  const n = order.length;
  const cols = { ts: new Float64Array(n), key: new Array(n), price: new Float64Array(n), item: new Array(n) };
  order.forEach((src, i) => {
    cols.ts[i] = time[src];
    cols.key[i] = key(rnd, src);
    cols.item[i] = item(rnd);
    const r = rnd.float();
    // Cents mostly; some negatives, some huge values (so float sums depend on order), some zeros.
    cols.price[i] = r < 0.85 ? rnd.int(100_000) / 100 : r < 0.92 ? -rnd.int(5_000) / 100 : r < 0.97 ? (rnd.float() + 1) * 1e12 : r < 0.985 ? 0 : rnd.float() * 1e-9;
  });
  return cols;
}

const intKey = (keys) => (rnd) => (rnd.float() < 0.02 ? INT_KEYS_EDGE[rnd.int(INT_KEYS_EDGE.length)] : Math.floor(keys * rnd.float() * rnd.float()));
const intItem = (rnd) => Math.floor(40 * rnd.float() * rnd.float());
const stringItem = (rnd) => STRING_ITEMS[Math.floor(STRING_ITEMS.length * rnd.float() * rnd.float())];

/** Batch boundaries: mostly up to 1500 events, plus an empty batch and a one-event batch. */
function batchBounds(rnd, n) {
  const bounds = [];
  for (let at = 0; at < n; ) {
    const size = bounds.length === 2 ? 0 : bounds.length === 3 ? 1 : 1 + rnd.int(1500);
    bounds.push([at, Math.min(n, at + size)]);
    at += size;
  }
  return bounds;
}

const i32 = (xs) => Int32Array.from(xs);

/** The columns of events [a, b) as the batch object the operator takes (typed arrays as views). */
function batchOf(cols, a, b, { time = (t) => t, key = (k) => k, item = (x) => x } = {}) {
  return { ts: time(cols.ts.subarray(a, b)), user: key(cols.key.slice(a, b)), price: cols.price.subarray(a, b), item: item(cols.item.slice(a, b)) };
}

/** Writes one call's output and accumulates facts about what the corpus exercised. */
function record(out, facts, label, result) {
  out(`${label} windows`, result.windows);
  out(`${label} late`, result.late);
  const w = result.windows;
  facts.windowRows = (facts.windowRows ?? 0) + w.numRows;
  facts.lateRows = (facts.lateRows ?? 0) + result.late.numRows;
  const rev = w.getChild('revision');
  const retract = w.getChild('retract');
  for (let i = 0; i < w.numRows; i++) {
    if (rev && rev.get(i) > 0) facts.updatedFirings = (facts.updatedFirings ?? 0) + 1;
    if (retract && retract.get(i)) facts.retractions = (facts.retractions ?? 0) + 1;
  }
}

/** Pushes every batch of `cols`, then flushes; records each output, the stats and the watermark. */
async function runStream(out, config, cols, rnd, adapt, { midway } = {}) {
  const op = await windowOperator(config);
  const facts = { events: cols.ts.length };
  const bounds = batchBounds(rnd, cols.ts.length);
  try {
    for (const [b, [lo, hi]] of bounds.entries()) {
      record(out, facts, `push ${b} [${lo}, ${hi})`, op.push(adapt(cols, lo, hi, b)));
      if (midway && b === bounds.length >> 1) record(out, facts, 'midway', midway(op, cols, hi));
      out(`watermark after ${b}`, op.watermark);
    }
    record(out, facts, 'flush', op.flush());
    out('stats', { ...op.stats });
    return facts;
  } finally {
    op.dispose();
  }
}

const ALL_NUMERIC = ['count', 'sum:price', 'min:price', 'max:price', 'mean:price', 'var:price', 'var_pop:price', 'stddev:price', 'stddev_pop:price', 'first:price', 'last:price'];

export const sections = [
  {
    // The runtime underneath every family: load, allocate, write, grow, read back.
    name: 'runtime.memory',
    run: async (out) => {
      const rnd = prng(0x5eed0001);
      const kernel = await createStreamKernel();
      const n = 4096;
      const floats = new Float64Array(n);
      for (let i = 0; i < n; i++) floats[i] = (rnd.float() - 0.5) * 2 ** (rnd.int(120) - 60);
      floats.set([0, -0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MAX_VALUE, 0.1 + 0.2, 1 / 3], 0);
      const ints = Int32Array.from({ length: n }, () => rnd.u32() | 0);
      const text = new TextEncoder().encode('weir ünïcödé 🌊 ' + 'x'.repeat(257));

      const pf = kernel.copyIn(floats);
      const pi = kernel.copyIn(ints);
      const pt = kernel.copyIn(text);
      out('pointers', [pf, pi, pt]);
      out('memory bytes after copy-in', kernel.exports.memoryBytes());
      // A growth detaches the old buffer; fresh views must still see the same values.
      const big = kernel.alloc(8 << 20);
      out('memory bytes after growth', kernel.exports.memoryBytes());
      const view = kernel.view(Float64Array, pf, n);
      for (let i = 0; i < n; i++) view[i] = view[i] * 3 + ints[i];
      out('floats', kernel.copyOut(Float64Array, pf, n));
      out('ints', kernel.copyOut(Int32Array, pi, n));
      out('text', new TextDecoder().decode(kernel.copyOut(Uint8Array, pt, text.length)));
      out('raw bytes of floats region', kernel.copyOut(Uint8Array, pf, 64));
      for (const p of [pf, pi, pt, big]) kernel.free(p);
      const again = kernel.alloc(1024);
      out('pointer after free', again);
      kernel.dispose();
      return { floats: n, ints: n, textBytes: text.length };
    },
  },
  {
    // Tumbling minutes, Int32 keys, every numeric aggregate plus the sketches, updates mode.
    name: 'stream.tumbling',
    run: async (out) => {
      const rnd = prng(0x57a1);
      const cols = makeEvents(rnd, { n: 6000, step: 150, key: intKey(60), item: intItem });
      const config = {
        window: tumbling('1m'), time: 'ts', key: 'user', outOfOrderness: '5s', lateness: '30s', emit: 'updates',
        aggregates: [...ALL_NUMERIC, 'distinct:item', 'p50:price', 'p99:price', 'topk:3:item', 'decayed:price:1h'],
      };
      return runStream(out, config, cols, rnd, (c, a, b) => batchOf(c, a, b, { key: i32, item: i32 }));
    },
  },
  {
    // Final mode, an offset, BigInt64 times and keys.
    name: 'stream.tumbling-final',
    run: async (out) => {
      const rnd = prng(0x57a2);
      const cols = makeEvents(rnd, { n: 3000, step: 200, key: intKey(25), item: intItem });
      const config = {
        window: tumbling('2m', { offset: '15s' }), time: 'ts', key: 'user', outOfOrderness: '5s', lateness: '30s', emit: 'final',
        aggregates: ['count', 'sum:price', 'mean:price', 'stddev:price', 'p90:price', 'distinct:item', 'topk:2:item'],
      };
      const big = (xs) => BigInt64Array.from(xs, (x) => BigInt(x));
      return runStream(out, config, cols, rnd, (c, a, b) => batchOf(c, a, b, { time: big, key: big, item: i32 }));
    },
  },
  {
    // Sliding windows with an offset, string keys and string items, and a watermark advanced by hand.
    name: 'stream.sliding',
    run: async (out) => {
      const rnd = prng(0x511d);
      const cols = makeEvents(rnd, { n: 4000, step: 150, key: (r) => STRING_KEYS[r.int(STRING_KEYS.length)], item: stringItem });
      const config = {
        window: sliding('5m', '1m', { offset: '30s' }), time: 'ts', key: 'user', outOfOrderness: '5s', lateness: '30s',
        aggregates: ['count', 'sum:price', 'min:price', 'max:price', 'mean:price', 'first:price', 'last:price', 'p99.9:price', 'distinct:item', 'topk:3:item', 'decayed:price:10m'],
      };
      const midway = (op, c, hi) => op.advanceWatermark(c.ts.subarray(0, hi).reduce((m, t) => Math.max(m, t), -Infinity) - 2_000);
      return runStream(out, config, cols, rnd, (c, a, b) => batchOf(c, a, b), { midway });
    },
  },
  {
    // Sessions that grow, merge (retractions) and close; every other batch as an Arrow Table.
    name: 'stream.session',
    run: async (out) => {
      const rnd = prng(0x5e55);
      const cols = makeSessions(rnd, { keys: 40, n: 3000, key: (r, k) => k * 7919 - 100_000, item: intItem });
      const config = {
        window: session('30s'), time: 'ts', key: 'user', outOfOrderness: '5s', lateness: '30s',
        aggregates: [...ALL_NUMERIC, 'distinct:item', 'p75:price', 'topk:3:item', 'decayed:price:5m'],
      };
      const adapt = (c, a, b, i) => {
        const batch = batchOf(c, a, b, { key: i32, item: i32 });
        return i % 2 ? tableFromArrays(batch) : batch;
      };
      return runStream(out, config, cols, rnd, adapt);
    },
  },
  {
    // Snapshot mid-stream, restore into a fresh operator, and continue both: the restored one must
    // emit exactly what the original does. Snapshot bytes are part of the digest (a snapshot taken
    // on a server restores on a Pi). Corrupt and mismatched snapshots are refused.
    name: 'stream.snapshot',
    run: async (out) => {
      const rnd = prng(0x5a9);
      const cols = makeSessions(rnd, { keys: 30, n: 3000, key: (r, k) => STRING_KEYS[k % STRING_KEYS.length] + (k >> 2), item: stringItem });
      const config = {
        window: session('45s'), time: 'ts', key: 'user', outOfOrderness: '5s', lateness: '30s',
        aggregates: ['count', 'sum:price', 'first:price', 'last:price', 'stddev:price', 'p90:price', 'distinct:item', 'topk:2:item', 'decayed:price:30s'],
      };
      const bounds = batchBounds(rnd, cols.ts.length);
      const cut = Math.floor(bounds.length * 0.6);
      const original = await windowOperator(config);
      const restored = await windowOperator(config);
      const facts = { events: cols.ts.length };
      try {
        for (const [b, [lo, hi]] of bounds.slice(0, cut).entries()) record(out, facts, `before ${b}`, original.push(batchOf(cols, lo, hi)));
        const bytes = original.snapshot();
        out('snapshot', bytes);
        facts.snapshotBytes = bytes.length;
        restored.restore(bytes);
        const mine = new CanonicalWriter();
        const theirs = new CanonicalWriter();
        for (const [b, [lo, hi]] of bounds.slice(cut).entries()) {
          const a = original.push(batchOf(cols, lo, hi));
          record(out, facts, `after ${b}`, a);
          mine.write(b, [a.windows, a.late]);
          const r = restored.push(batchOf(cols, lo, hi));
          theirs.write(b, [r.windows, r.late]);
        }
        const a = original.flush();
        record(out, facts, 'flush', a);
        mine.write('flush', [a.windows, a.late]);
        const r = restored.flush();
        theirs.write('flush', [r.windows, r.late]);
        facts.restoredMatches = mine.text() === theirs.text();
        out('restored operator emitted the same', facts.restoredMatches);

        const corrupt = bytes.slice();
        corrupt[corrupt.length >> 1] ^= 0x40;
        out('corrupt snapshot', await restoreError(config, corrupt));
        out('snapshot of another config', await restoreError({ ...config, lateness: '31s' }, bytes));
        return facts;
      } finally {
        original.dispose();
        restored.dispose();
      }
    },
  },
  {
    // A power-law-ish directed graph with sparse string ids, self loops, duplicates and isolated
    // nodes: the graph family's kernels, iterative (PageRank to convergence) and combinatorial.
    name: 'graph.algorithms',
    run: async (out) => {
      const rnd = prng(0x9a7);
      const n = 1500;
      const src = [];
      const dst = [];
      for (let e = 0; e < 6000; e++) {
        const a = Math.floor(n * rnd.float() ** 2);
        const b = rnd.int(10) === 0 ? a : Math.floor(n * rnd.float() ** 3);
        src.push(`u${a * 7919}`);
        dst.push(`u${b * 7919}`);
      }
      const g = await Graph.fromEdges({ src, dst, directed: true, nodes: ['lonely-1', 'lonely-2'] });
      try {
        out('nodes', g.nodeIds);
        out('pagerank', pagerank(g));
        const wcc = weaklyConnectedComponents(g);
        out('wcc', wcc);
        out('scc', stronglyConnectedComponents(g));
        out('core numbers', coreNumbers(g));
        out('triangles', triangles(g));
        const lv = louvain(g);
        out('louvain', lv);
        out('label propagation', labelPropagation(g));
        return { nodes: g.nodeCount, edges: g.edgeCount, modularity: lv.modularity };
      } finally {
        g.dispose();
      }
    },
  },
  {
    // Preprocessing kernels whose floating-point results must not drift between platforms:
    // antialiased resize, FFT magnitudes, rolling statistics, LayerNormalization, quantization.
    name: 'prep.kernels',
    run: async (out) => {
      const rnd = prng(0x77e);
      const img = tensor('float32', [1, 3, 37, 53], Float32Array.from({ length: 3 * 37 * 53 }, () => rnd.float()));
      out('resize linear antialias', await resize(img, { mode: 'linear', antialias: 1, sizes: [1, 3, 16, 24] }));
      out('resize cubic', await resize(img, { mode: 'cubic', coordinate_transformation_mode: 'half_pixel', sizes: [1, 3, 45, 70] }));
      const frames = tensor('float32', [8, 300], Float32Array.from({ length: 2400 }, () => rnd.float() - 0.5));
      out('spectrum 300', await spectrum(frames));
      // A triangle wave plus noise: no Math.sin, whose last bit differs between V8 versions.
      const series = Float64Array.from({ length: 5000 }, (_, i) => Math.abs((i % 34) - 17) / 17 + rnd.float());
      out('rolling', await rolling(series, { window: 64 }));
      const x = tensor('float32', [4, 32], Float32Array.from({ length: 128 }, () => rnd.float() * 10));
      const gamma = tensor('float32', [32], Float32Array.from({ length: 32 }, () => 0.5 + rnd.float()));
      const beta = tensor('float32', [32], Float32Array.from({ length: 32 }, () => rnd.float() - 0.5));
      out('layer norm', await layerNormalization(x, gamma, beta, { axis: -1 }));
      out('quantize', await quantizeLinear(x, { scale: 0.05, zeroPoint: 3, dtype: 'uint8' }));
      return { samples: series.length };
    },
  },
];

/** The code of the error restoring `bytes` into a fresh operator gives ('no error' if none). */
async function restoreError(config, bytes) {
  const op = await windowOperator(config);
  try {
    op.restore(bytes);
    return 'no error';
  } catch (e) {
    return e?.code ?? String(e);
  } finally {
    op.dispose();
  }
}

/**
 * Runs every section (or those named in `only`) and returns `{ digest, summary }`: `digest` is the
 * SHA-256 (hex) over the sections' names and digests; `summary.sections` lists each section's
 * name, digest, number of values written and facts (and, with `keepText`, the serialisation
 * itself as `text`, to diff two platforms line by line).
 * `subtle` is a SubtleCrypto: `globalThis.crypto.subtle` where it exists; Node 18 has no global
 * `crypto` (it needs `require('node:crypto').webcrypto.subtle`), so node.mjs passes it in.
 */
export async function runCorpus({ subtle = globalThis.crypto?.subtle, only, keepText = false } = {}) {
  if (!subtle) throw new Error('runCorpus: no SubtleCrypto; pass { subtle }');
  const results = [];
  for (const section of sections) {
    if (only && !only.includes(section.name)) continue;
    const writer = new CanonicalWriter();
    const facts = (await section.run((label, value) => writer.write(label, value))) ?? {};
    const result = { name: section.name, digest: await sha256(subtle, writer.bytes()), values: writer.values, facts };
    if (keepText) result.text = writer.text();
    results.push(result);
  }
  const index = results.map((r) => `${r.name}\t${r.digest}\n`).join('');
  return { digest: await sha256(subtle, new TextEncoder().encode(index)), summary: { sections: results } };
}

async function sha256(subtle, bytes) {
  const hash = new Uint8Array(await subtle.digest('SHA-256', bytes));
  return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Writes values as tagged text (and raw byte runs); the tags keep `1`, `"1"`, `1n` and `[1]`
 * apart. The text is unambiguous because strings are JSON-quoted and byte runs are length-prefixed.
 */
export class CanonicalWriter {
  constructor() {
    this.parts = [];
    this.values = 0;
    this.scratch = new DataView(new ArrayBuffer(8));
  }

  write(label, value) {
    this.parts.push(`@${JSON.stringify(String(label))}\n`);
    this.value(value);
    this.parts.push('\n');
  }

  bytes() {
    const enc = new TextEncoder();
    const chunks = this.parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p));
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    return all;
  }

  /** The serialisation as text, bytes in hex (for tests and for diffing two platforms by hand). */
  text() {
    return this.parts.map((p) => (typeof p === 'string' ? p : Array.from(p, (b) => b.toString(16).padStart(2, '0')).join(''))).join('');
  }

  value(v) {
    const p = this.parts;
    if (v === null || v === undefined) {
      this.values++;
      p.push(v === null ? 'null;' : 'undef;');
    } else if (typeof v === 'number') {
      this.values++;
      p.push(this.number(v), ';');
    } else if (typeof v === 'bigint') {
      this.values++;
      p.push('b', v.toString(), ';');
    } else if (typeof v === 'string') {
      this.values++;
      p.push('s', JSON.stringify(v), ';');
    } else if (typeof v === 'boolean') {
      this.values++;
      p.push(v ? 'true;' : 'false;');
    } else if (v instanceof Uint8Array && v.constructor === Uint8Array) {
      // Bytes (snapshots): written raw, not as one number each.
      this.values++;
      p.push(`Uint8Array[${v.length}](`, v.slice(), ')');
    } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      p.push(`${v.constructor.name}[${v.length}](`);
      for (let i = 0; i < v.length; i++) this.value(v[i]);
      p.push(')');
    } else if (v instanceof ArrayBuffer) {
      this.value(new Uint8Array(v));
    } else if (Array.isArray(v)) {
      p.push(`[${v.length}](`);
      for (const x of v) this.value(x);
      p.push(')');
    } else if (isArrowTable(v)) {
      this.table(v);
    } else if (typeof v.toJSON === 'function') {
      // Arrow Vectors (list cells) and StructRows serialise to arrays and plain objects.
      this.value(v.toJSON());
    } else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
      const keys = Object.keys(v).sort();
      p.push(`{${keys.length}}(`);
      for (const k of keys) {
        p.push(JSON.stringify(k), ':');
        this.value(v[k]);
      }
      p.push(')');
    } else {
      throw new TypeError(`CanonicalWriter: cannot serialise a ${Object.prototype.toString.call(v)}`);
    }
  }

  number(x) {
    if (Number.isNaN(x)) return 'NaN';
    if (Object.is(x, -0)) return '-0';
    if (Number.isSafeInteger(x)) return String(x);
    this.scratch.setFloat64(0, x);
    return 'f' + this.scratch.getBigUint64(0).toString(16).padStart(16, '0');
  }

  /** Schema (names, types, nullability), row count, then each column's cells in row order. */
  table(t) {
    const p = this.parts;
    const fields = t.schema.fields;
    p.push(`table[${t.numRows}x${fields.length}](`);
    for (const f of fields) p.push(JSON.stringify(f.name), ':', String(f.type), f.nullable ? '?' : '', ';');
    for (let c = 0; c < fields.length; c++) {
      const col = t.getChildAt(c);
      p.push(`col${c}(`);
      for (let r = 0; r < t.numRows; r++) this.value(col.get(r));
      p.push(')\n'); // one line per column, so dumps of two platforms diff usefully
    }
    p.push(')');
  }
}

function isArrowTable(v) {
  return typeof v.getChildAt === 'function' && typeof v.numRows === 'number' && v.schema !== undefined;
}
