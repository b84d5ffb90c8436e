/**
 * Images to model input tensors: uint8 RGBA/RGB/gray pixels (ImageData-shaped or raw) -> crop ->
 * resize (ONNX Resize, with letterbox or cover fits) -> channel order and per-channel
 * scale/mean/std -> CHW or HWC, batched NCHW/NHWC -> float32, float16, uint8 or int8.
 *
 * The resize is ONNX Resize-19 on the height and width axes with the attributes given (default
 * mode 'linear' with antialias 1, what torchvision's Resize and PIL give when downscaling), computed
 * in float32 on the pixel values before normalisation, with no rounding in between. Channel mixing
 * (BGR, gray = 0.299 R + 0.587 G + 0.114 B) and normalisation y = (x · scale − mean) / std are applied
 * to the resized values. uint8/int8 outputs are ONNX QuantizeLinear of the normalised values.
 *
 * Everything runs in wasm on slices of its memory, one output row at a time: the source rows a
 * chunk of output rows needs are copied in (or read in place from an {@link ImageBuffer}), then a
 * vertical pass, a horizontal pass and the channel/normalise step make each row. Results do not
 * depend on the chunking. Cost: O(output rows × source width × vertical taps + output pixels ×
 * horizontal taps).
 */
import { WeirError } from '../runtime/errors.js';
import type { Kernel } from '../runtime/kernel.js';
import { getPrepKernel, type PrepExports } from './kernel.js';
import { _quantizeInWasm, resolveQuantization, type ResolvedQuantization } from './quantize.js';
import { resolveResize, type ResizeAttributes, type ResolvedResize } from './resize.js';
import { optionsArg, oneOf } from './series-args.js';
import { checkTensor, describe, type Tensor } from './tensor.js';

export type PixelFormat = 'rgba' | 'rgb' | 'gray' | 'bgra' | 'bgr';
export type OutputChannels = 'rgb' | 'bgr' | 'rgba' | 'bgra' | 'gray';
export type ImageLayout = 'nchw' | 'nhwc' | 'chw' | 'hwc';
export type ImageDtype = 'float32' | 'float16' | 'uint8' | 'int8';
export type ImageFit = 'stretch' | 'contain' | 'cover';

/** Interleaved uint8 pixels, row by row. An `ImageData` is one (format 'rgba'). */
export interface ImageInput {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** Channel order; default from bytes per pixel: 4 'rgba', 3 'rgb', 1 'gray'. */
  format?: PixelFormat;
  /** Bytes from one row to the next; default width × channels. */
  stride?: number;
}

export interface ImageResizeOptions extends Omit<ResizeAttributes, 'axes' | 'keep_aspect_ratio_policy'> {
  width: number;
  height: number;
  /**
   * 'stretch' (default): exactly width × height. 'contain' (letterbox): Resize with
   * keep_aspect_ratio_policy 'not_larger', then padded to width × height with `padValue`.
   * 'cover': 'not_smaller', then the middle width × height cropped out.
   */
  fit?: ImageFit;
  /** Where the resized image sits in a contain/cover canvas. Default 'center'. */
  align?: 'center' | 'top-left';
  /** Letterbox colour in 0–255 pixel units, per output channel or one for all. Default 0. */
  padValue?: number | readonly number[];
}

export interface ImageToTensorOptions {
  /** A pixel rectangle of the source to keep (integers, inside the image). */
  crop?: { x: number; y: number; width: number; height: number };
  resize?: ImageResizeOptions;
  /** Output channels and their order. Default 'rgb'. */
  channels?: OutputChannels;
  /** Multiplies pixel values first. Default 1/255. */
  scale?: number;
  /** Subtracted after `scale`, per output channel (or one for all). Default 0. */
  mean?: number | readonly number[];
  /** Divides last, per output channel (or one for all). Default 1. */
  std?: number | readonly number[];
  /** Default 'nchw'. */
  layout?: ImageLayout;
  /** Default 'float32'. */
  dtype?: ImageDtype;
  /** QuantizeLinear parameters for uint8/int8 outputs; default scale 1, zero point 0. */
  quantize?: { scale: number; zeroPoint?: number };
  /** Output rows made per chunk of copied source rows; results do not depend on it. */
  rowsPerChunk?: number;
  /**
   * Write into this tensor instead of allocating one (it must have the output's dims and dtype);
   * for frame loops that keep one input tensor. The result is then `into` itself.
   */
  into?: Tensor;
}

/** The defaults, for documentation and tests. */
export const IMAGE_DEFAULTS = Object.freeze({
  channels: 'rgb' as OutputChannels,
  scale: 1 / 255,
  mean: 0,
  std: 1,
  layout: 'nchw' as ImageLayout,
  dtype: 'float32' as ImageDtype,
  fit: 'stretch' as ImageFit,
  align: 'center' as const,
  mode: 'linear' as const,
  antialias: 1,
  padValue: 0,
});

const FORMATS: readonly PixelFormat[] = ['rgba', 'rgb', 'gray', 'bgra', 'bgr'];
const OUT_CHANNELS: readonly OutputChannels[] = ['rgb', 'bgr', 'rgba', 'bgra', 'gray'];
const LAYOUTS: readonly ImageLayout[] = ['nchw', 'nhwc', 'chw', 'hwc'];
const DTYPES: readonly ImageDtype[] = ['float32', 'float16', 'uint8', 'int8'];
const FITS: readonly ImageFit[] = ['stretch', 'contain', 'cover'];
const CHANNELS_OF: Record<PixelFormat, number> = { rgba: 4, bgra: 4, rgb: 3, bgr: 3, gray: 1 };
const FORMAT_OF: Record<number, PixelFormat> = { 4: 'rgba', 3: 'rgb', 1: 'gray' };

