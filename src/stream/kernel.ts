import { createKernel, type BaseExports, type Kernel } from '../runtime/kernel.js';
import { instantiate } from '../wasm/stream.js';

/** The raw exports of stream.wasm (see assembly/stream.ts). Pointers are byte offsets. */
export interface StreamExports extends BaseExports {
  create(kind: number, size: number, slide: number, offset: number, gap: number, bound: number, lateness: number, nAggs: number, keyOutBigint: number): number;
  setAgg(state: number, a: number, type: number, col: number, param: number, param2: number): void;
  finalize(state: number): number;
  setColumn(state: number, c: number, ptr: number, type: number, remap: number, hashes: number): void;
  validate(state: number, n: number, timePtr: number, timeType: number): number;
  process(state: number, n: number, timePtr: number, timeType: number): number;
  advance(state: number, t: number): void;
  flush(state: number): void;
  watermark(state: number): number;
  setKeyOut(state: number, mode: number): void;
  outPtr(state: number): number;
  outColumnBytes(state: number): number;
  outRows(state: number): number;
  latePtr(state: number): number;
  lateCount(state: number): number;
  clearOutput(state: number): void;
  liveEntries(state: number): number;
  openWindows(state: number): number;
  eventCount(state: number): number;
  lateTotal(state: number): number;
  magicOk(state: number): number;
  hashBytes64Parts(ptr: number, len: number, out: number): void;
}

/** A fresh instance of stream.wasm (its own memory). */
export function createStreamKernel(): Promise<Kernel<StreamExports>> {
  return createKernel('stream', () => new URL('../wasm/stream.wasm', import.meta.url), instantiate as never);
}
