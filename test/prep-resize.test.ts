import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resize, RESIZE_DEFAULTS } from '../dist/prep/index.js';
import type { Tensor } from '../dist/prep/index.js';
import { WeirError } from '../dist/index.js';
import { originalCoordinate, referenceAreaResize, referenceResize, referenceResizeShape, type RefResizeOptions } from './reference/resize.js';
import { buildModel, openModel } from './helpers/onnx-model.js';

// Deterministic by default; PREP_SEED explores other cases.
const SEED = Number(process.env.PREP_SEED ?? 20240607);

function f32(dims: number[], values: ArrayLike<number>): Tensor<'float32'> {
  return { dtype: 'float32', dims, data: Float32Array.from(values) };
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Element-wise closeness with an absolute tolerance scaled to the data; exact for nearest. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    if (!(d <= tol)) throw new Error(`${label}: element ${i}: got ${actual[i]}, expected ${expected[i]} (|diff| ${d} > ${tol})`);
  }
}

/**
 * Output indices, per axis, whose x_original lies within 4 float32 ulps of a rounding tie (k + 0.5).
 * onnxruntime's wasm build resolves a few of those differently from the spec's formulas evaluated
 * in float32 (it lands on the mathematically exact tie where float32 gives x.4999990), so nearest
 * outputs there may take either neighbour; everywhere else they must be identical.
 */
function nearTieMask(dims: number[], o: RefResizeOptions): (flat: number) => boolean {
  const { outDims, axes } = referenceResizeShape(dims, o);
  const ctm = o.coordinate_transformation_mode ?? 'half_pixel';
  const ties = axes.map((a, axis) => {
    const set = new Set<number>();
    if (a.outLen === dims[axis] && a.scale === 1) return set;
    for (let x = 0; x < a.outLen; x++) {
      const xo = originalCoordinate(ctm, x, dims[axis]!, a);
      const ulp = Math.max(Math.abs(xo), 1) * 2 ** -23;
      if (Math.abs(xo - Math.floor(xo) - 0.5) <= 4 * ulp) set.add(x);
    }
    return set;
  });
  return (flat) => {
    let rem = flat;
    for (let a = outDims.length - 1; a >= 0; a--) {
      if (ties[a]!.has(rem % outDims[a]!)) return true;
      rem = Math.floor(rem / outDims[a]!);
    }
    return false;
  };
}

function expectNearestEqual(actual: ArrayLike<number>, expected: ArrayLike<number>, tie: (i: number) => boolean, label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i] && !tie(i)) throw new Error(`${label}: element ${i}: got ${actual[i]}, expected ${expected[i]}`);
  }
}

const ctms = ['half_pixel', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_crop_and_resize'] as const;
const nearestModes = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'] as const;

interface Case {
  dims: number[];
  values: number[];
  opts: RefResizeOptions;
}

/** Small random tensors and attribute combinations (input <= 72 elements, output kept small). */
const caseArb: fc.Arbitrary<Case> = fc
  .integer({ min: 1, max: 4 })
  .chain((rank) => fc.array(fc.integer({ min: 1, max: rank >= 3 ? 4 : 7 }), { minLength: rank, maxLength: rank }))
  .chain((dims) => {
    const rank = dims.length;
    const n = dims.reduce((p, q) => p * q, 1);
    const axesArb = fc.oneof(
      fc.constant(undefined),
      fc.shuffledSubarray(dims.map((_, i) => i), { minLength: 1 }).chain((ax) =>
        fc.array(fc.boolean(), { minLength: ax.length, maxLength: ax.length }).map((neg) => ax.map((a, i) => (neg[i] ? a - rank : a)))),
    );
    return fc.record({
      dims: fc.constant(dims),
      values: fc.array(fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n }),
      mode: fc.constantFrom('nearest', 'linear', 'cubic') as fc.Arbitrary<'nearest' | 'linear' | 'cubic'>,
      ctm: fc.constantFrom(...ctms),
      nearest: fc.constantFrom(...nearestModes),
      antialias: fc.integer({ min: 0, max: 1 }),
      exclude: fc.integer({ min: 0, max: 1 }),
      a: fc.constantFrom(-0.75, -0.5, -0.6),
      extrap: fc.constantFrom(0, -1, 7.5),
      axes: axesArb,
      useSizes: fc.boolean(),
      policy: fc.constantFrom('stretch', 'not_larger', 'not_smaller'),
      scaleSeeds: fc.array(fc.constantFrom(0.25, 0.4, 0.5, 0.6, 0.75, 0.8, 1, 1.25, 1.5, 1.7, 2, 2.5, 3), { minLength: rank, maxLength: rank }),
      sizeSeeds: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: rank, maxLength: rank }),
      roiSeeds: fc.array(fc.tuple(fc.double({ min: -0.3, max: 0.5, noNaN: true }), fc.double({ min: 0.5, max: 1.3, noNaN: true })), { minLength: rank, maxLength: rank }),
    });
  })
  .map((c) => {
    const rank = c.dims.length;
    const axes = c.axes ?? c.dims.map((_, i) => i);
    const norm = axes.map((a) => (a < 0 ? a + rank : a));
    const opts: RefResizeOptions = {
      mode: c.mode,
      coordinate_transformation_mode: c.ctm,
      cubic_coeff_a: c.a,
      extrapolation_value: c.extrap,
      axes: c.axes,
    };
    if (c.mode === 'nearest') opts.nearest_mode = c.nearest;
    else {
      opts.antialias = c.antialias;
      opts.exclude_outside = c.exclude;
    }
    if (c.useSizes) {
      opts.sizes = norm.map((a) => c.sizeSeeds[a]!);
      opts.keep_aspect_ratio_policy = c.policy;
    } else opts.scales = norm.map((a) => c.scaleSeeds[a]!);
    if (c.ctm === 'tf_crop_and_resize') opts.roi = [...norm.map((a) => c.roiSeeds[a]![0]), ...norm.map((a) => c.roiSeeds[a]![1])];
    return { dims: c.dims, values: c.values, opts };
  });