/**
 * Pixels that live in prep's wasm memory, so a frame can be written there once (decoded or copied
 * straight into `data`) and turned into tensors without another copy. `data` is a view: take it
 * again after any prep call, which may grow memory. `dispose()` frees it.
 *
 * @example
 * const frame = await createImageBuffer(1920, 1080, 'rgba');
 * frame.data.set(imageData.data);          // the one copy
 * const t = await imageToTensor(frame, { resize: { width: 224, height: 224 } });
 * frame.dispose();
 */
export class ImageBuffer {
  readonly channels: number;
  readonly stride: number;
  private ptrValue: number;
  constructor(private readonly kernel: Kernel<PrepExports>, readonly width: number, readonly height: number, readonly format: PixelFormat) {
    this.channels = CHANNELS_OF[format];
    this.stride = width * this.channels;
    // 16 spare bytes: the kernels read pixels four bytes at a time.
    this.ptrValue = kernel.alloc(this.stride * height + 16);
  }

  /** Where the pixels start in prep's memory (0 once disposed). */
  get ptr(): number {
    return this.ptrValue;
  }

  /** A view of the pixels (not a copy), valid until the next prep call. */
  get data(): Uint8Array {
    if (!this.ptrValue) throw new WeirError('E_STATE', 'prep/ImageBuffer: used after dispose()');
    return this.kernel.view(Uint8Array, this.ptrValue, this.stride * this.height);
  }

  /** Frees the pixels; a second call does nothing. */
  dispose(): void {
    if (this.ptrValue) this.kernel.free(this.ptrValue);
    this.ptrValue = 0;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** Allocates an {@link ImageBuffer} of width × height pixels in prep's wasm memory. */
export async function createImageBuffer(width: number, height: number, format: PixelFormat = 'rgba'): Promise<ImageBuffer> {
  positiveInt(width, 'prep/createImageBuffer: width');
  positiveInt(height, 'prep/createImageBuffer: height');
  oneOf(format, 'prep/createImageBuffer: format', FORMATS);
  return new ImageBuffer(await getPrepKernel(), width, height, format);
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new WeirError('E_ARG', `${what} must be an integer >= 1, got ${JSON.stringify(v) ?? describe(v)}`);
  return v;
}

function perChannel(v: unknown, n: number, dflt: number, what: string): number[] {
  if (v === undefined) return new Array<number>(n).fill(dflt);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new WeirError('E_ARG', `${what} must be finite, got ${v}`);
    return new Array<number>(n).fill(v);
  }
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new WeirError('E_SHAPE', `${what} must be a finite number or ${n} of them (one per output channel), got ${JSON.stringify(v) ?? describe(v)}`);
  }
  return [...v] as number[];
}

/** Where the resized image lands: useful to map detections back to source pixels. */
export interface ImageGeometry {
  /** Source rectangle used (after crop). */
  crop: { x: number; y: number; width: number; height: number };
  /** Size of the resized image before letterbox padding or cover cropping. */
  resizedWidth: number;
  resizedHeight: number;
  /** The scales the Resize coordinate formulas use (output / input per axis). */
  scaleX: number;
  scaleY: number;
  /** Canvas pixel (x, y) of resized pixel (0, 0); negative when cover crops it away. */
  offsetX: number;
  offsetY: number;
  /** Output height and width. */
  width: number;
  height: number;
}

interface SourceInfo {
  width: number;
  height: number;
  format: PixelFormat;
  channels: number;
  stride: number;
}

/** Everything validated: the plan `_imageInto` executes. */
interface ImagePlan {
  src: SourceInfo;
  geometry: ImageGeometry;
  resize: ResolvedResize;
  outC: number;
  planar: boolean;
  batched: boolean;
  mix: Float32Array;
  pad: Float32Array | null;
  dtype: ImageDtype;
  quant: ResolvedQuantization | null;
  rowsPerChunk: number;
  /** The axis tables last used with this plan (looked up again once evicted or on another kernel). */
  tables?: { kernel: Kernel<PrepExports>; y: AxisTable; x: AxisTable };
}

function sourceInfo(image: unknown, what: string): SourceInfo {
  if (typeof image !== 'object' || image === null) throw new WeirError('E_ARG', `${what}: expected an image {data, width, height}, got ${describe(image)}`);
  if (image instanceof ImageBuffer) {
    if (!image.ptr) throw new WeirError('E_STATE', `${what}: ImageBuffer used after dispose()`);
    return { width: image.width, height: image.height, format: image.format, channels: image.channels, stride: image.stride };
  }
  const img = image as ImageInput;
  if (!(img.data instanceof Uint8Array || img.data instanceof Uint8ClampedArray)) {
    throw new WeirError('E_ARG', `${what}: data must be a Uint8Array or Uint8ClampedArray, got ${describe(img.data)}`);
  }
  const width = positiveInt(img.width, `${what}: width`);
  const height = positiveInt(img.height, `${what}: height`);
  let format: PixelFormat;
  if (img.format !== undefined) format = oneOf(img.format, `${what}: format`, FORMATS);
  else {
    const perPixel = img.stride === undefined ? img.data.length / (width * height) : Math.floor(img.stride / width);
    const f = FORMAT_OF[perPixel];
    if (!f || (img.stride === undefined && !Number.isInteger(perPixel))) {
      throw new WeirError('E_SHAPE', `${what}: ${img.data.length} bytes for ${width} × ${height} pixels is ${+perPixel.toFixed(3)} bytes per pixel; expected 1 (gray), 3 (rgb) or 4 (rgba), or give format`);
    }
    format = f;
  }
  const channels = CHANNELS_OF[format];
  const stride = img.stride ?? width * channels;
  if (!Number.isInteger(stride) || stride < width * channels) {
    throw new WeirError('E_SHAPE', `${what}: stride must be an integer >= width × channels = ${width * channels}, got ${String(img.stride)}`);
  }
  const needed = (height - 1) * stride + width * channels;
  if (img.data.length < needed) {
    throw new WeirError('E_LENGTH', `${what}: a ${width} × ${height} ${format} image needs ${needed} bytes, data has ${img.data.length}`);
  }
  return { width, height, format, channels, stride };
}

