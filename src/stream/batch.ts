import { Data, RecordBatch, Table, Type, Vector, TimeUnit } from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';
import type { StringDictionary } from './dictionary.js';

/** Kernel column types (assembly/stream/layout.ts ColType) and time types (TimeType). */
export const COL = Object.freeze({ F64: 0, I32: 1, I64: 2, F32: 3, U32: 4, I16: 5, I8: 6, U16: 7, U8: 8 });
export const TIME = Object.freeze({ F64_MS: 0, I64_MS: 1, I64_S: 2, I64_US: 3, I64_NS: 4, I32_MS: 5 });

type Typed =
  | Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array
  | BigInt64Array;

/** One column of an input batch, as the user may pass it. */
export type ColumnInput = Typed | readonly number[] | readonly string[] | readonly bigint[] | Vector | Data;

/** A batch: an Arrow Table or RecordBatch, or an object of equally long columns. */
export type BatchInput = Table | RecordBatch | { readonly [column: string]: ColumnInput };

/** A column ready to be written into wasm memory. */
export interface Prepared {
  bytes: ArrayBufferView;
  type: number;
  /** Dictionary remap (indices -> operator ids), for Arrow dictionary columns. */
  remap?: Int32Array;
  /** Whether the values are ids in the operator's string dictionary. */
  strings: boolean;
  bigint: boolean;
}

/** A uniform view of one (sub-)batch: its length and its columns by name. */
export interface Slice {
  length: number;
  get(name: string): ColumnInput | undefined;
  names(): string[];
}

/** Splits an input into slices of single-chunk columns (an Arrow Table gives one per RecordBatch). */
export function slices(input: BatchInput): Slice[] {
  if (input instanceof Table) return input.batches.map(fromRecordBatch);
  if (input instanceof RecordBatch) return [fromRecordBatch(input)];
  if (!input || typeof input !== 'object') throw new WeirError('E_ARG', 'push: expected an Arrow Table, a RecordBatch or an object of columns');
  const obj = input as Record<string, ColumnInput>;
  const names = Object.keys(obj);
  let length = -1;
  for (const name of names) {
    const n = lengthOf(obj[name]);
    if (length >= 0 && n !== length) {
      throw new WeirError('E_LENGTH', `push: column '${name}' has ${n} values but '${names[0]}' has ${length}`);
    }
    length = n;
  }
  if (length < 0) length = 0;
  // Vectors with several chunks are flattened once here, so each slice column is one chunk.
  return [{ length, get: (name) => flattenVector(obj[name]), names: () => names }];
}

function fromRecordBatch(batch: RecordBatch): Slice {
  return {
    length: batch.numRows,
    get: (name) => {
      const child = batch.getChild(name);
      return child ? child.data[0] : undefined;
    },
    names: () => batch.schema.fields.map((f) => f.name),
  };
}

function lengthOf(col: ColumnInput): number {
  if (col instanceof Vector || col instanceof Data) return col.length;
  if (col && typeof (col as { length?: unknown }).length === 'number') return (col as { length: number }).length;
  throw new WeirError('E_ARG', 'push: every column must be a typed array, an array or an Arrow vector');
}

function flattenVector(col: ColumnInput | undefined): ColumnInput | undefined {
  if (col instanceof Vector) {
    if (col.data.length === 1) return col.data[0];
    // Several chunks: concatenate once (a copy, but only for multi-chunk vectors).
    const type = col.type;
    if (type.typeId === Type.Dictionary || type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8) {
      return Array.from(col as Iterable<string | null>) as string[];
    }
    return col.toArray() as Typed;
  }
  return col;
}

