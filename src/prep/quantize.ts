/**
 * ONNX QuantizeLinear / DequantizeLinear (opset 13 semantics: per tensor or per axis) and
 * float32 <-> float16, for models that take uint8, int8 or float16 inputs.
 *
 * QuantizeLinear: y = saturate(round_half_to_even(x / y_scale) + y_zero_point), saturating to
 * [0, 255] (uint8) or [-128, 127] (int8); NaN quantizes to the zero point. DequantizeLinear:
 * y = (x - x_zero_point) * x_scale. float16 is IEEE binary16 with round to nearest even, held as
 * bits in a Uint16Array (what onnxruntime-web takes). Each element is touched once: O(n). Inputs
 * stream through wasm memory in slices; results are new arrays (copies).
 */
import { WeirError } from '../runtime/errors.js';
import type { Kernel } from '../runtime/kernel.js';
import { getPrepKernel, type PrepExports } from './kernel.js';
import { optionsArg } from './series-args.js';
import { checkTensor, describe, elementCount, type Tensor } from './tensor.js';

export type QuantizedDtype = 'uint8' | 'int8';

export interface QuantizeOptions {
  /** y_scale: a number (per tensor) or one value per index of `axis` (per axis); finite, > 0. */
  scale: number | ArrayLike<number>;
  /** y_zero_point: like `scale`; integers in the output range. Default 0. */
  zeroPoint?: number | ArrayLike<number>;
  /** The axis a per-axis scale runs along (ONNX default 1); negative counts from the end. */
  axis?: number;
}

export interface QuantizeLinearOptions extends QuantizeOptions {
  /** Output type (ONNX takes it from y_zero_point's type). Default 'uint8'. */
  dtype?: QuantizedDtype;
}

/** Per-axis parameters after validation: the tensor is viewed as [outer, axisLen, inner]. */
export interface ResolvedQuantization {
  outer: number;
  axisLen: number;
  inner: number;
  scales: Float32Array;
  zeroPoints: Int32Array;
  signed: number;
}

const CHUNK_ELEMENTS = 1 << 20;

/** Validates scale/zeroPoint/axis against `dims` (see {@link QuantizeOptions}). */
export function resolveQuantization(dims: readonly number[], o: QuantizeOptions, dtype: QuantizedDtype, what: string): ResolvedQuantization {
  const perAxis = typeof o.scale !== 'number';
  const scales = typeof o.scale === 'number' ? [o.scale] : Array.from(o.scale ?? [], Number);
  if (!scales.length || !scales.every((s) => Number.isFinite(s) && s > 0)) {
    throw new WeirError('E_ARG', `${what}: scale must be a finite number > 0 or a non-empty array of them, got ${describe(o.scale)}`);
  }
  const zp = o.zeroPoint === undefined ? new Array<number>(scales.length).fill(0)
    : typeof o.zeroPoint === 'number' ? [o.zeroPoint] : Array.from(o.zeroPoint, Number);
  const [lo, hi] = dtype === 'int8' ? [-128, 127] : [0, 255];
  if (zp.length !== scales.length) throw new WeirError('E_SHAPE', `${what}: zeroPoint must have ${scales.length} value(s) like scale, got ${zp.length}`);
  if (!zp.every((z) => Number.isInteger(z) && z >= lo && z <= hi)) throw new WeirError('E_ARG', `${what}: zeroPoint must be integers in [${lo}, ${hi}] for ${dtype}, got ${JSON.stringify(zp)}`);
  const rank = dims.length;
  let outer = elementCount(dims);
  let axisLen = 1;
  let inner = 1;
  if (perAxis && (scales.length > 1 || o.axis !== undefined)) {
    const axisArg = o.axis ?? 1;
    if (!Number.isInteger(axisArg) || axisArg < -rank || axisArg >= rank) throw new WeirError('E_ARG', `${what}: axis must be an integer in [${-rank}, ${rank - 1}], got ${String(axisArg)}`);
    const axis = axisArg < 0 ? axisArg + rank : axisArg;
    if (dims[axis] !== scales.length) throw new WeirError('E_SHAPE', `${what}: a per-axis scale needs dims[${axis}] = ${dims[axis]} values, got ${scales.length}`);
    outer = elementCount(dims.slice(0, axis));
    axisLen = scales.length;
    inner = elementCount(dims.slice(axis + 1));
  }
  return { outer, axisLen, inner, scales: Float32Array.from(scales), zeroPoints: Int32Array.from(zp), signed: dtype === 'int8' ? 1 : 0 };
}

