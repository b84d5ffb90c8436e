/**
 * Fourier transforms as the ONNX operators define them, for any length (not only powers of two):
 * {@link dft} is ONNX DFT (opset 20: forward, inverse, onesided, dft_length, any axis, and
 * onesided + inverse as the real inverse), {@link stft} is ONNX STFT (opset 17), and
 * {@link spectrum} / {@link spectrogram} are the fused hot path: window, real FFT and
 * magnitude (or power) per frame, without materialising the complex spectrum.
 *
 * Kernels compute in f64 whatever the dtype: iterative radix-2 with per-stage twiddles (SIMD) for
 * powers of two, Bluestein's chirp-z for other lengths, and half-length complex FFTs for real
 * input of even length. Complexity O(n log n) per transform. Results are new arrays (copies).
 */
import { WeirError } from '../runtime/errors.js';
import type { Kernel } from '../runtime/kernel.js';
import { getPrepKernel, type PrepExports } from './kernel.js';
import { boolArg, checkSeries, intArg, numArg, oneOf, optionsArg } from './series-args.js';
import { checkTensor, elementCount, type Tensor } from './tensor.js';
import { frameCount } from './frame.js';

export type FloatDtype = 'float32' | 'float64';
type FloatTensor<D extends FloatDtype = FloatDtype> = Tensor<D>;

const MAX_N = 1 << 26;

function checkFloatTensor(t: unknown, what: string): asserts t is FloatTensor {
  checkTensor(t, what);
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    throw new WeirError('E_SHAPE', `${what}: dtype must be float32 or float64, got ${t.dtype}`);
  }
}

function ctorOf(dtype: FloatDtype): Float32ArrayConstructor | Float64ArrayConstructor {
  return dtype === 'float64' ? Float64Array : Float32Array;
}

function planBytes(k: Kernel<PrepExports>, n: number, real: boolean): number {
  return k.exports.fft_plan_bytes(n, real ? 1 : 0) >>> 0;
}

export interface DftOptions {
  /** The signal axis; default -2 (the last one before the complex dimension), as ONNX opset 20. */
  axis?: number;
  /** Return bins 0..floor(n/2) only (real input); with `inverse`, take those bins (complex) and return a real signal. */
  onesided?: boolean;
  /** Inverse transform, scaled by 1/n. */
  inverse?: boolean;
  /**
   * ONNX dft_length: the transform length; lines are truncated or zero-padded to it. Default: the
   * axis length, or 2 * (axis length - 1) for onesided inverse.
   */
  dftLength?: number;
}

/**
 * ONNX DFT. `input` is [batch, signal dims..., 1 | 2] (real or complex, float32/float64). The
 * output replaces the axis by dft_length (or floor(dft_length/2)+1 when onesided) and the last
 * dimension by 2 (complex) — or by 1 for onesided + inverse (IRFFT): the real signal of length
 * n whose one-sided spectrum, floor(n/2)+1 complex bins on the axis, is given (imaginary parts
 * of bin 0 and, for even n, bin n/2 are ignored, as numpy.fft.irfft does).
 * y[k] = sum_n x[n] e^{-2 pi i k n / N}; inverse x[n] = 1/N sum_k y[k] e^{2 pi i k n / N}.
 *
 * @example
 * const y = await dft(tensor('float32', [1, 400, 1], samples), { onesided: true }); // [1, 201, 2]
 */
