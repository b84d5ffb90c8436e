/**
 * ONNX LayerNormalization (opset 17) and MeanVarianceNormalization (opset 13) on float32 tensors.
 *
 * LayerNormalization normalises over the axes from `axis` to the last: per group,
 * y = (x − mean) / sqrt(var + epsilon) · scale + bias, var the population variance; it also
 * returns the Mean and InvStdDev outputs (the normalised axes kept as 1s). MeanVarianceNormalization
 * normalises over `axes` (default [0, 2, 3]): y = (x − E[x]) / (sqrt(E[(x − E[x])²]) + 1e−9), as the
 * operator's function body defines it. Statistics accumulate in float64 in two passes (mean, then
 * squared deviations), so they do not suffer the cancellation of E[x²] − E[x]²; outputs are
 * float32. O(n) each. LayerNormalization streams groups through wasm memory; MVN takes the tensor
 * in one piece. Results are new arrays (copies).
 */
import { WeirError } from '../runtime/errors.js';
import { getPrepKernel } from './kernel.js';
import { optionsArg } from './series-args.js';
import { checkTensor, describe, elementCount, type Tensor } from './tensor.js';

export interface LayerNormOptions {
  /** First normalised axis (ONNX default -1: the last axis only). */
  axis?: number;
  /** Added to the variance (ONNX default 1e-5). */
  epsilon?: number;
}

export const LAYER_NORM_DEFAULTS = Object.freeze({ axis: -1, epsilon: 1e-5 });

export interface LayerNormResult {
  y: Tensor<'float32'>;
  mean: Tensor<'float32'>;
  invStdDev: Tensor<'float32'>;
}

const CHUNK_ELEMENTS = 1 << 20;

function checkF32(t: unknown, what: string): asserts t is Tensor<'float32'> {
  checkTensor(t, what);
  if (t.dtype !== 'float32') throw new WeirError('E_SHAPE', `${what}: dtype must be float32, got ${t.dtype}`);
}

/** `t` as n floats: its data when it has n elements, or its one value repeated. */
function perElement(t: unknown, n: number, normDims: number[], what: string): Float32Array {
  checkF32(t, what);
  const m = t.data.length;
  if (m === n) return t.data;
  if (m === 1) return new Float32Array(n).fill(t.data[0]!);
  throw new WeirError('E_SHAPE', `${what}: must have the normalised shape [${normDims.join(', ')}] (${n} elements) or one element, got [${t.dims.join(', ')}]`);
}

/**
 * ONNX LayerNormalization. `scale` (and `bias`, optional) have the normalised shape
 * (x.dims from `axis` on) or a single element.
 *
 * @example
 * const { y } = await layerNormalization(x, gamma, beta, { axis: -1, epsilon: 1e-5 });
 */
export async function layerNormalization(
  x: Tensor<'float32'>, scale: Tensor<'float32'>, bias?: Tensor<'float32'>, options?: LayerNormOptions,
): Promise<LayerNormResult> {
  checkF32(x, 'prep/layerNormalization: x');
  const o = optionsArg<LayerNormOptions>(options, 'prep/layerNormalization', true);
  const rank = x.dims.length;
  const axisArg = o.axis ?? LAYER_NORM_DEFAULTS.axis;
  if (rank === 0) throw new WeirError('E_SHAPE', 'prep/layerNormalization: x must have rank >= 1, got a scalar');
  if (!Number.isInteger(axisArg) || axisArg < -rank || axisArg >= rank) {
    throw new WeirError('E_ARG', `prep/layerNormalization: axis must be an integer in [${-rank}, ${rank - 1}], got ${String(axisArg)}`);
  }
  const axis = axisArg < 0 ? axisArg + rank : axisArg;
  const epsilon = o.epsilon ?? LAYER_NORM_DEFAULTS.epsilon;
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
    throw new WeirError('E_ARG', `prep/layerNormalization: epsilon must be a finite number >= 0, got ${describe(epsilon)}`);
  }
  const normDims = x.dims.slice(axis);
  const n = elementCount(normDims);
  const groups = elementCount(x.dims.slice(0, axis));
  const s = perElement(scale, n, normDims, 'prep/layerNormalization: scale');
  const b = bias === undefined ? null : perElement(bias, n, normDims, 'prep/layerNormalization: bias');
  const k = await getPrepKernel();
  const y = new Float32Array(x.data.length);
  const mean = new Float32Array(groups);
  const inv = new Float32Array(groups);
  if (n > 0) {
    k.scoped((alloc) => {
      const per = Math.max(1, Math.min(groups, Math.floor(CHUNK_ELEMENTS / n)));
      const src = alloc(per * n * 4);
      const dst = alloc(per * n * 4);
      const sp = alloc(n * 4);
      const bp = b ? alloc(n * 4) : 0;
      const mp = alloc(per * 4);
      const ip = alloc(per * 4);
      k.write(sp, s);
      if (b) k.write(bp, b);
      for (let g0 = 0; g0 < groups; g0 += per) {
        const g = Math.min(per, groups - g0);
        k.write(src, x.data.subarray(g0 * n, (g0 + g) * n));
        k.exports.layer_norm_f32(src, dst, g, n, sp, bp, epsilon, mp, ip);
        y.set(k.view(Float32Array, dst, g * n), g0 * n);
        mean.set(k.view(Float32Array, mp, g), g0);
        inv.set(k.view(Float32Array, ip, g), g0);
      }
    });
  }
  const statDims = [...x.dims.slice(0, axis), ...normDims.map(() => 1)];
  return {
    y: { dtype: 'float32', dims: [...x.dims], data: y },
    mean: { dtype: 'float32', dims: statDims, data: mean },
    invStdDev: { dtype: 'float32', dims: statDims, data: inv },
  };
}

