export { WeirError, type WeirErrorCode } from './runtime/errors.js';
export { configure, type RuntimeConfig, type Family } from './runtime/config.js';