export async function dft<D extends FloatDtype>(input: FloatTensor<D>, opts?: DftOptions): Promise<FloatTensor<D>> {
  checkFloatTensor(input, 'prep/dft: input');
  const o = optionsArg<DftOptions>(opts, 'prep/dft', true);
  const dims = input.dims;
  const r = dims.length;
  if (r < 3) throw new WeirError('E_SHAPE', `prep/dft: input must be [batch, signal..., 1|2] (rank >= 3), got [${dims.join(', ')}]`);
  const inC = dims[r - 1]!;
  if (inC !== 1 && inC !== 2) throw new WeirError('E_SHAPE', `prep/dft: last dimension must be 1 (real) or 2 (complex), got ${inC}`);
  const axisArg = o.axis ?? -2;
  if (!Number.isInteger(axisArg) || axisArg < -r || axisArg > r - 2 || axisArg === -1) {
    throw new WeirError('E_ARG', `prep/dft: axis must be an integer in [${-r}, -2] or [0, ${r - 2}] for rank ${r}, got ${String(axisArg)}`);
  }
  const axis = axisArg < 0 ? axisArg + r : axisArg;
  const inverse = boolArg(o.inverse, 'prep/dft: inverse', false);
  const onesided = boolArg(o.onesided, 'prep/dft: onesided', false);
  if (onesided && !inverse && inC === 2) throw new WeirError('E_ARG', 'prep/dft: onesided forward transforms need real input (last dimension 1), got complex');
  if (onesided && inverse && inC === 1) throw new WeirError('E_ARG', 'prep/dft: onesided inverse transforms need a complex half spectrum (last dimension 2), got real');
  const nAxis = dims[axis]!;
  const irfft = inverse && onesided;
  const dflt = irfft ? 2 * (nAxis - 1) : nAxis;
  if (o.dftLength === undefined && dflt < 1) throw new WeirError('E_SHAPE', `prep/dft: axis ${axis} has length ${nAxis}; give dftLength`);
  const n = o.dftLength === undefined ? dflt : intArg(o.dftLength, 'prep/dft: dftLength', 1, MAX_N);
  // ONNX leaves a half spectrum of another length undefined (onnxruntime and numpy disagree), so
  // it is refused rather than guessed.
  if (irfft && nAxis !== (n >> 1) + 1) {
    throw new WeirError('E_SHAPE', `prep/dft: a onesided inverse of length ${n} takes ${(n >> 1) + 1} bins on axis ${axis}, got ${nAxis}`);
  }
  const outLen = irfft ? n : onesided ? (n >> 1) + 1 : n;
  const outC = irfft ? 1 : 2;
  const outDims = [...dims];
  outDims[axis] = outLen;
  outDims[r - 1] = outC;
  const outer = elementCount(dims.slice(0, axis));
  const inner = elementCount(dims.slice(axis + 1, r - 1));
  const ctor = ctorOf(input.dtype);
  const total = elementCount(outDims);
  if (outer * inner === 0) return { dtype: input.dtype, dims: outDims, data: new ctor(total) as never };
  const k = await getPrepKernel();
  const real = !inverse && inC === 1;
  const data = k.scoped((alloc) => {
    const plan = alloc(planBytes(k, n, real));
    k.exports.fft_plan_init(plan, n, real ? 1 : 0);
    const src = alloc(input.data.byteLength);
    k.write(src, input.data);
    const dst = alloc(total * ctor.BYTES_PER_ELEMENT);
    const fn = input.dtype === 'float64' ? k.exports.dft_f64 : k.exports.dft_f32;
    fn(plan, src, dst, outer, nAxis, inner, inC, n, onesided ? 1 : 0, inverse ? 1 : 0);
    return k.copyOut(ctor, dst, total);
  });
  return { dtype: input.dtype, dims: outDims, data: data as never };
}

type WindowArg = Float32Array | Float64Array | readonly number[];

function checkWindow(w: unknown, what: string): asserts w is WindowArg {
  checkSeries(w, what);
}

export interface StftOptions {
  /** Samples between frame starts (ONNX input frame_step, >= 1). */
  frameStep: number;
  /** Window applied to each frame (ONNX input window); its length is the frame length. */
  window?: WindowArg;
  /** Frame (and DFT) length (ONNX input frame_length); needed without a window, must match it otherwise. */
  frameLength?: number;
  /** Bins 0..floor(n/2) only (default true, real input only). */
  onesided?: boolean;
}

/**
 * ONNX STFT. `signal` is [batch, length, 1 | 2]; output [batch, frames, bins, 2] with
 * frames = floor((length - frameLength) / frameStep) + 1 (no padding) and bins =
 * floor(frameLength/2)+1 (onesided) or frameLength. Frame f of batch b is the DFT of
 * signal[b, f*step .. f*step+frameLength) times the window.
 *
 * @example
 * const s = await stft(tensor('float32', [1, 16000, 1], audio), { frameStep: 160, window: await hannWindow(400) });
 */