/**
 * ONNX MeanVarianceNormalization over `axes` (default [0, 2, 3], the operator's default).
 *
 * @example
 * const y = await meanVarianceNormalization(x, { axes: [2, 3] }); // per (n, c) plane
 */
export async function meanVarianceNormalization(x: Tensor<'float32'>, options?: { axes?: readonly number[] }): Promise<Tensor<'float32'>> {
  checkF32(x, 'prep/meanVarianceNormalization: x');
  const o = optionsArg<{ axes?: readonly number[] }>(options, 'prep/meanVarianceNormalization', true);
  const rank = x.dims.length;
  const given = o.axes ?? [0, 2, 3];
  if (!Array.isArray(given) || given.length === 0) throw new WeirError('E_ARG', `prep/meanVarianceNormalization: axes must be a non-empty array, got ${describe(given)}`);
  const axes = given.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new WeirError('E_ARG', `prep/meanVarianceNormalization: axes must be integers in [${-rank}, ${rank - 1}] for x of shape [${x.dims.join(', ')}], got ${JSON.stringify(given)}`);
    }
    return a < 0 ? a + rank : a;
  });
  if (new Set(axes).size !== axes.length) throw new WeirError('E_ARG', `prep/meanVarianceNormalization: axes must not repeat, got ${JSON.stringify(given)}`);
  const reduced = new Set(axes);
  // Runs of consecutive axes that are all reduced or all kept.
  const runs: Array<{ size: number; reduce: boolean }> = [];
  x.dims.forEach((d, i) => {
    const r = reduced.has(i);
    const last = runs[runs.length - 1];
    if (last && last.reduce === r) last.size *= d;
    else runs.push({ size: d, reduce: r });
  });
  const kept = runs.filter((r) => !r.reduce).reduce((p, r) => p * r.size, 1);
  const count = runs.filter((r) => r.reduce).reduce((p, r) => p * r.size, 1);
  const strides = new Int32Array(runs.length);
  let st = 1;
  for (let i = runs.length - 1; i >= 0; i--) {
    if (!runs[i]!.reduce) {
      strides[i] = st;
      st *= runs[i]!.size;
    }
  }
  const k = await getPrepKernel();
  const n = x.data.length;
  const y = new Float32Array(n);
  if (n > 0) {
    k.scoped((alloc) => {
      const src = k.copyIn(x.data);
      try {
        const dst = alloc(n * 4);
        const sizes = alloc(runs.length * 4);
        const ks = alloc(runs.length * 4);
        const scratch = alloc(kept * 24);
        k.view(Int32Array, sizes, runs.length).set(runs.map((r) => r.size));
        k.view(Int32Array, ks, runs.length).set(strides);
        k.exports.mvn_f32(src, dst, runs.length, sizes, ks, kept, count, scratch);
        y.set(k.view(Float32Array, dst, n));
      } finally {
        k.free(src);
      }
    });
  }
  return { dtype: 'float32', dims: [...x.dims], data: y };
}
