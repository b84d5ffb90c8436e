import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  RollingStats, type RollingStat, rolling, rollingZScore, EwmStats, ewm, ewmAlpha, frame, Framer, windowFunction, hannWindow,
  dft, stft, spectrum, spectrogram, complexMagnitude, bandEnergies,
} from '../dist/prep/index.js';
import { WeirError } from '../dist/index.js';
import { buildModel, openModel, type ModelRunner } from './helpers/onnx-model.js';
import { rollingRef, ewmRef, frameRef, windowRef } from './reference/series.js';
import { dftRef, directDft, stftRef } from './reference/fft.js';
import { rng } from './helpers/random.js';
import { weirError } from './helpers/errors.js';

// Seeded data for the cases that are not fast-check properties.

/** Element-wise |a - b| <= atol + rtol * |b|, NaN matching NaN, ±Infinity matching itself. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what = ''): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    if (Number.isNaN(b) || !Number.isFinite(b)) {
      if (!Object.is(a, b) && !(Number.isNaN(a) && Number.isNaN(b))) expect.fail(`${what}[${i}]: ${a} vs expected ${b}`);
      continue;
    }
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) expect.fail(`${what}[${i}]: ${a} vs expected ${b} (|diff| ${Math.abs(a - b)})`);
  }
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}


const seriesArb = (maxLength: number) =>
  fc.array(
    fc.oneof(
      { weight: 12, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
      { weight: 1, arbitrary: fc.constant(NaN) },
      { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }) },
    ),
    { maxLength },
  );

describe('prep/rolling', () => {
  it('matches the windowed reference on random series (NaN, duplicates, any window)', async () => {
    await fc.assert(
      fc.asyncProperty(seriesArb(120), fc.integer({ min: 1, max: 40 }), fc.nat(), fc.integer({ min: 0, max: 2 }), async (xs, window, mp, ddof) => {
        const minPeriods = 1 + (mp % window);
        const x = Float64Array.from(xs);
        const got = await rolling(x, { window, minPeriods, ddof, stats: ['mean', 'std', 'min', 'max', 'zscore'] });
        const ref = rollingRef(x, { window, minPeriods, ddof });
        const scale = 1 + maxAbs(xs.filter((v) => !Number.isNaN(v)));
        expectClose(got.mean!, ref.mean, 0, 1e-11 * scale, 'mean');
        // Running sums carry rounding of order eps * scale^2 in the variance, so std is exact to
        // ~sqrt(eps * window) * scale absolutely, and relatively only where std >> that.
        expectClose(got.std!, ref.std, 1e-8, 1e-6 * scale, 'std');
        // -0 and +0 tie in min/max (documented: either sign may come back), so compare zeros unsigned
        const unsigned = (v: number) => (v === 0 ? 0 : v);
        expect(Array.from(got.min!, unsigned)).toEqual(ref.min.map(unsigned));
        expect(Array.from(got.max!, unsigned)).toEqual(ref.max.map(unsigned));
        // A z-score divides by the std before it: compare where that std is well above the floor.
        const z = Array.from(got.zscore!);
        for (let i = 1; i < z.length; i++) {
          const r = ref.zscore[i]!;
          if (!Number.isFinite(r) || !(ref.std[i - 1]! > 1e-3 * scale)) continue;
          expect(Math.abs(z[i]! - r)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(r)));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives bit-identical results whether the series comes in one call or in chunks', async () => {
    const r = rng(7);
    // Long enough to cross the exact-recompute point (every 65536 samples) several times.
    const n = 200_003;
    const x = Float64Array.from({ length: n }, (_, i) => (r() < 0.01 ? NaN : 1e6 + Math.sin(i / 50) * 100 + r()));
    for (const window of [1, 37, 1024]) {
      const opts = { window, minPeriods: Math.max(1, window >> 1), stats: ['mean', 'std', 'min', 'max', 'zscore'] as const };
      const whole = await rolling(x, { ...opts, stats: [...opts.stats] });
      const s = await RollingStats.create({ ...opts, stats: [...opts.stats] });
      const parts: Record<string, Float64Array[]> = { mean: [], std: [], min: [], max: [], zscore: [] };
      for (let start = 0; start < n; ) {
        const len = Math.min(n - start, 1 + Math.floor(r() * 40_000));
        const out = s.push(x.subarray(start, start + len));
        for (const k of Object.keys(parts)) parts[k]!.push(out[k as 'mean']!);
        start += len;
      }
      s.dispose();
      for (const k of Object.keys(parts)) {
        const joined = new Float64Array(n);
        let o = 0;
        for (const p of parts[k]!) { joined.set(p, o); o += p.length; }
        expect(sameBits(joined, whole[k as 'mean']!), `${k}, window ${window}`).toBe(true);
      }
    }
  });

  it('gives the same bits as pushing one sample at a time (runs of full windows vs the per-sample path)', async () => {
    const r = rng(11);
    const n = 6000;
    // NaN runs, signed zeros, ties and plateaus, so min/max ties and window refills are exercised.
    const x = Float64Array.from({ length: n }, (_, i) => {
      const u = r();
      if (u < 0.002) return NaN;
      if (u < 0.05) return r() < 0.5 ? 0 : -0;
      return Math.floor(i / 700) % 2 ? Math.round(r() * 4) : 50 + Math.sin(i / 40) * 10 + r();
    });
    for (const window of [1, 2, 3, 8, 37, 256, 1024]) {
      for (const ddof of [0, 1]) {
        const opts = { window, minPeriods: Math.max(1, window - 2), ddof, stats: ['mean', 'std', 'min', 'max', 'zscore'] as RollingStat[] };
        const whole = await rolling(x, opts);
        const s = await RollingStats.create(opts);
        const one: Record<string, Float64Array> = Object.fromEntries(opts.stats.map((k) => [k, new Float64Array(n)]));
        for (let i = 0; i < n; i++) {
          const out = s.push(x.subarray(i, i + 1));
          for (const k of opts.stats) one[k]![i] = out[k]![0]!;
        }
        s.dispose();
        for (const k of opts.stats) expect(sameBits(one[k]!, whole[k]!), `${k}, window ${window}, ddof ${ddof}`).toBe(true);
      }
    }
  });

  it('is exact on integer-valued series: a constant window has std 0 and z 0 or ±Infinity', async () => {
    const r = rng(13);
    const x = Float64Array.from({ length: 5000 }, (_, i) => (Math.floor(i / 500) % 2 ? 7 : Math.floor(r() * 1000)));
    x[1700] = 8;
    x[1850] = 6;
    const { std, zscore, mean } = await rolling(x, { window: 100, stats: ['mean', 'std', 'zscore'] });
    // Samples 500..999 and 1500..1999 are all 7 (except the two bumps).
    expect(std![999]).toBe(0);
    expect(mean![999]).toBe(7);
    expect(zscore![1000 - 1]).toBe(0);
    expect(zscore![1700]).toBe(Infinity);
    expect(zscore![1850]).toBe(-Infinity);
    expect(std![1699]).toBe(0);
  });

  it('the zero-copy path (buffer + pushBuffer) gives the same results as push, as views', async () => {
    const r = rng(17);
    const x = Float64Array.from({ length: 10_000 }, () => r() * 100);
    const want = await rolling(x, { window: 64, stats: ['mean', 'std', 'min', 'max', 'zscore'] });
    const s = await RollingStats.create({ window: 64, stats: ['mean', 'std', 'min', 'max', 'zscore'] });
    s.buffer(6000).set(x.subarray(0, 6000));
    const a = s.pushBuffer(6000);
    const first = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, (v as Float64Array).slice()]));
    s.buffer(4000).set(x.subarray(6000));
    const b = s.pushBuffer(4000);
    for (const k of ['mean', 'std', 'min', 'max', 'zscore'] as const) {
      const joined = new Float64Array(10_000);
      joined.set(first[k]!);
      joined.set(b[k]!, 6000);
      expect(sameBits(joined, want[k]!), k).toBe(true);
    }
    expect((await weirError(() => s.pushBuffer(7000))).message).toMatch(/n must be an integer in \[0, 6000\]/);
    s.dispose();
    expect((await weirError(() => s.buffer(10))).code).toBe('E_STATE');
  });

  it('stays accurate on a long series with a large offset (drift bounded by exact recompute)', async () => {
    const r = rng(11);
    const n = 300_000;
    const x = Float64Array.from({ length: n }, () => 1e9 + r());
    const { mean, std } = await rolling(x, { window: 500, stats: ['mean', 'std'] });
    for (const t of [499, 65_535, 65_536, 150_001, n - 1]) {
      const v = Array.from(x.subarray(t - 499, t + 1));
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
      expect(Math.abs(mean![t]! - m)).toBeLessThan(1e-5);
      expect(Math.abs(std![t]! / sd - 1)).toBeLessThan(1e-6);
    }
  });

  it('handles empty input, one sample, all-NaN windows and infinite min/max', async () => {
    expect((await rolling(new Float64Array(0), { window: 3 })).mean!.length).toBe(0);
    const one = await rolling([5], { window: 1, stats: ['mean', 'std', 'min', 'max'] });
    expect([one.mean![0], one.min![0], one.max![0]]).toEqual([5, 5, 5]);
    expect(one.std![0]).toBeNaN(); // ddof 1 with one sample
    const nan = await rolling([NaN, NaN, 1, NaN, NaN, NaN], { window: 2, minPeriods: 1, stats: ['mean', 'max'] });
    expect(Array.from(nan.mean!)).toEqual([NaN, NaN, 1, 1, NaN, NaN]);
    const inf = await rolling([1, Infinity, -Infinity, 2], { window: 2, stats: ['min', 'max'] });
    expect(Array.from(inf.max!)).toEqual([NaN, Infinity, Infinity, 2]);
    expect(Array.from(inf.min!)).toEqual([NaN, 1, -Infinity, -Infinity]);
  });

  it('scores a spike against the window before it', async () => {
    const x = new Float64Array(200).map((_, i) => (i % 2 ? 1 : -1));
    x[150] = 40;
    const z = await rollingZScore(x, { window: 50 });
    expect(z[49]).toBeNaN(); // only 49 samples before it
    expect(z[150]).toBeCloseTo(40 / Math.sqrt(50 / 49), 12);
    // The spike is in the window of the samples after it, so their scores shrink.
    expect(Math.abs(z[151]!)).toBeLessThan(0.3);
  });

  it('rejects bad options and inputs with WeirError codes naming the argument', async () => {
    expect((await weirError(rolling([1, 2], { window: 0 }))).message).toMatch(/window/);
    expect((await weirError(rolling([1, 2], { window: 3, minPeriods: 4 }))).code).toBe('E_ARG');
    expect((await weirError(rolling([1, 2], { window: 2, stats: ['median' as never] }))).message).toMatch(/stats/);
    expect((await weirError(rolling('abc' as never, { window: 2 }))).code).toBe('E_ARG');
    expect((await weirError(rolling(new BigInt64Array(2) as never, { window: 2 }))).code).toBe('E_ARG');
    const s = await RollingStats.create({ window: 4 });
    s.dispose();
    s.dispose();
    expect((await weirError(() => s.push([1]))).code).toBe('E_STATE');
  });
});

describe('prep/ewm', () => {
  it('matches the closed-form weighted mean and variance', async () => {
    await fc.assert(
      fc.asyncProperty(seriesArb(60), fc.double({ min: 0.01, max: 1, noNaN: true }), async (xs, alpha) => {
        const got = await ewm(xs, { alpha, stats: ['mean', 'std', 'zscore'] });
        const ref = ewmRef(xs, alpha);
        const scale = 1 + maxAbs(xs.filter((v) => !Number.isNaN(v)));
        expectClose(got.mean!, ref.mean, 0, 1e-9 * scale, 'mean');
        expectClose(got.std!, ref.std, 1e-6, 1e-7 * scale, 'std');
        // As for rolling z: compare where the std before the sample is above the rounding floor.
        const z = Array.from(got.zscore!);
        for (let i = 1; i < z.length; i++) {
          const r = ref.zscore[i]!;
          if (!Number.isFinite(r) || !(ref.std[i - 1]! > 1e-6 * scale)) continue;
          expect(Math.abs(z[i]! - r)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(r)));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('leaves outputs NaN until minPeriods valid samples (z: before the sample)', async () => {
    const { mean, std, zscore } = await ewm([1, NaN, 2, 4, 3], { alpha: 0.5, minPeriods: 2, stats: ['mean', 'std', 'zscore'] });
    expect(Array.from(mean!)).toEqual([NaN, NaN, 1.5, 2.75, 2.875]);
    expect(std![2]).toBeCloseTo(0.5, 15); // v = 0.5 * (0 + 0.5 * 1^2) = 0.25
    expect(zscore![2]).toBeNaN(); // one valid sample before it
    expect(zscore![3]).toBeCloseTo((4 - 1.5) / 0.5, 12);
  });

  it('converts span and halflife as pandas does, and rejects ambiguous options', async () => {
    expect(ewmAlpha({ span: 9 })).toBeCloseTo(0.2, 15);
    expect(ewmAlpha({ halflife: 1 })).toBeCloseTo(0.5, 15);
    expect((await weirError(ewm([1], { alpha: 0.5, span: 3 }))).code).toBe('E_ARG');
    expect((await weirError(ewm([1], { alpha: 1.5 }))).message).toMatch(/alpha/);
  });

  it('gives bit-identical results in chunks', async () => {
    const r = rng(3);
    const x = Float64Array.from({ length: 100_000 }, () => (r() < 0.02 ? NaN : r() * 10));
    const whole = await ewm(x, { span: 20, stats: ['mean', 'std', 'zscore'] });
    const e = await EwmStats.create({ span: 20, stats: ['mean', 'std', 'zscore'] });
    const a = e.push(x.subarray(0, 33_333));
    const b = e.push(x.subarray(33_333));
    e.dispose();
    for (const k of ['mean', 'std', 'zscore'] as const) {
      const joined = new Float64Array(x.length);
      joined.set(a[k]!);
      joined.set(b[k]!, 33_333);
      expect(sameBits(joined, whole[k]!), k).toBe(true);
    }
  });
});

describe('prep/frame', () => {
  it('matches the reference, and a Framer fed in chunks matches one call', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 40 }), fc.array(fc.nat(60), { maxLength: 8 }),
        async (xs, size, hop, cuts) => {
          const x = Float32Array.from(xs);
          const t = await frame(x, { size, hop });
          const ref = frameRef(x, size, hop);
          expect(t.dims).toEqual([ref.length, size]);
          expect(Array.from(t.data)).toEqual(ref.flat());
          const f = await Framer.create({ size, hop });
          const got: number[] = [];
          let at = 0;
          for (const c of [...cuts, x.length]) {
            const end = Math.min(x.length, at + c);
            got.push(...f.push(x.subarray(at, end)).data);
            at = end;
          }
          expect(got).toEqual(ref.flat());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rejects a series of the wrong type or a bad size', async () => {
    expect((await weirError(frame([1, 2] as never, { size: 1 }))).code).toBe('E_ARG');
    expect((await weirError(frame(new Float32Array(4), { size: 0 }))).message).toMatch(/size/);
  });
});

// One-node models run by onnxruntime-web: the oracle for the ONNX operators.
const runners: ModelRunner[] = [];
afterAll(async () => {
  for (const r of runners) await r.release();
});

async function ortOnce(bytes: Uint8Array, feeds: Parameters<ModelRunner['run']>[0]) {
  const runner = await openModel(bytes);
  try {
    return await runner.run(feeds);
  } finally {
    await runner.release();
  }
}

describe('prep/windows vs onnxruntime-web', () => {
  it('HannWindow, HammingWindow and BlackmanWindow for random sizes, periodic and symmetric', async () => {
    const ops = { hann: 'HannWindow', hamming: 'HammingWindow', blackman: 'BlackmanWindow' } as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('hann', 'hamming', 'blackman' as const), fc.integer({ min: 2, max: 700 }), fc.boolean(), async (kind, size, periodic) => {
        const bytes = buildModel({
          opset: 17,
          nodes: [{ opType: ops[kind], inputs: ['n'], outputs: ['w'], attributes: { periodic: periodic ? 1 : 0 } }],
          inputs: [{ name: 'n', dtype: 'int64', dims: [] }],
          outputs: [{ name: 'w', dtype: 'float32', dims: [null] }],
        });
        const ort = await ortOnce(bytes, { n: { dtype: 'int64', dims: [], data: BigInt64Array.of(BigInt(size)) } });
        const w = await windowFunction(kind, size, { periodic });
        expect(w).toBeInstanceOf(Float32Array);
        expectClose(w, ort.w!.data as Float32Array, 0, 2e-6, `${kind} ${size}`);
        expectClose(await windowFunction(kind, size, { periodic, dtype: 'float64' }), windowRef(kind, size, periodic), 0, 1e-15, kind);
      }),
      { numRuns: 30 },
    );
  });

  it('follows ONNX for a symmetric window of one sample (N = 0 gives NaN)', async () => {
    expect((await windowFunction('hann', 1, { periodic: false }))[0]).toBeNaN();
    expect(Array.from(await hannWindow(1))).toEqual([0]);
    expect((await weirError(windowFunction('kaiser' as never, 4))).code).toBe('E_ARG');
  });
});

describe('prep/dft', () => {
  it('matches a direct DFT for any length, forward and inverse (float64)', async () => {
    const lengths = [1, 2, 3, 4, 5, 7, 8, 12, 16, 17, 31, 60, 64, 97, 100, 128, 255, 256, 331, 512, 1000, 1024, 2048, 4096];
    const r = rng(5);
    for (const n of lengths) {
      for (const complex of [false, true]) {
        const c = complex ? 2 : 1;
        const data = Float64Array.from({ length: n * c }, () => r() * 2 - 1);
        const re = Array.from({ length: n }, (_, i) => data[i * c]!);
        const im = Array.from({ length: n }, (_, i) => (complex ? data[i * 2 + 1]! : 0));
        for (const inverse of [false, true]) {
          const got = await dft({ dtype: 'float64', dims: [1, n, c], data }, { inverse });
          const [yr, yi] = directDft(re, im, inverse);
          const want = new Float64Array(2 * n);
          for (let k = 0; k < n; k++) { want[2 * k] = yr[k]!; want[2 * k + 1] = yi[k]!; }
          const tol = 1e-12 * (inverse ? 1 : n) * Math.max(1, Math.log2(n));
          expectClose(got.data, want, 0, tol, `n=${n} complex=${complex} inverse=${inverse}`);
        }
      }
    }
  });

  it('matches the ONNX reference semantics on random shapes, axes, lengths and modes (float64)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 3 }), fc.boolean(), fc.nat(), fc.boolean(), fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }), fc.integer({ min: 1, max: 1000 }),
        async (signal, complex, axisPick, inverse, onesided, dftLength, seed) => {
          if (onesided && (inverse ? !complex : complex)) return;
          const dims = [...signal, complex ? 2 : 1];
          const axis = axisPick % (dims.length - 1);
          if (onesided && inverse) {
            if (dftLength === undefined ? dims[axis] === 1 : dims[axis] !== (dftLength >> 1) + 1) return;
          }
          const r = rng(seed);
          const data = Float64Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1);
          const got = await dft({ dtype: 'float64', dims, data }, { axis, inverse, onesided, dftLength });
          const [wantDims, want] = dftRef(data, dims, { axis, inverse, onesided, dftLength });
          expect(got.dims).toEqual(wantDims);
          expectClose(got.data, want, 0, 1e-11, 'dft');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('matches onnxruntime-web DFT (opset 20) on random shapes and attributes (float32)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.boolean(), fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }), fc.boolean(), fc.integer({ min: 1, max: 1000 }),
        async (batch, n, extra, useExtraDim, complex, inverse, dftLength, onesided, seed) => {
          if (onesided && (inverse ? !complex : complex)) return;
          const dims = useExtraDim ? [batch, n, extra, complex ? 2 : 1] : [batch, n, complex ? 2 : 1];
          if (onesided && inverse && (dftLength === undefined ? n === 1 : n !== (dftLength >> 1) + 1)) return;
          const r = rng(seed);
          const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1);
          const axis = 1;
          const bytes = buildModel({
            opset: 20,
            nodes: [{ opType: 'DFT', inputs: ['x', dftLength === undefined ? '' : 'len', 'axis'], outputs: ['y'], attributes: { inverse: inverse ? 1 : 0, onesided: onesided ? 1 : 0 } }],
            inputs: [
              { name: 'x', dtype: 'float32', dims },
              ...(dftLength === undefined ? [] : [{ name: 'len', dtype: 'int64' as const, dims: [] }]),
              { name: 'axis', dtype: 'int64', dims: [] },
            ],
            outputs: [{ name: 'y', dtype: 'float32', dims: dims.map(() => null) }],
          });
          const feeds: Parameters<ModelRunner['run']>[0] = {
            x: { dtype: 'float32', dims, data },
            axis: { dtype: 'int64', dims: [], data: BigInt64Array.of(BigInt(axis)) },
          };
          if (dftLength !== undefined) feeds.len = { dtype: 'int64', dims: [], data: BigInt64Array.of(BigInt(dftLength)) };
          const ort = (await ortOnce(bytes, feeds)).y!;
          const got = await dft({ dtype: 'float32', dims, data }, { axis, inverse, onesided, dftLength });
          expect(got.dims).toEqual(ort.dims);
          const len = dftLength ?? n;
          expectClose(got.data, ort.data as Float32Array, 0, 2e-5 * Math.sqrt(len) * (inverse ? 1 : Math.sqrt(len)) + 1e-5, `dft ${JSON.stringify({ dims, inverse, onesided, dftLength })}`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects unknown layouts and dtypes with E_SHAPE, bad attributes with E_ARG', async () => {
    const x = (dims: number[], dtype = 'float32') => ({ dtype, dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)) }) as never;
    const e1 = await weirError(dft(x([4, 3])));
    expect(e1.code).toBe('E_SHAPE');
    expect(e1.message).toMatch(/\[4, 3\]/);
    expect((await weirError(dft(x([1, 4, 3])))).message).toMatch(/1 \(real\) or 2 \(complex\), got 3/);
    expect((await weirError(dft({ dtype: 'int32', dims: [1, 4, 1], data: new Int32Array(4) }))).code).toBe('E_SHAPE');
    expect((await weirError(dft(x([1, 4, 1]), { axis: 2 }))).code).toBe('E_ARG');
    expect((await weirError(dft(x([1, 4, 2]), { onesided: true }))).code).toBe('E_ARG');
    expect((await weirError(dft(x([1, 4, 1]), { onesided: true, inverse: true }))).message).toMatch(/complex half spectrum/);
    const half = await weirError(dft(x([1, 4, 2]), { onesided: true, inverse: true, dftLength: 10 }));
    expect(half.code).toBe('E_SHAPE');
    expect(half.message).toMatch(/takes 6 bins on axis 1, got 4/);
    expect((await weirError(dft(x([1, 4, 1]), { dftLength: 0 }))).message).toMatch(/dftLength/);
    expect((await weirError(dft({ dtype: 'float32', dims: [1, 4, 1], data: new Float32Array(3) }))).code).toBe('E_LENGTH');
  });
});

describe('prep/stft and spectra', () => {
  it('matches onnxruntime-web STFT on random signals, steps and windows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 100 }),
        fc.boolean(), fc.integer({ min: 1, max: 1000 }),
        async (batch, frameLength, step, extra, withWindow, seed) => {
          const length = frameLength + extra;
          const r = rng(seed);
          const data = Float32Array.from({ length: batch * length }, () => r() * 2 - 1);
          const window = withWindow ? await hannWindow(frameLength) : undefined;
          const inputs = [{ name: 'x', dtype: 'float32' as const, dims: [batch, length, 1] }, { name: 'step', dtype: 'int64' as const, dims: [] }];
          if (window) inputs.push({ name: 'w', dtype: 'float32', dims: [frameLength] });
          else inputs.push({ name: 'len', dtype: 'int64', dims: [] });
          const bytes = buildModel({
            opset: 17,
            nodes: [{ opType: 'STFT', inputs: window ? ['x', 'step', 'w'] : ['x', 'step', '', 'len'], outputs: ['y'], attributes: { onesided: 1 } }],
            inputs,
            outputs: [{ name: 'y', dtype: 'float32', dims: [null, null, null, null] }],
          });
          const feeds: Parameters<ModelRunner['run']>[0] = {
            x: { dtype: 'float32', dims: [batch, length, 1], data },
            step: { dtype: 'int64', dims: [], data: BigInt64Array.of(BigInt(step)) },
          };
          if (window) feeds.w = { dtype: 'float32', dims: [frameLength], data: window as Float32Array };
          else feeds.len = { dtype: 'int64', dims: [], data: BigInt64Array.of(BigInt(frameLength)) };
          const ort = (await ortOnce(bytes, feeds)).y!;
          const got = await stft({ dtype: 'float32', dims: [batch, length, 1], data }, window ? { frameStep: step, window } : { frameStep: step, frameLength });
          expect(got.dims).toEqual(ort.dims);
          expectClose(got.data, ort.data as Float32Array, 0, 2e-5 * frameLength + 1e-5, 'stft');
          const [, want] = stftRef(data, [batch, length, 1], step, frameLength, window, true);
          expectClose(got.data, want, 0, 1e-5, 'stft vs reference');
        },
      ),
      { numRuns: 40 },
    );
  });

  it('complex STFT (onesided false) matches the reference', async () => {
    const r = rng(9);
    const data = Float64Array.from({ length: 2 * 50 * 2 }, () => r() - 0.5);
    const got = await stft({ dtype: 'float64', dims: [2, 50, 2], data }, { frameStep: 7, frameLength: 12, onesided: false });
    const [dims, want] = stftRef(data, [2, 50, 2], 7, 12, undefined, false);
    expect(got.dims).toEqual(dims);
    expectClose(got.data, want, 0, 1e-12, 'complex stft');
    expect((await weirError(stft({ dtype: 'float64', dims: [2, 50, 2], data }, { frameStep: 7, frameLength: 12 }))).code).toBe('E_ARG');
    expect((await weirError(stft({ dtype: 'float64', dims: [2, 50, 2], data }, { frameStep: 7, frameLength: 60, onesided: false }))).message).toMatch(/shorter/);
  });

  it('spectrum (magnitude, power, complex) and spectrogram match |DFT| of windowed frames', async () => {
    for (const n of [1, 2, 6, 9, 64, 100, 1024]) {
      const r = rng(n);
      const count = 5;
      const data = Float32Array.from({ length: count * n }, () => r() * 2 - 1);
      const window = Float64Array.from({ length: n }, () => r());
      const mag = await spectrum({ dtype: 'float32', dims: [count, n], data }, { window });
      const pow = await spectrum({ dtype: 'float32', dims: [count, n], data }, { window, kind: 'power' });
      const cpx = await spectrum({ dtype: 'float32', dims: [count, n], data }, { window, kind: 'complex' });
      const bins = Math.floor(n / 2) + 1;
      expect(mag.dims).toEqual([count, bins]);
      expect(cpx.dims).toEqual([count, bins, 2]);
      const wantMag: number[] = [];
      const wantPow: number[] = [];
      const wantCpx: number[] = [];
      for (let f = 0; f < count; f++) {
        const re = Array.from({ length: n }, (_, j) => data[f * n + j]! * window[j]!);
        const [yr, yi] = directDft(re, new Array(n).fill(0));
        for (let k = 0; k < bins; k++) {
          wantPow.push(yr[k]! ** 2 + yi[k]! ** 2);
          wantMag.push(Math.hypot(yr[k]!, yi[k]!));
          wantCpx.push(yr[k]!, yi[k]!);
        }
      }
      expectClose(mag.data, wantMag, 1e-6, 1e-5, `magnitude n=${n}`);
      expectClose(pow.data, wantPow, 1e-6, 1e-5, `power n=${n}`);
      expectClose(cpx.data, wantCpx, 1e-6, 1e-5, `complex n=${n}`);
      expectClose((await complexMagnitude(cpx)).data, mag.data, 1e-6, 1e-6, 'complexMagnitude');
    }
    const r = rng(1);
    const x = Float32Array.from({ length: 5000 }, () => r() - 0.5);
    const w = await hannWindow(256);
    const sg = await spectrogram(x, { size: 256, hop: 100, window: w, kind: 'power' });
    const fr = await frame(x, { size: 256, hop: 100 });
    const sp = await spectrum(fr, { window: w, kind: 'power' });
    expect(sg.dims).toEqual(sp.dims);
    expect(Array.from(sg.data)).toEqual(Array.from(sp.data));
  });

  it('gives the same spectra however many frames go through wasm per call', async () => {
    // 2048 frames go per kernel call: 5000 frames cross two chunk boundaries.
    const r = rng(2);
    const n = 64;
    const count = 5000;
    const data = Float32Array.from({ length: count * n }, () => r() - 0.5);
    const all = await spectrum({ dtype: 'float32', dims: [count, n], data });
    const tail = await spectrum({ dtype: 'float32', dims: [count - 2047, n], data: data.subarray(2047 * n) });
    expect(Array.from(all.data.subarray(2047 * (n / 2 + 1)))).toEqual(Array.from(tail.data));
  });

  it('band energies sum power bins by frequency and check the spectrum size', async () => {
    const r = rng(4);
    const fftLength = 16;
    const bins = 9;
    const data = Float64Array.from({ length: 3 * bins }, () => r());
    const got = await bandEnergies({ dtype: 'float64', dims: [3, bins], data }, { edges: [0, 1000, 2500, 4000], sampleRate: 8000, fftLength });
    // bin k is at k * 500 Hz: [0,1000) = bins 0,1; [1000,2500) = 2..4; [2500,4000) = 5..7
    const want: number[] = [];
    for (let f = 0; f < 3; f++) {
      const row = data.subarray(f * bins, (f + 1) * bins);
      want.push(row[0]! + row[1]!, row[2]! + row[3]! + row[4]!, row[5]! + row[6]! + row[7]!);
    }
    expectClose(got.data, want, 1e-15, 0, 'bands');
    const e = await weirError(bandEnergies({ dtype: 'float64', dims: [3, 8], data: new Float64Array(24) }, { edges: [0, 1], sampleRate: 8000, fftLength }));
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toMatch(/\[frames, 9\].*\[3, 8\]/);
    expect((await weirError(bandEnergies({ dtype: 'float64', dims: [3, bins], data }, { edges: [10, 5], sampleRate: 8000, fftLength }))).code).toBe('E_ARG');
  });
});