export async function stft<D extends FloatDtype>(signal: FloatTensor<D>, opts: StftOptions): Promise<FloatTensor<D>> {
  checkFloatTensor(signal, 'prep/stft: signal');
  const o = optionsArg<StftOptions>(opts, 'prep/stft');
  const dims = signal.dims;
  if (dims.length !== 3 || (dims[2] !== 1 && dims[2] !== 2)) {
    throw new WeirError('E_SHAPE', `prep/stft: signal must be [batch, length, 1|2], got [${dims.join(', ')}]`);
  }
  const [batch, length, inC] = dims as [number, number, number];
  const step = intArg(o.frameStep, 'prep/stft: frameStep', 1, MAX_N);
  if (o.window !== undefined) checkWindow(o.window, 'prep/stft: window');
  let frameLength: number;
  if (o.window !== undefined) {
    frameLength = o.window.length;
    if (o.frameLength !== undefined && o.frameLength !== frameLength) {
      throw new WeirError('E_SHAPE', `prep/stft: frameLength ${String(o.frameLength)} does not match the window length ${frameLength}`);
    }
    if (frameLength < 1) throw new WeirError('E_SHAPE', 'prep/stft: window is empty');
  } else if (o.frameLength !== undefined) {
    frameLength = intArg(o.frameLength, 'prep/stft: frameLength', 1, MAX_N);
  } else {
    throw new WeirError('E_ARG', 'prep/stft: give a window or a frameLength');
  }
  const onesided = boolArg(o.onesided, 'prep/stft: onesided', true);
  if (onesided && inC === 2) throw new WeirError('E_ARG', 'prep/stft: onesided needs a real signal (last dimension 1), got complex; pass onesided: false');
  if (length < frameLength) throw new WeirError('E_SHAPE', `prep/stft: signal length ${length} is shorter than the frame length ${frameLength}`);
  const frames = frameCount(length, frameLength, step);
  const bins = onesided ? (frameLength >> 1) + 1 : frameLength;
  const outDims = [batch, frames, bins, 2];
  const ctor = ctorOf(signal.dtype);
  const total = elementCount(outDims);
  if (batch === 0) return { dtype: signal.dtype, dims: outDims, data: new ctor(0) as never };
  const k = await getPrepKernel();
  const data = k.scoped((alloc) => {
    const real = inC === 1;
    const plan = alloc(planBytes(k, frameLength, real));
    k.exports.fft_plan_init(plan, frameLength, real ? 1 : 0);
    const win = o.window === undefined ? 0 : alloc(frameLength * 8);
    if (win) k.view(Float64Array, win, frameLength).set(o.window!);
    const src = alloc(signal.data.byteLength);
    k.write(src, signal.data);
    const dst = alloc(total * ctor.BYTES_PER_ELEMENT);
    const fn = signal.dtype === 'float64' ? k.exports.spectra_f64 : k.exports.spectra_f32;
    const inRow = length * inC * ctor.BYTES_PER_ELEMENT;
    const outRow = frames * bins * 2 * ctor.BYTES_PER_ELEMENT;
    for (let b = 0; b < batch; b++) {
      fn(plan, src + b * inRow, inC, frames, step, frameLength, win, dst + b * outRow, onesided ? 0 : 1);
    }
    return k.copyOut(ctor, dst, total);
  });
  return { dtype: signal.dtype, dims: outDims, data: data as never };
}

export type SpectrumKind = 'magnitude' | 'power' | 'complex';

export interface SpectrumOptions {
  /** 'magnitude' |X[k]| (default), 'power' |X[k]|^2, or 'complex' (re, im pairs). */
  kind?: SpectrumKind;
  /** Window multiplied into each frame (length = frame size), e.g. `await hannWindow(n)`. */
  window?: WindowArg;
}

const KIND_CODE: Record<SpectrumKind, number> = { complex: 0, magnitude: 2, power: 3 };

// Frames per kernel call: bounds the wasm memory a large batch needs, and results do not depend
// on it (frames are independent).
const FRAMES_PER_CALL = 2048;

function runSpectra(
  k: Kernel<PrepExports>, x: Float32Array | Float64Array, frames: number, hop: number, n: number,
  window: WindowArg | undefined, kind: SpectrumKind,
): Float32Array | Float64Array {
  const f64 = x instanceof Float64Array;
  const ctor = f64 ? Float64Array : Float32Array;
  const bins = (n >> 1) + 1;
  const row = kind === 'complex' ? bins * 2 : bins;
  const out = new ctor(frames * row);
  if (frames === 0) return out;
  const fn = f64 ? k.exports.spectra_f64 : k.exports.spectra_f32;
  k.scoped((alloc) => {
    const plan = alloc(planBytes(k, n, true));
    k.exports.fft_plan_init(plan, n, 1);
    const win = window === undefined ? 0 : alloc(n * 8);
    if (win) k.view(Float64Array, win, n).set(window!);
    const per = Math.min(frames, FRAMES_PER_CALL);
    const src = alloc(((per - 1) * hop + n) * ctor.BYTES_PER_ELEMENT);
    const dst = alloc(per * row * ctor.BYTES_PER_ELEMENT);
    for (let f = 0; f < frames; f += per) {
      const count = Math.min(per, frames - f);
      const start = f * hop;
      k.write(src, x.subarray(start, start + (count - 1) * hop + n));
      fn(plan, src, 1, count, hop, n, win, dst, KIND_CODE[kind]);
      out.set(k.view(ctor, dst, count * row), f * row);
    }
  });
  return out;
}

