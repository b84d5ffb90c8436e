/**
 * ONNX Resize (opset 19) on float32 and uint8 tensors of any rank: every attribute by its ONNX name
 * and value, so the attributes of a model's Resize node can be copied here as they are.
 *
 * - `mode`: nearest | linear | cubic (and `area`, a box filter over each output pixel's footprint,
 *   which is not an ONNX mode: OpenCV's INTER_AREA).
 * - `coordinate_transformation_mode`: half_pixel (default), half_pixel_symmetric,
 *   pytorch_half_pixel, align_corners, asymmetric, tf_crop_and_resize (with `roi`).
 * - `nearest_mode`, `cubic_coeff_a`, `exclude_outside`, `extrapolation_value`, `antialias`,
 *   `keep_aspect_ratio_policy`, `axes`; exactly one of `scales` or `sizes`.
 *
 * Resize is separable: one pass per resized axis, each a weighted sum along that axis with the
 * weights the spec defines for each output coordinate (see assembly/prep/resize.ts). Cost is
 * O(output elements × taps) per pass, taps = 1 (nearest), 2 (linear), 4 (cubic), or about
 * 2·support/scale with antialias. Passes run in wasm on slices of its memory; tensors whose leading
 * axes are not resized are streamed through wasm memory a slice at a time, with results identical
 * to one call.
 *
 * Numerics: coordinates are evaluated in float32 in the order the spec writes them (as onnxruntime
 * does, so nearest ties pick the same sample); weights in float64, stored as float32; sums in
 * float32. uint8 results are rounded to nearest (halves up) and saturated to [0, 255].
 *
 * Where onnxruntime departs from the spec, this follows the spec: with `scales` and
 * tf_crop_and_resize the output length is floor(length × (roi_end − roi_start) × scale)
 * (onnxruntime ignores the roi there), and an axis whose output length equals its input length is
 * still resampled (onnxruntime copies it unchanged).
 */
import { WeirError } from '../runtime/errors.js';
import type { Kernel } from '../runtime/kernel.js';
import { getPrepKernel, type PrepExports } from './kernel.js';
import { optionsArg, oneOf } from './series-args.js';
import { checkTensor, describe, elementCount, type Tensor } from './tensor.js';

export type ResizeMode = 'nearest' | 'linear' | 'cubic' | 'area';
export type CoordinateTransformationMode =
  | 'half_pixel' | 'half_pixel_symmetric' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric' | 'tf_crop_and_resize';
export type NearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';
export type KeepAspectRatioPolicy = 'stretch' | 'not_larger' | 'not_smaller';

/** The Resize node's attributes, by their ONNX names. */
export interface ResizeAttributes {
  mode?: ResizeMode;
  coordinate_transformation_mode?: CoordinateTransformationMode;
  nearest_mode?: NearestMode;
  cubic_coeff_a?: number;
  exclude_outside?: 0 | 1 | boolean;
  extrapolation_value?: number;
  antialias?: 0 | 1 | boolean;
  keep_aspect_ratio_policy?: KeepAspectRatioPolicy;
  axes?: readonly number[];
}

/** Attributes plus the operator's inputs `roi`, `scales`, `sizes` (one of scales/sizes). */
export interface ResizeOptions extends ResizeAttributes {
  scales?: ArrayLike<number>;
  sizes?: ArrayLike<number | bigint>;
  /** [starts..., ends...] for the resized axes; used by tf_crop_and_resize only. */
  roi?: ArrayLike<number>;
  /** Input bytes per streamed slice (default 16 MiB); results do not depend on it. */
  chunkBytes?: number;
}

/** The ONNX defaults. */
export const RESIZE_DEFAULTS = Object.freeze({
  mode: 'nearest' as ResizeMode,
  coordinate_transformation_mode: 'half_pixel' as CoordinateTransformationMode,
  nearest_mode: 'round_prefer_floor' as NearestMode,
  cubic_coeff_a: -0.75,
  exclude_outside: 0,
  extrapolation_value: 0,
  antialias: 0,
  keep_aspect_ratio_policy: 'stretch' as KeepAspectRatioPolicy,
});

