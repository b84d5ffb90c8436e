import { createKernel, type BaseExports, type Kernel } from '../runtime/kernel.js';
import { instantiate } from '../wasm/graph.js';

/** graph.wasm's raw exports: the allocator, `growPages`, and the kernels (numbers in and out). */
export type GraphExports = BaseExports & { growPages(pages: number): number } & Record<string, (...args: number[]) => number>;

/** A fresh instance of graph.wasm with its own memory; each Graph owns one. */
export function createGraphKernel(): Promise<Kernel<GraphExports>> {
  return createKernel<GraphExports>('graph', () => new URL('../wasm/graph.wasm', import.meta.url), instantiate as never);
}