function resolveSpectrum(opts: unknown, n: number, what: string): { kind: SpectrumKind; window?: WindowArg } {
  const o = optionsArg<SpectrumOptions>(opts, what, true);
  const kind = oneOf(o.kind, `${what}: kind`, ['magnitude', 'power', 'complex'] as const, 'magnitude');
  if (o.window !== undefined) {
    checkWindow(o.window, `${what}: window`);
    if (o.window.length !== n) throw new WeirError('E_SHAPE', `${what}: window has ${o.window.length} values, frames have ${n}`);
  }
  return { kind, window: o.window };
}

/**
 * The one-sided spectrum of each row of `frames` ([count, n] real, float32/float64): window,
 * real DFT and magnitude / power / complex bins 0..floor(n/2), fused in one kernel.
 * Output [count, floor(n/2)+1] (or [..., 2] for 'complex'), a new tensor of the input's dtype.
 * Large batches go through wasm memory 2048 frames at a time.
 *
 * @example
 * const mags = await spectrum(frames, { window: await hannWindow(1024) }); // [count, 513]
 */
export async function spectrum<D extends FloatDtype>(frames: FloatTensor<D>, opts?: SpectrumOptions): Promise<FloatTensor<D>> {
  checkFloatTensor(frames, 'prep/spectrum: frames');
  if (frames.dims.length !== 2 || frames.dims[1]! < 1) {
    throw new WeirError('E_SHAPE', `prep/spectrum: frames must be [count, n] with n >= 1, got [${frames.dims.join(', ')}]`);
  }
  const [count, n] = frames.dims as [number, number];
  const { kind, window } = resolveSpectrum(opts, n, 'prep/spectrum');
  const k = await getPrepKernel();
  const data = runSpectra(k, frames.data as Float32Array | Float64Array, count, n, n, window, kind);
  const bins = (n >> 1) + 1;
  return { dtype: frames.dtype, dims: kind === 'complex' ? [count, bins, 2] : [count, bins], data: data as never };
}

/**
 * {@link spectrum} of the frames of a series (frame f = x[f*hop .. f*hop+size)), without
 * materialising the frames. Output [frames, floor(size/2)+1] (or [..., 2]).
 *
 * @example
 * const s = await spectrogram(samples, { size: 1024, hop: 256, window: await hannWindow(1024), kind: 'power' });
 */
export async function spectrogram<T extends Float32Array | Float64Array>(
  x: T, opts: SpectrumOptions & { size: number; hop?: number },
): Promise<FloatTensor<T extends Float64Array ? 'float64' : 'float32'>> {
  if (!(x instanceof Float32Array) && !(x instanceof Float64Array)) {
    throw new WeirError('E_ARG', 'prep/spectrogram: x must be a Float32Array or Float64Array');
  }
  const o = optionsArg<SpectrumOptions & { size: number; hop?: number }>(opts, 'prep/spectrogram');
  const size = intArg(o.size, 'prep/spectrogram: size', 1, MAX_N);
  const hop = o.hop === undefined ? size : intArg(o.hop, 'prep/spectrogram: hop', 1, MAX_N);
  const { kind, window } = resolveSpectrum(o, size, 'prep/spectrogram');
  const frames = frameCount(x.length, size, hop);
  const k = await getPrepKernel();
  const data = runSpectra(k, x, frames, hop, size, window, kind);
  const bins = (size >> 1) + 1;
  const dtype = (x instanceof Float64Array ? 'float64' : 'float32') as never;
  return { dtype, dims: kind === 'complex' ? [frames, bins, 2] : [frames, bins], data: data as never };
}

/**
 * |z| (or |z|^2 with `power`) of a complex tensor [..., 2], e.g. a {@link dft} or {@link stft}
 * output; returns [...] (a new tensor).
 *
 * @example
 * const mag = await complexMagnitude(await dft(x, { onesided: true }));
 */
