import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createImageBuffer, dequantizeLinear, resize, fromFloat16, imageGeometry, imagesToTensor, imageToTensor, IMAGE_DEFAULTS,
  LAYER_NORM_DEFAULTS, layerNormalization, meanVarianceNormalization, quantizeLinear, toFloat16,
} from '../dist/prep/index.js';
import type { Tensor } from '../dist/prep/index.js';
import { WeirError } from '../dist/index.js';
import { referenceF16, referenceF16ToNumber, referenceImageToTensor, referenceQuantize, type RefImage, type RefImageOptions } from './reference/image.js';
import { buildModel, imagePipelineModel, runModel } from './helpers/onnx-model.js';

// Deterministic by default; PREP_SEED explores other cases.
const SEED = Number(process.env.PREP_SEED ?? 20240607);

function pixels(n: number, seed: number): Uint8Array {
  let s = seed >>> 0 || 1;
  return Uint8Array.from({ length: n }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) & 255;
  });
}

const formats = ['rgba', 'rgb', 'gray', 'bgra', 'bgr'] as const;
const CH = { rgba: 4, bgra: 4, rgb: 3, bgr: 3, gray: 1 } as const;

interface ImageCase {
  img: RefImage & { data: Uint8Array };
  opts: RefImageOptions;
}

const imageCaseArb: fc.Arbitrary<ImageCase> = fc.record({
  w: fc.integer({ min: 1, max: 28 }),
  h: fc.integer({ min: 1, max: 28 }),
  format: fc.constantFrom(...formats),
  padBytes: fc.constantFrom(0, 0, 3),
  seed: fc.nat(),
  crop: fc.option(fc.tuple(fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0.3, max: 1, noNaN: true }), fc.double({ min: 0.3, max: 1, noNaN: true })), { nil: undefined }),
  resize: fc.option(fc.record({
    width: fc.integer({ min: 1, max: 16 }),
    height: fc.integer({ min: 1, max: 16 }),
    fit: fc.constantFrom('stretch', 'contain', 'cover'),
    align: fc.constantFrom('center', 'top-left'),
    mode: fc.constantFrom('nearest', 'linear', 'cubic', 'area', undefined),
    antialias: fc.constantFrom(0, 1, undefined),
    ctm: fc.constantFrom('half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'half_pixel_symmetric', 'tf_crop_and_resize'),
  }), { nil: undefined }),
  channels: fc.constantFrom('rgb', 'bgr', 'rgba', 'bgra', 'gray'),
  norm: fc.constantFrom('default', 'imagenet', 'raw'),
  layout: fc.constantFrom('nchw', 'nhwc', 'chw', 'hwc'),
  dtype: fc.constantFrom('float32', 'float32', 'float16', 'uint8', 'int8'),
}).map((c) => {
  const C = CH[c.format];
  const stride = c.w * C + c.padBytes;
  const img = { data: pixels(stride * c.h, c.seed), width: c.w, height: c.h, format: c.format, stride: c.padBytes ? stride : undefined };
  const opts: RefImageOptions = { channels: c.channels as RefImageOptions['channels'], layout: c.layout as RefImageOptions['layout'], dtype: c.dtype as RefImageOptions['dtype'] };
  if (c.crop) {
    const x = Math.floor(c.crop[0] * c.w);
    const y = Math.floor(c.crop[1] * c.h);
    opts.crop = { x, y, width: Math.max(1, Math.floor(c.crop[2] * (c.w - x))), height: Math.max(1, Math.floor(c.crop[3] * (c.h - y))) };
  }
  if (c.resize) {
    const r = c.resize;
    const mode = r.mode as 'nearest' | 'linear' | 'cubic' | undefined;
    // 'area' averages footprints and takes half_pixel alignment only.
    const ctm = r.mode === 'area' ? 'half_pixel' : r.ctm;
    opts.resize = { width: r.width, height: r.height, fit: r.fit, align: r.align, coordinate_transformation_mode: ctm, padValue: 114 };
    if (mode) opts.resize.mode = mode;
    if (mode !== 'nearest' && r.mode !== 'area' && r.antialias !== undefined) opts.resize.antialias = r.antialias;
    if (ctm === 'tf_crop_and_resize') {
      opts.resize.roi = [0.1, -0.1, 0.9, 1.2];
      opts.resize.extrapolation_value = 7;
    }
  }
  const outC = c.channels === 'gray' ? 1 : c.channels.length;
  if (c.norm === 'imagenet' && outC === 3) {
    opts.mean = [0.485, 0.456, 0.406];
    opts.std = [0.229, 0.224, 0.225];
  } else if (c.norm === 'raw') opts.scale = 1;
  if (c.dtype === 'uint8' || c.dtype === 'int8') opts.quantize = { scale: c.norm === 'raw' ? 2 : 0.02, zeroPoint: c.dtype === 'uint8' ? 10 : -3 };
  return { img, opts };
});

