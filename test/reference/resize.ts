// Plain-TS ONNX Resize (opset 19): a direct transcription of the operator's text and of its
// reference implementation (onnx/reference/ops/op_resize.py): per output element, x_original per
// axis from the coordinate transformation, then 1-D interpolation along each axis recursively
// (innermost axes first, as the reference's _interpolate_nd_with_x), with the neighbours taken
// from an edge-padded copy of the line and the spec's coefficient formulas.
//
// Two conventions the spec leaves open are fixed here, as onnxruntime does:
// - coordinates and output sizes are evaluated in float32 (scales and roi are float tensors), in
//   the order each formula is written;
// - pytorch_half_pixel with an output length of 1 gives x_original = 0, as the operator text says
//   (the Python reference uses -0.5).
// Sums and weights are float64. Slow on purpose: O(output × input) per element.

export type Mode = 'nearest' | 'linear' | 'cubic';

export interface RefResizeOptions {
  mode?: Mode;
  coordinate_transformation_mode?: string;
  nearest_mode?: string;
  cubic_coeff_a?: number;
  exclude_outside?: number;
  extrapolation_value?: number;
  antialias?: number;
  keep_aspect_ratio_policy?: string;
  axes?: number[];
  scales?: number[];
  sizes?: number[];
  roi?: number[];
}

const f = Math.fround;

type Coeffs = (ratio: number, scale: number) => number[];

function nearestCoeffs(ratio: number, mode: string): number[] {
  if (Number.isInteger(ratio)) return [0, 1];
  if (mode === 'round_prefer_floor') return [ratio <= 0.5 ? 1 : 0, ratio > 0.5 ? 1 : 0];
  if (mode === 'round_prefer_ceil') return [ratio < 0.5 ? 1 : 0, ratio >= 0.5 ? 1 : 0];
  if (mode === 'floor') return [1, 0];
  if (mode === 'ceil') return [0, 1];
  throw new Error(`nearest_mode ${mode}`);
}

function linearCoeffs(ratio: number): number[] {
  return [1 - ratio, ratio];
}

function linearCoeffsAntialias(ratio: number, scale: number): number[] {
  scale = Math.min(scale, 1);
  const start = Math.floor(-1 / scale) + 1;
  const footprint = 2 - 2 * start;
  const c: number[] = [];
  for (let i = start; i < start + footprint; i++) c.push(Math.min(1, Math.max(0, 1 - Math.abs((i - ratio) * scale))));
  const s = c.reduce((a, b) => a + b, 0);
  return c.map((v) => v / s);
}

function cubicCoeffs(ratio: number, A: number): number[] {
  return [
    ((A * (ratio + 1) - 5 * A) * (ratio + 1) + 8 * A) * (ratio + 1) - 4 * A,
    ((A + 2) * ratio - (A + 3)) * ratio * ratio + 1,
    ((A + 2) * (1 - ratio) - (A + 3)) * (1 - ratio) * (1 - ratio) + 1,
    ((A * (1 - ratio + 1) - 5 * A) * (1 - ratio + 1) + 8 * A) * (1 - ratio + 1) - 4 * A,
  ];
}

function cubicCoeffsAntialias(ratio: number, scale: number, A: number): number[] {
  scale = Math.min(scale, 1);
  const coeff = (x: number): number => {
    x = Math.abs(x);
    const x2 = x * x;
    const x3 = x * x2;
    if (x <= 1) return (A + 2) * x3 - (A + 3) * x2 + 1;
    if (x < 2) return A * x3 - 5 * A * x2 + 8 * A * x - 4 * A;
    return 0;
  };
  const iStart = Math.floor(-2 / scale) + 1;
  const iEnd = 2 - iStart;
  const c: number[] = [];
  for (let i = iStart; i < iEnd; i++) c.push(coeff(scale * (i - ratio)));
  const s = c.reduce((a, b) => a + b, 0);
  return c.map((v) => v / s);
}

/**
 * The spec's _get_neighbor: the n indexes nearest to x (ties to the smaller index) in the
 * edge-padded line, and their values. Every coefficient array has even length n, for which that
 * choice is, in closed form, x - n/2 .. x + n/2 - 1 for integer x and floor(x) - n/2 + 1 ..
 * floor(x) + n/2 otherwise. It is written that way rather than by sorting |x + pad - i| as the
 * Python does, because x + pad rounds when x is tiny (1e-45) and then disagrees with `ratio`.
 */
function neighbors(x: number, n: number, data: number[]): { idxes: number[]; points: number[] } {
  const base = Number.isInteger(x) ? x - n / 2 : Math.floor(x) - n / 2 + 1;
  const idxes = Array.from({ length: n }, (_, k) => base + k);
  const points = idxes.map((i) => data[Math.min(Math.max(i, 0), data.length - 1)]!);
  return { idxes, points };
}

