/**
 * Window functions exactly as the ONNX operators HannWindow, HammingWindow and BlackmanWindow
 * (opset 17) define them: w[n] = a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N), n = 0..size-1,
 * with N = size when `periodic` (the default, for spectral analysis) and N = size - 1 otherwise.
 * Hann: a0 = a1 = 0.5; Hamming: a0 = 25/46, a1 = 21/46; Blackman: 0.42, 0.5, 0.08.
 * As in ONNX, a symmetric window of size 1 divides by N = 0 and is NaN (scipy returns 1).
 * Computed in f64, returned as a new Float32Array (or Float64Array). O(size).
 */
import { getPrepKernel } from './kernel.js';
import { boolArg, intArg, oneOf, optionsArg } from './series-args.js';

export type WindowKind = 'hann' | 'hamming' | 'blackman';

export interface WindowOptions {
  /** Periodic (N = size, default) or symmetric (N = size - 1). ONNX attribute `periodic`. */
  periodic?: boolean;
  /** Output element type (ONNX `output_datatype`); default 'float32'. */
  dtype?: 'float32' | 'float64';
}

const KINDS: readonly WindowKind[] = ['hann', 'hamming', 'blackman'];

/**
 * A window of `size` samples (a new array).
 *
 * @example
 * const w = await windowFunction('hann', 1024); // Float32Array, periodic
 */
export async function windowFunction(kind: WindowKind, size: number, opts?: WindowOptions & { dtype?: 'float32' }): Promise<Float32Array>;
export async function windowFunction(kind: WindowKind, size: number, opts: WindowOptions & { dtype: 'float64' }): Promise<Float64Array>;
export async function windowFunction(kind: WindowKind, size: number, opts?: WindowOptions): Promise<Float32Array | Float64Array> {
  oneOf(kind, 'prep/window: kind', KINDS);
  intArg(size, 'prep/window: size', 0, 1 << 28);
  const o = optionsArg<WindowOptions>(opts, 'prep/window', true);
  const periodic = boolArg(o.periodic, 'prep/window: periodic', true);
  const f64 = oneOf(o.dtype, 'prep/window: dtype', ['float32', 'float64'] as const, 'float32') === 'float64';
  const k = await getPrepKernel();
  if (size === 0) return f64 ? new Float64Array(0) : new Float32Array(0);
  return k.scoped((alloc) => {
    const ptr = alloc(size * (f64 ? 8 : 4));
    k.exports.window_fill(ptr, size, KINDS.indexOf(kind), periodic ? 1 : 0, f64 ? 1 : 0);
    return f64 ? k.copyOut(Float64Array, ptr, size) : k.copyOut(Float32Array, ptr, size);
  });
}

/** ONNX HannWindow. @example const w = await hannWindow(512) */
export function hannWindow(size: number, opts?: WindowOptions & { dtype?: 'float32' }): Promise<Float32Array>;
export function hannWindow(size: number, opts: WindowOptions & { dtype: 'float64' }): Promise<Float64Array>;
export function hannWindow(size: number, opts?: WindowOptions): Promise<Float32Array | Float64Array> {
  return windowFunction('hann', size, opts as never);
}

/** ONNX HammingWindow (a0 = 25/46). @example const w = await hammingWindow(400, { periodic: false }) */
export function hammingWindow(size: number, opts?: WindowOptions & { dtype?: 'float32' }): Promise<Float32Array>;
export function hammingWindow(size: number, opts: WindowOptions & { dtype: 'float64' }): Promise<Float64Array>;
export function hammingWindow(size: number, opts?: WindowOptions): Promise<Float32Array | Float64Array> {
  return windowFunction('hamming', size, opts as never);
}

/** ONNX BlackmanWindow. @example const w = await blackmanWindow(256) */
export function blackmanWindow(size: number, opts?: WindowOptions & { dtype?: 'float32' }): Promise<Float32Array>;
export function blackmanWindow(size: number, opts: WindowOptions & { dtype: 'float64' }): Promise<Float64Array>;
export function blackmanWindow(size: number, opts?: WindowOptions): Promise<Float32Array | Float64Array> {
  return windowFunction('blackman', size, opts as never);
}
