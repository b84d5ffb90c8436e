import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Model, softmax, sigmoid, argmax, topK, threshold } from '../dist/infer/index.js';
import { spectrogram, bandEnergies, hannWindow, imagesToTensor, fitTable, transformTable } from '../dist/prep/index.js';
import { Table, vectorFromArray, Float64, Utf8, Dictionary, Int32 } from 'apache-arrow';
import { WeirError } from '../dist/index.js';
import { buildModel, openModel } from './helpers/onnx-model.js';
import { rng } from './helpers/random.js';
import { weirError } from './helpers/errors.js';


const randomArray = (r: () => number, n: number, scale = 1) => Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what = ''): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i]! - b[i]!) <= tol)) expect.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}


// Logistic regression: p = sigmoid(x . w + b), x [N, F].
const F = 6;
const r0 = rng(1);
const lrW = randomArray(r0, F, 2);
const lrB = Float32Array.of(0.3);
const logistic = buildModel({
  nodes: [
    { opType: 'MatMul', inputs: ['features', 'w'], outputs: ['z'] },
    { opType: 'Add', inputs: ['z', 'b'], outputs: ['logit'] },
    { opType: 'Sigmoid', inputs: ['logit'], outputs: ['probability'] },
  ],
  inputs: [{ name: 'features', dtype: 'float32', dims: ['N', F] }],
  outputs: [{ name: 'probability', dtype: 'float32', dims: ['N', 1] }],
  initializers: [
    { name: 'w', dtype: 'float32', dims: [F, 1], data: lrW },
    { name: 'b', dtype: 'float32', dims: [1], data: lrB },
  ],
});
function logisticRef(x: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length / F; i++) {
    let z = lrB[0]!;
    for (let j = 0; j < F; j++) z += x[i * F + j]! * lrW[j]!;
    out.push(1 / (1 + Math.exp(-z)));
  }
  return out;
}

// Small MLP: softmax(relu(x W1 + b1) W2 + b2), also returning the logits.
const H = 8;
const C = 4;
const w1 = randomArray(r0, F * H);
const b1 = randomArray(r0, H, 0.1);
const w2 = randomArray(r0, H * C);
const b2 = randomArray(r0, C, 0.1);
const mlp = buildModel({
  nodes: [
    { opType: 'MatMul', inputs: ['x', 'w1'], outputs: ['a'] },
    { opType: 'Add', inputs: ['a', 'b1'], outputs: ['a1'] },
    { opType: 'Relu', inputs: ['a1'], outputs: ['h'] },
    { opType: 'MatMul', inputs: ['h', 'w2'], outputs: ['c'] },
    { opType: 'Add', inputs: ['c', 'b2'], outputs: ['logits'] },
    { opType: 'Softmax', inputs: ['logits'], outputs: ['probs'], attributes: { axis: -1 } },
  ],
  inputs: [{ name: 'x', dtype: 'float32', dims: ['batch', F] }],
  outputs: [
    { name: 'logits', dtype: 'float32', dims: ['batch', C] },
    { name: 'probs', dtype: 'float32', dims: ['batch', C] },
  ],
  initializers: [
    { name: 'w1', dtype: 'float32', dims: [F, H], data: w1 },
    { name: 'b1', dtype: 'float32', dims: [H], data: b1 },
    { name: 'w2', dtype: 'float32', dims: [H, C], data: w2 },
    { name: 'b2', dtype: 'float32', dims: [C], data: b2 },
  ],
});
function mlpLogits(x: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length / F; i++) {
    const h = Array.from({ length: H }, (_, k) => Math.max(0, b1[k]! + Array.from({ length: F }, (_, j) => x[i * F + j]! * w1[j * H + k]!).reduce((a, b) => a + b, 0)));
    for (let c = 0; c < C; c++) out.push(b2[c]! + h.reduce((a, v, k) => a + v * w2[k * C + c]!, 0));
  }
  return out;
}

// A model with a fixed batch of 1 and two inputs.
const fixedTwo = buildModel({
  nodes: [{ opType: 'Add', inputs: ['a', 'b'], outputs: ['sum'] }],
  inputs: [{ name: 'a', dtype: 'float32', dims: [1, 3] }, { name: 'b', dtype: 'float32', dims: [1, 3] }],
  outputs: [{ name: 'sum', dtype: 'float32', dims: [1, 3] }],
});