/** Source lane of each colour (R, G, B, A; -1 when absent). */
function lanes(format: PixelFormat): [number, number, number, number] {
  switch (format) {
    case 'rgba': return [0, 1, 2, 3];
    case 'bgra': return [2, 1, 0, 3];
    case 'rgb': return [0, 1, 2, -1];
    case 'bgr': return [2, 1, 0, -1];
    case 'gray': return [0, 0, 0, -1];
  }
}

/** The post step's matrix: columns M[.][K] per source lane K, then the bias, normalisation folded in. */
function mixMatrix(format: PixelFormat, out: OutputChannels, scale: number, mean: number[], std: number[]): Float32Array {
  const [r, g, b, a] = lanes(format);
  const rows: Array<{ w: number[]; bias: number }> = [];
  const colour = (lane: number) => ({ w: [0, 1, 2, 3].map((k) => (k === lane ? 1 : 0)), bias: 0 });
  const alpha = () => (a >= 0 ? colour(a) : { w: [0, 0, 0, 0], bias: 255 });
  switch (out) {
    case 'rgb': rows.push(colour(r), colour(g), colour(b)); break;
    case 'bgr': rows.push(colour(b), colour(g), colour(r)); break;
    case 'rgba': rows.push(colour(r), colour(g), colour(b), alpha()); break;
    case 'bgra': rows.push(colour(b), colour(g), colour(r), alpha()); break;
    case 'gray':
      if (format === 'gray') rows.push(colour(0));
      else {
        const w = [0, 0, 0, 0];
        w[r] = 0.299;
        w[g] = 0.587;
        w[b] = 0.114;
        rows.push({ w, bias: 0 });
      }
      break;
  }
  const m = new Float32Array(20);
  rows.forEach((row, c) => {
    for (let k = 0; k < 4; k++) m[k * 4 + c] = (scale * row.w[k]!) / std[c]!;
    m[16 + c] = (scale * row.bias - mean[c]!) / std[c]!;
  });
  return m;
}

/**
 * Plans by value: a frame loop passes the same options (often a fresh `{ ...opts, into }` object)
 * every call, so the plan is looked up by a flat list of the source's size and format and every
 * option value (objects one level deep, arrays element by element; `into` does not shape the
 * plan), not by object identity, so changing an option between calls is always seen. A few
 * entries, most recent first.
 */
const PLAN_CACHE_SIZE = 8;
const planCache: Array<{ sig: unknown[]; plan: ImagePlan }> = [];

/** Appends `v` to `sig`; false when it holds something the signature cannot capture by value. */
function signatureOf(sig: unknown[], v: unknown, depth: number): boolean {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
    sig.push(v);
    return true;
  }
  if (typeof v === 'function') return false;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const a = v as unknown as ArrayLike<unknown>;
    sig.push('[', a.length);
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (x !== null && (typeof x === 'object' || typeof x === 'function')) return false;
      sig.push(x);
    }
    return true;
  }
  if (depth >= 2) return false;
  sig.push('{');
  for (const key in v as Record<string, unknown>) {
    if (depth === 0 && key === 'into') continue;
    sig.push(key);
    if (!signatureOf(sig, (v as Record<string, unknown>)[key], depth + 1)) return false;
  }
  sig.push('}');
  return true;
}

function cachedPlan(src: SourceInfo, options: ImageToTensorOptions | undefined, what: string): ImagePlan {
  const sig: unknown[] = [src.width, src.height, src.format, src.stride];
  if (!signatureOf(sig, options, 0)) return planImage(src, options, what);
  for (let i = 0; i < planCache.length; i++) {
    const entry = planCache[i]!;
    const other = entry.sig;
    if (other.length !== sig.length) continue;
    let same = true;
    for (let j = 0; j < sig.length && same; j++) same = Object.is(sig[j], other[j]);
    if (!same) continue;
    if (i > 0) {
      planCache.splice(i, 1);
      planCache.unshift(entry);
    }
    return entry.plan;
  }
  const plan = planImage(src, options, what);
  planCache.unshift({ sig, plan });
  if (planCache.length > PLAN_CACHE_SIZE) planCache.pop();
  return plan;
}

