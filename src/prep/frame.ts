/**
 * Framing: cuts a series into frames of `size` samples that start every `hop` samples — frame f
 * is x[f*hop .. f*hop+size). No padding: a series of n samples gives floor((n - size) / hop) + 1
 * frames (none if n < size), the count ONNX STFT uses. Frames are copied into a row-major
 * [frames, size] tensor (overlapping frames cannot be a view). O(frames * size).
 */
import { WeirError } from '../runtime/errors.js';
import type { Kernel } from '../runtime/kernel.js';
import { getPrepKernel, type PrepExports } from './kernel.js';
import { intArg, optionsArg } from './series-args.js';
import type { Tensor } from './tensor.js';

export interface FrameOptions {
  /** Samples per frame (>= 1). */
  size: number;
  /** Samples between frame starts (>= 1); default `size` (no overlap). */
  hop?: number;
}

type FrameInput = Float32Array | Float64Array;
type FrameTensor<T extends FrameInput> = Tensor<T extends Float64Array ? 'float64' : 'float32'>;

function resolve(opts: unknown): { size: number; hop: number } {
  const o = optionsArg<FrameOptions>(opts, 'prep/frame');
  const size = intArg(o.size, 'prep/frame: size', 1, 1 << 28);
  const hop = o.hop === undefined ? size : intArg(o.hop, 'prep/frame: hop', 1, 1 << 28);
  return { size, hop };
}

function checkInput(x: unknown): asserts x is FrameInput {
  if (!(x instanceof Float32Array) && !(x instanceof Float64Array)) {
    throw new WeirError('E_ARG', `prep/frame: x must be a Float32Array or Float64Array, got ${x === null ? 'null' : (x as object)?.constructor?.name ?? typeof x}`);
  }
}

/** Number of whole frames in `n` samples. */
export function frameCount(n: number, size: number, hop: number): number {
  return n < size ? 0 : Math.floor((n - size) / hop) + 1;
}

function frameInto<T extends FrameInput>(k: Kernel<PrepExports>, x: T, size: number, hop: number): FrameTensor<T> {
  const frames = frameCount(x.length, size, hop);
  const f64 = x instanceof Float64Array;
  const dtype = (f64 ? 'float64' : 'float32') as FrameTensor<T>['dtype'];
  if (frames === 0) return { dtype, dims: [0, size], data: (f64 ? new Float64Array(0) : new Float32Array(0)) as never };
  const used = (frames - 1) * hop + size;
  return k.scoped((alloc) => {
    const src = alloc(used * x.BYTES_PER_ELEMENT);
    k.write(src, x.subarray(0, used));
    const dst = alloc(frames * size * x.BYTES_PER_ELEMENT);
    k.exports.frame_copy(src, x.BYTES_PER_ELEMENT, size, hop, frames, dst);
    const data = f64 ? k.copyOut(Float64Array, dst, frames * size) : k.copyOut(Float32Array, dst, frames * size);
    return { dtype, dims: [frames, size], data: data as never };
  });
}

/**
 * The frames of a whole series, as a new [frames, size] tensor of the input's dtype.
 *
 * @example
 * const t = await frame(samples, { size: 1024, hop: 512 }); // t.dims = [frames, 1024]
 */
export async function frame<T extends FrameInput>(x: T, opts: FrameOptions): Promise<FrameTensor<T>> {
  checkInput(x);
  const { size, hop } = resolve(opts);
  return frameInto(await getPrepKernel(), x, size, hop);
}

/**
 * Framing of a series that arrives in chunks: each `push` returns the frames completed by that
 * chunk, and the concatenation of all pushes equals {@link frame} of the whole series. Keeps
 * the not-yet-framed tail (< size + hop samples) between calls, in JS memory.
 *
 * @example
 * const f = await Framer.create({ size: 400, hop: 160 }, 'float32');
 * for await (const chunk of mic) model.run(f.push(chunk));
 */
export class Framer<D extends 'float32' | 'float64' = 'float32'> {
  readonly size: number;
  readonly hop: number;
  private tail: Float32Array | Float64Array;
  // When hop > size, samples between the end of the received data and the next frame start.
  private skip = 0;

  private constructor(private readonly kernel: Kernel<PrepExports>, size: number, hop: number, readonly dtype: D) {
    this.size = size;
    this.hop = hop;
    this.tail = dtype === 'float64' ? new Float64Array(0) : new Float32Array(0);
  }

  static async create<D extends 'float32' | 'float64' = 'float32'>(opts: FrameOptions, dtype?: D): Promise<Framer<D>> {
    const { size, hop } = resolve(opts);
    const d = (dtype ?? 'float32') as D;
    if (d !== 'float32' && d !== 'float64') throw new WeirError('E_ARG', `prep/frame: dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`);
    return new Framer(await getPrepKernel(), size, hop, d);
  }

  /** Appends `chunk` (same dtype as the framer) and returns the frames it completes (a copy). */
  push(chunk: D extends 'float64' ? Float64Array : Float32Array): Tensor<D> {
    checkInput(chunk);
    const ctor = this.dtype === 'float64' ? Float64Array : Float32Array;
    if (!(chunk instanceof ctor)) throw new WeirError('E_ARG', `prep/frame: this Framer takes ${ctor.name} chunks, got ${(chunk as object).constructor.name}`);
    const dropped = Math.min(this.skip, chunk.length);
    const fresh = chunk.subarray(dropped);
    const all = new ctor(this.tail.length + fresh.length);
    all.set(this.tail);
    all.set(fresh, this.tail.length);
    const out = frameInto(this.kernel, all, this.size, this.hop);
    const next = out.dims[0]! * this.hop;
    this.skip = this.skip - dropped + Math.max(0, next - all.length);
    this.tail = all.slice(Math.min(next, all.length));
    return out as unknown as Tensor<D>;
  }

  /** Samples received but not yet at the start of an emitted frame. */
  get pending(): number {
    return this.tail.length;
  }
}