/**
 * Quantizes n = outer·axisLen·inner floats already in wasm memory at `src` into bytes at `dst`
 * (what pipelines call after validating with {@link resolveQuantization}).
 */
export function _quantizeInWasm(k: Kernel<PrepExports>, q: ResolvedQuantization, src: number, dst: number): void {
  k.scoped((alloc) => {
    const sp = alloc(q.axisLen * 4);
    const zp = alloc(q.axisLen * 4);
    k.view(Float32Array, sp, q.axisLen).set(q.scales);
    k.view(Int32Array, zp, q.axisLen).set(q.zeroPoints);
    k.exports.quantize_linear_f32(src, dst, q.outer, q.axisLen, q.inner, sp, zp, q.signed);
  });
}

/** Runs `fn` over slices of whole outer rows, each at most ~CHUNK_ELEMENTS elements. */
function sliceRows(q: ResolvedQuantization, fn: (o0: number, rows: number) => void): void {
  const row = q.axisLen * q.inner;
  const rows = Math.max(1, Math.floor(CHUNK_ELEMENTS / Math.max(row, 1)));
  for (let o0 = 0; o0 < q.outer; o0 += rows) fn(o0, Math.min(rows, q.outer - o0));
}

/**
 * ONNX QuantizeLinear of a float32 tensor. Returns a new uint8 or int8 tensor (a copy).
 *
 * @example
 * const q = await quantizeLinear(x, { scale: 0.02, zeroPoint: 128 });            // per tensor, uint8
 * const w = await quantizeLinear(x, { scale: [0.1, 0.2, 0.3], axis: 1, dtype: 'int8' }); // per channel
 */
export async function quantizeLinear(x: Tensor<'float32'>, options: QuantizeLinearOptions): Promise<Tensor<QuantizedDtype>> {
  checkTensor(x, 'prep/quantizeLinear: input');
  if (x.dtype !== 'float32') throw new WeirError('E_SHAPE', `prep/quantizeLinear: input dtype must be float32, got ${x.dtype}`);
  const o = optionsArg<QuantizeLinearOptions>(options, 'prep/quantizeLinear');
  const dtype = o.dtype ?? 'uint8';
  if (dtype !== 'uint8' && dtype !== 'int8') throw new WeirError('E_ARG', `prep/quantizeLinear: dtype must be 'uint8' or 'int8', got ${JSON.stringify(dtype)}`);
  const q = resolveQuantization(x.dims, o, dtype, 'prep/quantizeLinear');
  const k = await getPrepKernel();
  const n = x.data.length;
  const out = dtype === 'int8' ? new Int8Array(n) : new Uint8Array(n);
  const row = q.axisLen * q.inner;
  k.scoped((alloc) => {
    const cap = Math.min(q.outer, Math.max(1, Math.floor(CHUNK_ELEMENTS / Math.max(row, 1)))) * row;
    const src = alloc(cap * 4);
    const dst = alloc(cap);
    sliceRows(q, (o0, rows) => {
      const m = rows * row;
      k.write(src, x.data.subarray(o0 * row, o0 * row + m));
      _quantizeInWasm(k, { ...q, outer: rows }, src, dst);
      out.set(k.view(dtype === 'int8' ? Int8Array : Uint8Array, dst, m), o0 * row);
    });
  });
  return { dtype, dims: [...x.dims], data: out } as Tensor<QuantizedDtype>;
}