function referenceShape(dims: number[], o: RefResizeOptions): number[] {
  return referenceResizeShape(dims, o).outDims;
}

/** Keeps the O(output × input) reference fast. */
function outputSize(c: Case): number {
  return referenceShape(c.dims, c.opts).reduce((p, q) => p * q, 1);
}

describe('prep/resize vs the plain-TS reference (ONNX Resize-19 transcription)', () => {
  it('matches on random shapes and attribute combinations (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb.filter((c) => outputSize(c) <= 400), async (c) => {
        const got = await resize(f32(c.dims, c.values), c.opts as never);
        const want = referenceResize(Float32Array.from(c.values), c.dims, c.opts);
        expect(got.dims).toEqual(want.dims);
        const tol = c.opts.mode === 'nearest' ? 0 : 2e-5 * (1 + maxAbs(c.values)) * (c.opts.mode === 'cubic' ? 4 : 1);
        expectClose(got.data, want.data, tol, JSON.stringify(c.opts));
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('uint8: rounds the float result to nearest and saturates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }),
        fc.constantFrom('nearest', 'linear', 'cubic'), fc.integer({ min: 0, max: 1 }), fc.nat(),
        async (h, w, oh, ow, mode, aa, seed) => {
          const data = Uint8Array.from({ length: h * w }, (_, i) => (seed * 31 + i * 97) % 256);
          const opts = { mode, sizes: [oh, ow], antialias: mode === 'nearest' ? 0 : aa } as RefResizeOptions;
          const got = await resize({ dtype: 'uint8', dims: [h, w], data }, opts as never);
          const want = referenceResize(data, [h, w], opts);
          expect(got.dtype).toBe('uint8');
          for (let i = 0; i < want.data.length; i++) {
            const v = want.data[i]!;
            const r = Math.min(255, Math.max(0, Math.floor(v + 0.5)));
            // A float32 sum can land on the other side of a .5 boundary than the float64 reference.
            if (Math.abs(v - Math.floor(v) - 0.5) > 1e-3) expect(got.data[i], `element ${i} of ${want.data[i]}`).toBe(r);
            else expect(Math.abs(got.data[i]! - r)).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 60, seed: SEED },
    );
  });

  it('area: averages each output pixel footprint', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.nat(),
        async (h, w, oh, ow, seed) => {
          const values = Array.from({ length: 2 * h * w }, (_, i) => ((seed + i * 37) % 101) / 10 - 5);
          const got = await resize(f32([2, h, w], values), { mode: 'area', axes: [1, 2], sizes: [oh, ow] });
          const want = referenceAreaResize(Float32Array.from(values), [2, h, w], { axes: [1, 2], sizes: [oh, ow] });
          expect(got.dims).toEqual([2, oh, ow]);
          expectClose(got.data, want.data, 1e-5, `area ${h}x${w} -> ${oh}x${ow}`);
        },
      ),
      { numRuns: 80, seed: SEED },
    );
  });
});