function compareToReference(got: Tensor, want: ReturnType<typeof referenceImageToTensor>, o: RefImageOptions, label: string): void {
  expect(got.dims, label).toEqual(want.dims);
  const dtype = o.dtype ?? 'float32';
  expect(got.dtype, label).toBe(dtype);
  const scale = Math.abs(o.scale ?? 1 / 255) * 255;
  const minStd = Math.min(...(Array.isArray(o.std) ? o.std : [o.std ?? 1]).map(Math.abs));
  const tol = 2e-5 * (1 + scale / minStd + (o.resize?.extrapolation_value ?? 0));
  for (let i = 0; i < want.data.length; i++) {
    const g = Number(got.data[i]!);
    const v = want.values[i]!;
    if (dtype === 'float32') {
      if (!(Math.abs(g - v) <= tol)) throw new Error(`${label}: element ${i}: got ${g}, expected ${v}`);
    } else if (dtype === 'float16') {
      // Equal bits, or a neighbour when the exact value sits within tolerance of a rounding boundary.
      const gv = referenceF16ToNumber(g);
      if (g !== want.data[i] && !(Math.abs(gv - v) <= Math.abs(v) * 2 ** -10 + tol)) throw new Error(`${label}: element ${i}: got f16 ${gv}, expected ${v}`);
    } else {
      const q = o.quantize!;
      const exact = want.data[i]!;
      if (g !== exact) {
        // Only where y/scale is within tolerance of a .5 boundary may float32 round the other way.
        const t = v / q.scale;
        if (!(Math.abs(t - Math.floor(t) - 0.5) <= tol / q.scale + 1e-6 && Math.abs(g - exact) === 1)) throw new Error(`${label}: element ${i}: got ${g}, expected ${exact} (y ${v})`);
      }
    }
  }
}