const MODES: readonly ResizeMode[] = ['nearest', 'linear', 'cubic', 'area'];
const CTMS: readonly CoordinateTransformationMode[] = [
  'half_pixel', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_crop_and_resize',
];
const NEAREST_MODES: readonly NearestMode[] = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];
const POLICIES: readonly KeepAspectRatioPolicy[] = ['stretch', 'not_larger', 'not_smaller'];

/** One resized axis after resolution. `scale` is the float32 the coordinate formulas use. */
export interface ResolvedAxis {
  axis: number;
  inLen: number;
  outLen: number;
  scale: number;
  roiStart: number;
  roiEnd: number;
}

/** Everything a resize needs, validated: what `_resize` and the image pipeline run. */
export interface ResolvedResize {
  inDims: number[];
  outDims: number[];
  /** The axes listed in `axes` (all axes by default), in axis order. */
  axes: ResolvedAxis[];
  mode: number;
  ctm: number;
  nearestMode: number;
  antialias: number;
  excludeOutside: number;
  cubicA: number;
  extrapolation: number;
}

function flag(v: unknown, what: string): number {
  if (v === undefined) return 0;
  if (v === 0 || v === 1 || v === false || v === true) return v ? 1 : 0;
  throw new WeirError('E_ARG', `${what} must be 0, 1 or a boolean, got ${JSON.stringify(v) ?? describe(v)}`);
}

function numbers(v: unknown, what: string): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || typeof (v as ArrayLike<unknown>).length !== 'number') {
    throw new WeirError('E_ARG', `${what} must be an array of numbers, got ${describe(v)}`);
  }
  const out = Array.from(v as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? Number(x) : x));
  if (!out.every((x) => typeof x === 'number')) throw new WeirError('E_ARG', `${what} must hold numbers`);
  return out;
}

/**
 * Validates the options against input dims and works out the output dims and, per axis, the scale
 * and roi the coordinate formulas use (ONNX Resize-19 semantics; see the module comment).
 * Throws WeirError (E_ARG, E_SHAPE) naming the attribute and what was expected.
 */