function planImage(src: SourceInfo, options: ImageToTensorOptions | undefined, what: string): ImagePlan {
  const o = optionsArg<ImageToTensorOptions>(options, what, true);
  const channels = oneOf(o.channels, `${what}: channels`, OUT_CHANNELS, IMAGE_DEFAULTS.channels);
  const layout = oneOf(o.layout, `${what}: layout`, LAYOUTS, IMAGE_DEFAULTS.layout);
  const dtype = oneOf(o.dtype, `${what}: dtype`, DTYPES, IMAGE_DEFAULTS.dtype);
  const outC = channels === 'gray' ? 1 : channels.length;
  const scale = o.scale ?? IMAGE_DEFAULTS.scale;
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new WeirError('E_ARG', `${what}: scale must be a finite number, got ${String(scale)}`);
  const mean = perChannel(o.mean, outC, IMAGE_DEFAULTS.mean, `${what}: mean`);
  const std = perChannel(o.std, outC, IMAGE_DEFAULTS.std, `${what}: std`);
  if (std.some((s) => s === 0)) throw new WeirError('E_ARG', `${what}: std must not be 0, got ${JSON.stringify(std)}`);

  let crop = { x: 0, y: 0, width: src.width, height: src.height };
  if (o.crop !== undefined) {
    const c = optionsArg<{ x: number; y: number; width: number; height: number }>(o.crop, `${what}: crop`);
    for (const key of ['x', 'y'] as const) {
      if (!Number.isInteger(c[key]) || c[key] < 0) throw new WeirError('E_ARG', `${what}: crop.${key} must be an integer >= 0, got ${String(c[key])}`);
    }
    positiveInt(c.width, `${what}: crop.width`);
    positiveInt(c.height, `${what}: crop.height`);
    if (c.x + c.width > src.width || c.y + c.height > src.height) {
      throw new WeirError('E_SHAPE', `${what}: crop x ${c.x} + width ${c.width}, y ${c.y} + height ${c.height} must fit in the ${src.width} × ${src.height} image`);
    }
    crop = { x: c.x, y: c.y, width: c.width, height: c.height };
  }

  const inDims = [crop.height, crop.width];
  let resize: ResolvedResize;
  let height = crop.height;
  let width = crop.width;
  let offsetX = 0;
  let offsetY = 0;
  let pad: number[] | null = null;
  if (o.resize === undefined) {
    resize = resolveResize(inDims, { mode: 'nearest', sizes: inDims }, what);
  } else {
    const r = optionsArg<ImageResizeOptions>(o.resize, `${what}: resize`);
    width = positiveInt(r.width, `${what}: resize.width`);
    height = positiveInt(r.height, `${what}: resize.height`);
    const fit = oneOf(r.fit, `${what}: resize.fit`, FITS, IMAGE_DEFAULTS.fit);
    const align = oneOf(r.align, `${what}: resize.align`, ['center', 'top-left'] as const, IMAGE_DEFAULTS.align);
    const { width: _w, height: _h, fit: _f, align: _a, padValue, ...attrs } = r;
    const mode = attrs.mode ?? IMAGE_DEFAULTS.mode;
    const antialias = attrs.antialias ?? (mode === 'linear' || mode === 'cubic' ? IMAGE_DEFAULTS.antialias : 0);
    resize = resolveResize(inDims, {
      ...attrs, mode, antialias, axes: [0, 1], sizes: [height, width],
      keep_aspect_ratio_policy: fit === 'contain' ? 'not_larger' : fit === 'cover' ? 'not_smaller' : 'stretch',
    }, `${what}: resize`);
    const [rh, rw] = resize.outDims as [number, number];
    if (rh === 0 || rw === 0) throw new WeirError('E_SHAPE', `${what}: resize gives an empty ${rw} × ${rh} image`);
    if (fit === 'contain') {
      offsetY = align === 'center' ? Math.floor((height - rh) / 2) : 0;
      offsetX = align === 'center' ? Math.floor((width - rw) / 2) : 0;
      pad = perChannel(padValue, outC, IMAGE_DEFAULTS.padValue, `${what}: resize.padValue`);
    } else if (fit === 'cover') {
      // Written as 0 - n only when n > 0, so a zero offset is +0.
      const oy = Math.floor((rh - height) / 2);
      const ox = Math.floor((rw - width) / 2);
      offsetY = align === 'center' && oy > 0 ? -oy : 0;
      offsetX = align === 'center' && ox > 0 ? -ox : 0;
    }
  }
  const mix = mixMatrix(src.format, channels, scale, mean, std);
  const quant = dtype === 'uint8' || dtype === 'int8'
    ? resolveQuantization([1], { scale: o.quantize?.scale ?? 1, zeroPoint: o.quantize?.zeroPoint ?? 0 }, dtype, `${what}: quantize`)
    : null;
  if (o.quantize !== undefined && !quant) throw new WeirError('E_ARG', `${what}: quantize applies to dtype 'uint8' or 'int8', not '${dtype}'`);
  // 0: as many rows as fit the chunk buffer.
  const rowsPerChunk = o.rowsPerChunk === undefined ? 0 : positiveInt(o.rowsPerChunk, `${what}: rowsPerChunk`);
  return {
    src,
    geometry: {
      crop, resizedWidth: resize.outDims[1]!, resizedHeight: resize.outDims[0]!,
      scaleX: resize.axes[1]!.scale, scaleY: resize.axes[0]!.scale, offsetX, offsetY, width, height,
    },
    resize, outC,
    planar: layout === 'nchw' || layout === 'chw',
    batched: layout === 'nchw' || layout === 'nhwc',
    mix,
    pad: pad ? Float32Array.from(pad, (v, c) => (scale * v - mean[c]!) / std[c]!) : null,
    dtype, quant, rowsPerChunk,
  };
}

/**
 * Where a crop/resize/fit puts the image, without running anything: the resized size, the scales
 * and the letterbox or cover offset, to map model outputs back to source pixels.
 *
 * @example
 * const g = imageGeometry({ width: 1920, height: 1080 }, { resize: { width: 640, height: 640, fit: 'contain' } });
 * // g.resizedHeight 360, g.offsetY 140: source y = (y - g.offsetY) / g.scaleY
 */
export function imageGeometry(size: { width: number; height: number }, options?: ImageToTensorOptions): ImageGeometry {
  const width = positiveInt(size?.width, 'prep/imageGeometry: width');
  const height = positiveInt(size?.height, 'prep/imageGeometry: height');
  const src: SourceInfo = { width, height, format: 'rgba', channels: 4, stride: width * 4 };
  return planImage(src, options, 'prep/imageGeometry').geometry;
}

