import { createKernel, type BaseExports, type Kernel } from '../runtime/kernel.js';
import { instantiate } from '../wasm/prep.js';

/** prep.wasm's raw exports: the allocator plus each kernel (numbers in, status codes out). */
export type PrepExports = BaseExports & Record<string, (...args: number[]) => number>;

let shared: Promise<Kernel<PrepExports>> | null = null;

/**
 * The process's (or worker's) one prep instance, created on first use. Prep kernels keep no
 * state between calls — every call allocates its temporaries in a scope and frees them — so one
 * shared instance is right, and it avoids a module instantiation per call.
 */
export function getPrepKernel(): Promise<Kernel<PrepExports>> {
  if (!shared) {
    shared = createKernel<PrepExports>('prep', () => new URL('../wasm/prep.wasm', import.meta.url), instantiate as never);
    // A failed load is not cached here (the runtime remembers failed compiles itself).
    shared.catch(() => { shared = null; });
  }
  return shared;
}
