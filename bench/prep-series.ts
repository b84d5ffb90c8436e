/**
 * bench/prep-series.ts — the tables + series half of weir/prep against plain JS written the way a
 * careful JavaScript developer would, and against the same computation as onnxruntime-web graph
 * ops where ONNX has them.
 *
 * Run: `npm run bench -- prep-series` (or `node --expose-gc --import tsx bench/prep-series.ts`).
 * Options: --runs=N timed runs per contender (default 5, median reported), --quick (smaller inputs,
 * no results file).
 *
 * Cases (inputs from a seeded generator):
 *  1. 1M rows x 20 columns -> feature matrix: 16 float64 columns standardised, 2 dictionary columns
 *     one-hot (10 categories each), 2 dictionary string columns (1000 distinct values) hashed into 16
 *     features: a float32 [1M, 52] matrix. weir: transformTable(arrowTable, stats, { into }) with stats
 *     fitted beforehand. Plain JS: one loop over rows reading the Arrow columns' typed arrays, with
 *     the per-dictionary-entry work (category index, MurmurHash3) done once per entry as weir does.
 *  2. Rolling mean, std, min and max, window 1024, over 10M float64 samples: weir's
 *     RollingStats.pushBuffer on samples already written into its wasm buffer, returning views
 *     (RollingStats.push, JS arrays in and out, is timed for the notes). Plain JS: running sums with
 *     a ring buffer and monotonic deques. onnxruntime-web: AveragePool / MaxPool (kernel 1024,
 *     stride 1) over [1, 1, n], which computes full windows only.
 *  3. 10k frames of 1024-point FFT magnitude: weir's spectrum(frames) on a float32 [10000, 1024]
 *     tensor -> [10000, 513]. Plain JS: iterative radix-2 complex FFT with precomputed twiddles.
 *     onnxruntime-web: DFT (onesided) -> Mul -> ReduceSum -> Sqrt, session.run only.
 * Each contender runs twice to warm up, then --runs times; before timing, outputs are compared.
 */
import { cpus, loadavg } from 'node:os';
import { Table, vectorFromArray, Float64, Utf8, Dictionary, Int32 } from 'apache-arrow';
import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';
import { fitTable, transformTable, RollingStats, spectrum } from '../dist/prep/index.js';
import { formatTable, gc, median, rng, writeResults, type BenchCase } from './lib.ts';

ort.env.wasm.numThreads = 1;
const { onnx } = onnxProto;

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick');
const RUNS = Number(flag('runs') ?? 5);
const ROWS = quick ? 100_000 : 1_000_000;
const SAMPLES = quick ? 1_000_000 : 10_000_000;
const FRAMES = quick ? 1000 : 10_000;