describe('prep/imageToTensor vs the plain-TS reference', () => {
  it('matches on random images, crops, fits, resize attributes, channels, layouts and dtypes (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(imageCaseArb, async ({ img, opts }) => {
        const got = await imageToTensor(img, opts as never).catch((e: unknown) => e);
        if (got instanceof WeirError) {
          // A letterbox/cover of an extreme aspect ratio can round one side to 0 pixels (ONNX's
          // keep_aspect_ratio_policy arithmetic); that is refused, and only that.
          expect(got.message).toMatch(/resize gives an empty/);
          const c = opts.crop ?? { width: img.width, height: img.height };
          const { width, height, fit } = opts.resize!;
          const s = (fit === 'contain' ? Math.min : Math.max)(Math.fround(height / c.height), Math.fround(width / c.width));
          expect(Math.min(Math.floor(Math.fround(s * c.height) + 0.5), Math.floor(Math.fround(s * c.width) + 0.5))).toBe(0);
          return;
        }
        const want = referenceImageToTensor(img, opts);
        compareToReference(got as Tensor, want, opts, JSON.stringify({ w: img.width, h: img.height, f: img.format, s: img.stride, ...opts }));
      }),
      { numRuns: 150, seed: SEED },
    );
  });

  it('chunked row streaming and an in-wasm ImageBuffer give bit-identical results', async () => {
    const w = 61;
    const h = 47;
    const data = pixels(w * h * 4, 7);
    for (const resize of [
      { width: 13, height: 11 },
      { width: 20, height: 30, mode: 'linear' as const, antialias: 0 },
      { width: 9, height: 9, fit: 'contain' as const, mode: 'cubic' as const, padValue: 114 },
      { width: 64, height: 50, fit: 'cover' as const },
    ]) {
      const opts = { resize, crop: { x: 3, y: 2, width: 55, height: 44 }, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
      const whole = await imageToTensor({ data, width: w, height: h }, opts);
      for (const rowsPerChunk of [1, 2, 5]) {
        const chunked = await imageToTensor({ data, width: w, height: h }, { ...opts, rowsPerChunk });
        expect(Buffer.from(chunked.data.buffer).equals(Buffer.from(whole.data.buffer)), `rowsPerChunk ${rowsPerChunk}`).toBe(true);
      }
      const buf = await createImageBuffer(w, h, 'rgba');
      buf.data.set(data);
      const inPlace = await imageToTensor(buf, opts);
      buf.dispose();
      expect(Buffer.from(inPlace.data.buffer).equals(Buffer.from(whole.data.buffer))).toBe(true);
    }
  });

  it('large antialiased downscales (segment-sum kernel) equal Resize on float planes', async () => {
    for (const [w, h, ow, oh, format, crop] of [
      [640, 360, 97, 61, 'rgba', undefined],
      [301, 203, 37, 23, 'bgr', { x: 5, y: 3, width: 290, height: 190 }],
      [1920, 1080, 224, 224, 'rgba', undefined],
    ] as const) {
      const C = CH[format];
      const data = pixels(w * h * C, w + h);
      const c = crop ?? { x: 0, y: 0, width: w, height: h };
      const got = await imageToTensor({ data, width: w, height: h, format }, { crop: c, resize: { width: ow, height: oh }, scale: 1 });
      const lane = format === 'bgr' ? [2, 1, 0] : [0, 1, 2];
      const planes = new Float32Array(3 * c.width * c.height);
      for (let y = 0; y < c.height; y++) {
        for (let x = 0; x < c.width; x++) {
          for (let k = 0; k < 3; k++) planes[(k * c.height + y) * c.width + x] = data[((c.y + y) * w + c.x + x) * C + lane[k]!]!;
        }
      }
      const want = await resize({ dtype: 'float32', dims: [3, c.height, c.width], data: planes }, { axes: [1, 2], sizes: [oh, ow], mode: 'linear', antialias: 1 });
      let worst = 0;
      for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs((got.data[i] as number) - want.data[i]!));
      expect(worst, `${w}x${h} ${format} -> ${ow}x${oh}`).toBeLessThan(2e-4);
    }
  });

  it('sees an option changed in place between calls (plans are cached by value, not identity)', async () => {
    const img = { data: pixels(40 * 30 * 4, 9), width: 40, height: 30 };
    const opts = { resize: { width: 8, height: 6 }, mean: [0.1, 0.2, 0.3], std: [1, 1, 1] };
    const a = await imageToTensor(img, opts);
    opts.resize.width = 10;
    const b = await imageToTensor(img, opts);
    expect(b.dims).toEqual([1, 3, 6, 10]);
    opts.mean[0] = 0.5;
    const c = await imageToTensor(img, opts);
    expect(c.data[0]).toBeCloseTo((b.data[0] as number) - 0.4, 5);
    opts.resize.width = 8;
    opts.mean[0] = 0.1;
    const d = await imageToTensor(img, opts);
    expect(Array.from(d.data)).toEqual(Array.from(a.data));
    const e = await imageToTensor({ ...img, width: 20, height: 60 }, opts);
    expect(Array.from(e.data)).not.toEqual(Array.from(a.data));
  });

  it('writes into a given tensor when asked, and checks it first', async () => {
    const img = { data: pixels(20 * 10 * 4, 5), width: 20, height: 10 };
    const opts = { resize: { width: 8, height: 4 }, dtype: 'float16' as const };
    const fresh = await imageToTensor(img, opts);
    const into = { dtype: 'float16' as const, dims: [1, 3, 4, 8], data: new Uint16Array(96) };
    const got = await imageToTensor(img, { ...opts, into });
    expect(got).toBe(into);
    expect(Array.from(into.data)).toEqual(Array.from(fresh.data));
    await expect(imageToTensor(img, { ...opts, into: { dtype: 'float16', dims: [1, 3, 8, 4], data: new Uint16Array(96) } })).rejects.toMatchObject({
      code: 'E_SHAPE', message: expect.stringMatching(/into has dims \[1, 3, 8, 4\], the output is \[1, 3, 4, 8\]/),
    });
    await expect(imageToTensor(img, { ...opts, into: { dtype: 'float32', dims: [1, 3, 4, 8], data: new Float32Array(96) } })).rejects.toMatchObject({ code: 'E_ARG' });
  });

  it('takes ImageData-shaped input (Uint8ClampedArray RGBA)', async () => {
    const data = new Uint8ClampedArray(pixels(4 * 4 * 4, 3));
    const t = await imageToTensor({ data, width: 4, height: 4 }, { scale: 1 });
    expect(t.dims).toEqual([1, 3, 4, 4]);
    expect(t.data[0]).toBe(data[0]);
    expect(t.data[16]).toBe(data[1]);
    expect(t.data[32 + 5]).toBe(data[5 * 4 + 2]);
  });

  it('batches images into NCHW equal to the single-image tensors', async () => {
    const a = { data: pixels(30 * 20 * 4, 1), width: 30, height: 20 };
    const b = { data: pixels(17 * 33 * 3, 2), width: 17, height: 33, format: 'rgb' as const };
    const opts = { resize: { width: 8, height: 6, fit: 'contain' as const } };
    const batch = await imagesToTensor([a, b], opts);
    const [ta, tb] = [await imageToTensor(a, opts), await imageToTensor(b, opts)];
    expect(batch.dims).toEqual([2, 3, 6, 8]);
    expect(Array.from(batch.data)).toEqual([...Array.from(ta.data), ...Array.from(tb.data)]);
  });

  it('known values: antialiased 2x downscale is the 2x2 mean; gray uses BT.601 weights', async () => {
    const data = Uint8Array.from([10, 20, 30, 50, 70, 90]); // 1 row of 2 rgb pixels... as 2x1
    const two = await imageToTensor({ data: Uint8Array.from([0, 100, 50, 150]), width: 2, height: 2, format: 'gray' }, { resize: { width: 1, height: 1 }, scale: 1, channels: 'gray' });
    expect(Array.from(two.data)).toEqual([75]);
    const gray = await imageToTensor({ data, width: 2, height: 1, format: 'rgb' }, { channels: 'gray', scale: 1 });
    expect(gray.data[0]).toBeCloseTo(0.299 * 10 + 0.587 * 20 + 0.114 * 30, 4);
    expect(gray.data[1]).toBeCloseTo(0.299 * 50 + 0.587 * 70 + 0.114 * 90, 4);
  });

  it('letterbox geometry maps back to source pixels', () => {
    const g = imageGeometry({ width: 1920, height: 1080 }, { resize: { width: 640, height: 640, fit: 'contain' } });
    expect(g).toMatchObject({ resizedWidth: 640, resizedHeight: 360, offsetX: 0, offsetY: 140, width: 640, height: 640 });
    expect(g.scaleX).toBeCloseTo(1 / 3, 6);
    const c = imageGeometry({ width: 1920, height: 1080 }, { resize: { width: 224, height: 224, fit: 'cover' } });
    expect(c).toMatchObject({ resizedHeight: 224, resizedWidth: 398, offsetX: -87, offsetY: 0 });
    expect(IMAGE_DEFAULTS.mode).toBe('linear');
    expect(IMAGE_DEFAULTS.antialias).toBe(1);
  });

  it('rejects bad images and options with a WeirError naming expected vs given', async () => {
    const ok = { data: new Uint8Array(4 * 3 * 4), width: 4, height: 3 };
    const cases: Array<[unknown, unknown, string, RegExp]> = [
      [{ data: new Uint8Array(10), width: 4, height: 3 }, {}, 'E_SHAPE', /10 bytes for 4 × 3 pixels is 0.833 bytes per pixel; expected 1 \(gray\), 3 \(rgb\) or 4 \(rgba\)/],
      [{ data: new Uint8Array(40), width: 4, height: 3, format: 'rgba' }, {}, 'E_LENGTH', /a 4 × 3 rgba image needs 48 bytes, data has 40/],
      [{ data: new Uint8Array(48), width: 4, height: 3, format: 'rgba', stride: 12 }, {}, 'E_SHAPE', /stride must be an integer >= width × channels = 16, got 12/],
      [{ data: new Float32Array(48), width: 4, height: 3 }, {}, 'E_ARG', /data must be a Uint8Array or Uint8ClampedArray, got Float32Array/],
      [{ data: new Uint8Array(48), width: 0, height: 3 }, {}, 'E_ARG', /width must be an integer >= 1, got 0/],
      [{ data: new Uint8Array(48), width: 4, height: 3, format: 'yuv' }, {}, 'E_ARG', /format must be one of/],
      [ok, { crop: { x: 2, y: 0, width: 3, height: 1 } }, 'E_SHAPE', /crop x 2 \+ width 3, y 0 \+ height 1 must fit in the 4 × 3 image/],
      [ok, { layout: 'nchwc' }, 'E_ARG', /layout must be one of 'nchw', 'nhwc', 'chw', 'hwc'/],
      [ok, { dtype: 'int32' }, 'E_ARG', /dtype must be one of 'float32', 'float16', 'uint8', 'int8'/],
      [ok, { mean: [0.5, 0.5] }, 'E_SHAPE', /mean must be a finite number or 3 of them \(one per output channel\)/],
      [ok, { std: 0 }, 'E_ARG', /std must not be 0/],
      [ok, { resize: { width: 0, height: 4 } }, 'E_ARG', /resize.width must be an integer >= 1, got 0/],
      [ok, { resize: { width: 4, height: 4, mode: 'nearest', antialias: 1 } }, 'E_ARG', /antialias applies to mode 'linear' and 'cubic'/],
      [ok, { dtype: 'float16', quantize: { scale: 1 } }, 'E_ARG', /quantize applies to dtype 'uint8' or 'int8'/],
      [ok, { dtype: 'uint8', quantize: { scale: 1, zeroPoint: 300 } }, 'E_ARG', /zeroPoint must be integers in \[0, 255\]/],
    ];
    for (const [img, opts, code, message] of cases) {
      const err = await imageToTensor(img as never, opts as never).then(() => null, (e: unknown) => e);
      expect(err, JSON.stringify(opts)).toBeInstanceOf(WeirError);
      expect((err as WeirError).code, String(message)).toBe(code);
      expect((err as WeirError).message, String(message)).toMatch(message);
    }
    const mismatch = await imagesToTensor([ok, { data: new Uint8Array(5 * 3 * 4), width: 5, height: 3 }]).then(() => null, (e: unknown) => e);
    expect((mismatch as WeirError).code).toBe('E_SHAPE');
    expect((mismatch as WeirError).message).toMatch(/images\[1\] gives 5 × 3, images\[0\] gives 4 × 3/);
    const buf = await createImageBuffer(2, 2);
    buf.dispose();
    buf.dispose();
    await expect(imageToTensor(buf)).rejects.toMatchObject({ code: 'E_STATE' });
  });
});