/**
 * ONNX DequantizeLinear of a uint8 or int8 tensor to float32 (a new tensor).
 *
 * @example
 * const x = await dequantizeLinear(q, { scale: 0.02, zeroPoint: 128 });
 */
export async function dequantizeLinear(x: Tensor<QuantizedDtype>, options: QuantizeOptions): Promise<Tensor<'float32'>> {
  checkTensor(x, 'prep/dequantizeLinear: input');
  if (x.dtype !== 'uint8' && x.dtype !== 'int8') throw new WeirError('E_SHAPE', `prep/dequantizeLinear: input dtype must be uint8 or int8, got ${x.dtype}`);
  const o = optionsArg<QuantizeOptions>(options, 'prep/dequantizeLinear');
  const q = resolveQuantization(x.dims, o, x.dtype, 'prep/dequantizeLinear');
  const k = await getPrepKernel();
  const out = new Float32Array(x.data.length);
  const row = q.axisLen * q.inner;
  k.scoped((alloc) => {
    const cap = Math.min(q.outer, Math.max(1, Math.floor(CHUNK_ELEMENTS / Math.max(row, 1)))) * row;
    const src = alloc(cap);
    const dst = alloc(cap * 4);
    const sp = alloc(q.axisLen * 4);
    const zp = alloc(q.axisLen * 4);
    k.view(Float32Array, sp, q.axisLen).set(q.scales);
    k.view(Int32Array, zp, q.axisLen).set(q.zeroPoints);
    sliceRows(q, (o0, rows) => {
      const m = rows * row;
      k.write(src, x.data.subarray(o0 * row, o0 * row + m));
      k.exports.dequantize_linear_f32(src, dst, rows, q.axisLen, q.inner, sp, zp, q.signed);
      out.set(k.view(Float32Array, dst, m), o0 * row);
    });
  });
  return { dtype: 'float32', dims: [...x.dims], data: out };
}

/** float32 -> float16 (IEEE binary16 bits, round to nearest even); a new tensor. */
export async function toFloat16(x: Tensor<'float32'>): Promise<Tensor<'float16'>> {
  checkTensor(x, 'prep/toFloat16: input');
  if (x.dtype !== 'float32') throw new WeirError('E_SHAPE', `prep/toFloat16: input dtype must be float32, got ${x.dtype}`);
  const k = await getPrepKernel();
  const n = x.data.length;
  const out = new Uint16Array(n);
  k.scoped((alloc) => {
    const cap = Math.min(n, CHUNK_ELEMENTS);
    const src = alloc(cap * 4);
    const dst = alloc(cap * 2);
    for (let i = 0; i < n; i += cap) {
      const m = Math.min(cap, n - i);
      k.write(src, x.data.subarray(i, i + m));
      k.exports.convert_f32_f16(src, dst, m);
      out.set(k.view(Uint16Array, dst, m), i);
    }
  });
  return { dtype: 'float16', dims: [...x.dims], data: out };
}

/** float16 bits -> float32 (exact); a new tensor. */
export async function fromFloat16(x: Tensor<'float16'>): Promise<Tensor<'float32'>> {
  checkTensor(x, 'prep/fromFloat16: input');
  if (x.dtype !== 'float16') throw new WeirError('E_SHAPE', `prep/fromFloat16: input dtype must be float16, got ${x.dtype}`);
  const k = await getPrepKernel();
  const n = x.data.length;
  const out = new Float32Array(n);
  k.scoped((alloc) => {
    const cap = Math.min(n, CHUNK_ELEMENTS);
    const src = alloc(cap * 2);
    const dst = alloc(cap * 4);
    for (let i = 0; i < n; i += cap) {
      const m = Math.min(cap, n - i);
      k.write(src, x.data.subarray(i, i + m));
      k.exports.convert_f16_f32(src, dst, m);
      out.set(k.view(Float32Array, dst, m), i);
    }
  });
  return { dtype: 'float32', dims: [...x.dims], data: out };
}
