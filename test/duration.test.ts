import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDuration } from '../dist/runtime/duration.js';
import { WeirError } from '../dist/index.js';

describe('parseDuration', () => {
  it('reads each unit', () => {
    expect(parseDuration('500ms', 'x')).toBe(500);
    expect(parseDuration('30s', 'x')).toBe(30_000);
    expect(parseDuration('5m', 'x')).toBe(300_000);
    expect(parseDuration('1h', 'x')).toBe(3_600_000);
    expect(parseDuration('1d', 'x')).toBe(86_400_000);
    expect(parseDuration('1.5s', 'x')).toBe(1500);
    expect(parseDuration('0.1h', 'x')).toBe(360_000);
    expect(parseDuration(' 250 ', 'x')).toBe(250);
    expect(parseDuration('0', 'x')).toBe(0);
    expect(parseDuration(1234, 'x')).toBe(1234);
  });

  it('agrees with n * unit for whole numbers of every unit', () => {
    const units = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 } as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[])), (n, u) => {
        expect(parseDuration(`${n}${u}`, 'x')).toBe(n * units[u]);
      }),
    );
  });

  it('rejects anything else with E_ARG naming the argument', () => {
    for (const bad of ['', '5w', '-1s', '1e3', 'abc', '1.5', '0.5ms', 's', '1 h 2 m', NaN, -5, Infinity, 0.5, 2 ** 60, null, {}]) {
      let err: unknown;
      try {
        parseDuration(bad as never, '--lateness');
      } catch (e) {
        err = e;
      }
      expect(err, String(bad)).toBeInstanceOf(WeirError);
      expect((err as WeirError).code).toBe('E_ARG');
      expect((err as WeirError).message).toMatch(/^--lateness: /);
    }
  });
});
