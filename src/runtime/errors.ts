/**
 * The one error type weir throws for bad input, misuse and resource limits.
 *
 * `code` is stable and machine-readable (`'E_ARG'`, `'E_LENGTH'`, …); the message names the
 * argument and what was expected. Every public entry point validates before it changes state,
 * so catching a `WeirError` means the object that threw is exactly as it was before the call.
 *
 * @example
 * try { op.push(batch) } catch (e) { if (e instanceof WeirError && e.code === 'E_TIME') … }
 */
export class WeirError extends Error {
  readonly code: WeirErrorCode;
  constructor(code: WeirErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WeirError';
    this.code = code;
  }
}

/** Every code a `WeirError` can carry. */
export type WeirErrorCode =
  | 'E_ARG' // an option or argument has the wrong type or value
  | 'E_LENGTH' // columns or buffers whose lengths disagree
  | 'E_TIME' // a timestamp that is NaN, missing or not finite
  | 'E_KEY' // a key that is not an integer or string
  | 'E_AGG' // an unknown or malformed aggregate spec
  | 'E_STATE' // use after dispose, or an operation not valid in the current state
  | 'E_SNAPSHOT' // corrupt snapshot bytes, or a snapshot from a differently configured operator
  | 'E_MEMORY' // the 4 GiB wasm limit would be exceeded
  | 'E_LOAD' // a .wasm file could not be loaded or instantiated
  | 'E_IO' // a file could not be read or written, or its format is not understood
  | 'E_COLUMN' // a named column is missing or has an unusable type
  | 'E_GRAPH' // a graph argument is invalid (ids, weights, personalization)
  | 'E_SHAPE' // a tensor or image whose shape or dtype does not match
  | 'E_MODEL'; // a model that cannot be loaded or does not match its inputs

/** Throws a `WeirError` with `code` unless `condition` holds. */
export function check(condition: unknown, code: WeirErrorCode, message: string): asserts condition {
  if (!condition) throw new WeirError(code, message);
}
