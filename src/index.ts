/**
 * weir — stream windows, graph analytics and inference preprocessing for JavaScript, with
 * WebAssembly kernels. Families are also importable on their own: weir/stream, weir/graph,
 * weir/prep, weir/infer, weir/worker.
 * @module
 */
export { WeirError, type WeirErrorCode } from './runtime/errors.js';
export { configure, type RuntimeConfig, type Family } from './runtime/config.js';
export { VERSION } from './version.js';
export * from './stream/index.js';
