// The WeirError a call or promise fails with; fails the test if it succeeds or throws anything else.
import { expect } from 'vitest';
import { WeirError } from '../../dist/index.js';

export async function weirError(p: Promise<unknown> | (() => unknown)): Promise<WeirError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(WeirError);
    return e as WeirError;
  }
  throw new Error('expected a WeirError');
}
