import { createKernel, type BaseExports, type Kernel } from '../runtime/kernel.js';
import { instantiate } from '../wasm/stream.js';

export type StreamExports = BaseExports;

/** A fresh instance of stream.wasm (its own memory). */
export function createStreamKernel(): Promise<Kernel<StreamExports>> {
  return createKernel('stream', () => new URL('../wasm/stream.wasm', import.meta.url), instantiate as never);
}