describe('prep/imageToTensor vs onnxruntime-web running the same preprocessing as graph ops', () => {
  it('RGBA uint8 -> Cast, Slice, Transpose, Resize (linear, antialias), Sub, Div matches (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 40 }), fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }),
        fc.constantFrom(0, 1), fc.constantFrom('linear', 'cubic'), fc.nat(),
        async (w, h, ow, oh, aa, mode, seed) => {
          if ((ow === w || oh === h) && aa) return; // onnxruntime's antialiased kernels copy equal-length axes
          if (ow === w && oh === h) return;
          const data = pixels(w * h * 4, seed);
          const mean = [0.485, 0.456, 0.406];
          const std = [0.229, 0.224, 0.225];
          const ours = await imageToTensor({ data, width: w, height: h }, { resize: { width: ow, height: oh, mode, antialias: aa }, mean, std });
          const bytes = imagePipelineModel({ h, w, oh, ow, mode, antialias: aa, mean, std });
          const theirs = (await runModel(bytes, { img: { dtype: 'uint8', dims: [1, h, w, 4], data } })).y!;
          expect(ours.dims).toEqual(theirs.dims);
          const t = theirs.data as Float32Array;
          for (let i = 0; i < t.length; i++) {
            if (!(Math.abs(ours.data[i]! as number - t[i]!) <= 2e-4)) throw new Error(`${w}x${h}->${ow}x${oh} ${mode} aa=${aa}: element ${i}: ${ours.data[i]} vs ${t[i]}`);
          }
        },
      ),
      { numRuns: 25, seed: SEED },
    );
  });
});