let dir: string;
let server: Server;
let baseUrl: string;
const models: Model[] = [];
const load = async (...a: Parameters<typeof Model.load>) => {
  const m = await Model.load(...a);
  models.push(m);
  return m;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weir-infer-'));
  writeFileSync(join(dir, 'logistic.onnx'), logistic);
  server = createServer((req, res) => {
    if (req.url === '/logistic.onnx') res.end(Buffer.from(logistic));
    else { res.statusCode = 404; res.end(); }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address() as { port: number };
  baseUrl = `http://127.0.0.1:${addr.port}`;
});

afterAll(async () => {
  for (const m of models) await m.dispose();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('infer/Model: loading and inspection', () => {
  it('loads from bytes, an ArrayBuffer, a file path, a file URL and an http URL', async () => {
    const x = randomArray(rng(2), 5 * F);
    const want = logisticRef(x);
    const sources = [
      logistic,
      new Uint8Array(logistic).buffer, // a copy: protobufjs may hand out a view of a pooled buffer
      join(dir, 'logistic.onnx'),
      pathToFileURL(join(dir, 'logistic.onnx')),
      `${baseUrl}/logistic.onnx`,
    ];
    for (const src of sources) {
      const m = await load(src);
      const out = await m.run({ features: { dtype: 'float32', dims: [5, F], data: x } });
      expect(out.probability!.dims).toEqual([5, 1]);
      expectClose(out.probability!.data as Float32Array, want, 1e-6, String(src));
    }
  });

  it('lists inputs and outputs with dtypes and dims (symbolic names kept)', async () => {
    const m = await load(mlp);
    expect(m.inputs).toEqual([{ name: 'x', dtype: 'float32', dims: ['batch', F] }]);
    expect(m.outputs.map((o) => o.name)).toEqual(['logits', 'probs']);
    expect(m.outputs[1]).toEqual({ name: 'probs', dtype: 'float32', dims: ['batch', C] });
  });

  it('refuses a corrupt model with E_MODEL and a missing file or URL with E_IO', async () => {
    expect((await weirError(Model.load(logistic.slice(0, 40)))).code).toBe('E_MODEL');
    expect((await weirError(Model.load(new Uint8Array([1, 2, 3, 4])))).message).toMatch(/cannot load/);
    expect((await weirError(Model.load(join(dir, 'nope.onnx')))).code).toBe('E_IO');
    expect((await weirError(Model.load(`${baseUrl}/nope.onnx`))).message).toMatch(/HTTP 404/);
  });
});

describe('infer/Model: running', () => {
  it('logistic regression and an MLP match plain-TS forward passes on random inputs', async () => {
    const lr = await load(logistic);
    const net = await load(mlp);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 1e6 }), async (n, seed) => {
        const x = randomArray(rng(seed), n * F, 3);
        const p = await lr.run({ dtype: 'float32', dims: [n, F], data: x });
        expectClose(p.probability!.data as Float32Array, logisticRef(x), 2e-6, 'logistic');
        const out = await net.run({ x: { dtype: 'float32', dims: [n, F], data: x } });
        const logits = mlpLogits(x);
        expectClose(out.logits!.data as Float32Array, logits, 1e-4, 'logits');
        // weir's softmax over the logits agrees with the model's Softmax node.
        expectClose(softmax(out.logits as never).data, out.probs!.data as Float32Array, 1e-6, 'softmax');
      }),
      { numRuns: 25 },
    );
  });

  it('runBatch over views of the rows equals one run; a fixed-batch model runs row by row', async () => {
    const net = await load(mlp);
    const x = randomArray(rng(3), 1000 * F);
    const whole = await net.run({ x: { dtype: 'float32', dims: [1000, F], data: x } });
    const batched = await net.runBatch({ dtype: 'float32', dims: [1000, F], data: x }, { batchSize: 128 });
    expect(batched.probs!.dims).toEqual([1000, C]);
    expect(Array.from(batched.probs!.data as Float32Array)).toEqual(Array.from(whole.probs!.data as Float32Array));
    const add = await load(fixedTwo);
    const rows = randomArray(rng(4), 4 * 3);
    const b = Float32Array.of(1, 2, 3);
    const sums = await add.runBatch({ dtype: 'float32', dims: [4, 3], data: rows }, { input: 'a', constants: { b: { dtype: 'float32', dims: [1, 3], data: b } } });
    expect(sums.sum!.dims).toEqual([4, 3]);
    expect(Array.from(sums.sum!.data as Float32Array)).toEqual(Array.from(rows, (v, i) => Math.fround(v + b[i % 3]!)));
    expect((await weirError(add.runBatch({ dtype: 'float32', dims: [4, 3], data: rows }, { input: 'a', batchSize: 2, constants: { b: { dtype: 'float32', dims: [1, 3], data: b } } }))).code).toBe('E_SHAPE');
  });

  it('serialises concurrent runs and gives each its own result', async () => {
    const net = await load(mlp);
    const inputs = Array.from({ length: 16 }, (_, i) => randomArray(rng(100 + i), 7 * F));
    const concurrent = await Promise.all(inputs.map((x) => net.run({ x: { dtype: 'float32', dims: [7, F], data: x } })));
    for (let i = 0; i < inputs.length; i++) {
      const alone = await net.run({ x: { dtype: 'float32', dims: [7, F], data: inputs[i]! } });
      expect(Array.from(concurrent[i]!.logits!.data as Float32Array)).toEqual(Array.from(alone.logits!.data as Float32Array));
    }
  });

  it('names what differs when feeds do not match the model', async () => {
    const net = await load(mlp);
    const x = new Float32Array(2 * F);
    const wrongName = await weirError(net.run({ features: { dtype: 'float32', dims: [2, F], data: x } }));
    expect(wrongName.code).toBe('E_MODEL');
    expect(wrongName.message).toMatch(/no input 'features'; its inputs are x/);
    const shape = await weirError(net.run({ x: { dtype: 'float32', dims: [3, F - 2], data: new Float32Array(3 * (F - 2)) } }));
    expect(shape.code).toBe('E_SHAPE');
    expect(shape.message).toBe(`infer/model: input 'x' expects shape [batch, ${F}], got [3, ${F - 2}]`);
    const rank = await weirError(net.run({ x: { dtype: 'float32', dims: [2 * F], data: x } }));
    expect(rank.message).toMatch(/expects shape \[batch, 6\], got \[12\]/);
    const dtype = await weirError(net.run({ x: { dtype: 'float64', dims: [2, F], data: new Float64Array(2 * F) } }));
    expect(dtype.message).toMatch(/expects float32, got float64/);
    const short = await weirError(net.run({ x: { dtype: 'float32', dims: [2, F], data: new Float32Array(2 * F - 1) } }));
    expect(short.code).toBe('E_LENGTH');
    const add = await load(fixedTwo);
    const missing = await weirError(add.run({ a: { dtype: 'float32', dims: [1, 3], data: new Float32Array(3) } }));
    expect(missing.message).toMatch(/input 'b' is missing/);
    expect((await weirError(add.run({ dtype: 'float32', dims: [1, 3], data: new Float32Array(3) }))).message).toMatch(/has 2 inputs/);
    expect((await weirError(add.run({ a: { dtype: 'float32', dims: [2, 3], data: new Float32Array(6) }, b: { dtype: 'float32', dims: [1, 3], data: new Float32Array(3) } }))).message).toMatch(/expects shape \[1, 3\], got \[2, 3\]/);
  });

  it('refuses runs after dispose with E_STATE; dispose twice is fine', async () => {
    const m = await Model.load(logistic);
    await m.dispose();
    await m.dispose();
    expect((await weirError(m.run({ dtype: 'float32', dims: [1, F], data: new Float32Array(F) }))).code).toBe('E_STATE');
  });
});

