import { WeirError } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = Object.freeze({
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
});

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)?$/;

/**
 * Parses a duration into whole milliseconds: `'500ms'`, `'30s'`, `'5m'`, `'1h'`, `'1d'`,
 * `'1.5s'`, or a bare number of milliseconds (`250` or `'250'`).
 *
 * The result must be a finite, non-negative whole number of milliseconds, because event
 * times are epoch milliseconds and a fraction of one would place a window bound between
 * two representable instants. `argName` is the option the value came from, so the error
 * says which argument was wrong (`--lateness`, `tumbling size`, …). O(length of input).
 *
 * @throws WeirError `E_ARG` naming `argName` for anything else (negative, NaN, an unknown
 * unit such as `'5w'`, an empty string, a fraction of a millisecond).
 *
 * @example
 * parseDuration('5m', '--tumbling')   // 300000
 * parseDuration(1500, 'lateness')     // 1500
 */
export function parseDuration(input: string | number, argName: string): number {
  let ms: number;
  if (typeof input === 'number') {
    ms = input;
  } else if (typeof input === 'string') {
    const match = DURATION.exec(input.trim());
    if (!match) {
      throw new WeirError(
        'E_ARG',
        `${argName}: expected a duration such as '500ms', '30s', '5m', '1h' or '1d', got ${JSON.stringify(input)}`,
      );
    }
    ms = Number(match[1]) * UNIT_MS[match[2] ?? 'ms'];
    // 0.1h and friends are not exact in binary; snap what is within rounding of a whole ms.
    const rounded = Math.round(ms);
    if (Math.abs(ms - rounded) < 1e-6) ms = rounded;
  } else {
    throw new WeirError('E_ARG', `${argName}: expected a duration string or a number of milliseconds, got ${typeof input}`);
  }
  if (!Number.isFinite(ms) || ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
    throw new WeirError('E_ARG', `${argName}: expected a finite, non-negative duration, got ${String(input)}`);
  }
  if (!Number.isInteger(ms)) {
    throw new WeirError('E_ARG', `${argName}: expected a whole number of milliseconds, got ${String(input)} (${ms} ms)`);
  }
  return ms;
}
