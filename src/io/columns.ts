/**
 * Column types the readers produce, the conversion of text and JSON values into them, and
 * the builders that turn a batch of converted values into Arrow data.
 *
 * One place decides what "a number" or "a timestamp" means for every reader, so CSV, NDJSON,
 * Arrow and Parquet inputs agree on the columns a command sees.
 */
import {
  Bool,
  Data,
  DataType,
  Dictionary,
  Field,
  Float64,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Type,
  Utf8,
  makeData,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';

/**
 * What a column holds once read.
 *
 * - `float64`: Arrow Float64. Every number in CSV/NDJSON is read as this, integers included:
 *   epoch milliseconds do not fit Int32, and a column whose first batch fits Int32 may not
 *   fit later. Exact for integers up to 2^53.
 * - `int32`: Arrow Int32; only on request (`types`), or from Parquet INT32.
 * - `bool`: Arrow Bool; CSV `true`/`false` (any case), JSON booleans.
 * - `utf8`: Arrow Utf8.
 * - `dictionary`: Arrow Dictionary<Utf8, Int32>, one dictionary per batch; what strings are
 *   read as, so repeated keys cost an index each.
 * - `timestamp`: Float64 epoch milliseconds, from numbers (taken as ms) or ISO 8601 strings
 *   (`Date.parse`), Arrow Timestamp/Date values, Parquet TIMESTAMP/DATE.
 */
export type ColumnType = 'float64' | 'int32' | 'bool' | 'utf8' | 'dictionary' | 'timestamp';

export const COLUMN_TYPES: readonly ColumnType[] = Object.freeze([
  'float64',
  'int32',
  'bool',
  'utf8',
  'dictionary',
  'timestamp',
]);

/** Returned by the converters for a value the column type cannot hold. */
export const BAD: unique symbol = Symbol('weir.io.bad');
export type Cell = number | string | boolean | null;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** True when `s` is a decimal number as CSV writers print them (no hex, no blanks). */
export function isDecimalText(s: string): boolean {
  return DECIMAL.test(s) || s === 'NaN' || s === 'Infinity' || s === '-Infinity';
}

function numberFromText(s: string): number | typeof BAD {
  const v = Number(s);
  if (v !== v && s !== 'NaN') return BAD;
  // Number('  ') is 0; a blank field is not zero.
  if (v === 0 && s.trim() === '') return BAD;
  return v;
}

function boolFromText(s: string): boolean | typeof BAD {
  if (s.length === 4 && s.toLowerCase() === 'true') return true;
  if (s.length === 5 && s.toLowerCase() === 'false') return false;
  return BAD;
}

function timeFromText(s: string): number | typeof BAD {
  const v = numberFromText(s);
  if (v !== BAD) return v;
  const t = Date.parse(s);
  return Number.isNaN(t) ? BAD : t;
}

/**
 * Converts one non-empty CSV field to `type`; `BAD` when it cannot.
 * Numbers follow JavaScript `Number()` (so `1e3` and `0x10` are numbers), except that a
 * blank field is not zero.
 */
export function cellFromText(s: string, type: ColumnType): Cell | typeof BAD {
  switch (type) {
    case 'float64':
      return numberFromText(s);
    case 'int32': {
      const v = numberFromText(s);
      return v !== BAD && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? v : BAD;
    }
    case 'bool':
      return boolFromText(s);
    case 'timestamp':
      return timeFromText(s);
    case 'utf8':
    case 'dictionary':
      return s;
  }
}

/**
 * Converts one JavaScript value (from JSON, an Arrow vector or a Parquet column) to `type`;
 * `null`/`undefined` give null, and `BAD` means it cannot. Bigints become numbers (exact up
 * to 2^53), Dates their epoch ms, and objects or arrays in a string column their JSON text.
 */
export function cellFromValue(v: unknown, type: ColumnType): Cell | typeof BAD {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'float64':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      return BAD;
    case 'int32': {
      const n = typeof v === 'bigint' ? Number(v) : v;
      return typeof n === 'number' && Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX ? n : BAD;
    }
    case 'bool':
      return typeof v === 'boolean' ? v : BAD;
    case 'timestamp':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? BAD : v.getTime();
      if (typeof v === 'string') return timeFromText(v);
      return BAD;
    case 'utf8':
    case 'dictionary':
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
      if (v instanceof Date) return v.toISOString();
      return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  }
}

/**
 * Infers a column type from sample CSV fields (empty fields are nulls and say nothing):
 * all decimal numbers -> `float64`, all `true`/`false` -> `bool`, otherwise `dictionary`.
 */