export async function complexMagnitude<D extends FloatDtype>(z: FloatTensor<D>, opts?: { power?: boolean }): Promise<FloatTensor<D>> {
  checkFloatTensor(z, 'prep/complexMagnitude: z');
  if (z.dims.length < 1 || z.dims[z.dims.length - 1] !== 2) {
    throw new WeirError('E_SHAPE', `prep/complexMagnitude: last dimension must be 2 (re, im), got [${z.dims.join(', ')}]`);
  }
  const power = boolArg(optionsArg<{ power?: boolean }>(opts, 'prep/complexMagnitude', true).power, 'prep/complexMagnitude: power', false);
  const count = z.data.length / 2;
  const ctor = ctorOf(z.dtype);
  const dims = z.dims.slice(0, -1);
  if (count === 0) return { dtype: z.dtype, dims, data: new ctor(0) as never };
  const k = await getPrepKernel();
  const data = k.scoped((alloc) => {
    const src = alloc(z.data.byteLength);
    k.write(src, z.data);
    const dst = alloc(count * ctor.BYTES_PER_ELEMENT);
    (z.dtype === 'float64' ? k.exports.complex_abs_f64 : k.exports.complex_abs_f32)(src, count, dst, power ? 1 : 0);
    return k.copyOut(ctor, dst, count);
  });
  return { dtype: z.dtype, dims, data: data as never };
}

export interface BandOptions {
  /** Band edges in Hz, ascending: band b is [edges[b], edges[b+1]). At least two. */
  edges: readonly number[];
  /** Sample rate in Hz. */
  sampleRate: number;
  /** The DFT length the spectrum came from (bins = floor(fftLength/2)+1). */
  fftLength: number;
}

/** The first bin index whose frequency k * sampleRate / fftLength is >= `hz`, clamped to [0, bins]. */
export function binAtOrAbove(hz: number, sampleRate: number, fftLength: number, bins: number): number {
  return Math.min(bins, Math.max(0, Math.ceil((hz * fftLength) / sampleRate - 1e-9)));
}

/**
 * Spectral band energies: for each frame of a power spectrum [frames, bins], the sum of the
 * bins whose centre frequency k * sampleRate / fftLength lies in each band [lo, hi).
 * Output [frames, bands] (a new tensor). O(frames * bins).
 *
 * @example
 * const e = await bandEnergies(power, { edges: [0, 250, 500, 1000, 2000, 4000], sampleRate: 8000, fftLength: 512 });
 */
export async function bandEnergies<D extends FloatDtype>(power: FloatTensor<D>, opts: BandOptions): Promise<FloatTensor<D>> {
  checkFloatTensor(power, 'prep/bandEnergies: power');
  const o = optionsArg<BandOptions>(opts, 'prep/bandEnergies');
  const sampleRate = numArg(o.sampleRate, 'prep/bandEnergies: sampleRate', 0, Number.MAX_VALUE);
  const fftLength = intArg(o.fftLength, 'prep/bandEnergies: fftLength', 1, MAX_N);
  const bins = (fftLength >> 1) + 1;
  if (power.dims.length !== 2 || power.dims[1] !== bins) {
    throw new WeirError('E_SHAPE', `prep/bandEnergies: power must be [frames, ${bins}] for fftLength ${fftLength}, got [${power.dims.join(', ')}]`);
  }
  const edges = o.edges;
  if (!Array.isArray(edges) || edges.length < 2 || !edges.every((e, i) => typeof e === 'number' && Number.isFinite(e) && e >= 0 && (i === 0 || e > edges[i - 1]!))) {
    throw new WeirError('E_ARG', `prep/bandEnergies: edges must be >= 2 finite, non-negative, strictly ascending frequencies, got ${JSON.stringify(edges)}`);
  }
  const frames = power.dims[0]!;
  const bands = edges.length - 1;
  const ctor = ctorOf(power.dtype);
  if (frames === 0) return { dtype: power.dtype, dims: [0, bands], data: new ctor(0) as never };
  const binEdges = Int32Array.from(edges, (e) => binAtOrAbove(e, sampleRate, fftLength, bins));
  const k = await getPrepKernel();
  const data = k.scoped((alloc) => {
    const src = alloc(power.data.byteLength);
    k.write(src, power.data);
    const e = alloc(binEdges.byteLength);
    k.write(e, binEdges);
    const dst = alloc(frames * bands * ctor.BYTES_PER_ELEMENT);
    (power.dtype === 'float64' ? k.exports.band_sums_f64 : k.exports.band_sums_f32)(src, frames, bins, e, bands, dst);
    return k.copyOut(ctor, dst, frames * bands);
  });
  return { dtype: power.dtype, dims: [frames, bands], data: data as never };
}

