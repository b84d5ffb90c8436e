// Argument checks shared by the series and table verbs (rolling, ewm, frame, windows, fft,
// table transforms). Each throws a WeirError naming the argument, before any wasm memory is
// touched.
import { WeirError } from '../runtime/errors.js';
import { describe } from './tensor.js';

/** A numeric series: any real-valued typed array, or an array of numbers. */
export type NumericSeries =
  | Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array
  | Int8Array | Uint8Array | Uint8ClampedArray | readonly number[];

/** Samples per kernel call when a long series is streamed through wasm memory. */
export const CHUNK = 1 << 16;

/** Throws E_ARG unless `v` is an integer in [min, max]; returns it. */
export function intArg(v: unknown, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new WeirError('E_ARG', `${what} must be an integer ${range}, got ${JSON.stringify(v) ?? String(v)}`);
  }
  return v;
}

/** Throws E_ARG unless `v` is a finite number in (lo, hi] (or [lo, hi] when `closedLo`). */
export function numArg(v: unknown, what: string, lo: number, hi: number, closedLo = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (closedLo ? v < lo : v <= lo) || v > hi) {
    throw new WeirError('E_ARG', `${what} must be a number in ${closedLo ? '[' : '('}${lo}, ${hi}], got ${String(v)}`);
  }
  return v;
}

/** Throws E_ARG unless `v` is undefined or a boolean; returns it or `dflt`. */
export function boolArg(v: unknown, what: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new WeirError('E_ARG', `${what} must be a boolean, got ${describe(v)}`);
  return v;
}

/** Throws E_ARG unless `x` is a {@link NumericSeries} (BigInt arrays are refused). */
export function checkSeries(x: unknown, what: string): asserts x is NumericSeries {
  if (Array.isArray(x)) {
    if (!x.every((v) => typeof v === 'number')) throw new WeirError('E_ARG', `${what}: an array of numbers is expected`);
    return;
  }
  if (ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array)) return;
  throw new WeirError('E_ARG', `${what}: expected a numeric typed array or number[], got ${describe(x)}`);
}

/** Throws E_ARG unless `v` is one of `allowed`. */
export function oneOf<T extends string>(v: unknown, what: string, allowed: readonly T[], dflt?: T): T {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new WeirError('E_ARG', `${what} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(v) ?? String(v)}`);
  }
  return v as T;
}

/** Rejects options that are not a plain object (undefined allowed when `optional`). */
export function optionsArg<T extends object>(v: unknown, what: string, optional = false): T {
  if (v === undefined && optional) return {} as T;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new WeirError('E_ARG', `${what}: options must be an object, got ${describe(v)}`);
  }
  return v as T;
}