export function resolveResize(inDims: readonly number[], options: ResizeOptions, what = 'prep/resize'): ResolvedResize {
  const o = optionsArg<ResizeOptions>(options, what);
  const rank = inDims.length;
  if (rank === 0) throw new WeirError('E_SHAPE', `${what}: input must have rank >= 1, got a scalar`);
  const mode = oneOf(o.mode, `${what}: mode`, MODES, RESIZE_DEFAULTS.mode);
  const ctm = oneOf(o.coordinate_transformation_mode, `${what}: coordinate_transformation_mode`, CTMS, RESIZE_DEFAULTS.coordinate_transformation_mode);
  const nearestMode = oneOf(o.nearest_mode, `${what}: nearest_mode`, NEAREST_MODES, RESIZE_DEFAULTS.nearest_mode);
  const policy = oneOf(o.keep_aspect_ratio_policy, `${what}: keep_aspect_ratio_policy`, POLICIES, RESIZE_DEFAULTS.keep_aspect_ratio_policy);
  const antialias = flag(o.antialias, `${what}: antialias`);
  const excludeOutside = flag(o.exclude_outside, `${what}: exclude_outside`);
  const cubicA = o.cubic_coeff_a ?? RESIZE_DEFAULTS.cubic_coeff_a;
  if (typeof cubicA !== 'number' || !Number.isFinite(cubicA)) throw new WeirError('E_ARG', `${what}: cubic_coeff_a must be a finite number, got ${String(cubicA)}`);
  const extrapolation = o.extrapolation_value ?? RESIZE_DEFAULTS.extrapolation_value;
  if (typeof extrapolation !== 'number') throw new WeirError('E_ARG', `${what}: extrapolation_value must be a number, got ${describe(extrapolation)}`);
  if (mode === 'nearest' && antialias) throw new WeirError('E_ARG', `${what}: antialias applies to mode 'linear' and 'cubic', not 'nearest'`);
  if (mode === 'nearest' && excludeOutside) throw new WeirError('E_ARG', `${what}: exclude_outside applies to mode 'linear' and 'cubic' (nearest has one sample), not 'nearest'`);
  if (mode === 'area' && ctm !== 'half_pixel') throw new WeirError('E_ARG', `${what}: mode 'area' averages each output pixel's footprint and takes coordinate_transformation_mode 'half_pixel' only, got '${ctm}'`);

  let axes: number[];
  if (o.axes === undefined) axes = inDims.map((_, i) => i);
  else {
    const given = numbers(o.axes, `${what}: axes`)!;
    axes = given.map((a) => {
      if (!Number.isInteger(a) || a < -rank || a >= rank) throw new WeirError('E_ARG', `${what}: axes must be integers in [${-rank}, ${rank - 1}] for rank ${rank}, got ${JSON.stringify(given)}`);
      return a < 0 ? a + rank : a;
    });
    if (new Set(axes).size !== axes.length) throw new WeirError('E_ARG', `${what}: axes must not repeat, got ${JSON.stringify(given)}`);
    if (axes.length === 0) throw new WeirError('E_ARG', `${what}: axes must not be empty`);
  }
  const n = axes.length;
  const scales = numbers(o.scales, `${what}: scales`);
  const sizes = numbers(o.sizes, `${what}: sizes`);
  const hasScales = scales !== undefined && scales.length > 0;
  const hasSizes = sizes !== undefined && sizes.length > 0;
  if (hasScales === hasSizes) throw new WeirError('E_ARG', `${what}: give exactly one of scales or sizes (got ${hasScales ? 'both' : 'neither'})`);
  let roi: number[] | undefined;
  if (ctm === 'tf_crop_and_resize') {
    roi = numbers(o.roi, `${what}: roi`);
    if (roi === undefined) roi = [...new Array<number>(n).fill(0), ...new Array<number>(n).fill(1)];
    if (roi.length !== 2 * n) throw new WeirError('E_SHAPE', `${what}: roi must hold 2 × ${n} values (starts then ends of the resized axes), got ${roi.length}`);
    if (!roi.every(Number.isFinite)) throw new WeirError('E_ARG', `${what}: roi values must be finite`);
  }
  const f = Math.fround;
  const resolved: ResolvedAxis[] = axes.map((axis, i) => ({
    axis, inLen: inDims[axis]!, outLen: 0, scale: 1,
    roiStart: roi ? f(roi[i]!) : 0, roiEnd: roi ? f(roi[n + i]!) : 1,
  }));
  if (hasScales) {
    if (scales!.length !== n) throw new WeirError('E_SHAPE', `${what}: scales must have ${n} values (one per resized axis), got ${scales!.length}`);
    scales!.forEach((s, i) => {
      if (!Number.isFinite(s) || s <= 0) throw new WeirError('E_ARG', `${what}: scales must be finite and > 0, got ${JSON.stringify(scales)}`);
      const a = resolved[i]!;
      a.scale = f(s);
      const extent = ctm === 'tf_crop_and_resize' ? f(a.inLen * f(a.roiEnd - a.roiStart)) : a.inLen;
      a.outLen = Math.max(0, Math.floor(f(extent * a.scale)));
    });
  } else {
    if (sizes!.length !== n) throw new WeirError('E_SHAPE', `${what}: sizes must have ${n} values (one per resized axis), got ${sizes!.length}`);
    sizes!.forEach((s, i) => {
      if (!Number.isInteger(s) || s < 0) throw new WeirError('E_ARG', `${what}: sizes must be non-negative integers, got ${JSON.stringify(sizes)}`);
      const a = resolved[i]!;
      if (a.inLen === 0 && s !== 0) throw new WeirError('E_SHAPE', `${what}: axis ${a.axis} has length 0 and cannot be resized to ${s}`);
      a.outLen = s;
      a.scale = a.inLen === 0 ? 1 : f(s / a.inLen);
    });
    if (policy !== 'stretch') {
      let common = policy === 'not_larger' ? Infinity : 0;
      for (const a of resolved) common = policy === 'not_larger' ? Math.min(common, a.scale) : Math.max(common, a.scale);
      for (const a of resolved) {
        a.scale = common;
        // round_half_up(scale × length), the product in float32 as the scale is.
        a.outLen = Math.floor(f(common * a.inLen) + 0.5);
      }
    }
  }
  const outDims = [...inDims];
  for (const a of resolved) outDims[a.axis] = a.outLen;
  return {
    inDims: [...inDims], outDims, axes: resolved,
    mode: MODES.indexOf(mode), ctm: CTMS.indexOf(ctm), nearestMode: NEAREST_MODES.indexOf(nearestMode),
    antialias, excludeOutside, cubicA, extrapolation,
  };
}