describe('prep/quantizeLinear, dequantizeLinear, float16', () => {
  it('quantizeLinear matches the reference and onnxruntime QuantizeLinear (per tensor and per axis)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 }),
        fc.constantFrom('uint8', 'int8'), fc.boolean(), fc.nat(),
        async (n, c, inner, dtype, perAxis, seed) => {
          const dims = [n, c, inner];
          const len = n * c * inner;
          const rnd = pixels(len * 2, seed);
          // Values on and near rounding ties, out of range, and NaN-free.
          const x = Float32Array.from({ length: len }, (_, i) => ((rnd[2 * i]! - 128) * 3 + (rnd[2 * i + 1]! % 4) * 0.25) / 2);
          const scales = perAxis ? Array.from({ length: c }, (_, i) => [0.5, 1, 0.25, 2, 0.75][i % 5]!) : [0.5];
          const zps = perAxis ? Array.from({ length: c }, (_, i) => (dtype === 'uint8' ? 100 + i : -5 + i)) : [dtype === 'uint8' ? 128 : 3];
          const opts = perAxis ? { scale: scales, zeroPoint: zps, axis: 1, dtype } : { scale: scales[0]!, zeroPoint: zps[0]!, dtype };
          const ours = await quantizeLinear({ dtype: 'float32', dims, data: x }, opts as never);
          for (let i = 0; i < len; i++) {
            const a = perAxis ? Math.floor(i / inner) % c : 0;
            expect(ours.data[i], `element ${i}`).toBe(referenceQuantize(x[i]!, scales[a]!, zps[a]!, dtype === 'int8'));
          }
          const bytes = buildModel({
            nodes: [{ opType: 'QuantizeLinear', inputs: ['x', 's', 'z'], outputs: ['y'], attributes: { axis: 1 } }],
            inputs: [{ name: 'x', dtype: 'float32', dims }],
            outputs: [{ name: 'y', dtype, dims }],
            initializers: [
              { name: 's', dtype: 'float32', dims: perAxis ? [c] : [], data: scales },
              { name: 'z', dtype, dims: perAxis ? [c] : [], data: zps },
            ],
          });
          const theirs = (await runModel(bytes, { x: { dtype: 'float32', dims, data: x } })).y!;
          expect(Array.from(ours.data)).toEqual(Array.from(theirs.data as Uint8Array));
          const back = await dequantizeLinear(ours as never, opts as never);
          for (let i = 0; i < len; i++) {
            const a = perAxis ? Math.floor(i / inner) % c : 0;
            expect(back.data[i]).toBe(Math.fround((Number(ours.data[i]) - zps[a]!) * scales[a]!));
          }
        },
      ),
      { numRuns: 25, seed: SEED },
    );
  });

  it('float16 round-trips and matches IEEE rounding (normals, subnormals, ties, overflow, NaN)', async () => {
    const specials = [0, -0, 1, -1, 65504, 65519.996, 65520, 1e6, -1e6, 2 ** -14, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 2 ** -26, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 0.1, 1 / 3, Infinity, -Infinity, NaN];
    const random = Array.from(pixels(4000, 11), (b, i) => (b - 128) * 2 ** ((i % 40) - 24) * 1.37);
    const x = Float32Array.from([...specials, ...random]);
    const h = await toFloat16({ dtype: 'float32', dims: [x.length], data: x });
    for (let i = 0; i < x.length; i++) expect(h.data[i], `f16(${x[i]})`).toBe(referenceF16(x[i]!));
    const back = await fromFloat16(h);
    for (let i = 0; i < x.length; i++) {
      const v = referenceF16ToNumber(h.data[i]!);
      if (Number.isNaN(v)) expect(Number.isNaN(back.data[i])).toBe(true);
      else expect(back.data[i]).toBe(v);
    }
  });

  it('rejects bad quantization parameters', async () => {
    const x = { dtype: 'float32' as const, dims: [2, 3], data: new Float32Array(6) };
    await expect(quantizeLinear(x, { scale: 0 })).rejects.toMatchObject({ code: 'E_ARG', message: expect.stringMatching(/scale must be a finite number > 0/) });
    await expect(quantizeLinear(x, { scale: [1, 2], axis: 1 })).rejects.toMatchObject({ code: 'E_SHAPE', message: expect.stringMatching(/per-axis scale needs dims\[1\] = 3 values, got 2/) });
    await expect(quantizeLinear(x, { scale: 1, zeroPoint: -1 })).rejects.toMatchObject({ code: 'E_ARG' });
    await expect(quantizeLinear(x, { scale: 1, dtype: 'int16' as never })).rejects.toMatchObject({ code: 'E_ARG' });
    await expect(toFloat16({ dtype: 'uint8', dims: [1], data: new Uint8Array(1) } as never)).rejects.toMatchObject({ code: 'E_SHAPE' });
  });
});

