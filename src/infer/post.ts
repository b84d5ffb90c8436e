/**
 * Post-processing of model outputs: softmax, sigmoid, argmax, top-k and threshold.
 *
 * These run as plain TypeScript loops over the arrays onnxruntime returns: the data already lives
 * in JS memory, and moving it into wasm for one pass would cost a copy larger than the work.
 * Each returns a new tensor; none modifies its input. Semantics follow the ONNX operators of the
 * same names (Softmax opset 13, Sigmoid, ArgMax with keepdims = 0, TopK with largest = 1,
 * sorted = 1: equal values keep the lower index first).
 */
import { WeirError } from '../runtime/errors.js';
import { checkTensor, type Tensor } from '../prep/tensor.js';

type FloatDtype = 'float32' | 'float64';

function checkFloat(t: unknown, what: string): asserts t is Tensor<FloatDtype> {
  checkTensor(t, what);
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new WeirError('E_SHAPE', `${what}: dtype must be float32 or float64, got ${t.dtype}`);
}

/** [outer, size, inner] around `axis` (negative counts from the end). */
function split(dims: number[], axis: number, what: string): [number, number, number, number] {
  const r = dims.length;
  if (r === 0) throw new WeirError('E_SHAPE', `${what}: a scalar has no axis`);
  if (!Number.isInteger(axis) || axis < -r || axis >= r) throw new WeirError('E_ARG', `${what}: axis must be an integer in [${-r}, ${r - 1}], got ${String(axis)}`);
  const a = axis < 0 ? axis + r : axis;
  const outer = dims.slice(0, a).reduce((x, y) => x * y, 1);
  const inner = dims.slice(a + 1).reduce((x, y) => x * y, 1);
  return [outer, dims[a]!, inner, a];
}

function like<D extends FloatDtype>(t: Tensor<D>, n: number): Tensor<D>['data'] {
  return (t.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n)) as Tensor<D>['data'];
}

/**
 * exp(x - max) / sum(exp(x - max)) along `axis` (default last). A slice holding NaN is NaN.
 *
 * @example
 * const p = softmax(logits); // [batch, classes], rows sum to 1
 */
export function softmax<D extends FloatDtype>(t: Tensor<D>, opts: { axis?: number } = {}): Tensor<D> {
  checkFloat(t, 'infer/softmax');
  const [outer, size, inner] = split(t.dims, opts.axis ?? -1, 'infer/softmax');
  const x = t.data;
  const y = like(t, x.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let m = -Infinity;
      for (let k = 0; k < size; k++) m = Math.max(m, x[base + k * inner]!);
      let sum = 0;
      for (let k = 0; k < size; k++) {
        const e = Math.exp(x[base + k * inner]! - m);
        y[base + k * inner] = e;
        sum += e;
      }
      for (let k = 0; k < size; k++) y[base + k * inner] = y[base + k * inner]! / sum;
    }
  }
  return { dtype: t.dtype, dims: [...t.dims], data: y };
}

/**
 * 1 / (1 + exp(-x)), element-wise, computed without overflow for large |x|.
 *
 * @example
 * const p = sigmoid(logit); // probabilities of a binary classifier
 */
export function sigmoid<D extends FloatDtype>(t: Tensor<D>): Tensor<D> {
  checkFloat(t, 'infer/sigmoid');
  const x = t.data;
  const y = like(t, x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
    else {
      const e = Math.exp(v);
      y[i] = e / (1 + e);
    }
  }
  return { dtype: t.dtype, dims: [...t.dims], data: y };
}

/**
 * Index of the largest value along `axis` (default last), the axis removed (ONNX ArgMax,
 * keepdims = 0, select_last_index = 0: the first of equal maxima). NaN never wins; an all-NaN
 * slice gives 0.
 *
 * @example
 * const cls = argmax(probs).data; // Int32Array, one class per row
 */
export function argmax(t: Tensor<FloatDtype>, opts: { axis?: number } = {}): Tensor<'int32'> {
  checkFloat(t, 'infer/argmax');
  const [outer, size, inner, a] = split(t.dims, opts.axis ?? -1, 'infer/argmax');
  if (size === 0) throw new WeirError('E_SHAPE', `infer/argmax: axis ${a} is empty`);
  const x = t.data;
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let best = 0;
      let bv = -Infinity;
      for (let k = 0; k < size; k++) {
        const v = x[base + k * inner]!;
        if (v > bv) { bv = v; best = k; }
      }
      out[o * inner + i] = best;
    }
  }
  return { dtype: 'int32', dims: t.dims.filter((_, i) => i !== a), data: out };
}

/**
 * The k largest values along `axis` (default last), in descending order, with their indices
 * (ONNX TopK, largest = 1, sorted = 1; equal values keep the lower index first; NaN sorts last).
 * Output shapes replace the axis by k.
 *
 * @example
 * const { values, indices } = topK(probs, 5);
 */
export function topK<D extends FloatDtype>(t: Tensor<D>, k: number, opts: { axis?: number } = {}): { values: Tensor<D>; indices: Tensor<'int32'> } {
  checkFloat(t, 'infer/topK');
  const [outer, size, inner, a] = split(t.dims, opts.axis ?? -1, 'infer/topK');
  if (!Number.isInteger(k) || k < 0 || k > size) throw new WeirError('E_ARG', `infer/topK: k must be an integer in [0, ${size}] (axis ${a} has ${size}), got ${String(k)}`);
  const x = t.data;
  const values = like(t, outer * k * inner);
  const indices = new Int32Array(outer * k * inner);
  const order = Array.from({ length: size }, (_, i) => i);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      const at = (j: number) => x[base + j * inner]!;
      order.sort((p, q) => {
        const vp = at(p);
        const vq = at(q);
        if (vp === vq || (Number.isNaN(vp) && Number.isNaN(vq))) return p - q;
        if (Number.isNaN(vp)) return 1;
        if (Number.isNaN(vq)) return -1;
        return vq - vp;
      });
      for (let j = 0; j < k; j++) {
        const dst = (o * k + j) * inner + i;
        values[dst] = at(order[j]!);
        indices[dst] = order[j]!;
      }
    }
  }
  const dims = [...t.dims];
  dims[a] = k;
  return { values: { dtype: t.dtype, dims, data: values }, indices: { dtype: 'int32', dims: [...dims], data: indices } };
}

/**
 * 1 where x >= `at`, else 0 (NaN gives 0), as a uint8 tensor of the same shape.
 *
 * @example
 * const positive = threshold(sigmoid(logit), 0.5);
 */
export function threshold(t: Tensor<FloatDtype>, at: number): Tensor<'uint8'> {
  checkFloat(t, 'infer/threshold');
  if (typeof at !== 'number' || Number.isNaN(at)) throw new WeirError('E_ARG', `infer/threshold: the threshold must be a number, got ${String(at)}`);
  const x = t.data;
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! >= at ? 1 : 0;
  return { dtype: 'uint8', dims: [...t.dims], data: out };
}