/** One planned pass: an axis whose table is not the identity, with its table in wasm memory. */
interface Pass {
  axis: number;
  inLen: number;
  outLen: number;
  taps: number;
  first: number;
  weights: number;
  outside: number;
}

/**
 * Builds the per-axis tables in wasm memory (allocated with `alloc`, freed by the caller's scope)
 * and orders the passes: axes that shrink most go first, so later passes touch fewer elements.
 * Axes whose table is the identity are dropped. `outsides` lists the tf_crop_and_resize flags.
 */
function planPasses(k: Kernel<PrepExports>, r: ResolvedResize, alloc: (bytes: number) => number): { passes: Pass[]; outsides: Map<number, number> } {
  const e = k.exports;
  const passes: Pass[] = [];
  const outsides = new Map<number, number>();
  for (const a of r.axes) {
    if (a.outLen === 0 || a.inLen === 0) continue;
    const taps = e.resize_taps(r.mode, r.antialias, a.scale, a.inLen);
    const first = alloc(a.outLen * 4);
    const weights = alloc(a.outLen * taps * 4);
    const outside = r.ctm === 5 ? alloc(a.outLen) : 0;
    const identity = e.resize_table(
      r.mode, r.ctm, r.nearestMode, r.antialias, r.excludeOutside, r.cubicA,
      a.scale, a.inLen, a.outLen, a.roiStart, a.roiEnd, taps, first, weights, outside,
    );
    if (outside) outsides.set(a.axis, outside);
    if (!identity) passes.push({ axis: a.axis, inLen: a.inLen, outLen: a.outLen, taps, first, weights, outside });
  }
  passes.sort((p, q) => p.outLen / p.inLen - q.outLen / q.inLen || p.axis - q.axis);
  return { passes, outsides };
}

/**
 * Runs planned passes (at least one) on f32 data already in wasm memory: `src` holds `dims`, the
 * result goes to `dst`. Scratch comes from `alloc`; src and dst do not overlap.
 */
function runPasses(
  k: Kernel<PrepExports>, r: ResolvedResize, dims: number[], passes: Pass[], outsides: Map<number, number>,
  src: number, dst: number, alloc: (bytes: number) => number,
): void {
  const e = k.exports;
  const cur = [...dims];
  let from = src;
  let maxMid = 0;
  {
    const d = [...cur];
    for (let i = 0; i < passes.length - 1; i++) {
      d[passes[i]!.axis] = passes[i]!.outLen;
      maxMid = Math.max(maxMid, elementCount(d));
    }
  }
  const mids = passes.length > 1 ? [alloc(maxMid * 4), passes.length > 2 ? alloc(maxMid * 4) : 0] : [];
  passes.forEach((p, i) => {
    const to = i === passes.length - 1 ? dst : mids[i & 1]!;
    const outer = elementCount(cur.slice(0, p.axis));
    const inner = elementCount(cur.slice(p.axis + 1));
    e.resize_pass_f32(from, to, outer, p.inLen, p.outLen, inner, p.taps, p.first, p.weights);
    cur[p.axis] = p.outLen;
    from = to;
  });
  if (outsides.size > 0) {
    const rank = cur.length;
    const dimsPtr = alloc(rank * 4);
    const ptrs = alloc(rank * 4);
    k.view(Int32Array, dimsPtr, rank).set(cur);
    const pv = k.view(Uint32Array, ptrs, rank);
    for (let a = 0; a < rank; a++) pv[a] = outsides.get(a) ?? 0;
    e.resize_mask_f32(dst, rank, dimsPtr, ptrs, r.extrapolation);
  }
}

const DEFAULT_CHUNK_BYTES = 16 << 20;

/**
 * Resize with validated options, on a kernel the caller already holds (what pipelines call).
 * `input` is float32 or uint8; the result has the same dtype and is a copy out of wasm memory.
 */