async function timed(label: string, fn: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  // Warm up twice, then let V8 finish optimising in the background: a wasm function runs its
  // baseline (Liftoff) code until the optimised code is ready, and one long call never switches.
  await fn();
  await fn();
  await new Promise((ok) => setTimeout(ok, 300));
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  const m = median(ms);
  console.log(`  ${label}: median ${m.toFixed(1)} ms of [${ms.map((x) => x.toFixed(1)).join(', ')}]`);
  return m;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench/prep-series: outputs differ: ${what}`);
}

// ---------------------------------------------------------------------------------------------
// ONNX graphs for the onnxruntime-web peers

type Dim = number | string;
function valueInfo(name: string, elem: number, dims: Dim[]) {
  return { name, type: { tensorType: { elemType: elem, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } };
}
function model(nodes: object[], inputs: object[], outputs: object[], initializer: object[] = [], opset = 20): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 9, opsetImport: [{ domain: '', version: opset }],
    graph: { name: 'g', node: nodes, input: inputs, output: outputs, initializer },
  })).finish();
}
const INT = onnx.AttributeProto.AttributeType.INT;
const INTS = onnx.AttributeProto.AttributeType.INTS;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

// ---------------------------------------------------------------------------------------------
// 1. table

function murmur3(bytes: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  const blocks = bytes.length >> 2;
  for (let i = 0; i < blocks; i++) {
    let k = bytes[4 * i]! | (bytes[4 * i + 1]! << 8) | (bytes[4 * i + 2]! << 16) | (bytes[4 * i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51); k = (k << 15) | (k >>> 17); k = Math.imul(k, 0x1b873593);
    h ^= k; h = (h << 13) | (h >>> 19); h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const t = blocks * 4;
  const rem = bytes.length & 3;
  if (rem >= 3) k ^= bytes[t + 2]! << 16;
  if (rem >= 2) k ^= bytes[t + 1]! << 8;
  if (rem >= 1) { k ^= bytes[t]!; k = Math.imul(k, 0xcc9e2d51); k = (k << 15) | (k >>> 17); k = Math.imul(k, 0x1b873593); h ^= k; }
  h ^= bytes.length; h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h | 0;
}

async function tableCase(): Promise<BenchCase> {
  console.log(`case 1: ${ROWS} rows x 20 columns, standardise + one-hot + hash`);
  const r = rng(1);
  const cols: Record<string, ReturnType<typeof vectorFromArray>> = {};
  const numeric = Array.from({ length: 16 }, (_, i) => `n${i}`);
  for (const c of numeric) cols[c] = vectorFromArray(Float64Array.from({ length: ROWS }, () => r() * 100 - 20), new Float64());
  const cats = Array.from({ length: 10 }, (_, i) => `cat${i}`);
  const ids = Array.from({ length: 1000 }, (_, i) => `user-${i * 7919}`);
  const dict = () => new Dictionary(new Utf8(), new Int32());
  for (const c of ['c0', 'c1']) cols[c] = vectorFromArray(Array.from({ length: ROWS }, () => cats[Math.floor(r() * 10)]!), dict());
  for (const c of ['h0', 'h1']) cols[c] = vectorFromArray(Array.from({ length: ROWS }, () => ids[Math.floor(r() * 1000)]!), dict());
  const table = new Table(cols);
  const spec = { standardize: numeric, oneHot: ['c0', 'c1'], hash: { columns: ['h0', 'h1'], features: 16 } };
  const stats = await fitTable(table, spec);
  const width = stats.names.length;

  // Row by row over all columns, so each output row is written while it is in cache.
  const num = stats.steps.filter((st) => st.op === 'standardize') as { column: string; mean: number; std: number }[];
  const numVals = num.map((st) => table.getChild(st.column)!.data[0]!.values as Float64Array);
  const numMean = Float64Array.from(num, (st) => st.mean);
  const numInv = Float64Array.from(num, (st) => 1 / st.std);
  const hot = stats.steps.filter((st) => st.op === 'oneHot') as { column: string; categories: string[] }[];
  const hotCodes = hot.map((st) => table.getChild(st.column)!.data[0]!.values as Int32Array);
  const hotLut = hot.map((st) => {
    const pos = new Map(st.categories.map((c, i) => [c, i]));
    return Int32Array.from(table.getChild(st.column)!.data[0]!.dictionary!.toArray() as string[], (x) => pos.get(x) ?? -1);
  });
  const hotStart = Int32Array.from(hot, (_, j) => num.length + hot.slice(0, j).reduce((a, st) => a + st.categories.length, 0));
  const hashStep = stats.steps.find((st) => st.op === 'hash') as { columns: string[]; features: number; seed: number };
  const hashStart = num.length + hot.reduce((a, st) => a + st.categories.length, 0);
  const enc = new TextEncoder();
  const hashCodes = hashStep.columns.map((c) => table.getChild(c)!.data[0]!.values as Int32Array);
  const hashLut = hashStep.columns.map((c) => {
    const entries = table.getChild(c)!.data[0]!.dictionary!.toArray() as string[];
    const idx = new Int32Array(entries.length);
    const sign = new Float32Array(entries.length);
    entries.forEach((e, j) => {
      const h = murmur3(enc.encode(`${c}=${e}`), hashStep.seed);
      idx[j] = h === -2147483648 ? (2147483647 - (hashStep.features - 1)) % hashStep.features : Math.abs(h) % hashStep.features;
      sign[j] = h < 0 ? -1 : 1;
    });
    return { idx, sign };
  });
  const plain = (reuse?: Float32Array): Float32Array => {
    const out = reuse ? reuse.fill(0) : new Float32Array(ROWS * width);
    for (let i = 0; i < ROWS; i++) {
      const row = i * width;
      for (let c = 0; c < numVals.length; c++) out[row + c] = (numVals[c]![i]! - numMean[c]!) * numInv[c]!;
      for (let j = 0; j < hotCodes.length; j++) out[row + hotStart[j]! + hotLut[j]![hotCodes[j]![i]!]!] = 1;
      for (let j = 0; j < hashCodes.length; j++) {
        const code = hashCodes[j]![i]!;
        out[row + hashStart + hashLut[j]!.idx[code]!] += hashLut[j]!.sign[code]!;
      }
    }
    return out;
  };
  const a = (await transformTable(table, stats)).data;
  const b = plain();
  let maxDiff = 0;
  for (let i = 0; i < a.length; i += 97) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
  check(maxDiff < 1e-5, `table max diff ${maxDiff}`);
  // A service transforms batch after batch into the same array; a fresh 200 MB array costs a page
  // fault per 4 KiB on first write, timed apart for the notes.
  const into = new Float32Array(ROWS * width);
  const weir = await timed('weir transformTable into a reused array', () => transformTable(table, stats, { into }));
  const fresh = await timed('weir transformTable into a new array', () => transformTable(table, stats));
  const js = await timed('plain JS (new array each run)', plain);
  const jsInto = await timed('plain JS into a reused array', () => plain(into));
  return {
    case: `${ROWS / 1e6}M rows x 20 columns: standardise (16) + one-hot (2) + hash (2) -> float32 [${ROWS / 1e6}M, ${width}]`,
    unit: 'ms', weir, peers: { 'plain JS': jsInto, 'onnxruntime-web': null }, goal: 50,
    notes: [
      'onnxruntime-web: no ONNX operator computes MurmurHash3 feature hashing, so it cannot run the case',
      'weir includes copying the Arrow column buffers into wasm memory and the matrix out of it, into an array reused across runs (transformTable(table, stats, { into })), as plain JS does',
      `into a new array each run: weir ${fresh.toFixed(1)} ms, plain JS ${js.toFixed(1)} ms (first writes to fresh memory fault in its pages)`,
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// 2. rolling

function plainRolling(x: Float64Array, w: number) {
  const n = x.length;
  const mean = new Float64Array(n), std = new Float64Array(n), min = new Float64Array(n), max = new Float64Array(n);
  const ring = new Float64Array(w);
  const maxQ = new Int32Array(w), minQ = new Int32Array(w);
  let maxHead = 0, maxLen = 0, minHead = 0, minLen = 0;
  const k = x[0] ?? 0;
  let s1 = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const d = v - k;
    s1 += d; s2 += d * d;
    if (i >= w) { const o = ring[i % w]! - k; s1 -= o; s2 -= o * o; }
    ring[i % w] = v;
    while (maxLen > 0 && maxQ[maxHead]! <= i - w) { maxHead = (maxHead + 1) % w; maxLen--; }
    while (maxLen > 0 && x[maxQ[(maxHead + maxLen - 1) % w]!]! <= v) maxLen--;
    maxQ[(maxHead + maxLen) % w] = i; maxLen++;
    while (minLen > 0 && minQ[minHead]! <= i - w) { minHead = (minHead + 1) % w; minLen--; }
    while (minLen > 0 && x[minQ[(minHead + minLen - 1) % w]!]! >= v) minLen--;
    minQ[(minHead + minLen) % w] = i; minLen++;
    if (i >= w - 1) {
      mean[i] = k + s1 / w;
      std[i] = Math.sqrt(Math.max(0, (s2 - (s1 * s1) / w) / (w - 1)));
      max[i] = x[maxQ[maxHead]!]!;
      min[i] = x[minQ[minHead]!]!;
    } else {
      mean[i] = std[i] = min[i] = max[i] = NaN;
    }
  }
  return { mean, std, min, max };
}

async function rollingCase(): Promise<BenchCase> {
  const w = 1024;
  console.log(`case 2: rolling mean/std/min/max, window ${w}, ${SAMPLES} samples`);
  const r = rng(2);
  const x = new Float64Array(SAMPLES);
  let level = 100;
  for (let i = 0; i < SAMPLES; i++) { level += r() - 0.5; x[i] = level + 5 * Math.sin(i / 300) + r(); }
  const weirRun = async () => {
    const s = await RollingStats.create({ window: w });
    try { return s.push(x); } finally { s.dispose(); }
  };
  const a = await weirRun();
  const b = plainRolling(x, w);
  for (let i = w - 1; i < SAMPLES; i += 1009) {
    check(a.max![i] === b.max[i] && a.min![i] === b.min[i], `rolling min/max at ${i}`);
    check(Math.abs(a.mean![i]! - b.mean[i]!) < 1e-6 && Math.abs(a.std![i]! - b.std[i]!) < 1e-6, `rolling mean/std at ${i}`);
  }
  // The zero-copy path: samples written straight into the object's wasm buffer (outside the
  // timing, as a producer would), statistics returned as views over wasm memory.
  const zc = await RollingStats.create({ window: w });
  zc.buffer(SAMPLES).set(x);
  const z = zc.pushBuffer(SAMPLES);
  for (let i = w - 1; i < SAMPLES; i += 1009) check(z.max![i] === a.max![i] && z.std![i] === a.std![i], `pushBuffer vs push at ${i}`);
  const weir = await timed('weir RollingStats.pushBuffer (input in wasm memory, views out)', () => {
    zc.reset();
    zc.pushBuffer(SAMPLES);
  });
  zc.dispose();
  const copying = await timed('weir RollingStats.push (JS Float64Array in, four new Float64Arrays out)', weirRun);
  const js = await timed('plain JS', () => plainRolling(x, w));
  // onnxruntime-web: pooling ops over full windows (n - w + 1 outputs each).
  const bytes = model(
    [
      { opType: 'AveragePool', input: ['x'], output: ['mean'], attribute: [{ name: 'kernel_shape', type: INTS, ints: [w] }] },
      { opType: 'Mul', input: ['x', 'x'], output: ['x2'] },
      { opType: 'AveragePool', input: ['x2'], output: ['m2'], attribute: [{ name: 'kernel_shape', type: INTS, ints: [w] }] },
      { opType: 'Mul', input: ['mean', 'mean'], output: ['mm'] },
      { opType: 'Sub', input: ['m2', 'mm'], output: ['var0'] },
      { opType: 'Mul', input: ['var0', 'bessel'], output: ['var'] },
      { opType: 'Sqrt', input: ['var'], output: ['std'] },
      { opType: 'MaxPool', input: ['x'], output: ['max'], attribute: [{ name: 'kernel_shape', type: INTS, ints: [w] }] },
      { opType: 'Neg', input: ['x'], output: ['nx'] },
      { opType: 'MaxPool', input: ['nx'], output: ['nmin'], attribute: [{ name: 'kernel_shape', type: INTS, ints: [w] }] },
      { opType: 'Neg', input: ['nmin'], output: ['min'] },
    ],
    [valueInfo('x', FLOAT, [1, 1, 'n'])],
    ['mean', 'std', 'min', 'max'].map((o) => valueInfo(o, FLOAT, [1, 1, 'm'])),
    [{ name: 'bessel', dataType: FLOAT, dims: [], floatData: [w / (w - 1)] }],
    17,
  );
  let ortMs: number | null = null;
  const mb = (SAMPLES * 8) / 1e6;
  const notes = [
    `weir: RollingStats.pushBuffer, the path for large series (samples written into its wasm buffer beforehand, results as views); RollingStats.push, which copies ${mb} MB in and 4 x ${mb} MB out into new arrays, takes ${copying.toFixed(1)} ms`,
    'plain JS and onnxruntime-web use running sums of squares (E[x^2] - E[x]^2); weir uses shifted sums with a periodic exact recompute',
  ];
  try {
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    // float32 in ORT; a quarter of the samples, scaled to the full count (pooling is linear in n).
    const part = Math.floor(SAMPLES / 4);
    const feed = { x: new ort.Tensor('float32', Float32Array.from(x.subarray(0, part)), [1, 1, part]) };
    const ms = await timed(`onnxruntime-web pooling graph on ${part} samples`, () => session.run(feed), 1);
    ortMs = (ms * SAMPLES) / part;
    notes.push(`onnxruntime-web: float32, full windows only, run once on ${part} samples and scaled x${SAMPLES / part} (MaxPool with a 1024-wide kernel costs O(n * window))`);
    await session.release();
  } catch (e) {
    notes.push(`onnxruntime-web: could not run the pooling graph: ${String(e)}`);
  }
  return {
    case: `rolling mean + std + min + max, window ${w}, ${SAMPLES / 1e6}M float64 samples`,
    unit: 'ms', weir, peers: { 'plain JS': js, 'onnxruntime-web': ortMs }, goal: 60, notes,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. FFT magnitude

function plainFft(frames: Float32Array, count: number, n: number): Float32Array {
  const bins = n / 2 + 1;
  const out = new Float32Array(count * bins);
  const bits = Math.log2(n);
  const rev = new Uint32Array(n);
  for (let i = 0; i < n; i++) { let r = 0; for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b); rev[i] = r; }
  const cos = new Float64Array(n / 2), sin = new Float64Array(n / 2);
  for (let i = 0; i < n / 2; i++) { cos[i] = Math.cos((2 * Math.PI * i) / n); sin[i] = -Math.sin((2 * Math.PI * i) / n); }
  const re = new Float64Array(n), im = new Float64Array(n);
  for (let f = 0; f < count; f++) {
    for (let i = 0; i < n; i++) { re[rev[i]!] = frames[f * n + i]!; im[rev[i]!] = 0; }
    for (let size = 2; size <= n; size <<= 1) {
      const half = size >> 1, step = n / size;
      for (let s = 0; s < n; s += size) {
        for (let j = 0; j < half; j++) {
          const wr = cos[j * step]!, wi = sin[j * step]!;
          const p = s + j, q = p + half;
          const tr = re[q]! * wr - im[q]! * wi, ti = re[q]! * wi + im[q]! * wr;
          re[q] = re[p]! - tr; im[q] = im[p]! - ti;
          re[p] = re[p]! + tr; im[p] = im[p]! + ti;
        }
      }
    }
    for (let k = 0; k < bins; k++) out[f * bins + k] = Math.hypot(re[k]!, im[k]!);
  }
  return out;
}

async function fftCase(): Promise<BenchCase> {
  const n = 1024;
  console.log(`case 3: ${FRAMES} frames of ${n}-point FFT magnitude`);
  const r = rng(3);
  const data = Float32Array.from({ length: FRAMES * n }, (_, i) => Math.sin(i * 0.05) + r() - 0.5);
  const frames = { dtype: 'float32' as const, dims: [FRAMES, n], data };
  const a = (await spectrum(frames)).data as Float32Array;
  const b = plainFft(data, FRAMES, n);
  let maxRel = 0;
  for (let i = 0; i < a.length; i += 13) maxRel = Math.max(maxRel, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  check(maxRel < 1e-5, `fft max rel diff ${maxRel}`);
  const weir = await timed('weir spectrum', () => spectrum(frames));
  const js = await timed('plain JS', () => plainFft(data, FRAMES, n));
  const bytes = model(
    [
      { opType: 'DFT', input: ['x', '', 'axis'], output: ['y'], attribute: [{ name: 'onesided', type: INT, i: 1 }] },
      { opType: 'Mul', input: ['y', 'y'], output: ['y2'] },
      { opType: 'ReduceSum', input: ['y2', 'last'], output: ['p'], attribute: [{ name: 'keepdims', type: INT, i: 0 }] },
      { opType: 'Sqrt', input: ['p'], output: ['mag'] },
    ],
    [valueInfo('x', FLOAT, ['f', n, 1])],
    [valueInfo('mag', FLOAT, ['f', n / 2 + 1])],
    [
      { name: 'axis', dataType: INT64, dims: [], int64Data: [1] },
      { name: 'last', dataType: INT64, dims: [1], int64Data: [-1] },
    ],
  );
  let ortMs: number | null = null;
  const notes = ['plain JS: full-length complex radix-2 FFT of the real frame (no half-length real trick)'];
  try {
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const feed = { x: new ort.Tensor('float32', data, [FRAMES, n, 1]) };
    const out = (await session.run(feed)).mag!.data as Float32Array;
    let d = 0;
    for (let i = 0; i < a.length; i += 13) d = Math.max(d, Math.abs(a[i]! - out[i]!) / (1 + Math.abs(out[i]!)));
    check(d < 1e-3, `onnxruntime-web fft max rel diff ${d}`);
    ortMs = await timed('onnxruntime-web DFT graph', () => session.run(feed));
    await session.release();
  } catch (e) {
    notes.push(`onnxruntime-web: could not run the DFT graph: ${String(e)}`);
  }
  return {
    case: `${FRAMES / 1e3}k frames of ${n}-point FFT magnitude (float32 [${FRAMES}, ${n}] -> [${FRAMES}, ${n / 2 + 1}])`,
    unit: 'ms', weir, peers: { 'plain JS': js, 'onnxruntime-web': ortMs }, goal: 150, notes,
  };
}

/** Runs a case and notes the machine's load around it: other processes share its cores. */
async function withLoad(run: () => Promise<BenchCase>): Promise<BenchCase> {
  const before = loadavg()[0]!;
  const c = await run();
  c.notes = [...(c.notes ?? []), `1-minute load average ${before.toFixed(1)} before the case, ${loadavg()[0]!.toFixed(1)} after on a ${cpus().length}-core machine shared with other processes`];
  return c;
}

const cases = [await withLoad(tableCase), await withLoad(rollingCase), await withLoad(fftCase)];
const results = { machine: '', node: process.version, date: new Date().toISOString(), cases };
if (!quick) {
  const path = writeResults('prep-series', cases);
  console.log(`wrote ${path}`);
}
console.log(formatTable({ ...results, machine: (await import('./lib.ts')).machine() }, 'prep-series'));