describe('infer/post-processing', () => {
  const matrix = (rows: number, cols: number) =>
    fc.array(fc.float({ min: -20, max: 20, noNaN: true }), { minLength: rows * cols, maxLength: rows * cols }).map((a) => Float32Array.from(a));

  it('softmax and sigmoid match their definitions; argmax, topK and threshold their specs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 1e6 }), (rows, cols, seed) => {
        const r = rng(seed);
        // Small integers make ties common, so tie-breaking is exercised.
        const x = Float32Array.from({ length: rows * cols }, () => Math.round((r() * 2 - 1) * 3));
        const t = { dtype: 'float32' as const, dims: [rows, cols], data: x };
        const sm = softmax(t).data;
        const sg = sigmoid(t).data;
        const am = argmax(t).data;
        const k = Math.min(3, cols);
        const tk = topK(t, k);
        const th = threshold(sigmoid(t), 0.5).data;
        for (let i = 0; i < rows; i++) {
          const row = Array.from(x.subarray(i * cols, (i + 1) * cols));
          const den = row.reduce((a, v) => a + Math.exp(v), 0);
          row.forEach((v, j) => expect(sm[i * cols + j]).toBeCloseTo(Math.exp(v) / den, 6));
          const max = Math.max(...row);
          expect(am[i]).toBe(row.indexOf(max));
          const order = row.map((v, j) => [v, j] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k);
          expect(Array.from(tk.indices.data.subarray(i * k, (i + 1) * k))).toEqual(order.map((o) => o[1]));
          expect(Array.from(tk.values.data.subarray(i * k, (i + 1) * k))).toEqual(order.map((o) => o[0]));
        }
        x.forEach((v, j) => {
          expect(sg[j]).toBeCloseTo(1 / (1 + Math.exp(-v)), 6);
          expect(th[j]).toBe(v >= 0 ? 1 : 0);
        });
      }),
      { numRuns: 200 },
    );
    expect(sigmoid({ dtype: 'float64', dims: [2], data: Float64Array.of(-1000, 1000) }).data).toEqual(Float64Array.of(0, 1));
  });

  it('topK and argmax agree with onnxruntime-web TopK / ArgMax on random matrices', async () => {
    const bytes = buildModel({
      nodes: [
        { opType: 'TopK', inputs: ['x', 'k'], outputs: ['values', 'indices'], attributes: { axis: -1, largest: 1, sorted: 1 } },
        { opType: 'ArgMax', inputs: ['x'], outputs: ['am'], attributes: { axis: 1, keepdims: 0 } },
        { opType: 'Softmax', inputs: ['x'], outputs: ['sm'], attributes: { axis: -1 } },
      ],
      inputs: [{ name: 'x', dtype: 'float32', dims: ['N', 'C'] }, { name: 'k', dtype: 'int64', dims: [1] }],
      outputs: [
        { name: 'values', dtype: 'float32', dims: ['N', null] },
        { name: 'indices', dtype: 'int64', dims: ['N', null] },
        { name: 'am', dtype: 'int64', dims: ['N'] },
        { name: 'sm', dtype: 'float32', dims: ['N', 'C'] },
      ],
    });
    const runner = await openModel(bytes);
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 30 }), fc.nat(), fc.integer({ min: 1, max: 1e6 }), async (n, c, kp, seed) => {
          const k = kp % (c + 1);
          const r = rng(seed);
          const x = Float32Array.from({ length: n * c }, () => Math.round(r() * 40) / 4);
          const out = await runner.run({ x: { dtype: 'float32', dims: [n, c], data: x }, k: { dtype: 'int64', dims: [1], data: BigInt64Array.of(BigInt(k)) } });
          const t = { dtype: 'float32' as const, dims: [n, c], data: x };
          const mine = topK(t, k);
          expect(Array.from(mine.values.data)).toEqual(Array.from(out.values!.data as Float32Array));
          expect(Array.from(mine.indices.data)).toEqual(Array.from(out.indices!.data as BigInt64Array, Number));
          expect(Array.from(argmax(t).data)).toEqual(Array.from(out.am!.data as BigInt64Array, Number));
          expectClose(softmax(t).data, out.sm!.data as Float32Array, 1e-6, 'softmax');
        }),
        { numRuns: 40 },
      );
    } finally {
      await runner.release();
    }
  });

  it('rejects bad axes, k and dtypes', () => {
    const t = { dtype: 'float32' as const, dims: [2, 3], data: new Float32Array(6) };
    expect(() => softmax(t, { axis: 2 })).toThrow(/axis/);
    expect(() => topK(t, 4)).toThrow(/k must be an integer in \[0, 3\]/);
    expect(() => argmax({ dtype: 'int32', dims: [2], data: new Int32Array(2) } as never)).toThrow(WeirError);
    expect(() => threshold(t, NaN)).toThrow(/threshold/);
  });
});