/** One axis's resize table in wasm memory, with a JS copy of its first indices. */
interface AxisTable {
  taps: number;
  first: number;
  weights: number;
  outside: number;
  firstIndex: Int32Array;
  /** Set when evicted from the cache (its wasm memory is freed). */
  freed?: boolean;
  /** Lazily computed segment plan (undefined: not asked yet). */
  segments?: SegmentPlan | null;
}

/**
 * Tables by kernel and axis parameters. A video loop asks for the same geometry every frame, so tables (and
 * segment plans) are built once; the cache holds a few dozen at most, each a few kB of wasm memory
 * in the shared prep instance, freed when evicted (oldest first).
 */
const tableCaches = new WeakMap<Kernel<PrepExports>, Map<string, AxisTable>>();
const TABLE_CACHE_SIZE = 32;

function axisTable(k: Kernel<PrepExports>, r: ResolvedResize, i: number): AxisTable {
  let tableCache = tableCaches.get(k);
  if (!tableCache) tableCaches.set(k, (tableCache = new Map()));
  const a = r.axes[i]!;
  const key = [r.mode, r.ctm, r.nearestMode, r.antialias, r.excludeOutside, r.cubicA, a.scale, a.inLen, a.outLen, a.roiStart, a.roiEnd].join(',');
  const hit = tableCache.get(key);
  if (hit) {
    tableCache.delete(key);
    tableCache.set(key, hit);
    return hit;
  }
  const taps = k.exports.resize_taps(r.mode, r.antialias, a.scale, a.inLen);
  const first = k.alloc(a.outLen * 4);
  const weights = k.alloc(a.outLen * taps * 4);
  const outside = r.ctm === 5 ? k.alloc(a.outLen) : 0;
  k.exports.resize_table(r.mode, r.ctm, r.nearestMode, r.antialias, r.excludeOutside, r.cubicA, a.scale, a.inLen, a.outLen, a.roiStart, a.roiEnd, taps, first, weights, outside);
  const table: AxisTable = { taps, first, weights, outside, firstIndex: k.view(Int32Array, first, a.outLen).slice() };
  tableCache.set(key, table);
  if (tableCache.size > TABLE_CACHE_SIZE) {
    const [oldKey, old] = tableCache.entries().next().value as [string, AxisTable];
    tableCache.delete(oldKey);
    old.freed = true;
    k.free(old.first);
    k.free(old.weights);
    k.free(old.outside);
  }
  return table;
}

const CHUNK_BYTES = 512 << 10;

/** Interior outputs of one axis for the segment-sum kernel (see image_rows_aa in assembly/prep/image.ts). */
interface SegmentPlan {
  /** Outputs [ja, jb) whose tent lies inside the input, with segment boundaries between them. */
  ja: number;
  jb: number;
  /** e(j) for j in [ja - 1, jb]: the first input index of segment j, (c_j, c_j+1]. */
  e: Int32Array;
  /** Per output in [ja, jb): coefficients of S and T of segment j - 1, then of segment j. */
  coef: Float32Array;
  /**
   * The same for the packed kernel, whose T is centred (T' = T - o S, o = (length - 1) >> 1 of
   * the segment): the coefficient of S becomes c_S + o c_T.
   */
  coefCentred: Float32Array;
  maxLen: number;
}

/** floor(L^2 / 4): the largest sum of |centred weights| over a segment of at most L samples. */
const centredSum = (L: number) => Math.floor((L * L) / 4);

/**
 * Whether the packed segment-sum kernel is exact for RGBA segments of at most Lv rows and Lh
 * columns: it works modulo 2^16, so sum S must fit in u16 and the three centred sums in i16.
 */
function packable(Lv: number, Lh: number): boolean {
  const av = centredSum(Lv);
  const ah = centredSum(Lh);
  return 255 * Lv * Lh <= 65535 && 255 * Lh * av <= 32767 && 255 * Lv * ah <= 32767 && 255 * ah * av <= 32767;
}

/**
 * Segment plan for an antialiased linear downscale axis, or null when the output centres are not
 * 1/scale apart (align_corners, tf_crop_and_resize) or no output is interior. The coefficients use
 * the tent of each output on its own segments and divide by that tent's sum over them.
 */
function segmentPlan(k: Kernel<PrepExports>, r: ResolvedResize, i: number, table: AxisTable): SegmentPlan | null {
  if (table.segments === undefined) table.segments = k.scoped((alloc) => buildSegmentPlan(k, r, i, alloc));
  return table.segments;
}

function buildSegmentPlan(k: Kernel<PrepExports>, r: ResolvedResize, i: number, alloc: (n: number) => number): SegmentPlan | null {
  const a = r.axes[i]!;
  const n = a.inLen;
  const N = a.outLen;
  if (!(a.scale < 1) || N < 3) return null;
  const cp = alloc(N * 4);
  k.exports.resize_coords(r.ctm, a.scale, n, N, a.roiStart, a.roiEnd, cp);
  const c = Float64Array.from(k.view(Float32Array, cp, N));
  const R = 1 / a.scale;
  for (let j = 0; j + 1 < N; j++) if (Math.abs(c[j + 1]! - c[j]! - R) > 1e-3) return null;
  const centre = (j: number) => (j < 0 ? c[0]! + j * R : j >= N ? c[N - 1]! + (j - N + 1) * R : c[j]!);
  const interior = (j: number) => centre(j - 1) >= -1 && centre(j + 1) < n;
  let ja = 0;
  while (ja < N && !interior(ja)) ja++;
  let jb = ja;
  while (jb < N && interior(jb)) jb++;
  if (jb - ja < 1) return null;
  const e = new Int32Array(jb - ja + 2);
  for (let j = ja - 1; j <= jb; j++) e[j - ja + 1] = Math.floor(centre(j)) + 1;
  let maxLen = 0;
  for (let t = 0; t + 1 < e.length; t++) maxLen = Math.max(maxLen, e[t + 1]! - e[t]!);
  const coef = new Float32Array((jb - ja) * 4);
  const coefCentred = new Float32Array((jb - ja) * 4);
  for (let j = ja; j < jb; j++) {
    const cj = c[j]!;
    const eL = e[j - ja]!;
    const eM = e[j - ja + 1]!;
    const eR = e[j - ja + 2]!;
    let w = 0;
    for (let x = eL; x < eM; x++) w += (x - cj + R) / R;
    for (let x = eM; x < eR; x++) w += (cj + R - x) / R;
    const d = R * w;
    coef.set([(eM - 1 - cj + R) / d, -1 / d, (cj + R - (eR - 1)) / d, 1 / d], (j - ja) * 4);
    const oL = (eM - eL - 1) >> 1;
    const oR = (eR - eM - 1) >> 1;
    coefCentred.set([(eM - 1 - cj + R - oL) / d, -1 / d, (cj + R - (eR - 1) + oR) / d, 1 / d], (j - ja) * 4);
  }
  return { ja, jb, e, coef, coefCentred, maxLen };
}