describe('prep/resize edge cases', () => {
  it('a downscale by an integer factor with area is the block mean', async () => {
    const x = f32([1, 4, 4], Array.from({ length: 16 }, (_, i) => i));
    const y = await resize(x, { mode: 'area', axes: [1, 2], scales: [0.5, 0.5] });
    expect(Array.from(y.data)).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  it('identity sizes return an equal copy, not the input array', async () => {
    const x = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    const y = await resize(x, { mode: 'linear', sizes: [2, 3] });
    expect(Array.from(y.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(y.data).not.toBe(x.data);
  });

  it('one element and empty outputs', async () => {
    const one = await resize(f32([1, 1], [3.5]), { mode: 'cubic', sizes: [3, 2] });
    expect(Array.from(one.data)).toEqual(new Array(6).fill(3.5));
    const empty = await resize(f32([2, 2], [1, 2, 3, 4]), { mode: 'linear', scales: [0.4, 1] });
    expect(empty.dims).toEqual([0, 2]);
    expect(empty.data.length).toBe(0);
    const zeroIn = await resize(f32([0, 3], []), { mode: 'linear', scales: [2, 2] });
    expect(zeroIn.dims).toEqual([0, 6]);
  });

  it('NaN stays confined to the outputs whose taps read it', async () => {
    const v = new Array(8).fill(1);
    v[0] = NaN;
    const y = await resize(f32([1, 8], v), { mode: 'linear', scales: [1, 0.5] });
    expect(Number.isNaN(y.data[0])).toBe(true);
    expect(Array.from(y.data.subarray(1))).toEqual([1, 1, 1]);
  });

  it('streams leading axes in slices with results identical to one call', async () => {
    const values = Array.from({ length: 5 * 3 * 9 * 11 }, (_, i) => Math.sin(i) * 100);
    const x = f32([5, 3, 9, 11], values);
    for (const opts of [
      { mode: 'cubic', antialias: 1, sizes: [5, 3, 4, 5] },
      { mode: 'linear', coordinate_transformation_mode: 'tf_crop_and_resize', axes: [2, 3], roi: [0.1, -0.2, 0.8, 1.1], sizes: [6, 7], extrapolation_value: 3 },
    ] as const) {
      const whole = await resize(x, opts);
      const sliced = await resize(x, { ...opts, chunkBytes: 9 * 11 * 4 });
      expect(Buffer.from(sliced.data.buffer).equals(Buffer.from(whole.data.buffer))).toBe(true);
    }
  });

  it('exports the ONNX defaults', () => {
    expect(RESIZE_DEFAULTS.mode).toBe('nearest');
    expect(RESIZE_DEFAULTS.coordinate_transformation_mode).toBe('half_pixel');
    expect(RESIZE_DEFAULTS.cubic_coeff_a).toBe(-0.75);
    expect(Object.isFrozen(RESIZE_DEFAULTS)).toBe(true);
  });

  it('rejects bad input with a WeirError naming what differs', async () => {
    const x = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    const bad: Array<[unknown, unknown, string, RegExp]> = [
      [{ dtype: 'int32', dims: [2], data: new Int32Array(2) }, { sizes: [4] }, 'E_SHAPE', /float32 or uint8, got int32/],
      [{ dtype: 'float32', dims: [2, 3], data: new Float32Array(5) }, { sizes: [4, 4] }, 'E_LENGTH', /need 6 elements, data has 5/],
      [x, {}, 'E_ARG', /exactly one of scales or sizes/],
      [x, { scales: [1, 2], sizes: [2, 6] }, 'E_ARG', /exactly one of scales or sizes \(got both\)/],
      [x, { scales: [2] }, 'E_SHAPE', /scales must have 2 values/],
      [x, { sizes: [2, 6, 1] }, 'E_SHAPE', /sizes must have 2 values/],
      [x, { scales: [1, -2] }, 'E_ARG', /scales must be finite and > 0/],
      [x, { sizes: [2, 2.5] }, 'E_ARG', /sizes must be non-negative integers/],
      [x, { sizes: [4], axes: [2] }, 'E_ARG', /axes must be integers in \[-2, 1\]/],
      [x, { sizes: [4, 4], axes: [1, -1] }, 'E_ARG', /axes must not repeat/],
      [x, { mode: 'bilinear', sizes: [4, 4] }, 'E_ARG', /mode must be one of/],
      [x, { mode: 'nearest', antialias: 1, sizes: [1, 1] }, 'E_ARG', /antialias applies to mode 'linear' and 'cubic'/],
      [x, { mode: 'linear', coordinate_transformation_mode: 'tf_crop_and_resize', roi: [0, 1], sizes: [4, 4] }, 'E_SHAPE', /roi must hold 2 × 2 values/],
      [x, { mode: 'linear', coordinate_transformation_mode: 'tf_half_pixel_for_nn', sizes: [4, 4] }, 'E_ARG', /coordinate_transformation_mode must be one of/],
      [x, { mode: 'area', coordinate_transformation_mode: 'align_corners', sizes: [1, 1] }, 'E_ARG', /'half_pixel' only/],
      [f32([0, 3], []), { sizes: [2, 3] }, 'E_SHAPE', /axis 0 has length 0 and cannot be resized to 2/],
    ];
    for (const [input, opts, code, message] of bad) {
      const err = await resize(input as never, opts as never).then(() => null, (e: unknown) => e);
      expect(err, JSON.stringify(opts)).toBeInstanceOf(WeirError);
      expect((err as WeirError).code, JSON.stringify(opts)).toBe(code);
      expect((err as WeirError).message, JSON.stringify(opts)).toMatch(message);
    }
  });
});

describe('prep/resize vs onnxruntime-web (one-node Resize-19 models)', () => {
  async function ortResize(x: Tensor<'float32' | 'uint8'>, o: RefResizeOptions): Promise<Tensor> {
    const r = x.dims.length;
    const n = (o.axes ?? x.dims).length;
    const initializers = [];
    const inputs = ['X', '', '', ''];
    if (o.roi) {
      initializers.push({ name: 'roi', dtype: 'float32' as const, dims: [2 * n], data: o.roi });
      inputs[1] = 'roi';
    }
    if (o.scales) {
      initializers.push({ name: 'scales', dtype: 'float32' as const, dims: [n], data: o.scales });
      inputs[2] = 'scales';
    } else {
      initializers.push({ name: 'sizes', dtype: 'int64' as const, dims: [n], data: o.sizes! });
      inputs[3] = 'sizes';
    }
    while (inputs[inputs.length - 1] === '') inputs.pop();
    const bytes = buildModel({
      opset: 19,
      nodes: [{
        opType: 'Resize', inputs, outputs: ['Y'],
        attributes: {
          mode: o.mode,
          coordinate_transformation_mode: o.coordinate_transformation_mode,
          nearest_mode: o.nearest_mode,
          cubic_coeff_a: o.cubic_coeff_a === undefined ? undefined : { type: 'float', value: o.cubic_coeff_a },
          exclude_outside: o.exclude_outside,
          extrapolation_value: o.extrapolation_value === undefined ? undefined : { type: 'float', value: o.extrapolation_value },
          antialias: o.antialias,
          keep_aspect_ratio_policy: o.keep_aspect_ratio_policy,
          axes: o.axes === undefined ? undefined : { type: 'ints', value: o.axes },
        },
      }],
      inputs: [{ name: 'X', dtype: x.dtype, dims: x.dims }],
      outputs: [{ name: 'Y', dtype: x.dtype, dims: new Array(r).fill(null) }],
      initializers,
    });
    const runner = await openModel(bytes);
    try {
      return (await runner.run({ X: x })).Y!;
    } finally {
      await runner.release();
    }
  }

  /** NCHW cases inside what onnxruntime's CPU kernels accept, minus its documented departures. */
  const nchwArb = fc.record({
    n: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 9 }), w: fc.integer({ min: 1, max: 9 }),
    mode: fc.constantFrom('nearest', 'linear', 'cubic') as fc.Arbitrary<'nearest' | 'linear' | 'cubic'>,
    ctm: fc.constantFrom(...ctms), nearest: fc.constantFrom(...nearestModes),
    antialias: fc.integer({ min: 0, max: 1 }), exclude: fc.integer({ min: 0, max: 1 }),
    a: fc.constantFrom(-0.75, -0.5), extrap: fc.constantFrom(0, -2.5),
    useAxes: fc.boolean(), useSizes: fc.boolean(), policy: fc.constantFrom('stretch', 'not_larger', 'not_smaller'),
    sh: fc.constantFrom(0.3, 0.5, 0.6, 0.75, 1.25, 1.5, 2, 2.6), sw: fc.constantFrom(0.3, 0.5, 0.6, 0.75, 1.25, 1.5, 2, 2.6),
    oh: fc.integer({ min: 1, max: 12 }), ow: fc.integer({ min: 1, max: 12 }),
    roi: fc.tuple(fc.double({ min: -0.2, max: 0.4, noNaN: true }), fc.double({ min: -0.2, max: 0.4, noNaN: true }), fc.double({ min: 0.6, max: 1.2, noNaN: true }), fc.double({ min: 0.6, max: 1.2, noNaN: true })),
    seed: fc.nat(),
  }).map((c) => {
    const o: RefResizeOptions = { mode: c.mode, coordinate_transformation_mode: c.ctm, cubic_coeff_a: c.a, extrapolation_value: c.extrap };
    if (c.mode === 'nearest') o.nearest_mode = c.nearest;
    else {
      o.antialias = c.antialias;
      // onnxruntime takes exclude_outside with cubic, or with linear when antialiasing.
      o.exclude_outside = c.mode === 'cubic' || c.antialias ? c.exclude : 0;
    }
    // tf_crop_and_resize: onnxruntime sizes the output without the roi when given scales.
    const sizes = c.useSizes || c.ctm === 'tf_crop_and_resize';
    if (c.useAxes) {
      o.axes = [2, 3];
      if (sizes) o.sizes = [c.oh, c.ow];
      else o.scales = [c.sh, c.sw];
      if (c.ctm === 'tf_crop_and_resize') o.roi = [c.roi[0], c.roi[1], c.roi[2], c.roi[3]];
    } else {
      if (sizes) o.sizes = [c.n, c.c, c.oh, c.ow];
      else o.scales = [1, 1, c.sh, c.sw];
      if (c.ctm === 'tf_crop_and_resize') o.roi = [0, 0, c.roi[0], c.roi[1], 1, 1, c.roi[2], c.roi[3]];
    }
    // Over all four axes a policy would rescale N and C too, which onnxruntime's linear and cubic refuse.
    if (sizes && c.useAxes && c.ctm !== 'tf_crop_and_resize') o.keep_aspect_ratio_policy = c.policy;
    const dims = [c.n, c.c, c.h, c.w];
    const values = Array.from({ length: c.n * c.c * c.h * c.w }, (_, i) => Math.sin(c.seed + i * 1.7) * 5);
    return { dims, values, opts: o };
  }).filter(({ dims, opts }) => {
    const out = referenceShape(dims, opts);
    const tf = opts.coordinate_transformation_mode === 'tf_crop_and_resize';
    // onnxruntime copies the input when every output length equals the input length, and on an
    // axis whose scale is exactly 1 it skips the coordinate transform (so ignores the roi); its
    // antialiased kernels test tf_crop_and_resize bounds on x_original + 0.5. The spec is followed here.
    // Its antialiased kernels also copy an axis whose output length equals its input length
    // whatever the scale.
    if (out.every((d, i) => d === dims[i])) return false;
    if (tf && (out[2] === dims[2] || out[3] === dims[3] || opts.antialias)) return false;
    if (opts.antialias && (out[2] === dims[2] || out[3] === dims[3])) return false;
    return out.every((d) => d > 0);
  });

  it('float32 NCHW: matches onnxruntime on random shapes and attributes (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(nchwArb, async ({ dims, values, opts }) => {
        const x = f32(dims, values);
        const [ours, theirs] = [await resize(x, opts as never), await ortResize(x, opts)];
        expect(ours.dims, JSON.stringify(opts)).toEqual(theirs.dims);
        if (opts.mode === 'nearest') expectNearestEqual(ours.data, theirs.data as Float32Array, nearTieMask(dims, opts), JSON.stringify(opts));
        else expectClose(ours.data, theirs.data as Float32Array, 1e-4 * (1 + maxAbs(values)), JSON.stringify(opts));
      }),
      { numRuns: 120, seed: SEED },
    );
  });

  it('uint8 NCHW nearest is identical to onnxruntime; antialiased linear within 1', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 20 }), fc.integer({ min: 2, max: 20 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(...nearestModes), fc.boolean(), fc.nat(),
        async (h, w, oh, ow, nearest, linear, seed) => {
          if (oh === h && ow === w) return;
          const data = Uint8Array.from({ length: 3 * h * w }, (_, i) => (seed * 13 + i * 101) % 256);
          const x: Tensor<'uint8'> = { dtype: 'uint8', dims: [1, 3, h, w], data };
          const o: RefResizeOptions = linear ? { mode: 'linear', antialias: 1, sizes: [1, 3, oh, ow] } : { mode: 'nearest', nearest_mode: nearest, sizes: [1, 3, oh, ow] };
          const [ours, theirs] = [await resize(x, o as never), await ortResize(x, o)];
          expect(ours.dims).toEqual(theirs.dims);
          if (linear) expectClose(ours.data, theirs.data as Uint8Array, 1, JSON.stringify(o));
          else expectNearestEqual(ours.data, theirs.data as Uint8Array, nearTieMask(x.dims, o), JSON.stringify(o));
        },
      ),
      { numRuns: 30, seed: SEED },
    );
  });
});