/** Plain-TS LayerNormalization: the ONNX function body, in float64. */
function refLayerNorm(x: Float32Array, dims: number[], axis: number, scale: Float32Array, bias: Float32Array | null, eps: number) {
  const n = dims.slice(axis).reduce((p, q) => p * q, 1);
  const groups = x.length / n;
  const y = new Float64Array(x.length);
  const mean = new Float64Array(groups);
  const inv = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    const row = Array.from(x.subarray(g * n, (g + 1) * n));
    const m = row.reduce((p, q) => p + q, 0) / n;
    const v = row.reduce((p, q) => p + (q - m) ** 2, 0) / n;
    mean[g] = m;
    inv[g] = 1 / Math.sqrt(v + eps);
    row.forEach((q, i) => { y[g * n + i] = (q - m) * inv[g]! * scale[i]! + (bias ? bias[i]! : 0); });
  }
  return { y, mean, inv };
}

/** Plain-TS MeanVarianceNormalization over `axes` by brute-force grouping. */
function refMvn(x: Float32Array, dims: number[], axes: number[]): Float64Array {
  const r = dims.length;
  const ax = new Set(axes.map((a) => (a < 0 ? a + r : a)));
  const key = (i: number): string => {
    const coord: number[] = [];
    let rem = i;
    for (let a = r - 1; a >= 0; a--) { coord.unshift(rem % dims[a]!); rem = Math.floor(rem / dims[a]!); }
    return coord.filter((_, a) => !ax.has(a)).join(',');
  };
  const groups = new Map<string, number[]>();
  for (let i = 0; i < x.length; i++) { const k = key(i); (groups.get(k) ?? groups.set(k, []).get(k)!).push(i); }
  const y = new Float64Array(x.length);
  for (const idx of groups.values()) {
    const m = idx.reduce((p, i) => p + x[i]!, 0) / idx.length;
    const sd = Math.sqrt(idx.reduce((p, i) => p + (x[i]! - m) ** 2, 0) / idx.length);
    for (const i of idx) y[i] = (x[i]! - m) / (sd + 1e-9);
  }
  return y;
}

