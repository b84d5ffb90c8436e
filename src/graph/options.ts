import { WeirError } from '../runtime/errors.js';

/**
 * Merges `options` over a frozen DEFAULTS object, rejecting unknown keys and non-objects, so every
 * algorithm resolves its options the same way before it touches wasm memory.
 */
export function resolve<D extends object>(where: string, defaults: D, options: Partial<D> | undefined): D {
  if (options === undefined) return { ...defaults };
  if (typeof options !== 'object' || options === null) throw new WeirError('E_ARG', `weir/graph/${where}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!(key in defaults)) throw new WeirError('E_ARG', `weir/graph/${where}: unknown option ${key}; expected one of ${Object.keys(defaults).join(', ')}`);
  }
  const out = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out as D;
}

/** E_ARG unless x is a number in [lo, hi] (integer when `integer`). */
export function checkNumber(where: string, name: string, x: unknown, lo: number, hi: number, integer = false): number {
  if (typeof x !== 'number' || Number.isNaN(x) || x < lo || x > hi || (integer && !Number.isInteger(x) && x !== Infinity)) {
    throw new WeirError('E_ARG', `weir/graph/${where}: ${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}]; got ${String(x)}`);
  }
  return x;
}

/** E_ARG unless x is one of `allowed`. */
export function checkEnum<T extends string>(where: string, name: string, x: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(x as T)) throw new WeirError('E_ARG', `weir/graph/${where}: ${name} must be one of ${allowed.join(', ')}; got ${String(x)}`);
  return x as T;
}

/** E_ARG unless x is a 32-bit unsigned seed. */
export function checkSeed(where: string, x: unknown): number {
  return checkNumber(where, 'seed', x, 0, 0xffffffff, true);
}