function isTyped(x: unknown): x is Typed {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function colTypeOf(a: Typed): number {
  if (a instanceof Float64Array) return COL.F64;
  if (a instanceof Float32Array) return COL.F32;
  if (a instanceof Int32Array) return COL.I32;
  if (a instanceof Uint32Array) return COL.U32;
  if (a instanceof Int16Array) return COL.I16;
  if (a instanceof Uint16Array) return COL.U16;
  if (a instanceof Int8Array) return COL.I8;
  if (a instanceof Uint8Array) return COL.U8;
  return COL.I64;
}

function firstNull(data: Data): number {
  if (data.nullCount === 0) return -1;
  for (let i = 0; i < data.length; i++) if (!data.getValid(i)) return i;
  return -1;
}

/** The time column: epoch ms as f64, i64 in its unit, or i32 ms. Nulls are E_TIME. */
export function prepareTime(col: ColumnInput | undefined, name: string, length: number): { bytes: ArrayBufferView; type: number } {
  if (col === undefined) throw new WeirError('E_COLUMN', `time: the batch has no column '${name}'`);
  if (col instanceof Data) {
    const bad = firstNull(col);
    if (bad >= 0) throw new WeirError('E_TIME', `time: column '${name}' is null at row ${bad}`);
    const values = (col.values as Typed).subarray(0, col.length);
    switch (col.type.typeId) {
      case Type.Timestamp: {
        const unit = (col.type as unknown as { unit: TimeUnit }).unit;
        const type = unit === TimeUnit.SECOND ? TIME.I64_S : unit === TimeUnit.MILLISECOND ? TIME.I64_MS : unit === TimeUnit.MICROSECOND ? TIME.I64_US : TIME.I64_NS;
        return { bytes: values, type };
      }
      case Type.Date:
        return values instanceof BigInt64Array ? { bytes: values, type: TIME.I64_MS } : { bytes: Float64Array.from(values as Int32Array, (d) => d * 86_400_000), type: TIME.F64_MS };
      case Type.Int:
      case Type.Float:
        return prepareTime(values, name, length);
      default:
        throw new WeirError('E_TIME', `time: column '${name}' is ${String(col.type)}; expected epoch milliseconds (numbers), Int64 or Timestamp`);
    }
  }
  if (col instanceof Float64Array) return { bytes: col, type: TIME.F64_MS };
  if (col instanceof BigInt64Array) return { bytes: col, type: TIME.I64_MS };
  if (col instanceof Int32Array) return { bytes: col, type: TIME.I32_MS };
  if (isTyped(col)) return { bytes: Float64Array.from(col as ArrayLike<number>), type: TIME.F64_MS };
  if (Array.isArray(col)) {
    const out = new Float64Array(col.length);
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (typeof v !== 'number' && typeof v !== 'bigint') throw new WeirError('E_TIME', `time: column '${name}' row ${i} is ${JSON.stringify(v)}, not a number`);
      out[i] = Number(v);
    }
    return { bytes: out, type: TIME.F64_MS };
  }
  throw new WeirError('E_TIME', `time: column '${name}' is not a numeric column`);
}

/**
 * A key or item column: integers (any integer typed array, Float64 holding integers, BigInt64),
 * or strings (string[], Arrow Utf8, Arrow Dictionary) mapped through the operator's dictionary.
 * `role` names the argument in errors.
 */