export function _resize(k: Kernel<PrepExports>, input: Tensor<'float32' | 'uint8'>, r: ResolvedResize, chunkBytes = DEFAULT_CHUNK_BYTES): Tensor<'float32' | 'uint8'> {
  const e = k.exports;
  const outTotal = elementCount(r.outDims);
  const isU8 = input.dtype === 'uint8';
  const out = isU8 ? new Uint8Array(outTotal) : new Float32Array(outTotal);
  const result = { dtype: input.dtype, dims: [...r.outDims], data: out } as Tensor<'float32' | 'uint8'>;
  if (outTotal === 0) return result;
  k.scoped((alloc) => {
    const { passes, outsides } = planPasses(k, r, alloc);
    if (passes.length === 0) {
      // Every table is the identity (and nothing is extrapolated): the output is the input.
      out.set(input.data);
      return;
    }
    // Stream over the leading axes that no pass touches: each slice is an independent resize.
    const touched = [...passes.map((p) => p.axis), ...outsides.keys()];
    const lead = Math.min(...touched);
    const outerCount = elementCount(r.inDims.slice(0, lead));
    const sliceIn = elementCount(r.inDims.slice(lead));
    const sliceOut = elementCount(r.outDims.slice(lead));
    const group = Math.max(1, Math.min(outerCount, Math.floor(chunkBytes / (sliceIn * 4))));
    const shifted = passes.map((p) => ({ ...p, axis: p.axis - lead + 1 }));
    const shiftedOutsides = new Map([...outsides].map(([a, ptr]) => [a - lead + 1, ptr]));
    const src = alloc(group * sliceIn * 4);
    const dst = alloc(group * sliceOut * 4);
    const srcU8 = isU8 ? alloc(group * sliceIn) : 0;
    const dstU8 = isU8 ? alloc(group * sliceOut) : 0;
    for (let g0 = 0; g0 < outerCount; g0 += group) {
      const g = Math.min(group, outerCount - g0);
      const inSlice = input.data.subarray(g0 * sliceIn, (g0 + g) * sliceIn);
      if (isU8) {
        k.write(srcU8, inSlice);
        e.convert_u8_f32(srcU8, src, g * sliceIn);
      } else k.write(src, inSlice);
      runPasses(k, r, [g, ...r.inDims.slice(lead)], shifted, shiftedOutsides, src, dst, alloc);
      if (isU8) {
        e.convert_f32_u8_round(dst, dstU8, g * sliceOut);
        out.set(k.view(Uint8Array, dstU8, g * sliceOut), g0 * sliceOut);
      } else out.set(k.view(Float32Array, dst, g * sliceOut), g0 * sliceOut);
    }
  });
  return result;
}

/**
 * ONNX Resize. `input` is a float32 or uint8 tensor of any rank; the result has the same dtype and
 * the output shape the spec gives (sizes, or floor(length × scale), adjusted by
 * keep_aspect_ratio_policy). The result is a new tensor (a copy out of wasm memory).
 *
 * @example
 * // NCHW float32, the Resize node of a torchvision-exported model:
 * const y = await resize(x, { mode: 'linear', antialias: 1, sizes: [1, 3, 224, 224] });
 * // only H and W, by scale, nearest as in a YOLO upsample:
 * const z = await resize(x, { axes: [2, 3], scales: [2, 2], mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
 */
export async function resize<D extends 'float32' | 'uint8'>(input: Tensor<D>, options: ResizeOptions): Promise<Tensor<D>> {
  checkTensor(input, 'prep/resize: input');
  if (input.dtype !== 'float32' && input.dtype !== 'uint8') {
    throw new WeirError('E_SHAPE', `prep/resize: input dtype must be float32 or uint8, got ${input.dtype}`);
  }
  const r = resolveResize(input.dims, options);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isFinite(chunkBytes) || chunkBytes <= 0) throw new WeirError('E_ARG', `prep/resize: chunkBytes must be > 0, got ${String(chunkBytes)}`);
  const k = await getPrepKernel();
  return _resize(k, input as Tensor<'float32' | 'uint8'>, r, chunkBytes) as Tensor<D>;
}
