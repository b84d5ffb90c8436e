import { makeVector, Type, type Vector, type Data } from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';

/**
 * An edge or node column as the caller gives it: a typed array, a plain array of numbers or
 * strings, or an Arrow vector (integer, floating point, Utf8 or dictionary-encoded strings).
 */
export type IdColumnInput =
  | Int32Array | Uint32Array | Float64Array | Float32Array | Int16Array | Uint16Array | Int8Array | Uint8Array
  | BigInt64Array | BigUint64Array | readonly number[] | readonly string[] | Vector;

/** A weight column: any numeric typed array, plain numbers or a numeric Arrow vector. */
export type WeightColumnInput =
  | Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array
  | readonly number[] | Vector;

/** Integer-id chunks in the three element types the kernels read. */
export type IntChunk = Int32Array | Uint32Array | Float64Array;

/** A chunk of string ids: plain strings, or dictionary codes plus their dictionary. */
export type StrChunk =
  | { length: number; get(i: number): unknown }
  | { length: number; codes: ArrayLike<number>; dict: Vector; nulls: Data | null };

export type IdColumn =
  | { kind: 'int'; name: string; length: number; chunks: IntChunk[] }
  | { kind: 'string'; name: string; length: number; chunks: StrChunk[] };

function isVector(x: unknown): x is Vector {
  return typeof x === 'object' && x !== null && 'data' in x && 'type' in x && typeof (x as Vector).get === 'function';
}

function idError(name: string, index: number, value: unknown, expected: string): WeirError {
  return new WeirError('E_GRAPH', `weir/graph: ${name}[${index}] = ${String(value)} is not ${expected}`);
}

function intChunk(name: string, offset: number, a: ArrayLike<number | bigint>): IntChunk {
  if (a instanceof Int32Array || a instanceof Uint32Array || a instanceof Float64Array) return a;
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) {
    const out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v > 9007199254740991n || v < -9007199254740991n) throw idError(name, offset + i, v, 'a safe integer id (|id| <= 2^53 - 1)');
      out[i] = Number(v);
    }
    return out;
  }
  if (a instanceof Int8Array || a instanceof Int16Array || a instanceof Uint8Array || a instanceof Uint16Array) return Int32Array.from(a);
  return Float64Array.from(a as ArrayLike<number>);
}

/** Turns a caller's id column into chunks the builder reads; nothing is copied for i32/u32/f64. */
export function toIdColumn(input: IdColumnInput, name: string): IdColumn {
  if (isVector(input)) {
    const typeId = input.type.typeId;
    const isString = typeId === Type.Utf8 || typeId === Type.LargeUtf8 || typeId === Type.Dictionary;
    const isNumber = typeId === Type.Int || typeId === Type.Float;
    if (!isString && !isNumber) throw new WeirError('E_COLUMN', `weir/graph: ${name} is an Arrow ${String(input.type)} column; expected integers or strings`);
    let offset = 0;
    if (isString) {
      const chunks: StrChunk[] = input.data.map((d) => {
        offset += d.length;
        if (typeId === Type.Dictionary && d.dictionary) {
          return { length: d.length, codes: (d.values as ArrayLike<number>), dict: d.dictionary, nulls: d.nullCount > 0 ? d : null };
        }
        const v = makeVector(d);
        return { length: d.length, get: (i: number) => v.get(i) };
      });
      return { kind: 'string', name, length: input.length, chunks };
    }
    const chunks = input.data.map((d) => {
      if (d.nullCount > 0) {
        const v = makeVector(d);
        for (let i = 0; i < d.length; i++) if (v.get(i) === null) throw idError(name, offset + i, null, 'an id (nulls are not allowed)');
      }
      const c = intChunk(name, offset, makeVector(d).toArray() as ArrayLike<number>);
      offset += d.length;
      return c;
    });
    return { kind: 'int', name, length: input.length, chunks };
  }
  if (ArrayBuffer.isView(input)) return { kind: 'int', name, length: (input as Int32Array).length, chunks: [intChunk(name, 0, input as ArrayLike<number>)] };
  if (Array.isArray(input)) {
    if (input.length > 0 && typeof input[0] === 'string') {
      return { kind: 'string', name, length: input.length, chunks: [{ length: input.length, get: (i: number) => input[i] }] };
    }
    for (let i = 0; i < input.length; i++) {
      if (typeof input[i] !== 'number') throw idError(name, i, input[i], 'a number (ids of one column are all numbers or all strings)');
    }
    return { kind: 'int', name, length: input.length, chunks: [Float64Array.from(input as readonly number[])] };
  }
  throw new WeirError('E_ARG', `weir/graph: ${name} must be a typed array, an array or an Arrow vector`);
}

/**
 * Copies a weight column into one Float64Array, checking every value is a finite number.
 * (Negative weights are accepted here; algorithms that cannot use them refuse the graph.)
 */
export function toWeights(input: WeightColumnInput, name: string): Float64Array {
  let out: Float64Array;
  if (isVector(input)) {
    const typeId = input.type.typeId;
    if (typeId !== Type.Int && typeId !== Type.Float) throw new WeirError('E_COLUMN', `weir/graph: ${name} is an Arrow ${String(input.type)} column; expected numbers`);
    out = new Float64Array(input.length);
    let offset = 0;
    for (const d of input.data) {
      const v = makeVector(d);
      const a = v.toArray() as ArrayLike<number | bigint>;
      for (let i = 0; i < d.length; i++) {
        const x = d.nullCount > 0 && v.get(i) === null ? NaN : Number(a[i]);
        out[offset + i] = x;
      }
      offset += d.length;
    }
  } else if (ArrayBuffer.isView(input) || Array.isArray(input)) {
    out = input instanceof Float64Array ? input : Float64Array.from(input as ArrayLike<number>);
    if (Array.isArray(input)) for (let i = 0; i < input.length; i++) if (typeof input[i] !== 'number') out[i] = NaN;
  } else {
    throw new WeirError('E_ARG', `weir/graph: ${name} must be a numeric typed array, an array or an Arrow vector`);
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new WeirError('E_GRAPH', `weir/graph: ${name}[${i}] = ${out[i]} is not a finite weight`);
  }
  return out;
}