describe('infer: end to end in Node', () => {
  it('camera frames -> imagesToTensor (resize, normalise, NCHW) -> a model built here -> scores', async () => {
    // Synthetic 64x48 RGBA frames, each dominated by red or by blue, with pixel noise.
    const r = rng(8);
    const width = 64;
    const height = 48;
    const isRed = Array.from({ length: 12 }, (_, i) => i % 3 === 0);
    const frames = isRed.map((red) => {
      const data = new Uint8Array(width * height * 4);
      for (let p = 0; p < width * height; p++) {
        const noise = () => Math.floor(r() * 60);
        data[p * 4] = (red ? 180 : 40) + noise();
        data[p * 4 + 1] = 60 + noise();
        data[p * 4 + 2] = (red ? 40 : 180) + noise();
        data[p * 4 + 3] = 255;
      }
      return { data, width, height };
    });
    const batch = await imagesToTensor(frames, { resize: { width: 16, height: 16 }, mean: 0.5, std: 0.25 });
    expect(batch.dims).toEqual([12, 3, 16, 16]);
    // score = sigmoid(4 * (mean red - mean blue)), channel means by GlobalAveragePool.
    const model = await load(buildModel({
      nodes: [
        { opType: 'GlobalAveragePool', inputs: ['image'], outputs: ['pooled'] },
        { opType: 'Flatten', inputs: ['pooled'], outputs: ['flat'] },
        { opType: 'MatMul', inputs: ['flat', 'w'], outputs: ['z'] },
        { opType: 'Sigmoid', inputs: ['z'], outputs: ['score'] },
      ],
      inputs: [{ name: 'image', dtype: 'float32', dims: ['N', 3, 16, 16] }],
      outputs: [{ name: 'score', dtype: 'float32', dims: ['N', 1] }],
      initializers: [{ name: 'w', dtype: 'float32', dims: [3, 1], data: [4, 0, -4] }],
    }));
    const { score } = await model.run({ image: batch as never });
    const x = batch.data as Float32Array;
    const plane = 16 * 16;
    isRed.forEach((red, i) => {
      const mean = (c: number) => x.subarray((i * 3 + c) * plane, (i * 3 + c + 1) * plane).reduce((a, b) => a + b, 0) / plane;
      const want = 1 / (1 + Math.exp(-4 * (mean(0) - mean(2))));
      expect(score!.data[i]).toBeCloseTo(want, 5);
      expect(score!.data[i]! > 0.5).toBe(red);
    });
  });

  it('an Arrow table -> transformTable -> the matrix fed to a model as it is', async () => {
    const r = rng(30);
    const rows = 200;
    const table = new Table({
      amount: vectorFromArray(Float64Array.from({ length: rows }, () => r() * 500), new Float64()),
      age: vectorFromArray(Float64Array.from({ length: rows }, () => 18 + r() * 60), new Float64()),
      country: vectorFromArray(Array.from({ length: rows }, () => ['de', 'fr', 'it'][Math.floor(r() * 3)]!), new Dictionary(new Utf8(), new Int32())),
    });
    const stats = await fitTable(table, { standardize: ['amount', 'age'], oneHot: ['country'] });
    const features = await transformTable(table, stats);
    expect(features.dims).toEqual([rows, 5]);
    const width = features.dims[1]!;
    const w = Float32Array.from({ length: width }, () => r() - 0.5);
    const m = await load(buildModel({
      nodes: [{ opType: 'MatMul', inputs: ['x', 'w'], outputs: ['z'] }, { opType: 'Sigmoid', inputs: ['z'], outputs: ['p'] }],
      inputs: [{ name: 'x', dtype: 'float32', dims: ['N', width] }],
      outputs: [{ name: 'p', dtype: 'float32', dims: ['N', 1] }],
      initializers: [{ name: 'w', dtype: 'float32', dims: [width, 1], data: w }],
    }));
    const { p } = await m.run(features);
    const x = features.data;
    const want = Array.from({ length: rows }, (_, i) => 1 / (1 + Math.exp(-w.reduce((a, wj, j) => a + wj * x[i * width + j]!, 0))));
    expectClose(p!.data as Float32Array, want, 1e-6, 'table -> model');
  });

  // Sensor frames: frame -> Hann window + FFT power (prep) -> band energies -> log -> logistic
  // regression trained in the test, built as an ONNX model -> scores.
  it('flags frames of a machine whose vibration gains a high-frequency tone', async () => {
    const sampleRate = 4000;
    const size = 256;
    const hop = 128;
    const r = rng(21);
    const seconds = 20;
    const n = seconds * sampleRate;
    const faulty = (t: number) => Math.floor(t / sampleRate) % 4 === 3; // every fourth second
    const x = Float32Array.from({ length: n }, (_, t) => {
      const base = Math.sin((2 * Math.PI * 50 * t) / sampleRate) + 0.5 * Math.sin((2 * Math.PI * 120 * t) / sampleRate);
      const fault = faulty(t) ? 0.4 * Math.sin((2 * Math.PI * 1500 * t) / sampleRate) : 0;
      return base + fault + 0.3 * (r() * 2 - 1);
    });
    const power = await spectrogram(x, { size, hop, window: await hannWindow(size), kind: 'power' });
    const edges = [0, 250, 500, 1000, 2000];
    const bands = await bandEnergies(power, { edges, sampleRate, fftLength: size });
    const frames = bands.dims[0]!;
    const nb = edges.length - 1;
    const feats = Float32Array.from(bands.data, (v) => Math.log1p(v));
    // Frames entirely inside a faulty or a healthy second get a label; straddling ones do not.
    const label = Array.from({ length: frames }, (_, f) => {
      const a = faulty(f * hop);
      return a === faulty(f * hop + size - 1) ? (a ? 1 : 0) : -1;
    });
    // Train on the first half with plain gradient descent, test on the second.
    const half = Math.floor(frames / 2);
    const w = new Float64Array(nb);
    let b = 0;
    for (let epoch = 0; epoch < 300; epoch++) {
      const gw = new Float64Array(nb);
      let gb = 0;
      let m = 0;
      for (let f = 0; f < half; f++) {
        if (label[f] === -1) continue;
        let z = b;
        for (let j = 0; j < nb; j++) z += w[j]! * feats[f * nb + j]!;
        const err = 1 / (1 + Math.exp(-z)) - label[f]!;
        for (let j = 0; j < nb; j++) gw[j] += err * feats[f * nb + j]!;
        gb += err;
        m++;
      }
      for (let j = 0; j < nb; j++) w[j] -= (0.5 * gw[j]!) / m;
      b -= (0.5 * gb) / m;
    }
    const model = await load(buildModel({
      nodes: [
        { opType: 'MatMul', inputs: ['bands', 'w'], outputs: ['z'] },
        { opType: 'Add', inputs: ['z', 'b'], outputs: ['logit'] },
        { opType: 'Sigmoid', inputs: ['logit'], outputs: ['score'] },
      ],
      inputs: [{ name: 'bands', dtype: 'float32', dims: ['N', nb] }],
      outputs: [{ name: 'score', dtype: 'float32', dims: ['N', 1] }],
      initializers: [
        { name: 'w', dtype: 'float32', dims: [nb, 1], data: Float32Array.from(w) },
        { name: 'b', dtype: 'float32', dims: [1], data: [b] },
      ],
    }));
    const test = feats.subarray(half * nb);
    const { score } = await model.runBatch({ dtype: 'float32', dims: [frames - half, nb], data: test }, { batchSize: 64 });
    const flagged = threshold(score as never, 0.5).data;
    let correct = 0;
    let counted = 0;
    for (let f = half; f < frames; f++) {
      if (label[f] === -1) continue;
      counted++;
      if (flagged[f - half] === label[f]) correct++;
    }
    expect(counted).toBeGreaterThan(200);
    expect(correct / counted).toBeGreaterThanOrEqual(0.98);
  });
});
