import { Type, type Dictionary, type Vector } from 'apache-arrow';

/**
 * A getter for row `i` of an Arrow column as a plain value: number, string, boolean, bigint,
 * null, or for nested types apache-arrow's row/vector objects.
 *
 * Single-chunk numeric columns (up to 32 bits, and Float64) are read straight from their typed
 * array, and single-chunk string dictionaries decode each dictionary entry once; everything
 * else goes through `Vector.get`, which is several times slower per cell.
 */
export function cellGetter(vector: Vector): (i: number) => unknown {
  if (vector.data.length !== 1) return (i) => vector.get(i);
  const data = vector.data[0];
  const type = vector.type;
  const bitmap = data.nullCount > 0 ? data.nullBitmap : null;
  const offset = data.offset;
  const isNull = (i: number): boolean => {
    const k = offset + i;
    return ((bitmap![k >> 3] >> (k & 7)) & 1) === 0;
  };
  const numeric =
    (type.typeId === Type.Float && (type as { precision?: number }).precision !== 0) ||
    (type.typeId === Type.Int && (type as { bitWidth?: number }).bitWidth !== 64);
  if (numeric) {
    const values = data.values as unknown as ArrayLike<number>;
    return bitmap ? (i) => (isNull(i) ? null : values[i]) : (i) => values[i];
  }
  if (type.typeId === Type.Dictionary && (type as Dictionary).dictionary.typeId === Type.Utf8 && data.dictionary) {
    const strings = data.dictionary.toArray() as (string | null)[];
    const indices = data.values as unknown as ArrayLike<number>;
    return bitmap ? (i) => (isNull(i) ? null : strings[indices[i]]) : (i) => strings[indices[i]];
  }
  return (i) => vector.get(i);
}

/**
 * A cell as JSON would carry it: bigints as numbers when exact (else decimal strings), Dates
 * as epoch ms, Arrow rows and vectors as their JSON form. Non-finite numbers stay numbers;
 * JSON.stringify writes them as null.
 */
export function jsonCell(v: unknown): unknown {
  if (typeof v === 'bigint') return bigintCell(v);
  if (v instanceof Date) return v.getTime();
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? bigintCell(x) : x)));
  }
  return v;
}

function bigintCell(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}