/**
 * Runs a plan: writes the f32 canvas ([C, H, W] planar or [H, W, C]) at `out` in wasm memory.
 * `image` is the validated source (JS pixels, copied in chunk by chunk, or an ImageBuffer).
 */
function _imageInto(k: Kernel<PrepExports>, image: ImageInput | ImageBuffer, plan: ImagePlan, out: number): void {
  const e = k.exports;
  const { src, geometry: g, resize: r } = plan;
  const C = src.channels;
  k.scoped((alloc) => {
    let t = plan.tables;
    if (!t || t.kernel !== k || t.y.freed || t.x.freed) t = plan.tables = { kernel: k, y: axisTable(k, r, 0), x: axisTable(k, r, 1) };
    const ty = t.y;
    const tx = t.x;
    // Resized rows/columns that land on the canvas.
    const j0 = Math.max(0, -g.offsetY);
    const j1 = Math.min(g.resizedHeight, g.height - g.offsetY);
    const m0 = Math.max(0, -g.offsetX);
    const m1 = Math.min(g.resizedWidth, g.width - g.offsetX);
    const firstY = ty.firstIndex;
    const firstX = tx.firstIndex;
    // Antialiased linear downscales: interior rows and columns by segment sums.
    let vs: SegmentPlan | null = null;
    let hs: SegmentPlan | null = null;
    if (r.mode === 1 && r.antialias && C >= 3) {
      vs = segmentPlan(k, r, 0, ty);
      hs = vs && vs.maxLen <= 23 ? segmentPlan(k, r, 1, tx) : null;
      if (!hs || Math.max(m0, hs.ja) >= Math.min(m1, hs.jb)) vs = null;
    }
    const fa = vs ? Math.max(j0, vs.ja) : 0;
    const fb = vs ? Math.min(j1, vs.jb) : 0;
    const isFast = (j: number) => j >= fa && j < fb;
    const ma = hs ? Math.max(m0, hs.ja) : 0;
    const mb = hs ? Math.min(m1, hs.jb) : 0;
    // Pixels the horizontal filters read: a contiguous range, or a short list when it is sparse.
    let lo = firstX[m0]!;
    let hi = Math.min(g.crop.width, firstX[m1 - 1]! + tx.taps);
    if (hs && fa < fb) {
      lo = Math.min(lo, hs.e[ma - 1 - (hs.ja - 1)]!);
      hi = Math.max(hi, hs.e[mb - (hs.ja - 1)]!);
    }
    let list: Int32Array | null = null;
    if (fa >= fb && m1 - m0 > 0 && !(ty.taps === 2 && tx.taps === 2 && C >= 3)) {
      const mark = new Uint8Array(hi - lo);
      for (let m = m0; m < m1; m++) mark.fill(1, firstX[m]! - lo, Math.min(hi, firstX[m]! + tx.taps) - lo);
      let count = 0;
      for (let i = 0; i < mark.length; i++) count += mark[i]!;
      if (count * 2 < hi - lo) {
        list = new Int32Array(count);
        for (let i = 0, n = 0; i < mark.length; i++) if (mark[i]) list[n++] = lo + i;
      }
    }
    const gatherPtr = list ? alloc(list.length * 4) : 0;
    if (list) k.view(Int32Array, gatherPtr, list.length).set(list);
    const vbufFloats = g.crop.width * C + 8;
    const vbuf = alloc(vbufFloats * 4);
    k.view(Float32Array, vbuf, vbufFloats).fill(0);
    const hbuf = alloc(Math.max(1, m1 - m0) * 16);
    const mix = alloc(80);
    k.view(Float32Array, mix, 20).set(plan.mix);
    const params = alloc(4 * 32);
    let aa = 0;
    if (vs && hs && fa < fb) {
      const n = m1 - m0;
      const packed = C === 4 && packable(vs.maxLen, hs.maxLen);
      const rowU16 = (g.crop.width * C + 8) * 2;
      const vseg = alloc(vs.e.length * 4);
      const vcoef = alloc(g.resizedHeight * 16);
      const hseg = alloc(hs.e.length * 4);
      const hcoef = alloc(hs.coef.length * 4);
      k.view(Int32Array, vseg, vs.e.length).set(vs.e);
      k.view(Float32Array, vcoef, g.resizedHeight * 4).set(packed ? vs.coefCentred : vs.coef, vs.ja * 4);
      k.view(Int32Array, hseg, hs.e.length).set(hs.e);
      k.view(Float32Array, hcoef, hs.coef.length).set(packed ? hs.coefCentred : hs.coef);
      const bufs = packed
        ? [0, 0, 0, alloc(n * 16), alloc(n * 16), alloc(n * 16), alloc(n * 16)]
        : [alloc(rowU16), alloc(rowU16), alloc((mb - ma + 1) * 64), alloc(n * 16), alloc(n * 16), alloc(n * 16), alloc(n * 16)];
      if (!packed) for (const row of bufs.slice(0, 2)) k.view(Uint8Array, row, rowU16).fill(0);
      // Room for the masked reads past the last segment (up to its longest length).
      const packedBytes = (g.crop.width + hs.maxLen + 1) * 16;
      const packedRow = packed ? alloc(packedBytes) : 0;
      if (packed) k.view(Uint8Array, packedRow, packedBytes).fill(0);
      aa = alloc(4 * 32);
      k.view(Int32Array, aa, 19).set([
        0, 0, vseg, vs.ja - 1, vcoef, hseg, hs.ja - 1, hcoef + (ma - hs.ja) * 16, ma, mb, ...bufs, 0, packedRow,
      ]);
    }
    // Source rows output row j reads.
    const windowOf = (j: number): [number, number] => (isFast(j)
      ? [vs!.e[j - 1 - (vs!.ja - 1)]!, vs!.e[j + 1 - (vs!.ja - 1)]!]
      : [firstY[j]!, Math.min(g.crop.height, firstY[j]! + ty.taps)]);
    const rowBytes = g.crop.width * C;
    const inPlace = image instanceof ImageBuffer;
    let chunkPtr = 0;
    let chunkRows = 0;
    if (!inPlace) {
      const widest = Math.max(ty.taps, vs ? 2 * vs.maxLen : 0);
      chunkRows = Math.max(widest + 1, Math.min(g.crop.height, Math.floor(CHUNK_BYTES / rowBytes)));
      chunkPtr = alloc(chunkRows * rowBytes + 16);
    }
    const run = (srcPtr: number, rowOffset: number, ja: number, jb: number) => {
      k.view(Int32Array, params, 32).set([
        srcPtr, inPlace ? src.stride : rowBytes, C, rowOffset, inPlace ? g.crop.x : 0, g.crop.width,
        ty.first, ty.weights, ty.taps, tx.first, tx.weights, tx.taps,
        ja, jb, m0, m1, vbuf, hbuf, mix, out, plan.planar ? 1 : 0, plan.outC, g.height, g.width,
        g.offsetY, g.offsetX, gatherPtr, list ? list.length : 0, lo, hi,
      ]);
      if (isFast(ja)) {
        const v = k.view(Int32Array, aa, 2);
        v[0] = ja;
        v[1] = jb;
        e.image_rows_aa(params, aa);
      } else e.image_rows(params);
    };
    const data = inPlace ? null : (image as ImageInput).data;
    const contiguous = g.crop.x === 0 && rowBytes === src.stride;
    let j = j0;
    while (j < j1) {
      // Output rows of one kind whose source windows fit in the chunk buffer together.
      const kind = isFast(j);
      let [rowLo, rowHi] = windowOf(j);
      let jb = j + 1;
      const end = plan.rowsPerChunk > 0 ? Math.min(j1, j + plan.rowsPerChunk) : j1;
      for (; jb < end && isFast(jb) === kind; jb++) {
        const [wl, wh] = windowOf(jb);
        if (!inPlace && Math.max(rowHi, wh) - Math.min(rowLo, wl) > chunkRows) break;
        rowLo = Math.min(rowLo, wl);
        rowHi = Math.max(rowHi, wh);
      }
      if (inPlace) run((image as ImageBuffer).ptr + g.crop.y * src.stride, 0, j, jb);
      else {
        // Copy only the rows some window reads (a short filter skips most of them).
        const dst = k.view(Uint8Array, chunkPtr, chunkRows * rowBytes);
        let copyLo = -1;
        let copyHi = -1;
        const flush = () => {
          if (copyLo < 0) return;
          const start = (g.crop.y + copyLo) * src.stride + g.crop.x * C;
          if (contiguous) dst.set(data!.subarray(start, start + (copyHi - copyLo) * rowBytes), (copyLo - rowLo) * rowBytes);
          else {
            for (let row = copyLo; row < copyHi; row++) {
              const at = start + (row - copyLo) * src.stride;
              dst.set(data!.subarray(at, at + rowBytes), (row - rowLo) * rowBytes);
            }
          }
        };
        for (let t = j; t < jb; t++) {
          const [wl, wh] = windowOf(t);
          if (copyLo >= 0 && wl <= copyHi) copyHi = Math.max(copyHi, wh);
          else {
            flush();
            copyLo = wl;
            copyHi = wh;
          }
        }
        flush();
        run(chunkPtr, rowLo, j, jb);
      }
      j = jb;
    }
    if (plan.pad) {
      const pv = alloc(16);
      k.view(Float32Array, pv, 4).set(plan.pad);
      e.image_pad_f32(out, plan.planar ? 1 : 0, plan.outC, g.height, g.width, g.offsetY, g.offsetX, g.resizedHeight, g.resizedWidth, pv);
    }
    if (ty.outside || tx.outside) {
      // tf_crop_and_resize: the normalised extrapolation_value where a sample fell outside the crop.
      const vals = alloc(16);
      k.view(Float32Array, vals, 4).set(Array.from({ length: plan.outC }, (_, c) => {
        let acc = plan.mix[16 + c]!;
        for (let kk = 0; kk < C; kk++) acc += plan.mix[kk * 4 + c]! * r.extrapolation;
        return acc;
      }));
      e.image_mask_f32(out, plan.planar ? 1 : 0, plan.outC, g.height, g.width, j0, j1, m0, m1, g.offsetY, g.offsetX, ty.outside, tx.outside, vals);
    }
  });
}