export interface Axis1D {
  scale: number;
  outLen: number;
  roiStart: number;
  roiEnd: number;
}

/** x_original of output index x on one axis (float32 evaluation, see the module comment). */
export function originalCoordinate(ctm: string, x: number, inLen: number, a: Axis1D): number {
  const s = a.scale;
  const outLen = a.outLen;
  switch (ctm) {
    case 'half_pixel': return f(f(f(x + 0.5) / s) - 0.5);
    case 'half_pixel_symmetric': {
      const outputWidth = f(s * inLen);
      const adjustment = f(outLen / outputWidth);
      const center = f(inLen / 2);
      const offset = f(center * f(1 - adjustment));
      return f(offset + (x + 0.5) / s - 0.5);
    }
    case 'pytorch_half_pixel': return outLen > 1 ? f(f(f(x + 0.5) / s) - 0.5) : 0;
    case 'align_corners': return outLen === 1 ? 0 : f(f(x * (inLen - 1)) / (outLen - 1));
    case 'asymmetric': return f(x / s);
    case 'tf_crop_and_resize': {
      const rs = a.roiStart;
      const re = a.roiEnd;
      return outLen > 1
        ? f(f(rs * (inLen - 1)) + f(f(f(x * f(re - rs)) * (inLen - 1)) / (outLen - 1)))
        : f(0.5 * f(rs + re) * (inLen - 1));
    }
    default: throw new Error(`coordinate_transformation_mode ${ctm}`);
  }
}

interface Ctx {
  ctm: string;
  coeffs: Coeffs;
  excludeOutside: boolean;
  extrapolation: number;
}

function interpolate1d(data: number[], x: number, a: Axis1D, ctx: Ctx): number {
  const inLen = data.length;
  const xOri = originalCoordinate(ctx.ctm, x, inLen, a);
  if (ctx.ctm === 'tf_crop_and_resize' && (xOri < 0 || xOri > inLen - 1)) return ctx.extrapolation;
  const xInt = Math.floor(xOri);
  const ratio = Number.isInteger(xOri) ? 1 : xOri - xInt;
  const coeffs = ctx.coeffs(ratio, a.scale);
  const { idxes, points } = neighbors(xOri, coeffs.length, data);
  if (ctx.excludeOutside) {
    idxes.forEach((i, k) => { if (i < 0 || i >= inLen) coeffs[k] = 0; });
    const s = coeffs.reduce((p, q) => p + q, 0);
    for (let k = 0; k < coeffs.length; k++) coeffs[k] = coeffs[k]! / s;
  }
  let acc = 0;
  for (let k = 0; k < coeffs.length; k++) acc += coeffs[k]! * points[k]!;
  return acc;
}

/** A nested-array view: element i of the sub-tensor along the first axis. */
function subTensor(data: Float64Array, dims: number[], i: number): Float64Array {
  const size = dims.slice(1).reduce((p, q) => p * q, 1);
  return data.subarray(i * size, (i + 1) * size);
}

function interpolateNd(data: Float64Array, dims: number[], axes: Axis1D[], x: number[], ctx: Ctx): number {
  if (dims.length === 1) return interpolate1d(Array.from(data), x[0]!, axes[0]!, ctx);
  const line: number[] = [];
  for (let i = 0; i < dims[0]!; i++) {
    line.push(interpolateNd(subTensor(data, dims, i), dims.slice(1), axes.slice(1), x.slice(1), ctx));
  }
  return interpolate1d(line, x[0]!, axes[0]!, ctx);
}

/** Output dims and per-axis (scale, roi) for every axis, per the spec text (float32 arithmetic). */
export function referenceResizeShape(dims: number[], o: RefResizeOptions): { outDims: number[]; axes: Axis1D[] } {
  const r = dims.length;
  const axes = (o.axes ?? dims.map((_, i) => i)).map((a) => (a < 0 ? a + r : a));
  const n = axes.length;
  const ctm = o.coordinate_transformation_mode ?? 'half_pixel';
  const full: Axis1D[] = dims.map((d) => ({ scale: 1, outLen: d, roiStart: 0, roiEnd: 1 }));
  axes.forEach((a, i) => {
    if (ctm === 'tf_crop_and_resize' && o.roi) {
      full[a]!.roiStart = f(o.roi[i]!);
      full[a]!.roiEnd = f(o.roi[n + i]!);
    }
  });
  if (o.scales) {
    axes.forEach((a, i) => {
      const s = f(o.scales![i]!);
      full[a]!.scale = s;
      const extent = ctm === 'tf_crop_and_resize' ? f(dims[a]! * f(full[a]!.roiEnd - full[a]!.roiStart)) : dims[a]!;
      full[a]!.outLen = Math.floor(f(extent * s));
    });
  } else {
    axes.forEach((a, i) => {
      full[a]!.outLen = o.sizes![i]!;
      full[a]!.scale = f(o.sizes![i]! / dims[a]!);
    });
    const policy = o.keep_aspect_ratio_policy ?? 'stretch';
    if (policy !== 'stretch') {
      const ss = axes.map((a) => full[a]!.scale);
      const scale = policy === 'not_larger' ? Math.min(...ss) : Math.max(...ss);
      axes.forEach((a) => {
        full[a]!.scale = scale;
        full[a]!.outLen = Math.floor(f(scale * dims[a]!) + 0.5);
      });
    }
  }
  return { outDims: full.map((a) => a.outLen), axes: full };
}