describe('prep/layerNormalization and meanVarianceNormalization', () => {
  const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });

  it('layerNormalization matches the reference and onnxruntime LayerNormalization-17 (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(shapeArb, fc.nat(), fc.boolean(), fc.constantFrom(1e-5, 1e-3), fc.nat(), async (dims, axisSeed, withBias, eps, seed) => {
        const r = dims.length;
        const axis = (axisSeed % (2 * r)) - r;
        const n = dims.reduce((p, q) => p * q, 1);
        const normDims = dims.slice(axis < 0 ? axis + r : axis);
        const m = normDims.reduce((p, q) => p * q, 1);
        const rnd = pixels(n + 2 * m, seed);
        const x = Float32Array.from({ length: n }, (_, i) => (rnd[i]! - 128) / 16 + 3);
        const scale = Float32Array.from({ length: m }, (_, i) => rnd[n + i]! / 100 - 1);
        const bias = withBias ? Float32Array.from({ length: m }, (_, i) => rnd[n + m + i]! / 50 - 2) : null;
        const ours = await layerNormalization(
          { dtype: 'float32', dims, data: x }, { dtype: 'float32', dims: normDims, data: scale },
          bias ? { dtype: 'float32', dims: normDims, data: bias } : undefined, { axis, epsilon: eps },
        );
        const ref = refLayerNorm(x, dims, axis < 0 ? axis + r : axis, scale, bias, eps);
        ref.y.forEach((v, i) => expect(Math.abs(ours.y.data[i]! - v), `y[${i}]`).toBeLessThanOrEqual(2e-5 * (1 + Math.abs(v))));
        ref.mean.forEach((v, i) => expect(Math.abs(ours.mean.data[i]! - v)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(v))));
        ref.inv.forEach((v, i) => expect(Math.abs(ours.invStdDev.data[i]! - v)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(v))));
        const bytes = buildModel({
          opset: 17,
          nodes: [{ opType: 'LayerNormalization', inputs: bias ? ['x', 's', 'b'] : ['x', 's'], outputs: ['y', 'mean', 'inv'], attributes: { axis, epsilon: { type: 'float', value: eps } } }],
          inputs: [{ name: 'x', dtype: 'float32', dims }],
          outputs: [
            { name: 'y', dtype: 'float32', dims },
            { name: 'mean', dtype: 'float32', dims: ours.mean.dims },
            { name: 'inv', dtype: 'float32', dims: ours.invStdDev.dims },
          ],
          initializers: [
            { name: 's', dtype: 'float32', dims: normDims, data: scale },
            ...(bias ? [{ name: 'b', dtype: 'float32' as const, dims: normDims, data: bias }] : []),
          ],
        });
        const theirs = await runModel(bytes, { x: { dtype: 'float32', dims, data: x } });
        (theirs.y!.data as Float32Array).forEach((v, i) => expect(Math.abs(ours.y.data[i]! - v), `ort y[${i}]`).toBeLessThanOrEqual(5e-5 * (1 + Math.abs(v))));
        expect(theirs.mean!.dims).toEqual(ours.mean.dims);
        (theirs.mean!.data as Float32Array).forEach((v, i) => expect(Math.abs(ours.mean.data[i]! - v)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(v))));
        (theirs.inv!.data as Float32Array).forEach((v, i) => expect(Math.abs(ours.invStdDev.data[i]! - v)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(v))));
      }),
      { numRuns: 25, seed: SEED },
    );
  });

  it('meanVarianceNormalization matches the reference and onnxruntime MeanVarianceNormalization-13 (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 4, maxLength: 4 }), fc.subarray([0, 1, 2, 3], { minLength: 1 }), fc.nat(), async (dims, axes, seed) => {
        const n = dims.reduce((p, q) => p * q, 1);
        const rnd = pixels(n, seed);
        const x = Float32Array.from({ length: n }, (_, i) => (rnd[i]! - 100) / 7);
        const ours = await meanVarianceNormalization({ dtype: 'float32', dims, data: x }, { axes });
        const ref = refMvn(x, dims, axes);
        ref.forEach((v, i) => expect(Math.abs(ours.data[i]! - v), `y[${i}]`).toBeLessThanOrEqual(2e-5 * (1 + Math.abs(v))));
        const bytes = buildModel({
          opset: 13,
          nodes: [{ opType: 'MeanVarianceNormalization', inputs: ['x'], outputs: ['y'], attributes: { axes } }],
          inputs: [{ name: 'x', dtype: 'float32', dims }],
          outputs: [{ name: 'y', dtype: 'float32', dims }],
        });
        const theirs = (await runModel(bytes, { x: { dtype: 'float32', dims, data: x } })).y!.data as Float32Array;
        // onnxruntime divides by sqrt(var) without the function body's + 1e-9, so a group with no
        // spread gives it NaN (0 / 0); the spec's (x - mean) / (0 + 1e-9) is 0, which is what we return.
        theirs.forEach((v, i) => {
          if (Number.isNaN(v)) expect(ours.data[i], `y[${i}] of a constant group`).toBe(0);
          else expect(Math.abs(ours.data[i]! - v), `ort y[${i}]`).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(v)));
        });
      }),
      { numRuns: 25, seed: SEED },
    );
  });

  it('default MVN axes are [0, 2, 3]; LayerNorm defaults are axis -1, epsilon 1e-5', async () => {
    const x = { dtype: 'float32' as const, dims: [2, 2, 1, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
    const y = await meanVarianceNormalization(x);
    expect(Array.from(y.data)).toEqual(Array.from(refMvn(x.data, x.dims, [0, 2, 3]), Math.fround));
    expect(LAYER_NORM_DEFAULTS).toEqual({ axis: -1, epsilon: 1e-5 });
    const one = await layerNormalization({ dtype: 'float32', dims: [1, 1], data: Float32Array.from([5]) }, { dtype: 'float32', dims: [1], data: Float32Array.from([2]) });
    expect(Array.from(one.y.data)).toEqual([0]);
    expect(one.invStdDev.data[0]).toBeCloseTo(1 / Math.sqrt(1e-5), 1);
  });

  it('rejects mismatched scale and bad axes', async () => {
    const x = { dtype: 'float32' as const, dims: [2, 3], data: new Float32Array(6) };
    await expect(layerNormalization(x, { dtype: 'float32', dims: [2], data: new Float32Array(2) })).rejects.toMatchObject({
      code: 'E_SHAPE', message: expect.stringMatching(/scale: must have the normalised shape \[3\] \(3 elements\) or one element, got \[2\]/),
    });
    await expect(layerNormalization(x, { dtype: 'float32', dims: [3], data: new Float32Array(3) }, undefined, { axis: 2 })).rejects.toMatchObject({ code: 'E_ARG' });
    await expect(meanVarianceNormalization(x, { axes: [0, -2] })).rejects.toMatchObject({ code: 'E_ARG', message: expect.stringMatching(/must not repeat/) });
    await expect(meanVarianceNormalization({ dtype: 'uint8', dims: [1], data: new Uint8Array(1) } as never)).rejects.toMatchObject({ code: 'E_SHAPE' });
  });
});