function outputDims(plan: ImagePlan, n: number): number[] {
  const { height: h, width: w } = plan.geometry;
  const c = plan.outC;
  const chw = plan.planar ? [c, h, w] : [h, w, c];
  return plan.batched ? [n, ...chw] : chw;
}

/** Checks `into` against the output the plan makes (before any work). */
function checkInto(into: unknown, plan: ImagePlan, dims: number[], what: string): asserts into is Tensor | undefined {
  if (into === undefined) return;
  checkTensor(into, `${what}: into`);
  if (into.dtype !== plan.dtype) throw new WeirError('E_ARG', `${what}: into has dtype ${into.dtype}, the output is ${plan.dtype}`);
  if (into.dims.length !== dims.length || into.dims.some((d, i) => d !== dims[i])) {
    throw new WeirError('E_SHAPE', `${what}: into has dims [${into.dims.join(', ')}], the output is [${dims.join(', ')}]`);
  }
}

/**
 * Converts the f32 canvas at `f32` (n values) to the plan's dtype and copies it out: into a new
 * tensor, or into `into`'s data.
 */
function finish(k: Kernel<PrepExports>, plan: ImagePlan, f32: number, n: number, dims: number[], into?: Tensor): Tensor {
  const emit = <C extends Float32ArrayConstructor | Uint16ArrayConstructor | Uint8ArrayConstructor | Int8ArrayConstructor>(ctor: C, ptr: number): Tensor => {
    if (into) {
      (into.data as unknown as { set(a: ArrayLike<number>): void }).set(k.view(ctor, ptr, n) as unknown as ArrayLike<number>);
      return into;
    }
    return { dtype: plan.dtype, dims, data: k.copyOut(ctor, ptr, n) } as Tensor;
  };
  switch (plan.dtype) {
    case 'float32':
      return emit(Float32Array, f32);
    case 'float16':
      return k.scoped((alloc) => {
        const h = alloc(n * 2);
        k.exports.convert_f32_f16(f32, h, n);
        return emit(Uint16Array, h);
      });
    default:
      return k.scoped((alloc) => {
        const q = alloc(n);
        _quantizeInWasm(k, { ...plan.quant!, outer: n }, f32, q);
        return emit(plan.dtype === 'int8' ? Int8Array : Uint8Array, q);
      });
  }
}

