import { WeirError } from './errors.js';
import { compileFamily, type Instantiate } from './load.js';
import type { Family } from './config.js';

/** What every family's module exports besides its kernels. */
export interface BaseExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  free(ptr: number): void;
}

/** A wasm32 module can address at most 4 GiB. */
export const MAX_WASM_BYTES = 4 * 1024 * 1024 * 1024;

type TypedArrayCtor =
  | Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor
  | Int16ArrayConstructor | Uint16ArrayConstructor | Int8ArrayConstructor | Uint8ArrayConstructor
  | BigInt64ArrayConstructor | BigUint64ArrayConstructor;

/**
 * One instance of a family's module: its own linear memory and allocator. Long-lived objects
 * (a window operator, a graph) own an instance each, so `dispose()` returns all of their memory
 * at once and a snapshot is a copy of one memory.
 *
 * Views into memory are derived on demand: any call that may grow memory detaches the old
 * `ArrayBuffer`, so never keep a typed array from {@link Kernel.view} across kernel calls —
 * keep the pointer, or a {@link WasmArray}, and ask again.
 */
export class Kernel<E extends BaseExports = BaseExports> {
  readonly family: Family;
  readonly exports: E;
  private disposed = false;

  constructor(family: Family, exports: E) {
    this.family = family;
    this.exports = exports;
  }

  get memory(): WebAssembly.Memory {
    return this.exports.memory;
  }

  /** Bytes of linear memory the instance has grown to. */
  get byteLength(): number {
    return this.exports.memory.buffer.byteLength;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Allocates `bytes` (8-byte aligned) in wasm memory; E_MEMORY if it cannot grow that far. */
  alloc(bytes: number): number {
    this.assertLive();
    if (!Number.isFinite(bytes) || bytes < 0) throw new WeirError('E_ARG', `weir: cannot allocate ${bytes} bytes`);
    // A request that cannot fit even in an empty 4 GiB memory is refused up front; otherwise the
    // allocator may still find room in freed blocks, and only a failed grow means out of memory.
    if (bytes >= MAX_WASM_BYTES) throw memoryError(this.family, bytes);
    try {
      return this.exports.alloc(Math.max(bytes, 8)) >>> 0;
    } catch (cause) {
      throw memoryError(this.family, this.byteLength + bytes, cause);
    }
  }

  free(ptr: number): void {
    if (!this.disposed && ptr) this.exports.free(ptr);
  }

  /** A fresh typed-array view over `length` elements at `ptr` (a view, not a copy). */
  view<C extends TypedArrayCtor>(ctor: C, ptr: number, length: number): InstanceType<C> {
    this.assertLive();
    return new ctor(this.exports.memory.buffer, ptr, length) as InstanceType<C>;
  }

  /** Copies `src` into wasm memory at `ptr` (one copy). */
  write(ptr: number, src: ArrayBufferView): void {
    new Uint8Array(this.exports.memory.buffer, ptr, src.byteLength).set(
      new Uint8Array(src.buffer, src.byteOffset, src.byteLength),
    );
  }

  /** Allocates room for `src` and copies it in; returns the pointer (caller frees it). */
  copyIn(src: ArrayBufferView): number {
    const ptr = this.alloc(src.byteLength);
    this.write(ptr, src);
    return ptr;
  }

  /** A copy of `length` elements at `ptr`, independent of wasm memory. */
  copyOut<C extends TypedArrayCtor>(ctor: C, ptr: number, length: number): InstanceType<C> {
    return (this.view(ctor, ptr, length) as unknown as { slice(): InstanceType<C> }).slice();
  }

  /**
   * Runs `fn` with an allocator whose blocks are all freed when it returns or throws — the
   * per-call scope for temporaries.
   */
  scoped<T>(fn: (alloc: (bytes: number) => number) => T): T {
    return withScope((bytes) => this.alloc(bytes), (ptr) => this.free(ptr), fn);
  }

  /** Releases the instance; its memory is garbage once no view refers to it. Idempotent. */
  dispose(): void {
    this.disposed = true;
  }

  assertLive(): void {
    if (this.disposed) throw new WeirError('E_STATE', `weir: this ${this.family} object was disposed`);
  }
}

/**
 * A typed array that lives in wasm memory and stays usable across memory growth: `.array`
 * re-derives the view whenever the memory's buffer has changed. Owned by whoever created it.
 */
export class WasmArray<C extends TypedArrayCtor> {
  private cached: InstanceType<C> | null = null;
  constructor(readonly kernel: Kernel, readonly ctor: C, readonly ptr: number, readonly length: number) {}

  /** A view (not a copy), valid until the next call that can grow memory. */
  get array(): InstanceType<C> {
    const buffer = this.kernel.memory.buffer;
    if (!this.cached || this.cached.buffer !== buffer) this.cached = this.kernel.view(this.ctor, this.ptr, this.length);
    return this.cached;
  }

  /** A copy that outlives the kernel. */
  copy(): InstanceType<C> {
    return (this.array as unknown as { slice(): InstanceType<C> }).slice();
  }
}

function memoryError(family: Family, needed: number, cause?: unknown): WeirError {
  const gib = (needed / 2 ** 30).toFixed(2);
  return new WeirError(
    'E_MEMORY',
    `weir/${family}: needs ${needed} bytes (${gib} GiB) of wasm memory; a wasm32 module is limited to 4 GiB`,
    cause === undefined ? undefined : { cause },
  );
}

/** Compiles (once) and instantiates a family's module. */
export async function createKernel<E extends BaseExports>(
  family: Family,
  defaultUrl: () => URL,
  instantiate: Instantiate<E>,
): Promise<Kernel<E>> {
  const module = await compileFamily(family, defaultUrl);
  try {
    const exports = await instantiate(module, {});
    return new Kernel(family, exports);
  } catch (cause) {
    throw new WeirError('E_LOAD', `weir: cannot instantiate ${family}.wasm: ${String(cause)}`, { cause });
  }
}

/**
 * Runs `fn` with an allocator (`alloc`) whose blocks are all given back (`release`) when `fn`
 * returns or throws: the per-call scope for temporaries of a Kernel or a graph Arena.
 */
export function withScope<T>(alloc: (bytes: number) => number, release: (ptr: number) => void, fn: (alloc: (bytes: number) => number) => T): T {
  const blocks: number[] = [];
  try {
    return fn((bytes) => {
      const ptr = alloc(bytes);
      blocks.push(ptr);
      return ptr;
    });
  } finally {
    for (const ptr of blocks) release(ptr);
  }
}