export function prepareItems(col: ColumnInput | undefined, name: string, role: string, dict: StringDictionary, nullable: boolean): Prepared {
  if (col === undefined) throw new WeirError('E_COLUMN', `${role}: the batch has no column '${name}'`);
  const code = role === 'key' ? 'E_KEY' : 'E_COLUMN';
  if (col instanceof Data) {
    const bad = firstNull(col);
    const tid = col.type.typeId;
    if (bad >= 0 && !(nullable && (tid === Type.Dictionary || tid === Type.Utf8))) {
      throw new WeirError(code, `${role}: column '${name}' is null at row ${bad}`);
    }
    if (tid === Type.Dictionary) {
      const dictionary = col.dictionary;
      if (!dictionary || (dictionary.type.typeId !== Type.Utf8 && dictionary.type.typeId !== Type.LargeUtf8)) {
        throw new WeirError(code, `${role}: column '${name}' is a dictionary of ${String(dictionary?.type)}; expected strings`);
      }
      let remap = dict.remap(dictionary.toArray() as string[]);
      let indices = (col.values as Typed).subarray(0, col.length);
      if (bad >= 0) {
        // Null rows point at an extra remap slot holding -1 (skipped by the kernel).
        const withNull = new Int32Array(remap.length + 1);
        withNull.set(remap);
        withNull[remap.length] = -1;
        remap = withNull;
        const idx = Int32Array.from(indices as ArrayLike<number>);
        for (let i = 0; i < idx.length; i++) if (!col.getValid(i)) idx[i] = remap.length - 1;
        indices = idx;
      }
      return { bytes: indices, type: colTypeOf(indices), remap, strings: true, bigint: false };
    }
    if (tid === Type.Utf8 || tid === Type.LargeUtf8) {
      const ids = new Int32Array(col.length);
      const v = new Vector([col]);
      for (let i = 0; i < ids.length; i++) {
        const s = v.get(i) as string | null;
        ids[i] = s === null ? -1 : dict.id(s);
      }
      return { bytes: ids, type: COL.I32, strings: true, bigint: false };
    }
    if (tid === Type.Int || tid === Type.Float) return prepareItems((col.values as Typed).subarray(0, col.length), name, role, dict, nullable);
    throw new WeirError(code, `${role}: column '${name}' is ${String(col.type)}; expected integers or strings`);
  }
  if (isTyped(col)) {
    return { bytes: col, type: colTypeOf(col), strings: false, bigint: col instanceof BigInt64Array };
  }
  if (Array.isArray(col)) {
    if (col.length === 0) return { bytes: new Int32Array(0), type: COL.I32, strings: false, bigint: false };
    const first = col.find((v) => v !== null && v !== undefined);
    if (typeof first === 'string') {
      const ids = new Int32Array(col.length);
      for (let i = 0; i < col.length; i++) {
        const v = col[i];
        if (typeof v === 'string') ids[i] = dict.id(v);
        else if ((v === null || v === undefined) && nullable) ids[i] = -1;
        else throw new WeirError(code, `${role}: column '${name}' row ${i} is ${JSON.stringify(v)}; expected a string like the rows before it`);
      }
      return { bytes: ids, type: COL.I32, strings: true, bigint: false };
    }
    if (typeof first === 'bigint') {
      const out = new BigInt64Array(col.length);
      for (let i = 0; i < col.length; i++) {
        const v = col[i];
        if (typeof v !== 'bigint') throw new WeirError(code, `${role}: column '${name}' row ${i} is not a bigint`);
        out[i] = v;
      }
      return { bytes: out, type: COL.I64, strings: false, bigint: true };
    }
    const out = new Float64Array(col.length);
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (typeof v !== 'number') throw new WeirError(code, `${role}: column '${name}' row ${i} is ${JSON.stringify(v)}; expected an integer or a string`);
      out[i] = v;
    }
    return { bytes: out, type: COL.F64, strings: false, bigint: false };
  }
  throw new WeirError(code, `${role}: column '${name}' is not an array, typed array or Arrow column`);
}

/** A numeric value column; nulls (Arrow) and null/undefined (arrays) become NaN, i.e. missing. */
export function prepareValues(col: ColumnInput | undefined, name: string, role: string): Prepared {
  if (col === undefined) throw new WeirError('E_COLUMN', `${role}: the batch has no column '${name}'`);
  if (col instanceof Data) {
    const tid = col.type.typeId;
    if (tid !== Type.Int && tid !== Type.Float && tid !== Type.Timestamp && tid !== Type.Decimal) {
      throw new WeirError('E_COLUMN', `${role}: column '${name}' is ${String(col.type)}; expected numbers`);
    }
    const values = (col.values as Typed).subarray(0, col.length) as Typed;
    if (col.nullCount === 0 && tid !== Type.Decimal) return prepareValues(values, name, role);
    const out = new Float64Array(col.length);
    const v = new Vector([col]);
    for (let i = 0; i < out.length; i++) {
      const x = v.get(i) as number | bigint | null;
      out[i] = x === null ? NaN : Number(x);
    }
    return { bytes: out, type: COL.F64, strings: false, bigint: false };
  }
  if (isTyped(col)) return { bytes: col, type: colTypeOf(col), strings: false, bigint: false };
  if (Array.isArray(col)) {
    const out = new Float64Array(col.length);
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (v === null || v === undefined) out[i] = NaN;
      else if (typeof v === 'number' || typeof v === 'bigint') out[i] = Number(v);
      else throw new WeirError('E_COLUMN', `${role}: column '${name}' row ${i} is ${JSON.stringify(v)}; expected a number`);
    }
    return { bytes: out, type: COL.F64, strings: false, bigint: false };
  }
  throw new WeirError('E_COLUMN', `${role}: column '${name}' is not an array, typed array or Arrow column`);
}