/**
 * One image to a model input tensor (a new tensor, copied out of wasm memory). See the module
 * comment for the steps; every option is checked before any work, and bad input throws WeirError
 * (E_SHAPE / E_LENGTH for images whose size or buffer does not match, E_ARG for options).
 *
 * @example
 * // torchvision-style ImageNet input from a camera frame:
 * const x = await imageToTensor(imageData, {
 *   resize: { width: 224, height: 224 },               // linear, antialias 1
 *   mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
 * }); // float32 [1, 3, 224, 224]
 * // YOLO letterbox, BGR order not needed, float16 model:
 * const y = await imageToTensor(frame, { resize: { width: 640, height: 640, fit: 'contain', mode: 'linear', antialias: 0, padValue: 114 }, dtype: 'float16' });
 */
export async function imageToTensor(image: ImageInput | ImageBuffer, options?: ImageToTensorOptions): Promise<Tensor> {
  const plan = cachedPlan(sourceInfo(image, 'prep/imageToTensor'), options, 'prep/imageToTensor');
  const dims = outputDims(plan, 1);
  checkInto(options?.into, plan, dims, 'prep/imageToTensor');
  const k = await getPrepKernel();
  const n = plan.outC * plan.geometry.height * plan.geometry.width;
  return k.scoped((alloc) => {
    const out = alloc(n * 4);
    _imageInto(k, image, plan, out);
    return finish(k, plan, out, n, dims, options?.into);
  });
}

/**
 * Several images to one batched tensor ([N, C, H, W] for 'nchw', [N, H, W, C] for 'nhwc'); each
 * image is prepared as {@link imageToTensor} does, and all must come out the same size.
 *
 * @example
 * const batch = await imagesToTensor([a, b, c], { resize: { width: 224, height: 224 } }); // [3, 3, 224, 224]
 */
export async function imagesToTensor(images: ReadonlyArray<ImageInput | ImageBuffer>, options?: ImageToTensorOptions): Promise<Tensor> {
  if (!Array.isArray(images) || images.length === 0) throw new WeirError('E_ARG', `prep/imagesToTensor: images must be a non-empty array, got ${describe(images)}`);
  const plans = images.map((im, i) => cachedPlan(sourceInfo(im, `prep/imagesToTensor: images[${i}]`), options, `prep/imagesToTensor: images[${i}]`));
  const p0 = plans[0]!;
  if (!p0.batched) throw new WeirError('E_ARG', `prep/imagesToTensor: layout must be 'nchw' or 'nhwc' for a batch`);
  plans.forEach((p, i) => {
    if (p.geometry.width !== p0.geometry.width || p.geometry.height !== p0.geometry.height) {
      throw new WeirError('E_SHAPE', `prep/imagesToTensor: images[${i}] gives ${p.geometry.width} × ${p.geometry.height}, images[0] gives ${p0.geometry.width} × ${p0.geometry.height}; give resize (or equal crops)`);
    }
  });
  const per = p0.outC * p0.geometry.height * p0.geometry.width;
  const dims = outputDims(p0, images.length);
  checkInto(options?.into, p0, dims, 'prep/imagesToTensor');
  const k = await getPrepKernel();
  return k.scoped((alloc) => {
    const out = alloc(per * images.length * 4);
    plans.forEach((p, i) => _imageInto(k, images[i]!, p, out + i * per * 4));
    return finish(k, p0, out, per * images.length, dims, options?.into);
  });
}