export function inferFromText(samples: Iterable<string>): ColumnType {
  let numbers = 0;
  let bools = 0;
  let seen = 0;
  for (const s of samples) {
    if (s === '') continue;
    seen++;
    if (isDecimalText(s)) numbers++;
    else if (boolFromText(s) !== BAD) bools++;
    else return 'dictionary';
  }
  if (seen > 0 && numbers === seen) return 'float64';
  if (seen > 0 && bools === seen) return 'bool';
  return 'dictionary';
}

/** Infers a column type from sample JSON values: numbers, booleans, else `dictionary`. */
export function inferFromValues(samples: Iterable<unknown>): ColumnType {
  let numbers = 0;
  let bools = 0;
  let seen = 0;
  for (const v of samples) {
    if (v === null || v === undefined) continue;
    seen++;
    if (typeof v === 'number') numbers++;
    else if (typeof v === 'boolean') bools++;
    else return 'dictionary';
  }
  if (seen > 0 && numbers === seen) return 'float64';
  if (seen > 0 && bools === seen) return 'bool';
  return 'dictionary';
}

/** The Arrow type of a column of `type`; dictionaries get a fresh id, so build it once per column. */
export function arrowTypeOf(type: ColumnType): DataType {
  switch (type) {
    case 'float64':
    case 'timestamp':
      return new Float64();
    case 'int32':
      return new Int32();
    case 'bool':
      return new Bool();
    case 'utf8':
      return new Utf8();
    case 'dictionary':
      return new Dictionary(new Utf8(), new Int32());
  }
}

/**
 * Appends converted cells of one column and hands them off as Arrow `Data`, one batch at a
 * time. `finish()` gives the buffers away and starts a fresh batch, so a handed-off batch is
 * never written again.
 */
export class ColumnBuilder {
  readonly name: string;
  readonly type: ColumnType;
  readonly arrowType: DataType;
  private capacity: number;
  private length = 0;
  private nullCount = 0;
  private valid: Uint8Array | null = null;
  private numbers: Float64Array | Int32Array | Uint8Array | null = null;
  private strings: (string | null)[] | null = null;
  private dictIndex: Map<string, number> | null = null;
  private dictValues: string[] | null = null;

  constructor(name: string, type: ColumnType, capacity: number) {
    this.name = name;
    this.type = type;
    this.arrowType = arrowTypeOf(type);
    this.capacity = Math.max(1, capacity);
    this.reset();
  }

  get size(): number {
    return this.length;
  }

  private reset(): void {
    this.length = 0;
    this.nullCount = 0;
    this.valid = null;
    switch (this.type) {
      case 'float64':
      case 'timestamp':
        this.numbers = new Float64Array(this.capacity);
        break;
      case 'int32':
        this.numbers = new Int32Array(this.capacity);
        break;
      case 'dictionary':
        this.numbers = new Int32Array(this.capacity);
        this.dictIndex = new Map();
        this.dictValues = [];
        break;
      case 'bool':
        this.numbers = new Uint8Array((this.capacity + 7) >> 3);
        break;
      case 'utf8':
        this.strings = [];
        break;
    }
  }

  private grow(): void {
    this.capacity *= 2;
    const old = this.numbers;
    if (old instanceof Float64Array) this.numbers = new Float64Array(this.capacity);
    else if (old instanceof Int32Array) this.numbers = new Int32Array(this.capacity);
    else if (old instanceof Uint8Array) this.numbers = new Uint8Array((this.capacity + 7) >> 3);
    if (old) this.numbers!.set(old);
    if (this.valid) {
      const v = new Uint8Array((this.capacity + 7) >> 3);
      v.set(this.valid);
      this.valid = v;
    }
  }

  /** Appends a cell already converted to this column's type (see {@link cellFromText}). */
  append(cell: Cell): void {
    const i = this.length;
    if (i === this.capacity && this.type !== 'utf8') this.grow();
    if (cell === null) {
      if (this.valid === null) {
        // Validity is only materialised once a null appears; everything before it was valid.
        this.valid = new Uint8Array((this.capacity + 7) >> 3);
        this.valid.fill(0xff, 0, i >> 3);
        for (let k = i & ~7; k < i; k++) this.valid[k >> 3] |= 1 << (k & 7);
      }
      this.nullCount++;
      if (this.strings) this.strings.push(null);
      this.length = i + 1;
      return;
    }
    if (this.valid !== null) this.valid[i >> 3] |= 1 << (i & 7);
    switch (this.type) {
      case 'float64':
      case 'timestamp':
      case 'int32':
        this.numbers![i] = cell as number;
        break;
      case 'bool':
        if (cell) this.numbers![i >> 3] |= 1 << (i & 7);
        break;
      case 'dictionary': {
        const s = cell as string;
        let k = this.dictIndex!.get(s);
        if (k === undefined) {
          k = this.dictValues!.length;
          this.dictIndex!.set(s, k);
          this.dictValues!.push(s);
        }
        this.numbers![i] = k;
        break;
      }
      case 'utf8':
        this.strings!.push(cell as string);
        break;
    }
    this.length = i + 1;
  }