/** ONNX Resize of a dense row-major tensor; returns float64 values (round them for uint8). */
export function referenceResize(data: ArrayLike<number>, dims: number[], o: RefResizeOptions): { data: Float64Array; dims: number[] } {
  const { outDims, axes } = referenceResizeShape(dims, o);
  const mode = o.mode ?? 'nearest';
  const A = o.cubic_coeff_a ?? -0.75;
  const aa = (o.antialias ?? 0) !== 0;
  let coeffs: Coeffs;
  if (mode === 'nearest') coeffs = (ratio) => nearestCoeffs(ratio, o.nearest_mode ?? 'round_prefer_floor');
  else if (mode === 'linear') coeffs = aa ? linearCoeffsAntialias : (ratio) => linearCoeffs(ratio);
  else coeffs = aa ? (ratio, scale) => cubicCoeffsAntialias(ratio, scale, A) : (ratio) => cubicCoeffs(ratio, A);
  const ctx: Ctx = {
    ctm: o.coordinate_transformation_mode ?? 'half_pixel',
    coeffs,
    excludeOutside: (o.exclude_outside ?? 0) !== 0,
    extrapolation: o.extrapolation_value ?? 0,
  };
  const src = Float64Array.from(data);
  const total = outDims.reduce((p, q) => p * q, 1);
  const out = new Float64Array(total);
  const x = new Array<number>(dims.length).fill(0);
  for (let k = 0; k < total; k++) {
    let rem = k;
    for (let a = dims.length - 1; a >= 0; a--) {
      x[a] = rem % outDims[a]!;
      rem = Math.floor(rem / outDims[a]!);
    }
    out[k] = interpolateNd(src, dims, axes, x, ctx);
  }
  return { data: out, dims: outDims };
}

/**
 * Area (box) resampling, weir's mode 'area' (not ONNX): output pixel j on an axis averages the
 * input over its footprint [j / scale, (j + 1) / scale), each input sample weighted by its overlap
 * (samples past the input repeat the edge, as Resize pads).
 * Scale per axis as for Resize (sizes / length, or the given scale).
 */
export function referenceAreaResize(data: ArrayLike<number>, dims: number[], o: RefResizeOptions): { data: Float64Array; dims: number[] } {
  const { outDims, axes } = referenceResizeShape(dims, { ...o, coordinate_transformation_mode: 'half_pixel' });
  const weightsPerAxis = axes.map((a, axis) => {
    const rows: Array<Array<[number, number]>> = [];
    for (let j = 0; j < a.outLen; j++) {
      const lo = j / a.scale;
      const hi = (j + 1) / a.scale;
      const w: Array<[number, number]> = [];
      // A footprint past the input (keep_aspect_ratio_policy can make one) repeats the edge sample.
      for (let i = Math.floor(lo); i < Math.ceil(hi); i++) {
        const ov = Math.min(i + 1, hi) - Math.max(i, lo);
        if (ov > 0) w.push([Math.min(dims[axis]! - 1, Math.max(0, i)), ov]);
      }
      const s = w.reduce((p, [, v]) => p + v, 0);
      rows.push(w.map(([i, v]) => [i, v / s]));
    }
    return rows;
  });
  const strides = dims.map((_, a) => dims.slice(a + 1).reduce((p, q) => p * q, 1));
  const total = outDims.reduce((p, q) => p * q, 1);
  const out = new Float64Array(total);
  const coord = new Array<number>(dims.length).fill(0);
  for (let k = 0; k < total; k++) {
    let rem = k;
    for (let a = dims.length - 1; a >= 0; a--) {
      coord[a] = rem % outDims[a]!;
      rem = Math.floor(rem / outDims[a]!);
    }
    let acc = 0;
    const walk = (a: number, offset: number, w: number): void => {
      if (a === dims.length) { acc += w * data[offset]!; return; }
      for (const [i, v] of weightsPerAxis[a]![coord[a]!]!) walk(a + 1, offset + i * strides[a]!, w * v);
    };
    walk(0, 0, 1);
    out[k] = acc;
  }
  return { data: out, dims: outDims };
}