  /** The appended cells as Arrow data (the buffers are handed off, not copied), then a fresh batch. */
  finish(): Data {
    const length = this.length;
    const nullCount = this.nullCount;
    const nullBitmap = this.valid ? this.valid.subarray(0, (length + 7) >> 3) : undefined;
    let data: Data;
    switch (this.type) {
      case 'float64':
      case 'timestamp':
        data = makeData({
          type: this.arrowType as Float64,
          length,
          nullCount,
          nullBitmap,
          data: (this.numbers as Float64Array).subarray(0, length),
        });
        break;
      case 'int32':
        data = makeData({
          type: this.arrowType as Int32,
          length,
          nullCount,
          nullBitmap,
          data: (this.numbers as Int32Array).subarray(0, length),
        });
        break;
      case 'bool':
        data = makeData({
          type: this.arrowType as Bool,
          length,
          nullCount,
          nullBitmap,
          data: (this.numbers as Uint8Array).subarray(0, (length + 7) >> 3),
        });
        break;
      case 'dictionary':
        data = makeData({
          type: this.arrowType as Dictionary<Utf8, Int32>,
          length,
          nullCount,
          nullBitmap,
          data: (this.numbers as Int32Array).subarray(0, length),
          dictionary: vectorFromArray(this.dictValues!, new Utf8()),
        });
        break;
      case 'utf8':
        data = vectorFromArray(this.strings!, new Utf8()).data[0];
        break;
    }
    this.reset();
    return data;
  }
}

/** An Arrow schema of nullable fields, one per builder, reused for every batch of a read. */
export function schemaOf(builders: readonly ColumnBuilder[]): Schema {
  return new Schema(builders.map((b) => new Field(b.name, b.arrowType, true)));
}

/** A one-batch Table from column data of equal length under `schema`. */
export function tableOf(schema: Schema, columns: readonly Data[], length: number): Table {
  const struct = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: columns as Data[] });
  return new Table([new RecordBatch(schema, struct)]);
}

/** The Arrow type a `ColumnType` reads as is already what `type` gives: no conversion needed. */
function alreadyIs(arrow: DataType, type: ColumnType): boolean {
  switch (type) {
    case 'float64':
    case 'timestamp':
      return arrow.typeId === Type.Float && (arrow as Float64).precision === 2;
    case 'int32':
      return arrow.typeId === Type.Int && (arrow as Int32).bitWidth === 32 && (arrow as Int32).isSigned;
    case 'bool':
      return arrow.typeId === Type.Bool;
    case 'utf8':
      return arrow.typeId === Type.Utf8;
    case 'dictionary':
      return arrow.typeId === Type.Dictionary && (arrow as Dictionary).dictionary.typeId === Type.Utf8;
  }
}

/**
 * Converts an Arrow column to `type` (a copy; returns the vector's own data when it already
 * has that type). Used for `types` on Arrow IPC inputs.
 *
 * @throws WeirError `E_COLUMN` naming the column, its Arrow type and the first value that
 * does not convert.
 */
export function convertVector(name: string, vector: Vector, type: ColumnType, builder?: ColumnBuilder): Data {
  if (vector.data.length === 1 && alreadyIs(vector.type, type)) return vector.data[0];
  const b = builder ?? new ColumnBuilder(name, type, vector.length);
  for (let i = 0; i < vector.length; i++) {
    const v = vector.get(i);
    const cell = cellFromValue(v, type);
    if (cell === BAD) {
      throw new WeirError(
        'E_COLUMN',
        `column '${name}' (${String(vector.type)}) cannot be read as ${type}: value ${describe(v)} in row ${i + 1} of the batch`,
      );
    }
    b.append(cell);
  }
  return b.finish();
}

/** A short, quoted rendering of a value for error messages. */
export function describe(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = JSON.stringify(v);
  else if (typeof v === 'bigint') s = `${v}n`;
  else if (v instanceof Date) s = v.toISOString();
  else s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
